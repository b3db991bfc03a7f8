// Proves the real-component harness: private redis-server, a real Celery
// worker with -E, events on /0.celeryev/*, tasks sent with apply_async.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {Redis} from 'ioredis';
import {redisPing, startRedis, type RedisServer} from '../helpers/redis-server.js';
import {sendTasks, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {waitFor} from '../helpers/wait-for.js';

interface CeleryEvent {
	type: string;
	hostname?: string;
	uuid?: string;
	[key: string]: unknown;
}

/** kombu envelope → list of events (task.multi carries an array). */
function decode(message: string): CeleryEvent[] {
	const envelope = JSON.parse(message) as {body: string; properties?: {body_encoding?: string}};
	const text =
		envelope.properties?.body_encoding === 'base64'
			? Buffer.from(envelope.body, 'base64').toString('utf8')
			: envelope.body;
	const payload = JSON.parse(text) as CeleryEvent | CeleryEvent[];
	return Array.isArray(payload) ? payload : [payload];
}

test('a private redis-server answers PING, restarts on its port and stops', async () => {
	const redis = await startRedis({password: 's3cret'});
	try {
		assert.equal(redis.host, '127.0.0.1');
		assert.notEqual(redis.port, 6379);
		assert.equal(redis.url, `redis://:s3cret@127.0.0.1:${redis.port}/0`);
		assert.equal(await redis.cli('PING'), 'PONG');
		await redis.cli('SET', 'k', 'v');
		await redis.restart();
		assert.equal(await redis.cli('PING'), 'PONG');
		assert.equal(await redis.cli('EXISTS', 'k'), '0', 'restart starts empty');
	} finally {
		await redis.stop();
	}
	assert.equal(await redisPing(redis.port, 's3cret'), false);
});

describe('a real Celery worker against a private redis', () => {
	let redis: RedisServer;
	let sub: Redis;
	let worker: CeleryWorker | undefined;
	const events: CeleryEvent[] = [];
	const channels = new Set<string>();
	const seen = (pred: (e: CeleryEvent) => boolean) => () => events.some(pred);
	const log = () => `events: ${events.map((e) => e.type).join(', ')}\nworker log:\n${worker?.output() ?? ''}`;

	before(async () => {
		redis = await startRedis();
		sub = new Redis(redis.url, {maxRetriesPerRequest: 1});
		sub.on('pmessage', (_pattern: string, channel: string, message: string) => {
			channels.add(channel);
			events.push(...decode(message));
		});
		await sub.psubscribe('/0.celeryev/*');
	});

	after(async () => {
		await worker?.kill9();
		sub?.disconnect();
		await redis?.stop();
	});

	test('worker starts with -E and its heartbeats arrive on /0.celeryev/*', async () => {
		worker = await startWorker({brokerUrl: redis.url, name: 'w1', concurrency: 2});
		assert.match(worker.hostname, /^w1@\S+$/);
		const host = worker.hostname;
		await waitFor(
			seen((e) => e.type === 'worker-online' && e.hostname === host),
			{message: log},
		);
		await waitFor(
			seen((e) => e.type === 'worker-heartbeat' && e.hostname === host),
			{message: log},
		);
		assert.ok(channels.has('/0.celeryev/worker.heartbeat'), [...channels].join(' '));
	});

	test('sendTasks publishes demo.add and the worker reports task-succeeded', async () => {
		const [id] = await sendTasks(redis.url, [{task: 'demo.add', args: [2, 3]}]);
		assert.match(id, /^[0-9a-f-]{36}$/);
		await waitFor(
			seen((e) => e.type === 'task-succeeded' && e.uuid === id),
			{message: log},
		);
		const sent = events.find((e) => e.type === 'task-sent' && e.uuid === id);
		assert.equal(sent?.name, 'demo.add');
		assert.equal(events.find((e) => e.type === 'task-succeeded' && e.uuid === id)?.result, '5');
	});

	test('SIGTERM stops the worker cleanly and it sends worker-offline', async () => {
		const host = worker!.hostname;
		assert.equal(await worker!.stop('SIGTERM'), 0);
		await waitFor(
			seen((e) => e.type === 'worker-offline' && e.hostname === host),
			{message: log},
		);
	});
});
