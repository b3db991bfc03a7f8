// The stats poller on a private server: figures, history, clients, slowlog and warnings; a tick that
// comes during a poll is skipped; errors back off and recover; our subscriber's output buffer is watched.
import assert from 'node:assert/strict';
import net from 'node:net';
import {after, before, test} from 'node:test';
import {Redis} from 'ioredis';
import {StatsPoller} from '../../source/redis/stats-poller.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait-for.js';

let server: RedisServer;
let redis: Redis;

before(async () => {
	server = await startRedis({
		args: [
			'--maxmemory',
			'200mb',
			'--maxmemory-policy',
			'allkeys-lru',
			'--client-output-buffer-limit',
			'pubsub 64mb 32mb 60',
			'--slowlog-log-slower-than',
			'0',
		],
	});
	redis = new Redis({host: server.host, port: server.port, lazyConnect: true});
	await redis.connect();
});

after(async () => {
	redis?.disconnect();
	await server?.stop();
});

test('polls INFO, DBSIZE, CLIENT LIST and SLOWLOG into one snapshot with history', async () => {
	await redis.set('a', '1');
	await redis.set('b', '2');
	const blocked = new Redis({host: server.host, port: server.port, lazyConnect: true});
	await blocked.connect();
	const waiting = blocked.brpop('celery', 5).catch(() => null);
	let clock = 1000;
	const poller = new StatsPoller(redis, {now: () => clock, slowlogCount: 128});
	let published = 0;
	poller.subscribe(() => published++);
	try {
		await waitFor(async () => {
			clock += 1;
			await poller.tick();
			return poller.getSnapshot().clients.some((c) => c.role === 'blocked');
		});
		clock += 1;
		await poller.tick();
		const snapshot = poller.getSnapshot();
		assert.equal(snapshot.status, 'ok');
		assert.ok(snapshot.polls >= 2 && published === snapshot.polls);
		assert.equal(snapshot.latest!.dbsize, 2);
		assert.equal(snapshot.latest!.figures.maxmemoryPolicy, 'allkeys-lru');
		assert.equal(snapshot.history.length, snapshot.polls);
		assert.equal(snapshot.history.at(-1), snapshot.latest);
		assert.equal(snapshot.latest!.at - snapshot.history[0]!.at, snapshot.polls - 1);
		// Redis says redis_mode, Valkey server_mode: the figures read either.
		assert.equal(snapshot.latest!.figures.mode, 'standalone');
		assert.ok(snapshot.info?.['server']?.['redis_version'] !== undefined);
		assert.deepEqual(snapshot.clients.find((c) => c.role === 'blocked')?.cmd, 'brpop');
		assert.ok(snapshot.slowlog.some((e) => e.args[0]?.toLowerCase() === 'set'));
		assert.deepEqual(
			snapshot.warnings.map((w) => w.code),
			['eviction-policy'],
		);
		assert.deepEqual(snapshot.pubsubLimit, {hard: 64 << 20, soft: 32 << 20, softSeconds: 60});
	} finally {
		blocked.disconnect();
		await waiting;
	}
});

test('a tick during a poll is skipped; the interval timer polls by itself until stopped', async () => {
	const poller = new StatsPoller(redis, {intervalMs: 20});
	const first = poller.tick();
	await poller.tick(); // the first is still in flight
	await first;
	assert.equal(poller.getSnapshot().polls, 1);
	await poller.tick();
	assert.equal(poller.getSnapshot().skippedTicks, 1);
	poller.start();
	await waitFor(() => poller.getSnapshot().polls >= 5);
	poller.stop();
	const polls = poller.getSnapshot().polls;
	await new Promise((resolve) => setImmediate(resolve));
	await poller.tick();
	assert.equal(poller.getSnapshot().polls, polls + 1, 'only the explicit tick polled after stop()');
});

test('errors back off, then the poller recovers', async () => {
	const other = await startRedis();
	const client = new Redis({
		host: other.host,
		port: other.port,
		lazyConnect: true,
		maxRetriesPerRequest: 0,
		enableOfflineQueue: false,
		retryStrategy: () => 50,
	});
	client.on('error', () => {});
	await client.connect();
	const poller = new StatsPoller(client, {intervalMs: 40});
	try {
		await poller.tick();
		assert.equal(poller.getSnapshot().status, 'ok');
		await other.stop();
		await waitFor(() => client.status !== 'ready');
		await poller.tick();
		assert.equal(poller.getSnapshot().status, 'error');
		assert.equal(poller.getSnapshot().consecutiveErrors, 1);
		await poller.tick(); // inside the back-off window: no poll
		assert.equal(poller.getSnapshot().consecutiveErrors, 1);
		await other.restart();
		await waitFor(async () => {
			await poller.tick();
			return poller.getSnapshot().status === 'ok';
		});
		assert.equal(poller.getSnapshot().consecutiveErrors, 0);
		assert.ok(poller.getSnapshot().skippedTicks >= 1);
	} finally {
		client.disconnect();
		await other.stop();
	}
});

test("our subscriber's output buffer growing toward the pubsub limit raises a warning", async () => {
	// A subscriber named like ours that stops reading: Redis queues what it publishes (omem).
	const socket = net.connect({host: server.host, port: server.port});
	await new Promise((resolve) => socket.once('connect', resolve));
	socket.write(
		'*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$16\r\ncelerytop-events\r\n*2\r\n$10\r\nPSUBSCRIBE\r\n$13\r\n/0.celeryev/*\r\n',
	);
	await waitFor(async () => /name=celerytop-events .*psub=1/.test(String(await redis.client('LIST'))));
	socket.pause();
	const poller = new StatsPoller(redis);
	const payload = 'x'.repeat(1 << 20);
	try {
		await waitFor(
			async () => {
				await redis.publish('/0.celeryev/worker.heartbeat', payload);
				await poller.tick();
				return poller.getSnapshot().warnings.some((w) => w.code === 'subscriber-buffer');
			},
			{
				timeout: 20_000,
				message: () => JSON.stringify(poller.getSnapshot().clients.map((c) => [c.name, c.omem])),
			},
		);
		const warning = poller.getSnapshot().warnings.find((w) => w.code === 'subscriber-buffer')!;
		assert.match(
			warning.message,
			/our event subscriber's output buffer is \d+\.\d MB of the 32\.0 MB pubsub limit/,
		);
	} finally {
		socket.destroy();
	}
});
