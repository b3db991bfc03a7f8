// Aggregation of scanned keys into families: counts, bytes, shares, TTLs, biggest keys, flags, and
// the sampled estimate.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {classifyKey, indexBindings} from '../../source/protocol/keyspace.js';
import {MemoryAccumulator, ttlBucket, type ScannedKey} from '../../source/protocol/memory-report.js';
import {readJsonLines} from '../helpers/fixtures.js';

type KeyLine = {db: number; key: string; type: string; ttl: number; value_sample: unknown};

function add(acc: MemoryAccumulator, entry: ScannedKey, holdsMessages?: boolean): void {
	acc.add(entry, classifyKey(entry.key, {type: entry.type, holdsMessages}));
}

describe('MemoryAccumulator', () => {
	test('the captured busy keyspace: families with exact keys, bytes and TTLs', () => {
		const lines = readJsonLines<KeyLine>('keys-while-workers-busy.jsonl');
		const acc = new MemoryAccumulator();
		lines.forEach((line, i) =>
			add(acc, {key: line.key, type: line.type, ttl: line.ttl, bytes: 100 + i}, line.type === 'list'),
		);
		const sets = lines
			.filter((l) => l.type === 'set')
			.map((l) => ({key: l.key, members: l.value_sample as string[]}));
		const report = acc.report(0, {bindings: indexBindings(sets)});
		const byFamily = Object.fromEntries(report.families.map((f) => [f.family, f]));
		assert.equal(report.keys, lines.length);
		assert.equal(
			report.bytes,
			lines.reduce((sum, _l, i) => sum + 100 + i, 0),
		);
		assert.equal(report.sampled, false);
		assert.equal(byFamily['celery-task-meta']!.keys, 20);
		assert.equal(byFamily['celery-task-meta']!.kind, 'celery-results');
		assert.equal(byFamily['celery-task-meta']!.withoutTtl, 0);
		assert.deepEqual(byFamily['celery-task-meta']!.ttlBuckets, {
			none: 0,
			'<1m': 5,
			'<1h': 15,
			'<1d': 0,
			'<7d': 0,
			'>=7d': 0,
		});
		assert.equal(byFamily['_kombu.binding']!.keys, 4);
		assert.equal(byFamily['unacked']!.keys, 2);
		assert.deepEqual(byFamily['unacked']!.types, {hash: 1, zset: 1});
		assert.equal(byFamily['other']!.kind, 'celery-queue');
		assert.equal(report.families[0]!.family, 'celery-task-meta', 'biggest family first');
		const shares = report.families.reduce((sum, f) => sum + f.share, 0);
		assert.ok(Math.abs(shares - 1) < 1e-9);
		assert.deepEqual(report.flags, [], 'a healthy keyspace raises no flag');
	});

	test('biggest keys per family, biggest first, at most N', () => {
		const acc = new MemoryAccumulator({biggest: 3});
		for (const [i, bytes] of [50, 10, 70, 30, 90, 20].entries())
			add(acc, {key: `session:${i}`, type: 'string', ttl: 100, bytes});
		const [family] = acc.report(0).families;
		assert.deepEqual(
			family!.biggest.map((b) => [b.key, b.bytes]),
			[
				['session:4', 90],
				['session:2', 70],
				['session:0', 50],
			],
		);
	});

	test('flags: results without TTL, orphan reply lists, a queue with no binding, huge keys', () => {
		const acc = new MemoryAccumulator({hugeKeyBytes: 1000});
		add(acc, {key: 'celery-task-meta-a', type: 'string', ttl: -1, bytes: 200});
		add(acc, {key: 'celery-task-meta-b', type: 'string', ttl: 30, bytes: 200});
		add(acc, {key: 'awaited.reply.celery.pidbox', type: 'list', ttl: -1, bytes: 90});
		add(acc, {key: 'gone.reply.celery.pidbox', type: 'list', ttl: -1, bytes: 90});
		add(acc, {key: 'celery', type: 'list', ttl: -1, bytes: 5000}, true);
		add(acc, {key: 'lost', type: 'list', ttl: -1, bytes: 500}, true);
		const bindings = indexBindings([
			{key: '_kombu.binding.celery', members: ['celery\x06\x16\x06\x16celery']},
			{
				key: '_kombu.binding.reply.celery.pidbox',
				members: ['awaited.reply.celery.pidbox\x06\x16\x06\x16awaited.reply.celery.pidbox'],
			},
		]);
		const flags = acc.report(0, {bindings}).flags;
		assert.deepEqual(
			flags.map((f) => [f.code, f.family ?? f.keys?.join(',')]),
			[
				['queue-without-binding', 'lost'],
				['results-without-ttl', 'celery-task-meta'],
				['orphan-reply-lists', 'gone.reply.celery.pidbox'],
				['huge-key', 'celery'],
			],
		);
		assert.match(flags[1]!.message, /1 of 2 celery-task-meta/);
		const unknownBindings = acc.report(0).flags.map((f) => f.code);
		assert.deepEqual(
			unknownBindings,
			['results-without-ttl', 'huge-key'],
			'no binding facts, no binding flags',
		);
	});

	test('sampling: every key counted, bytes scaled per family, labelled estimated', () => {
		const acc = new MemoryAccumulator();
		for (let i = 0; i < 100; i++)
			add(acc, {key: `cache:${i}`, type: 'string', ttl: -1, bytes: i % 10 === 0 ? 400 : undefined});
		for (let i = 0; i < 3; i++) add(acc, {key: `lock:${i}`, type: 'string', ttl: 5, bytes: 60});
		const report = acc.report(2);
		assert.equal(report.sampled, true);
		assert.equal(report.keys, 103);
		assert.equal(report.measuredKeys, 13);
		const cache = report.families.find((f) => f.family === 'cache')!;
		assert.deepEqual(
			[cache.keys, cache.measuredKeys, cache.bytes, cache.estimated, cache.withoutTtl],
			[100, 10, 40_000, true, 100],
		);
		const lock = report.families.find((f) => f.family === 'lock')!;
		assert.deepEqual([lock.bytes, lock.estimated], [180, false]);
		assert.equal(report.bytes, 40_180);
	});

	test('application families past the cap are counted under (other)', () => {
		const acc = new MemoryAccumulator({maxAppFamilies: 2});
		for (const key of ['a:1', 'b:1', 'c:1', 'd:1', 'a:2', 'celery-task-meta-x'])
			add(acc, {key, type: 'string', ttl: -1, bytes: 1});
		const report = acc.report(0);
		assert.deepEqual(report.families.map((f) => `${f.family}=${f.keys}`).sort(), [
			'(other)=2',
			'a=2',
			'b=1',
			'celery-task-meta=1',
		]);
		assert.ok(report.flags.some((f) => f.code === 'families-capped'));
	});

	test('TTL buckets', () => {
		assert.deepEqual([-1, 0, 59, 60, 3599, 3600, 86_399, 86_400, 604_800].map(ttlBucket), [
			'none',
			'<1m',
			'<1m',
			'<1h',
			'<1h',
			'<1d',
			'<1d',
			'<7d',
			'>=7d',
		]);
	});
});
