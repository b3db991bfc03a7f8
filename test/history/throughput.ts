// How fast the history writer takes the 100-worker stream, and how many bytes an event takes on disk
// against the same event as an `events --json` line. Not a test (the runner takes *.test.ts only):
//   node --import tsx test/history/throughput.ts [bench/data/events-100w.jsonl] [max events]
// Every line {t, channel, data} is decoded first (decodeEventMessage, as bench/ingest.ts does); then
// the events are appended in groups of 500 as fast as the loop goes, and the clock stops when close()
// has committed the last one: the writer thread's rate, and the time the caller spent in append().
// KEEP=1 keeps the file and prints its path.
import {createReadStream, statSync, rmSync, mkdtempSync} from 'node:fs';
import {createInterface} from 'node:readline';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {decodeEventMessage} from '../../source/protocol/events.js';
import {jsonLine} from '../../source/commands/events.js';
import {openHistory} from '../../source/history/writer.js';
import type {CeleryEvent} from '../../source/protocol/types.js';

const file = process.argv[2] ?? 'bench/data/events-100w.jsonl';
const limit = Number(process.argv[3] ?? 1e9);
const batches: {events: CeleryEvent[]; t: number}[] = [];
let jsonBytes = 0,
	count = 0;
for await (const line of createInterface({input: createReadStream(file)})) {
	if (!line) continue;
	const {t, data} = JSON.parse(line) as {t: number; data: string};
	const m = decodeEventMessage(data);
	for (const e of m.events) jsonBytes += Buffer.byteLength(jsonLine(e)) + 1;
	count += m.events.length;
	batches.push({events: m.events, t});
	if (count >= limit) break;
}
const dir = mkdtempSync(join(tmpdir(), 'hist-'));
const path = join(dir, 'h.sqlite');
const opened = await openHistory({path, broker: 'bench:6379/0'});
if (!opened.ok) throw new Error(opened.error);
const w = opened.writer;
const t0 = performance.now();
let mainMs = 0;
// Post as the feed would: batches of ~ the messages arriving in 10 ms.
let group: CeleryEvent[] = [];
for (const b of batches) {
	for (const e of b.events) group.push(e);
	if (group.length >= 500) {
		const a = performance.now();
		w.append(group, b.t);
		mainMs += performance.now() - a;
		group = [];
	}
}
w.append(group, batches.at(-1)!.t);
const posted = performance.now();
const stats = await w.close();
const t1 = performance.now();
const size = statSync(path).size;
console.log(
	JSON.stringify({
		events: count,
		stats,
		postMs: Math.round(posted - t0),
		mainMsInAppend: Math.round(mainMs),
		totalMs: Math.round(t1 - t0),
		eventsPerSecond: Math.round(count / ((t1 - t0) / 1000)),
		fileBytes: size,
		bytesPerEvent: +(size / count).toFixed(1),
		jsonBytesPerEvent: +(jsonBytes / count).toFixed(1),
		ratio: +(size / jsonBytes).toFixed(3),
		error: w.error,
	}),
);
if (!process.env.KEEP) rmSync(dir, {recursive: true});
else console.log(path);
