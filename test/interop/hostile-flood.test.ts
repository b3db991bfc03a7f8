// 100,000 malformed messages mixed with valid ones, published on the real event channels of a private
// redis-server while a real session listens: every valid event is applied, every malformed message is
// counted under its reason, the event loop keeps turning, and memory stays bounded.
import {after, before, test} from 'node:test';
import {Worker, isMainThread, parentPort, workerData} from 'node:worker_threads';
import assert from 'node:assert/strict';
import {Buffer} from 'node:buffer';
import {monitorEventLoopDelay} from 'node:perf_hooks';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {Redis} from 'ioredis';
import {buildConfig} from '../../source/config.js';
import {decodeEventMessage} from '../../source/protocol/events.js';
import type {MalformedReason} from '../../source/protocol/types.js';
import {startSession, type Session} from '../../source/redis/session.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {readJsonLines, type PubSubLine} from '../helpers/fixtures.js';
import {waitFor} from '../helpers/wait-for.js';

const MALFORMED = 100_000;
const VALID = 5_000;
const PIPELINE = 1_000;

let server: RedisServer;
let session: Session;

if (isMainThread)
	before(async () => {
		server = await startRedis();
		const config = buildConfig({broker: server.url}, {});
		assert.ok(config.ok);
		const started = await startSession(config.value);
		assert.ok(started.ok, started.ok ? '' : started.error);
		session = started.session;
	});

if (isMainThread)
	after(async () => {
		await session?.stop();
		await server?.stop();
	});

const captured = readJsonLines<PubSubLine>('events-pubsub.jsonl').filter((l) =>
	l.channel.includes('celeryev'),
);
/** A captured envelope whose payload is one task-received event: the template of valid messages. */
const template = captured.find((line) => {
	const events = decodeEventMessage(line.data).events;
	return events.length === 1 && events[0]!.type === 'task-received';
})!;
const templateEnvelope = JSON.parse(template.data) as Record<string, unknown>;
const templateEvent = decodeEventMessage(template.data).events[0]!;

function withBody(body: string, overrides: Record<string, unknown> = {}): string {
	return JSON.stringify({...templateEnvelope, body, ...overrides});
}
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const event = (fields: Record<string, unknown>) => b64(JSON.stringify({...templateEvent, ...fields}));

/** One malformed message per reason (index picks the variant); each is exactly one error. */
const MALFORMED_KINDS: ReadonlyArray<[MalformedReason, (i: number) => string]> = [
	['not-json', (i) => (i % 5000 === 0 ? 'x'.repeat(1024 * 1024) : `{"body": ${i}`)],
	['bad-envelope', (i) => JSON.stringify({body: i})],
	['bad-base64', (i) => withBody(`!!${i}!`)],
	['bad-utf8', () => withBody(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'))],
	['unsupported-serializer', () => withBody(b64('{}'), {'content-type': 'application/x-python-serialize'})],
	['body-not-json', (i) => withBody(b64(`{"uuid": ${i}`))],
	['not-an-event', (i) => withBody(b64(String(i)))],
	['missing-type', (i) => withBody(event({type: i}))],
	['missing-hostname', () => withBody(event({hostname: null}))],
	['bad-timestamp', (i) => withBody(event({timestamp: -i - 1}))],
	['missing-uuid', () => withBody(event({uuid: undefined}))],
	[
		'too-deep',
		(i) => withBody(event({uuid: `deep-${i}`, args: JSON.parse('['.repeat(200) + ']'.repeat(200))})),
	],
];

/** The flood, in publishing order, and the errors it must be counted as. */
function buildFlood(): {messages: Array<[string, string]>; expected: Map<MalformedReason, number>} {
	const messages: Array<[string, string]> = [];
	const expected = new Map<MalformedReason, number>();
	const validEvery = Math.floor(MALFORMED / VALID);
	let valid = 0;
	for (let i = 0; i < MALFORMED; i++) {
		const [reason, make] = MALFORMED_KINDS[i % MALFORMED_KINDS.length]!;
		expected.set(reason, (expected.get(reason) ?? 0) + 1);
		messages.push(['/0.celeryev/task.received', make(i)]);
		if (i % validEvery === 0 && valid < VALID) {
			// a valid task-received with its own uuid, and one worker heartbeat now and then
			messages.push(['/0.celeryev/task.received', withBody(event({uuid: `flood-${valid}`, clock: valid}))]);
			valid++;
		}
	}
	assert.equal(valid, VALID);

	return {messages, expected};
}

/**
 * The publisher runs in a worker thread (this same file), so building and writing 105,000 messages
 * does not stall the event loop under test: what is measured is the subscriber alone.
 */
if (!isMainThread) {
	const {host, port} = workerData as {host: string; port: number};
	const {messages} = buildFlood();
	const publisher = new Redis({host, port, lazyConnect: true});
	await publisher.connect();
	parentPort!.postMessage({ready: messages.length});
	for (let offset = 0; offset < messages.length; offset += PIPELINE) {
		const pipeline = publisher.pipeline();
		for (const [channel, message] of messages.slice(offset, offset + PIPELINE))
			pipeline.publish(channel, message);
		await pipeline.exec();
	}
	publisher.disconnect();
	parentPort!.postMessage({done: true});
}

if (isMainThread)
	test('100,000 malformed messages among valid ones: exact counts, a live event loop, bounded memory', async () => {
		const {messages, expected} = buildFlood();
		assert.equal(messages.length, MALFORMED + VALID);
		const cluster = session.store.cluster;
		const eventsBefore = cluster.eventCount;
		const receivedBefore = session.feed.received();
		setFlagsFromString('--expose-gc');
		const gc = runInNewContext('gc') as () => void;
		gc();
		// This thread's heap: the subscriber under test (the publisher thread has its own isolate).
		const heapBefore = process.memoryUsage().heapUsed;
		let heapPeak = heapBefore;
		const delay = monitorEventLoopDelay({resolution: 5});
		delay.enable();
		let worstTick = 0;
		let last = performance.now();
		const ticker = setInterval(() => {
			const now = performance.now();
			worstTick = Math.max(worstTick, now - last);
			last = now;
			heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
		}, 10);
		ticker.unref();

		const started = performance.now();
		// tsx's loader is registered inside the thread before this file is imported there.
		const bootstrap = `import('tsx/esm/api').then(({register}) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
		const thread = new Worker(bootstrap, {eval: true, workerData: {host: server.host, port: server.port}});
		try {
			await new Promise<void>((resolve, reject) => {
				thread.on('message', (m: {done?: boolean}) => m.done && resolve());
				thread.on('error', reject);
				thread.on('exit', () => resolve());
			});
		} finally {
			await thread.terminate();
		}
		await waitFor(() => session.feed.received() - receivedBefore === messages.length, {
			timeout: 20_000,
			message: () => `received ${session.feed.received() - receivedBefore} of ${messages.length}`,
		});
		await waitFor(() => cluster.malformedTotal === MALFORMED && cluster.eventCount - eventsBefore === VALID, {
			message: () => `applied ${cluster.eventCount - eventsBefore}, malformed ${cluster.malformedTotal}`,
		});
		const elapsed = performance.now() - started;
		clearInterval(ticker);
		delay.disable();

		assert.equal(cluster.eventCount - eventsBefore, VALID, 'every valid event applied, exactly once');
		for (let i = 0; i < VALID; i += 499) assert.equal(cluster.tasks.get(`flood-${i}`)?.state, 'RECEIVED');
		assert.equal(cluster.tasks.get(`flood-${VALID - 1}`)?.clock, VALID - 1);
		assert.deepEqual(cluster.malformedCounts(), Object.fromEntries(expected));
		assert.equal(cluster.malformedTotal, MALFORMED);
		// the store publishes it too
		session.store.flush(Date.now() / 1000);
		assert.equal(session.store.getSnapshot().malformedTotal, MALFORMED);

		const worstLoopMs = delay.max / 1e6;
		gc();
		const retainedMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
		const peakMb = (heapPeak - heapBefore) / 1024 / 1024;
		console.log(
			`flood: ${messages.length} messages in ${Math.round(elapsed)} ms; worst event-loop delay ` +
				`${worstLoopMs.toFixed(1)} ms, worst 10 ms tick gap ${worstTick.toFixed(1)} ms; heap peak ` +
				`+${peakMb.toFixed(1)} MB, retained after GC +${retainedMb.toFixed(1)} MB; RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB`,
		);
		assert.ok(worstLoopMs < 150, `event loop stalled for ${worstLoopMs} ms`);
		assert.ok(worstTick < 150, `a 10 ms timer waited ${worstTick} ms`);
		assert.ok(peakMb < 200, `heap peaked ${peakMb} MB above the start`);
		// 5,000 tasks retained (of the 10,000 cap) and 1,000 stream entries: a few MB, not the flood
		assert.ok(retainedMb < 40, `heap kept ${retainedMb} MB after the flood`);
	});
