// The MONITOR tap on its own connection: shows the commands a test issues (exact bytes, db, client),
// stops cleanly (by stop() or its time cap), and reports connection problems in one line.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {Redis} from 'ioredis';
import {buildConfig, type Connection} from '../../source/config.js';
import {startMonitor} from '../../source/redis/monitor-tap.js';
import {freePort, startRedis, type RedisServer} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait-for.js';

let server: RedisServer;
let locked: RedisServer;
let redis: Redis;

function connection(url: string): Connection {
	const config = buildConfig({broker: url}, {});
	assert.ok(config.ok);
	return config.value.connection;
}

before(async () => {
	[server, locked] = await Promise.all([startRedis(), startRedis({password: 's3cret-pw'})]);
	redis = new Redis({host: server.host, port: server.port, lazyConnect: true, connectionName: 'test-client'});
	await redis.connect();
});

after(async () => {
	redis?.disconnect();
	await Promise.all([server?.stop(), locked?.stop()]);
});

test('shows a command the test issued, byte for byte, with its db and client', async () => {
	const tap = await startMonitor(connection(server.url), {display: server.url});
	let notified = 0;
	const unsubscribe = tap.subscribe(() => notified++);
	try {
		const addr = /addr=(\S+)/.exec(String(await redis.client('INFO')))![1]!;
		await redis.set('celery\x06\x163', 'héllo "quoted" \\ \n');
		await redis.select(3);
		await redis.get('in-db-3');
		await redis.select(0);
		await waitFor(() =>
			tap.getSnapshot().records.some((r) => r.command === 'GET' && r.args[0] === 'in-db-3'),
		);
		const records = tap.getSnapshot().records;
		const set = records.find((r) => r.command === 'SET')!;
		assert.deepEqual(set.args, ['celery\x06\x163', 'héllo "quoted" \\ \n']);
		assert.equal(set.client, addr);
		assert.equal(set.db, 0);
		assert.ok(Math.abs(set.time - Date.now() / 1000) < 60);
		assert.equal(records.find((r) => r.command === 'GET')!.db, 3);
		const index = (command: string) => records.findIndex((r) => r.command === command);
		assert.ok(index('GET') < index('SET'), 'newest first');
		assert.equal(tap.getSnapshot().state, 'running');
		assert.equal(tap.getSnapshot().malformed, 0);
		await waitFor(() => notified > 0);
		const clients = String(await redis.client('LIST'));
		assert.match(clients, /name=celerytop-monitor .*flags=O/);
	} finally {
		unsubscribe();
		await tap.stop();
	}
	assert.equal(tap.getSnapshot().state, 'stopped');
	await waitFor(async () => !String(await redis.client('LIST')).includes('celerytop-monitor'), {
		message: 'the MONITOR connection closes',
	});
});

test('the time cap stops it by itself', async () => {
	const started = Date.now();
	const tap = await startMonitor(connection(server.url), {display: server.url, capSeconds: 0.3});
	await tap.done;
	assert.equal(tap.getSnapshot().state, 'stopped');
	assert.ok(Date.now() - started >= 250);
	await tap.stop(); // stopping twice is harmless
});

test('AUTH with the password from the URL; a wrong one fails in one line without the password', async () => {
	const tap = await startMonitor(connection(locked.url), {display: 'redis://:***@x'});
	await tap.stop();
	const wrong = locked.url.replace('s3cret-pw', 'not-the-pw');
	await assert.rejects(
		startMonitor(connection(wrong), {display: 'redis://:***@127.0.0.1'}),
		(error: Error) => {
			assert.match(error.message, /^authentication failed for redis:\/\/:\*\*\*@127\.0\.0\.1/);
			assert.doesNotMatch(error.message, /not-the-pw/);
			return true;
		},
	);
	const port = await freePort();
	await assert.rejects(
		startMonitor(connection(`redis://127.0.0.1:${port}/0`), {display: 'here'}),
		/connection refused/,
	);
});
