// FLUSHDB, DEL and purge: refused under --read-only before anything is sent (MONITOR sees nothing),
// and correct when allowed (purge empties every priority list of the queue, with the key prefix).
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import type {Redis} from 'ioredis';
import {buildConfig} from '../../source/config.js';
import type {MonitorRecord} from '../../source/protocol/monitor.js';
import {
	confirmationFor,
	confirmationMatches,
	deleteKey,
	flushDb,
	purgeQueue,
	runAdmin,
} from '../../source/redis/admin.js';
import {startMonitor} from '../../source/redis/monitor-tap.js';
import type {RedisServer} from '../helpers/redis-server.js';
import {SEP, startSeededRedis, stopSeededRedis} from '../helpers/seed-keyspace.js';
import {waitFor} from '../helpers/wait-for.js';

let server: RedisServer;
let redis: Redis;

before(async () => {
	({server, redis} = await startSeededRedis());
});

after(() => stopSeededRedis({server, redis}));

test('under --read-only every operation is refused and nothing reaches the server', async () => {
	const config = buildConfig({broker: server.url, readOnly: true}, {});
	assert.ok(config.ok);
	const before = Number(await redis.dbsize());
	const addr = /addr=(\S+)/.exec(String(await redis.client('INFO')))![1]!;
	const seen: MonitorRecord[] = [];
	const tap = await startMonitor(config.value.connection, {
		display: server.url,
		onRecord: (r) => seen.push(r),
	});
	try {
		const context = {readOnly: config.value.readOnly, db: 0};
		for (const result of [
			await flushDb(redis, 0, context),
			await deleteKey(redis, 'session:1', context),
			await purgeQueue(redis, 'celery', context),
		]) {
			assert.equal(result.ok, false);
			assert.match(result.ok ? '' : result.error, /^refused: .* is not allowed under --read-only$/);
		}
		await redis.echo('after-the-attempts');
		await waitFor(() => seen.some((r) => r.command === 'ECHO'));
		const sent = seen.filter((r) => r.client === addr);
		assert.deepEqual(
			sent.map((r) => [r.command, ...r.args]),
			[['ECHO', 'after-the-attempts']],
		);
		assert.equal(Number(await redis.dbsize()), before);
	} finally {
		await tap.stop();
	}
});

test('purge empties the queue and its priority lists, and says how many messages went', async () => {
	const context = {readOnly: false, db: 0};
	assert.deepEqual(await purgeQueue(redis, 'celery', context), {ok: true, removed: 7});
	for (const key of ['celery', `celery${SEP}3`, `celery${SEP}6`, `celery${SEP}9`])
		assert.equal(await redis.exists(key), 0);
	assert.equal(await redis.exists('_kombu.binding.celery'), 1, 'the binding stays');
	assert.deepEqual(await purgeQueue(redis, 'celery', context), {ok: true, removed: 0});
	await redis.rpush(`pfx:jobs${SEP}9`, 'a', 'b');
	assert.deepEqual(await purgeQueue(redis, 'jobs', {...context, transport: {global_keyprefix: 'pfx:'}}), {
		ok: true,
		removed: 2,
	});
});

test('DEL one key; FLUSHDB only on the db the connection uses', async () => {
	const context = {readOnly: false, db: 0};
	assert.deepEqual(await deleteKey(redis, 'session:1', context), {ok: true, removed: 1});
	assert.deepEqual(await deleteKey(redis, 'session:1', context), {ok: true, removed: 0});
	assert.deepEqual(await runAdmin(redis, {op: 'flushdb', db: 3}, context), {
		ok: false,
		error: 'refused: connected to db 0, not db 3',
	});
	const keys = Number(await redis.dbsize());
	assert.ok(keys > 100);
	assert.deepEqual(await flushDb(redis, 0, context), {ok: true, removed: keys});
	assert.equal(Number(await redis.dbsize()), 0);
});

test('confirmation texts: FLUSHDB wants the db number, purge the queue name', () => {
	const flush = confirmationFor({op: 'flushdb', db: 2});
	assert.equal(flush.expected, '2');
	assert.match(flush.prompt, /Type the db number 2/);
	assert.equal(confirmationMatches({op: 'flushdb', db: 2}, ' 2 '), true);
	assert.equal(confirmationMatches({op: 'flushdb', db: 2}, 'y'), false);
	assert.equal(confirmationFor({op: 'purge', queue: 'celery'}).expected, 'celery');
	assert.equal(confirmationMatches({op: 'del', key: 'k'}, 'y'), true);
});
