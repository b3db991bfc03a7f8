// FLUSHDB, DEL and purge are written to the audit log like control commands: what was run and what it
// removed, or the error that stopped it; a refusal under --read-only sent nothing and records nothing.
// Against a real redis-server, through the inspector the TUI uses.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {Redis} from 'ioredis';
import {buildConfig} from '../../source/config.js';
import type {AuditEntry} from '../../source/redis/audit-log.js';
import {createRedisInspector} from '../../source/redis/inspector.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';

let server: RedisServer;
let admin: Redis;

before(async () => {
	server = await startRedis({password: 'audit-s3cret'});
	admin = new Redis({host: server.host, port: server.port, password: 'audit-s3cret', db: 2});
});

after(async () => {
	admin.disconnect();
	await server.stop();
});

function inspector(readOnly = false) {
	const config = buildConfig({broker: `redis://:audit-s3cret@${server.host}:${server.port}/0`, readOnly}, {});
	assert.ok(config.ok);
	const entries: AuditEntry[] = [];
	return {entries, redis: createRedisInspector(config.value, {audit: (entry) => entries.push(entry)})};
}

test('each admin operation run is one audit entry: method, db, target, what it removed', async () => {
	await admin.set('session:1', 'x');
	await admin.rpush('emails', 'a', 'b', 'c');
	const {entries, redis} = inspector();
	try {
		assert.deepEqual(await redis.admin(2, {op: 'del', key: 'session:1'}), {ok: true, removed: 1});
		assert.deepEqual(await redis.admin(2, {op: 'purge', queue: 'emails'}), {ok: true, removed: 3});
		assert.deepEqual(await redis.admin(2, {op: 'flushdb', db: 2}), {ok: true, removed: 0});
		assert.deepEqual(
			entries.map(({method, arguments: args, sent, replies}) => ({method, args, sent, replies})),
			[
				{method: 'DEL', args: {db: 2, key: 'session:1'}, sent: true, replies: {removed: 1}},
				{method: 'purge', args: {db: 2, queue: 'emails'}, sent: true, replies: {removed: 3}},
				{method: 'FLUSHDB', args: {db: 2}, sent: true, replies: {removed: 0}},
			],
		);
		for (const entry of entries) {
			assert.equal(entry.broker, `redis://:***@${server.host}:${server.port}/0`);
			assert.ok(!JSON.stringify(entry).includes('audit-s3cret'), 'never the password');
			assert.ok(Math.abs(Date.parse(entry.time) - Date.now()) < 60_000);
		}
	} finally {
		await redis.close();
	}
});

test('an operation that failed is recorded with its error; a refusal under --read-only is not', async () => {
	const {entries, redis} = inspector();
	try {
		const failed = await redis.admin(99, {op: 'flushdb', db: 99});
		assert.equal(failed.ok, false);
		assert.equal(entries.length, 1);
		assert.equal(entries[0]!.method, 'FLUSHDB');
		assert.equal(entries[0]!.sent, false);
		assert.match(entries[0]!.error ?? '', /db 99 does not exist/);
	} finally {
		await redis.close();
	}
	const readOnly = inspector(true);
	try {
		const refused = await readOnly.redis.admin(2, {op: 'del', key: 'anything'});
		assert.equal(refused.ok, false);
		assert.deepEqual(readOnly.entries, []);
	} finally {
		await readOnly.redis.close();
	}
});
