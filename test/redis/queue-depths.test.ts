// The queue line's read against a private redis-server: lengths summed over the priority lists as a
// real Celery producer names them (apply_async with priorities, no worker to take them), queues found
// from the `_kombu.binding.*` sets by SCAN and found again after the re-discovery interval, one pipeline
// of LLEN per read on one connection of its own that stays, a db the server lacks and a server that
// is down or silent as one line each (never a rejection).
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {Redis} from 'ioredis';
import {buildConfig} from '../../source/config.js';
import type {QueueDepths} from '../../source/ports/inspector.js';
import {createRedisInspector} from '../../source/redis/inspector.js';
import {priorityListKeys, priorityStepsOf, QueueDepthReader} from '../../source/redis/queue-depths.js';
import {requireCelery, sendTasks} from '../helpers/celery-worker.js';
import {freePort, startRedis, type RedisServer} from '../helpers/redis-server.js';
import {startSilentServer} from '../helpers/silent-server.js';

const SEP = '\x06\x16';
let server: RedisServer;
let client: Redis;

before(async () => {
	server = await startRedis();
	client = new Redis(server.url);
});

after(async () => {
	client?.disconnect();
	await server?.stop();
});

function inspector(broker: string, flags: {brokerTransportOptions?: string; connectTimeout?: number} = {}) {
	const config = buildConfig({broker, commandTimeout: 1, ...flags}, {});
	assert.ok(config.ok, config.ok ? '' : config.error);
	return createRedisInspector(config.value);
}

const lengths = (depths: QueueDepths) => {
	assert.ok(depths.ok, depths.ok ? '' : depths.error);
	return Object.fromEntries(depths.queues.map((q) => [q.queue, q.messages]));
};

test('lengths summed over the priority lists a real Celery producer fills', async () => {
	requireCelery();
	await client.flushall();
	const add = {task: 'demo.add', args: [1, 2]};
	await sendTasks(server.url, [
		add,
		add,
		{...add, priority: 0, queue: 'emails'},
		{...add, priority: 5, queue: 'emails'},
		{...add, priority: 5, queue: 'emails'},
		{...add, priority: 7, queue: 'emails'},
		{...add, priority: 9, queue: 'emails'},
		{...add, priority: 9, queue: 'emails'},
		{...add, priority: 9, queue: 'emails'},
	]);
	// How kombu named them: the base list, `emails SEP 3` for 3–5, SEP 6 for 6–8, SEP 9 for 9; a binding each.
	assert.deepEqual(
		await Promise.all(priorityListKeys('emails', [0, 3, 6, 9]).map((key) => client.llen(key))),
		[1, 2, 1, 3],
	);
	assert.equal(await client.llen('celery'), 2);
	// The binding members the other tests seed by hand: routing key, SEP, pattern (empty), SEP, queue.
	assert.deepEqual(await client.smembers('_kombu.binding.emails'), [`emails${SEP}${SEP}emails`]);
	assert.deepEqual(await client.smembers('_kombu.binding.celery'), [`celery${SEP}${SEP}celery`]);
	const redis = inspector(server.url);
	try {
		assert.deepEqual(lengths(await redis.queueDepths(0)), {celery: 2, emails: 7});
		await client.rpop(`emails${SEP}9`);
		assert.deepEqual(lengths(await redis.queueDepths(0)), {celery: 2, emails: 6});
	} finally {
		await redis.close();
	}
});

test('one pipeline of LLEN per read on one connection of its own; bindings found again after REDISCOVER_MS (4 s)', async () => {
	await client.flushall();
	await client.sadd('_kombu.binding.celery', `celery${SEP}${SEP}celery`);
	await client.lpush('celery', 'a', 'b');
	await client.lpush(`celery${SEP}6`, 'c');
	let now = 1_000_000;
	const config = buildConfig({broker: server.url}, {});
	assert.ok(config.ok);
	const target = {connection: config.value.connection, display: 'test broker', transport: {}};
	const reader = new QueueDepthReader(target, {now: () => now});
	try {
		assert.deepEqual(lengths(await reader.read()), {celery: 3});
		assert.equal(reader.lastCost.discovered, true);
		// A new queue (its binding and lists) is not read until the names are found again.
		await client.sadd('_kombu.binding.reports', `reports${SEP}${SEP}reports`);
		await client.lpush(`reports${SEP}3`, 'x', 'y', 'z');
		now += 2_000;
		assert.deepEqual(lengths(await reader.read()), {celery: 3});
		assert.deepEqual(reader.lastCost, {commands: 4, roundTrips: 1, discovered: false});
		now += 30_000;
		assert.deepEqual(lengths(await reader.read()), {celery: 3, reports: 3});
		assert.equal(reader.lastCost.discovered, true);
		now += 2_000;
		assert.deepEqual(lengths(await reader.read()), {celery: 3, reports: 3});
		assert.deepEqual(reader.lastCost, {commands: 8, roundTrips: 1, discovered: false});
		// Reads in flight together share one answer: never two at once.
		const [a, b] = [reader.read(), reader.read()];
		assert.equal(a, b);
		await a;
		const mine = String(await client.call('CLIENT', 'LIST'))
			.split('\n')
			.filter((line) => line.includes('name=celerytop-depth'));
		assert.equal(mine.length, 1, 'one connection for every read');
	} finally {
		reader.close();
	}
});

test('the transport options: global_keyprefix and priority_steps name the lists', async () => {
	await client.flushall();
	await client.sadd('app:_kombu.binding.jobs', `jobs${SEP}${SEP}jobs`);
	await client.lpush('app:jobs', 'a');
	await client.lpush(`app:jobs${SEP}1`, 'b', 'c');
	await client.lpush(`app:jobs${SEP}4`, 'd');
	await client.lpush(`app:jobs${SEP}3`, 'not a step here');
	await client.lpush('jobs', 'not under the prefix');
	assert.deepEqual(priorityStepsOf({priority_steps: [4, 0, 1]}), [0, 1, 4]);
	assert.deepEqual(priorityStepsOf({priority_steps: 'x'}), [0, 3, 6, 9]);
	const redis = inspector(server.url, {
		brokerTransportOptions: JSON.stringify({global_keyprefix: 'app:', priority_steps: [0, 1, 4]}),
	});
	try {
		assert.deepEqual(lengths(await redis.queueDepths(0)), {celery: 0, jobs: 4});
	} finally {
		await redis.close();
	}
});

test('a db the server lacks, a server that is down, one that never answers: one line each', async () => {
	const redis = inspector(server.url);
	const down = inspector(`redis://127.0.0.1:${await freePort()}/0`);
	const silent = await startSilentServer();
	const mute = inspector(silent.url(), {connectTimeout: 0.3});
	try {
		const missing = await redis.queueDepths(99);
		assert.deepEqual(missing, {
			ok: false,
			error: `db 99 does not exist on 127.0.0.1:${server.port} (it has 16: 0-15)`,
		});
		const refused = await down.queueDepths(0);
		assert.equal(refused.ok, false);
		assert.match(
			refused.ok ? '' : refused.error,
			/^cannot connect to redis:\/\/127\.0\.0\.1:\d+\/0: connection refused at 127\.0\.0\.1:\d+$/,
		);
		const started = Date.now();
		const quiet = await mute.queueDepths(0);
		assert.ok(Date.now() - started < 3_000, 'within the time limits');
		assert.equal(quiet.ok, false);
		assert.match(
			quiet.ok ? '' : quiet.error,
			/^no answer from redis:\/\/127\.0\.0\.1:\d+\/0: 127\.0\.0\.1:\d+ accepted the connection but sent nothing within 0\.3 s \(--connect-timeout\)$/,
		);
		// The db that exists still reads on the same services.
		assert.equal((await redis.queueDepths(0)).ok, true);
	} finally {
		await Promise.all([redis.close(), down.close(), mute.close()]);
		await silent.close();
	}
});

test('a connection lost between reads is one line, and the next read opens a new one', async () => {
	await client.flushall();
	await client.lpush('celery', 'a');
	const redis = inspector(server.url);
	try {
		assert.deepEqual(lengths(await redis.queueDepths(0)), {celery: 1});
		await client.call('CLIENT', 'KILL', 'SKIPME', 'yes', 'TYPE', 'normal');
		await new Promise((resolve) => setTimeout(resolve, 50));
		const lost = await redis.queueDepths(0);
		assert.deepEqual(lost, {ok: false, error: `lost the connection to redis://127.0.0.1:${server.port}/0`});
		assert.deepEqual(lengths(await redis.queueDepths(0)), {celery: 1});
	} finally {
		await redis.close();
	}
});
