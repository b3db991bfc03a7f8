// Reading one key for the detail view: bounded reads of every type, decoded by describeKeyValue.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import type {Redis} from 'ioredis';
import {describeKeyValue} from '../../source/present/key-detail.js';
import {readKeyDetail} from '../../source/redis/key-detail.js';
import type {RedisServer} from '../helpers/redis-server.js';
import {startSeededRedis, stopSeededRedis} from '../helpers/seed-keyspace.js';

let server: RedisServer;
let redis: Redis;

before(async () => {
	({server, redis} = await startSeededRedis());
	await redis.xadd('events:stream', '*', 'kind', 'login', 'user', '7');
});

after(() => stopSeededRedis({server, redis}));

const now = () => Date.now() / 1000;

test('a result string decodes with its TTL', async () => {
	const value = await readKeyDetail(redis, 'celery-task-meta-00000000-0000-4000-8000-000000000003');
	assert.equal(value.kind, 'string');
	const view = describeKeyValue(value, {now: now()});
	assert.deepEqual(view.items[0], {label: 'status', value: 'SUCCESS', tone: 'ok'});
	assert.equal(view.items[1]!.value, '3');
	assert.match(view.summary.find((l) => l.label === 'ttl')!.value, /^[45]m \d+s$/);
	assert.match(view.summary.find((l) => l.label === 'memory')!.value, /B$/);
});

test('a queue list is read from its tail, bounded, with its length', async () => {
	const value = await readKeyDetail(redis, 'celery', {limit: 2});
	assert.ok(value.kind === 'list');
	assert.equal(value.size, 5);
	assert.equal(value.items.length, 2);
	assert.equal(value.truncated, true);
	const view = describeKeyValue(value, {now: now()});
	assert.equal(view.family.kind, 'celery-queue');
	assert.match(view.items[0]!.value, /^app\.add\[09fae383-1252-49e2-bf45-931da196e100\] args=\(1, 1\)/);
});

test('hash, set, zset, stream, a huge string and a missing key', async () => {
	const unacked = describeKeyValue(await readKeyDetail(redis, 'unacked'), {now: now()});
	assert.match(unacked.items[0]!.value, /→ celery {2}app\.add\[76c96a5f/);
	const binding = describeKeyValue(await readKeyDetail(redis, '_kombu.binding.celery'), {now: now()});
	assert.deepEqual(binding.items, [{label: 'celery', value: 'routing_key="celery" pattern=""'}]);
	const index = await readKeyDetail(redis, 'unacked_index');
	assert.ok(index.kind === 'zset' && index.entries[0]![1] === 1795771596.630832);
	const stream = await readKeyDetail(redis, 'events:stream');
	assert.ok(stream.kind === 'stream');
	assert.deepEqual(stream.entries[0]![1], ['kind', 'login', 'user', '7']);
	const big = await readKeyDetail(redis, 'blob:big', {maxBytes: 100});
	assert.ok(
		big.kind === 'string' && big.value.length === 100 && big.truncated && big.size === 2 * 1024 * 1024,
	);
	const missing = await readKeyDetail(redis, 'no-such-key');
	assert.deepEqual([missing.kind, missing.type, missing.ttl], ['other', 'none', -2]);
});
