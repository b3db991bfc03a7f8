// celerytop's ingest of a recorded event stream: decodeEventMessage + ClusterState.applyBatch.
//
//   node --import tsx --expose-gc bench/ingest.ts speed --file F [--passes 3] [--max-tasks 10000]
//   node --import tsx --expose-gc bench/ingest.ts mem --file F --max-tasks N
//
// speed: every line {"t", "channel", "data"} is loaded into memory first (data = the exact pub/sub
// payload text, as ioredis hands it to the event feed); then only the loop
// `decodeEventMessage(data)` + `state.applyBatch(events, t)` is timed (`now` = the recorded arrival
// time, advancing). A fresh ClusterState per pass. Prints one JSON object.
// mem: streams the file line by line into ClusterState({maxTasks: N}), forces GC, reports RSS and heap.
//
// The code under test is the build output (dist/lib/, tsc's modules that dist/cli.js bundles) when it exists, else source/ via tsx;
// BENCH_FROM_SOURCE=1 forces source/. run.ts runs a plain-JS copy of this file (types stripped by
// TypeScript's transpileModule) so that tsx's loader thread (~30 MB) is not in the RSS figures.
import {createReadStream, existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {createInterface} from 'node:readline';
import {fileURLToPath, pathToFileURL} from 'node:url';
import type {CeleryEvent, DecodedMessage} from '../source/protocol/types.js';

type ClusterLike = {
	applyBatch(events: readonly CeleryEvent[], now: number): void;
	readonly eventCount: number;
	readonly tasks: {readonly size: number};
	readonly workers: {readonly size: number};
	countsByState(): Record<string, number>;
};
type ClusterCtor = new (options?: {
	maxTasks?: number;
	maxWorkers?: number;
	streamSize?: number;
}) => ClusterLike;

// The project root: the nearest directory above this script whose package.json is celerytop's
// (run.ts also runs a transpiled copy of this file from bench/data/).
function findRoot(): string {
	let dir = path.dirname(fileURLToPath(import.meta.url));
	for (;;) {
		const pkg = path.join(dir, 'package.json');
		if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as {name?: string}).name === 'celerytop')
			return dir;
		const up = path.dirname(dir);
		if (up === dir)
			throw new Error('celerytop package.json not found above ' + fileURLToPath(import.meta.url));
		dir = up;
	}
}

const root = process.env['BENCH_ROOT'] ?? findRoot();
const fromDist =
	!process.env['BENCH_FROM_SOURCE'] && existsSync(path.join(root, 'dist/lib/state/cluster.js'));
const load = async (rel: string): Promise<Record<string, unknown>> =>
	(await import(
		pathToFileURL(path.join(root, fromDist ? `dist/lib/${rel}.js` : `source/${rel}.ts`)).href
	)) as Record<string, unknown>;
const decodeEventMessage = (await load('protocol/events'))['decodeEventMessage'] as (
	raw: string,
) => DecodedMessage;
const ClusterState = (await load('state/cluster'))['ClusterState'] as ClusterCtor;

const gc = (globalThis as {gc?: () => void}).gc;
function collect(): void {
	if (gc === undefined) throw new Error('run with node --expose-gc');
	for (let i = 0; i < 3; i++) gc();
}

function args(argv: string[]): {cmd: string; file: string; passes: number; maxTasks: number | undefined} {
	const [cmd, ...rest] = argv;
	const get = (name: string): string | undefined => {
		const i = rest.indexOf(name);
		return i === -1 ? undefined : rest[i + 1];
	};
	const file = get('--file');
	if ((cmd !== 'speed' && cmd !== 'mem') || file === undefined) {
		console.error('usage: ingest.ts speed|mem --file F [--passes N] [--max-tasks N]');
		process.exit(2);
	}
	const maxTasks = get('--max-tasks');
	return {
		cmd,
		file,
		passes: Number(get('--passes') ?? 3),
		maxTasks: maxTasks === undefined ? undefined : Number(maxTasks),
	};
}

// speed reads the file in 1 MiB chunks (fast; the lines are then held in memory anyway). mem reads it in
// 64 KiB chunks, the size Node reads a socket in (as the real binary reads Redis): glibc keeps the holes
// that 1 MiB read buffers leave in its heap, about 8 MB of RSS that a celerytop process does not have.
const SPEED_CHUNK = 1 << 20;
const MEM_CHUNK = 1 << 16;

async function* records(file: string, chunk: number): AsyncGenerator<{t: number; data: string}> {
	const rl = createInterface({
		input: createReadStream(file, {encoding: 'utf8', highWaterMark: chunk}),
		crlfDelay: Infinity,
	});
	for await (const line of rl) {
		if (line.length === 0) continue;
		const record = JSON.parse(line) as {t: number; channel: string; data: string};
		yield {t: record.t, data: record.data};
	}
}

async function speed(file: string, passes: number, maxTasks: number): Promise<void> {
	const raws: string[] = [];
	const times: number[] = [];
	for await (const r of records(file, SPEED_CHUNK)) {
		raws.push(r.data);
		times.push(r.t);
	}
	const n = raws.length;
	const results = [];
	let states: Record<string, number> = {};
	for (let p = 1; p <= passes; p++) {
		const state = new ClusterState({maxTasks, maxWorkers: 5_000});
		let errors = 0;
		collect();
		const t0 = performance.now();
		for (let i = 0; i < n; i++) {
			const message = decodeEventMessage(raws[i]!);
			state.applyBatch(message.events, times[i]!);
			errors += message.errors.length;
		}
		const seconds = (performance.now() - t0) / 1000;
		const events = state.eventCount;
		const mem = process.memoryUsage();
		results.push({
			pass: p,
			events,
			messages: n,
			errors,
			seconds: Number(seconds.toFixed(4)),
			events_per_s: Number((events / seconds).toFixed(1)),
			tasks: state.tasks.size,
			workers: state.workers.size,
			rss: mem.rss,
			heap_used: mem.heapUsed,
		});
		states = state.countsByState();
	}
	console.log(
		JSON.stringify({
			impl: 'celerytop',
			mode: 'speed',
			file: path.basename(file),
			code: fromDist ? 'dist' : 'source',
			node: process.version,
			passes: results,
			states,
		}),
	);
}

async function mem(file: string, maxTasks: number): Promise<void> {
	collect();
	const base = process.memoryUsage();
	const state = new ClusterState({maxTasks, maxWorkers: 5_000});
	let messages = 0;
	let errors = 0;
	const t0 = performance.now();
	for await (const r of records(file, MEM_CHUNK)) {
		const message = decodeEventMessage(r.data);
		state.applyBatch(message.events, r.t);
		errors += message.errors.length;
		messages++;
	}
	const seconds = (performance.now() - t0) / 1000;
	collect();
	await new Promise((resolve) => setTimeout(resolve, 50));
	collect();
	const after = process.memoryUsage();
	console.log(
		JSON.stringify({
			impl: 'celerytop',
			mode: 'mem',
			file: path.basename(file),
			code: fromDist ? 'dist' : 'source',
			max_tasks: maxTasks,
			events: state.eventCount,
			messages,
			errors,
			tasks: state.tasks.size,
			workers: state.workers.size,
			seconds: Number(seconds.toFixed(2)),
			rss_baseline: base.rss,
			heap_used_baseline: base.heapUsed,
			rss: after.rss,
			heap_used: after.heapUsed,
			heap_total: after.heapTotal,
			external: after.external,
			array_buffers: after.arrayBuffers,
			states: state.countsByState(),
		}),
	);
}

const a = args(process.argv.slice(2));
if (a.cmd === 'speed') await speed(a.file, a.passes, a.maxTasks ?? 10_000);
else await mem(a.file, a.maxTasks ?? 10_000);
