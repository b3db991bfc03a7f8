// View models for the Redis screens: what the TUI and the human CLI output show.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {describeKeyValue} from '../../source/present/key-detail.js';
import {formatBytes, formatSeconds, formatTtl, sparkline} from '../../source/present/redis-format.js';
import {
	formatMonitorRecord,
	memoryHeadline,
	memoryRows,
	monitorLines,
	overviewLines,
	queueMessageRows,
	queueRows,
	sortKeys,
} from '../../source/present/redis-view.js';
import type {KeyValue} from '../../source/protocol/key-detail.js';
import {classifyKey} from '../../source/protocol/keyspace.js';
import {MemoryAccumulator} from '../../source/protocol/memory-report.js';
import {buildQueueReports} from '../../source/protocol/queue-report.js';
import {parseInfo, redisWarnings, watchedFigures} from '../../source/protocol/redis-info.js';
import {fixturePath, readJsonLines} from '../helpers/fixtures.js';

describe('formatting', () => {
	test('bytes, seconds, TTLs, sparklines', () => {
		assert.deepEqual(
			[0, 1023, 1536, 10 * 1024 * 1024, 3.5 * 1024 ** 3].map((b) => formatBytes(b)),
			['0 B', '1023 B', '1.5 KB', '10 MB', '3.5 GB'],
		);
		assert.deepEqual(
			[5, 65, 3700, 90_000, -30].map((s) => formatSeconds(s)),
			['5s', '1m 5s', '1h 1m', '1d 1h', '-30s'],
		);
		assert.deepEqual([-1, -2, 59].map(formatTtl), ['none', 'gone', '59s']);
		assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), '▁▂▃▄▅▆▇█');
		assert.equal(sparkline([5, 5, 5]), '▁▁▁');
		assert.equal(sparkline([1, 2, 3, 4], 2), '▁█');
		assert.equal(sparkline([]), '');
	});
});

describe('overview', () => {
	test('every watched figure has a labelled line; warnings come last with their level', () => {
		const figures = watchedFigures(parseInfo(readFileSync(fixturePath('redis-info-7.0.txt'), 'utf8')));
		const sample = {figures, dbsize: 4, rates: {expiredPerSec: 0, evictedPerSec: 0}};
		const lines = overviewLines(
			{...sample, history: [sample, {...sample, dbsize: 9}], warnings: redisWarnings(figures), db: 0},
			1_795_776_700,
		);
		const byLabel = Object.fromEntries(lines.map((l) => [l.label, l]));
		assert.match(byLabel['server']!.value, /redis 7\.0\.15 standalone role master/);
		assert.match(byLabel['memory']!.value, /1\.2 MB of 10 MB \(12%\), peak 1\.2 MB, rss 12 MB, frag 11\.55/);
		assert.equal(byLabel['policy']!.tone, 'warning');
		assert.match(byLabel['clients']!.value, /3 connected, 1 blocked/);
		assert.match(byLabel['hit ratio']!.value, /33\.3% \(1 hits, 2 misses\)/);
		assert.equal(byLabel['dbsize']!.spark, '▁█');
		assert.match(byLabel['keyspace']!.value, /db0 4 keys \(1 with TTL\), db3 1 keys/);
		assert.match(byLabel['persistence']!.value, /rdb ok, last save 58s ago/);
		assert.equal(lines.at(-1)!.label, 'warning');
		assert.match(lines.at(-1)!.value, /allkeys-lru may evict Celery queues/);
	});
});

describe('overview of Redis 8 and Valkey 8', () => {
	test('the server line says which server answered, with its own version', () => {
		const server = (fixture: string) => {
			const figures = watchedFigures(parseInfo(readFileSync(fixturePath(fixture), 'utf8')));
			const sample = {figures, dbsize: 2, rates: {expiredPerSec: 0, evictedPerSec: 0}};
			const lines = overviewLines({...sample, warnings: [], db: 0}, 1_796_653_300);
			return lines.find((l) => l.label === 'server')!.value;
		};
		assert.match(server('redis-info-8.0.txt'), /^redis 8\.0\.2 standalone role master, up /);
		assert.match(
			server('valkey-info-8.1.txt'),
			/^valkey 8\.1\.1 \(redis 7\.2\.4 compatible\) standalone role master, up /,
		);
	});
});

describe('memory and keys', () => {
	const acc = new MemoryAccumulator();
	acc.add({key: 'session:\x1b[31mred', type: 'string', ttl: 10, bytes: 3000}, classifyKey('session:x'));
	acc.add(
		{key: 'celery-task-meta-1', type: 'string', ttl: -1, bytes: 500},
		classifyKey('celery-task-meta-1'),
	);
	acc.add({key: 'cache:1', type: 'string', ttl: -1, bytes: undefined}, classifyKey('cache:1'));
	acc.add({key: 'cache:2', type: 'string', ttl: -1, bytes: 100}, classifyKey('cache:2'));
	const report = acc.report(0);

	test('rows are sanitized, estimates marked with ~, biggest key named', () => {
		const rows = memoryRows(report);
		assert.deepEqual(
			rows.map((r) => [r.family, r.kind, r.keys, r.bytes, r.share, r.withoutTtl, r.ttls]),
			[
				['session', 'app', '1', '2.9 KB', '81.1%', '0', '<1m:1'],
				['celery-task-meta', 'celery-results', '1', '500 B', '13.5%', '1', 'none:1'],
				['cache', 'app', '2', '~200 B', '5.4%', '2', 'none:2'],
			],
		);
		assert.equal(rows[0]!.biggest, 'session:\\x1b[31mred (2.9 KB)');
		assert.match(memoryHeadline(report), /db 0: 4 keys, ~3\.6 KB; bytes ESTIMATED from 3 measured keys/);
	});

	test('key browser sort orders', () => {
		const keys = [
			{key: 'b', type: 'string', ttl: -1, bytes: 10},
			{key: 'a', type: 'string', ttl: 50, bytes: 30},
			{key: 'c', type: 'hash', ttl: 5, bytes: undefined},
		];
		assert.deepEqual(
			sortKeys(keys, 'bytes').map((k) => k.key),
			['a', 'b', 'c'],
		);
		assert.deepEqual(
			sortKeys(keys, 'ttl').map((k) => k.key),
			['c', 'a', 'b'],
		);
		assert.deepEqual(
			sortKeys(keys, 'key').map((k) => k.key),
			['a', 'b', 'c'],
		);
	});
});

describe('queues and MONITOR', () => {
	const lines = readJsonLines<{key: string; field?: string; data?: string; note: string}>(
		'task-messages.jsonl',
	);
	const unacked = lines.find((l) => l.key === 'unacked')!;
	const takenAt = 1795771596.630832;
	const reports = buildQueueReports(
		[
			{
				queue: 'celery',
				bound: true,
				lists: [
					{key: 'celery', priority: 0, length: 12, tail: [lines[0]!.data!]},
					{key: 'celery\x06\x163', priority: 3, length: 2, tail: []},
				],
			},
		],
		[{tag: unacked.field!, value: unacked.data!, takenAt}],
		{now: takenAt + 125},
	);

	test('one row per queue with priorities, unacked and the next task', () => {
		assert.deepEqual(queueRows(reports), [
			{
				queue: 'celery',
				messages: '14',
				priorities: 'p0:12 p3:2',
				unacked: '1',
				oldestUnacked: '2m 5s',
				next: 'app.add(1, 1)',
				warning: '',
			},
		]);
	});

	test('message rows: next and unacked with age and countdown', () => {
		const {next, unacked: held} = queueMessageRows(reports[0]!, takenAt + 125);
		assert.equal(next[0]!.task, 'app.add');
		assert.equal(next[0]!.position, '#1');
		assert.equal(held[0]!.task, 'app.add');
		assert.equal(held[0]!.detail, 'age 2m 5s, redelivery in 57m 55s');
	});

	test('MONITOR lines filtered, newest first, inert', () => {
		const records = [
			{time: 1, db: 0, client: 'a:1', command: 'GET', args: ['k\x1b']},
			{time: 2, db: 0, client: 'a:1', command: 'BRPOP', args: ['celery']},
		];
		assert.deepEqual(monitorLines(records, 'get', 10), ['00:00:01.000000 [0 a:1] GET "k\\u001b"']);
		assert.equal(monitorLines(records, '', 1).length, 1);
	});

	test('a readable MONITOR line in UTC with microseconds', () => {
		const record = {
			time: 1795771581.536939,
			db: 0,
			client: '127.0.0.1:1',
			command: 'LLEN',
			args: ['celery\x06\x163'],
		};
		assert.equal(formatMonitorRecord(record), '09:26:21.536939 [0 127.0.0.1:1] LLEN "celery\\u0006\\u00163"');
	});
});

describe('key detail', () => {
	const base = {ttl: 250, bytes: 300, truncated: false};
	const results = readJsonLines<{key: string; data?: string; kind: string | null; command: string}>(
		'result-backend.jsonl',
	);

	test('a FAILURE result: status, exception, traceback tail, TTL', () => {
		const failure = results.find((r) => r.kind === 'FAILURE')!;
		const value: KeyValue = {
			...base,
			key: failure.key,
			type: 'string',
			size: failure.data!.length,
			kind: 'string',
			value: failure.data!,
		};
		const view = describeKeyValue(value, {now: Date.UTC(2026, 10, 27, 9, 30) / 1000});
		assert.equal(view.family.kind, 'celery-results');
		const items = Object.fromEntries(view.items.filter((l) => l.label).map((l) => [l.label, l]));
		assert.deepEqual([items['status']!.value, items['status']!.tone], ['FAILURE', 'error']);
		assert.equal(items['result']!.value, 'ValueError: boom');
		assert.match(items['date_done']!.value, /ago\)$/);
		assert.ok(view.items.some((l) => /ValueError: boom/.test(l.value) && l.tone === 'dim'));
		assert.deepEqual(
			view.summary.find((l) => l.label === 'ttl'),
			{label: 'ttl', value: '4m 10s'},
		);
	});

	test('a result_extended result (Celery 5.5) shows the task name, args, worker and queue', () => {
		const line = readJsonLines<{key: string; data: string; kind: string}>('result-backend-5.5.jsonl').find(
			(r) => r.kind === 'extended',
		)!;
		const value: KeyValue = {
			...base,
			key: line.key,
			type: 'string',
			size: line.data.length,
			kind: 'string',
			value: line.data,
		};
		const view = describeKeyValue(value, {now: 1_796_653_300});
		const items = Object.fromEntries(view.items.filter((l) => l.label).map((l) => [l.label, l.value]));
		assert.equal(items['name'], 'demo.add');
		assert.equal(items['args'], '[2,3]');
		assert.match(items['worker']!, /^extended@/);
		assert.equal(items['queue'], 'celery');
		assert.equal(items['retries'], '0');
		const plain = readJsonLines<{key: string; data: string; kind: string}>('result-backend-5.5.jsonl').find(
			(r) => r.kind === 'plain',
		)!;
		const plainView = describeKeyValue({...value, key: plain.key, value: plain.data}, {now: 1_796_653_300});
		assert.ok(!plainView.items.some((l) => l.label === 'worker' || l.label === 'name'));
	});

	test('the unacked hash and index, binding sets, queue lists', () => {
		const message = readJsonLines<{key: string; field?: string; data?: string}>('task-messages.jsonl');
		const unacked = message.find((m) => m.key === 'unacked')!;
		const now = 1795771596.630832 + 60;
		const hash = describeKeyValue(
			{
				...base,
				key: 'unacked',
				type: 'hash',
				size: 1,
				kind: 'hash',
				entries: [[unacked.field!, unacked.data!]],
			},
			{now},
		);
		assert.match(
			hash.items[0]!.value,
			/^→ celery {2}app\.add\[76c96a5f-3ac8-4c5d-8197-632e73766355\] args=\(2, 3\) kwargs=\{\}/,
		);
		const index = describeKeyValue(
			{
				...base,
				key: 'unacked_index',
				type: 'zset',
				size: 1,
				kind: 'zset',
				entries: [[unacked.field!, 1795771596.630832]],
			},
			{now},
		);
		assert.equal(index.items[0]!.value, 'taken 1m 0s ago, redelivery in 59m 0s');
		assert.equal(index.items[0]!.label, unacked.field!.slice(0, 8), 'the tag fits the 12-column label');
		assert.ok(hash.items[0]!.label.length < 12, 'a label shorter than its column: never glued to "→"');
		const binding = describeKeyValue(
			{
				...base,
				key: '_kombu.binding.celery',
				type: 'set',
				size: 1,
				kind: 'set',
				members: ['celery\x06\x16\x06\x16celery'],
			},
			{now},
		);
		assert.deepEqual(binding.items[0], {label: 'celery', value: 'routing_key="celery" pattern=""'});
		const list = describeKeyValue(
			{
				...base,
				key: 'celery',
				type: 'list',
				size: 2,
				kind: 'list',
				items: [message[1]!.data!, message[0]!.data!],
			},
			{now},
		);
		assert.equal(list.family.kind, 'celery-queue');
		assert.match(list.items[0]!.value, /^app\.add\[09fae383/, 'the tail (next to run) first');
		const plain = describeKeyValue(
			{...base, key: 'x', type: 'list', size: 1, kind: 'list', items: ['\x1b[2Jhi']},
			{now},
		);
		assert.deepEqual(plain.items, [{label: '#1', value: '\\x1b[2Jhi'}]);
	});

	test('an ETA or a redelivery in the past is said so, never as a negative countdown', () => {
		const message = readJsonLines<{key: string; field?: string; data?: string}>('task-messages.jsonl');
		const eta = 1795771611.542645;
		const list = (now: number) =>
			describeKeyValue(
				{...base, key: 'celery', type: 'list', size: 1, kind: 'list', items: [message[1]!.data!]},
				{now},
			).items[0]!.value;
		assert.match(list(eta - 5), / eta in 5s$/);
		assert.match(list(eta + 2), / eta passed 2s ago$/);
		const unacked = message.find((m) => m.key === 'unacked')!;
		const index = describeKeyValue(
			{
				...base,
				key: 'unacked_index',
				type: 'zset',
				size: 1,
				kind: 'zset',
				entries: [[unacked.field!, 1000]],
			},
			{now: 1000 + 3600 + 65, visibilityTimeout: 3600},
		);
		assert.equal(index.items[0]!.value, 'taken 1h 1m ago, redelivery overdue by 1m 5s');
		assert.equal(index.items[0]!.tone, 'warning');
		for (const now of [eta + 2, 500]) {
			const text = [list(now), ...index.items.map((l) => l.value)].join(' ');
			assert.doesNotMatch(text, /(^|\s)-\d/, `no negative duration at ${now}`);
		}
	});
});
