// The memory breakdown against a private redis-server with a seeded keyspace of known families:
// exact key counts, byte sums equal to MEMORY USAGE key by key, flags, patterns, sampling.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import type {Redis} from 'ioredis';
import {memoryReport} from '../../source/redis/memory.js';
import type {FamilyReport} from '../../source/protocol/memory-report.js';
import type {RedisServer} from '../helpers/redis-server.js';
import {memoryUsage, type Seeded, startSeededRedis, stopSeededRedis} from '../helpers/seed-keyspace.js';

let server: RedisServer;
let redis: Redis;
let seeded: Seeded;

before(async () => {
	({server, redis, seeded} = await startSeededRedis());
});

after(() => stopSeededRedis({server, redis}));

const label = (f: FamilyReport) => `${f.kind}:${f.family}`;

describe('exact mode', () => {
	test('every family has exactly its keys, and its bytes are the sum of MEMORY USAGE', async () => {
		const report = await memoryReport(redis, {db: 0});
		assert.equal(report.sampled, false);
		assert.equal(report.cancelled, false);
		assert.deepEqual(report.families.map(label).sort(), [...seeded.keys()].sort());
		let total = 0;
		for (const family of report.families) {
			const keys = seeded.get(label(family))!;
			const bytes = await memoryUsage(redis, keys);
			total += bytes;
			assert.equal(family.keys, keys.length, label(family));
			assert.equal(family.bytes, bytes, label(family));
			assert.equal(family.measuredKeys, keys.length);
			assert.equal(family.estimated, false);
		}
		assert.equal(report.keys, Number(await redis.dbsize()));
		assert.equal(report.bytes, total);
		const session = report.families.find((f) => f.family === 'session')!;
		assert.deepEqual([session.withoutTtl, session.ttlBuckets['<1h']], [0, 200]);
		assert.equal(report.families[0]!.family, 'blob', 'the 2 MB key makes its family the biggest');
		const results = report.families.find((f) => f.kind === 'celery-results')!;
		assert.deepEqual([results.keys, results.withoutTtl, results.ttlBuckets['<1h']], [32, 2, 30]);
	});

	test('flags: results without TTL, the unbound queue, the orphan reply list, the huge key', async () => {
		const report = await memoryReport(redis, {db: 0});
		const flags = report.flags.map((f) => `${f.code}:${f.family ?? f.keys?.join(',')}`).sort();
		assert.deepEqual(flags, [
			'huge-key:blob:big',
			'orphan-reply-lists:3f1c2a9e-0000-4000-8000-000000000001.reply.celery.pidbox',
			'queue-without-binding:lost',
			'results-without-ttl:celery-task-meta',
		]);
	});

	test('--pattern limits the scan to matching keys; binding facts are still looked up', async () => {
		const sessions = await memoryReport(redis, {db: 0, pattern: 'session:*'});
		assert.deepEqual(sessions.families.map(label), ['app:session']);
		assert.equal(sessions.keys, 200);
		assert.equal(sessions.bytes, await memoryUsage(redis, seeded.get('app:session')!));
		const lost = await memoryReport(redis, {db: 0, pattern: 'l*'});
		assert.deepEqual(
			lost.flags.map((f) => f.code),
			['queue-without-binding'],
		);
		const celery = await memoryReport(redis, {db: 0, pattern: 'celery'});
		assert.deepEqual(celery.flags, [], 'the binding outside the pattern was found');
	});
});

describe('sampling mode', () => {
	test('every key is counted, bytes are measured on a sample and scaled, and it says so', async () => {
		const report = await memoryReport(redis, {db: 0, sample: 40});
		assert.equal(report.sampled, true);
		assert.equal(report.sampleSize, 40);
		assert.equal(report.keys, Number(await redis.dbsize()));
		assert.ok(report.measuredKeys < report.keys);
		const session = report.families.find((f) => f.family === 'session')!;
		assert.equal(session.keys, 200);
		assert.equal(session.estimated, true);
		assert.ok(session.measuredKeys >= 20 && session.measuredKeys < 200, String(session.measuredKeys));
		const exact = await memoryUsage(redis, seeded.get('app:session')!);
		assert.ok(Math.abs(session.bytes - exact) / exact < 0.05, `${session.bytes} vs ${exact}`);
		const small = report.families.find((f) => f.kind === 'celery-unacked')!;
		assert.equal(small.estimated, false, 'small families are measured completely');
	});

	test('an aborted scan reports itself cancelled', async () => {
		const controller = new AbortController();
		const report = await memoryReport(redis, {
			db: 0,
			count: 10,
			signal: controller.signal,
			onProgress: () => controller.abort(),
		});
		assert.equal(report.cancelled, true);
		assert.ok(report.keys < 100, String(report.keys));
	});
});
