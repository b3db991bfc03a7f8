// FLUSHDB, DEL and purge: refused under --read-only before anything is sent (MONITOR sees nothing);
// correct when allowed (purge empties every priority list of the queue, with the key prefix); aimed
// at a db the server does not have they delete nothing anywhere (db 0 stays whole) and say why; their
// confirmations say what would go, read from the server when the dialog opens.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import type {Redis} from 'ioredis';
import {buildConfig} from '../../source/config.js';
import type {MonitorRecord} from '../../source/protocol/monitor.js';
import {confirmationFor, confirmationMatches} from '../../source/ports/admin-policy.js';
import {
	deleteKey,
	flushDb,
	previewAdmin,
	purgeQueue,
	runAdmin,
	type AdminTarget,
} from '../../source/redis/admin.js';
import {startMonitor} from '../../source/redis/monitor-tap.js';
import type {RedisServer} from '../helpers/redis-server.js';
import {SEP, startSeededRedis, stopSeededRedis} from '../helpers/seed-keyspace.js';
import {waitFor} from '../helpers/wait-for.js';

let server: RedisServer;
let redis: Redis;
let target: AdminTarget;

before(async () => {
	({server, redis} = await startSeededRedis());
	const config = buildConfig({broker: server.url}, {});
	assert.ok(config.ok);
	target = {connection: config.value.connection, display: config.value.brokerDisplay};
});

after(() => stopSeededRedis({server, redis}));

/** Every command MONITOR saw from clients other than `redis` while `run` ran. */
async function commandsDuring(run: () => Promise<void>): Promise<string[][]> {
	const own = /addr=(\S+)/.exec(String(await redis.client('INFO')))![1]!;
	const seen: MonitorRecord[] = [];
	const tap = await startMonitor(target.connection, {display: server.url, onRecord: (r) => seen.push(r)});
	try {
		await run();
		await redis.echo('after-the-attempts');
		await waitFor(() => seen.some((r) => r.command === 'ECHO' && r.client === own));
		return seen.filter((r) => r.client !== own).map((r) => [r.command, ...r.args]);
	} finally {
		await tap.stop();
	}
}

test('under --read-only every operation is refused and nothing reaches the server', async () => {
	const before = Number(await redis.dbsize());
	const sent = await commandsDuring(async () => {
		const context = {readOnly: true, db: 0};
		for (const result of [
			await flushDb(target, 0, context),
			await deleteKey(target, 'session:1', context),
			await purgeQueue(target, 'celery', context),
		]) {
			assert.equal(result.ok, false);
			assert.match(result.ok ? '' : result.error, /^refused: .* is not allowed under --read-only$/);
		}
	});
	assert.deepEqual(sent, []);
	assert.equal(Number(await redis.dbsize()), before);
});

test('aimed at db 99 (which the server does not have), FLUSHDB, DEL and purge delete nothing and say why', async () => {
	const before = Number(await redis.dbsize());
	assert.ok(before > 100);
	const results: Array<Awaited<ReturnType<typeof runAdmin>>> = [];
	const sent = await commandsDuring(async () => {
		const context = {readOnly: false, db: 99};
		results.push(await flushDb(target, 99, context));
		results.push(await deleteKey(target, 'session:1', context));
		results.push(await purgeQueue(target, 'celery', context));
	});
	for (const result of results)
		assert.deepEqual(result, {
			ok: false,
			error: `db 99 does not exist on 127.0.0.1:${server.port} (it has 16: 0-15)`,
		});
	const names = new Set(sent.map(([command]) => command!.toUpperCase()));
	for (const command of ['FLUSHDB', 'UNLINK', 'DEL', 'MULTI', 'LLEN', 'DBSIZE'])
		assert.ok(!names.has(command), `${command} was sent: ${JSON.stringify(sent)}`);
	assert.equal(Number(await redis.dbsize()), before, 'db 0 is whole');
	assert.equal(await redis.exists('session:1'), 1);
	assert.equal(await redis.llen('celery'), 5);
});

test('purge empties the queue and its priority lists, and says how many messages went', async () => {
	const context = {readOnly: false, db: 0};
	const preview = await previewAdmin(target, {op: 'purge', queue: 'celery'}, context);
	assert.deepEqual(preview, {ok: true, preview: {op: 'purge', db: 0, queue: 'celery', messages: 7}});
	assert.match(
		confirmationFor({op: 'purge', queue: 'celery'}, preview.ok ? preview.preview : undefined).prompt,
		/^Type the queue name to confirm: the 7 waiting messages of queue celery in db 0 \(all priorities\) will be deleted\.$/,
	);
	assert.deepEqual(await purgeQueue(target, 'celery', context), {ok: true, removed: 7});
	for (const key of ['celery', `celery${SEP}3`, `celery${SEP}6`, `celery${SEP}9`])
		assert.equal(await redis.exists(key), 0);
	assert.equal(await redis.exists('_kombu.binding.celery'), 1, 'the binding stays');
	assert.deepEqual(await purgeQueue(target, 'celery', context), {ok: true, removed: 0});
	await redis.rpush(`pfx:jobs${SEP}9`, 'a', 'b');
	assert.deepEqual(await purgeQueue(target, 'jobs', {...context, transport: {global_keyprefix: 'pfx:'}}), {
		ok: true,
		removed: 2,
	});
});

test('DEL names the key, its type and size; FLUSHDB only on the db the connection uses', async () => {
	const context = {readOnly: false, db: 0};
	const preview = await previewAdmin(target, {op: 'del', key: 'jobs'}, context);
	assert.ok(preview.ok);
	assert.deepEqual(
		{...preview.preview, bytes: undefined},
		{
			op: 'del',
			db: 0,
			key: 'jobs',
			type: 'list',
			size: 3,
			bytes: undefined,
		},
	);
	assert.equal(
		preview.preview.op === 'del' && preview.preview.bytes,
		Number(await redis.memory('USAGE', 'jobs')),
	);
	assert.match(
		confirmationFor({op: 'del', key: 'jobs'}, preview.preview).prompt,
		/^Delete the key jobs from db 0\? It is a list of 3 elements, \d+ B in memory\. This cannot be undone\.$/,
	);
	assert.deepEqual(await deleteKey(target, 'session:1', context), {ok: true, removed: 1});
	assert.deepEqual(await deleteKey(target, 'session:1', context), {ok: true, removed: 0});
	assert.deepEqual(await runAdmin(target, {op: 'flushdb', db: 3}, context), {
		ok: false,
		error: 'refused: connected to db 0, not db 3',
	});
	await redis.select(2);
	await redis.set('in-db-2', '1');
	await redis.select(0);
	const keys = Number(await redis.dbsize());
	assert.ok(keys > 100);
	assert.deepEqual(await flushDb(target, 0, context), {ok: true, removed: keys});
	assert.equal(Number(await redis.dbsize()), 0);
	await redis.select(2);
	assert.equal(await redis.exists('in-db-2'), 1, 'another db is untouched');
	await redis.select(0);
});

test('the FLUSHDB preview of the broker db names its queues, unacked messages and bindings', async () => {
	await redis.lpush('celery', 'm1', 'm2');
	await redis.lpush(`celery${SEP}3`, 'm3');
	await redis.lpush('default', 'm4');
	await redis.sadd('_kombu.binding.celery', `celery${SEP}${SEP}celery`);
	await redis.sadd('_kombu.binding.default', `default${SEP}${SEP}default`);
	await redis.hset('unacked', 'tag1', 'x', 'tag2', 'y');
	const read = await previewAdmin(target, {op: 'flushdb', db: 0}, {readOnly: false, db: 0, brokerDb: 0});
	assert.ok(read.ok);
	assert.deepEqual(read.preview, {
		op: 'flushdb',
		db: 0,
		keys: Number(await redis.dbsize()),
		broker: true,
		queues: [
			{queue: 'celery', messages: 3},
			{queue: 'default', messages: 1},
		],
		unacked: 2,
		bindings: 2,
	});
	const confirmation = confirmationFor({op: 'flushdb', db: 0}, read.preview);
	assert.equal(
		confirmation.prompt,
		"db 0 is the BROKER's db: 6 keys; Celery queues celery 3, default 1 (4 messages); 2 unacked; 2 bindings (_kombu.binding.*). All deleted.",
	);
	assert.equal(confirmation.expected, 'flush 0');
	const other = await previewAdmin(target, {op: 'flushdb', db: 5}, {readOnly: false, db: 5, brokerDb: 0});
	assert.ok(other.ok);
	assert.equal(confirmationFor({op: 'flushdb', db: 5}, other.preview).prompt, 'db 5 is empty (0 keys).');
	assert.deepEqual(await previewAdmin(target, {op: 'flushdb', db: 99}, {readOnly: false, db: 99}), {
		ok: false,
		error: `db 99 does not exist on 127.0.0.1:${server.port} (it has 16: 0-15)`,
	});
});

test('confirmation texts: FLUSHDB wants "flush N" (not a digit or a y), purge the queue name', () => {
	const flush = confirmationFor({op: 'flushdb', db: 2});
	assert.equal(flush.expected, 'flush 2');
	assert.equal(confirmationMatches({op: 'flushdb', db: 2}, ' flush 2 '), true);
	for (const slip of ['2', 'y', '', 'flush', 'flush 0', 'flush 22'])
		assert.equal(confirmationMatches({op: 'flushdb', db: 2}, slip), false, slip);
	assert.equal(confirmationFor({op: 'purge', queue: 'celery'}).expected, 'celery');
	assert.equal(confirmationMatches({op: 'del', key: 'k'}, 'y'), true);
});
