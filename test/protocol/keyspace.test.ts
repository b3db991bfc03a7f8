// Every key of the captured keyspaces (fixtures/keys-*.jsonl) lands in the right family; names from
// kombu's binding sets; application prefixes.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	appPrefix,
	classifyKey,
	indexBindings,
	needsPeek,
	parseBindingMember,
	resultKeyPrefix,
	splitPriorityList,
} from '../../source/protocol/keyspace.js';
import {readJsonLines} from '../helpers/fixtures.js';

type KeyLine = {db: number; key: string; type: string; ttl: number; value_sample: unknown};

function bindingsOf(lines: KeyLine[], db: number, prefix = '') {
	return indexBindings(
		lines
			.filter((l) => l.db === db && l.type === 'set')
			.map((l) => ({key: l.key, members: l.value_sample as string[]})),
		prefix,
	);
}

describe('captured keyspaces', () => {
	for (const file of ['keys-while-workers-busy.jsonl', 'keys-after-session.jsonl']) {
		test(`${file}: every key is classified as Celery wrote it`, () => {
			const lines = readJsonLines<KeyLine>(file);
			const seen = new Map<string, number>();
			for (const line of lines) {
				const prefix = line.db === 6 ? 'pfx:' : '';
				const family = classifyKey(line.key, {
					prefix,
					type: line.type,
					knownQueues: bindingsOf(lines, line.db, prefix).queues,
				});
				const label = `${family.kind}:${family.family}`;
				seen.set(label, (seen.get(label) ?? 0) + 1);
				assert.notEqual(family.kind, 'app', `${line.key} is a Celery key`);
			}
			const results = lines.filter((l) => l.key.startsWith('celery-task-meta-')).length;
			assert.equal(seen.get('celery-results:celery-task-meta'), results);
			assert.equal(seen.get('celery-unacked:unacked'), 2);
			assert.equal(seen.get('celery-queue:other'), 1);
			if (file === 'keys-after-session.jsonl') {
				assert.equal(seen.get('celery-queue:tzprobe'), 1);
				assert.equal(seen.get('celery-group-results:celery-taskset-meta'), 1);
				assert.equal(seen.get('kombu-bindings:_kombu.binding'), 5 + 6); // db 0 has 5, dbs 3–8 one each
			}
		});
	}

	test('binding sets name the task queues; celeryev and pidbox bindings are not queues', () => {
		const busy = bindingsOf(readJsonLines<KeyLine>('keys-while-workers-busy.jsonl'), 0);
		assert.deepEqual([...busy.queues].sort(), ['celery', 'other']);
		assert.deepEqual([...busy.exchanges.keys()].sort(), ['celery', 'celery.pidbox', 'celeryev', 'other']);
		assert.deepEqual(
			busy.exchanges.get('celery.pidbox')?.map((m) => m.queue),
			['w1@vm.celery.pidbox', 'w2@vm.celery.pidbox'],
		);
		const prefixed = bindingsOf(readJsonLines<KeyLine>('keys-after-session.jsonl'), 6, 'pfx:');
		assert.deepEqual([...prefixed.queues], ['celery'], 'members are never prefixed');
	});

	test('reply bindings list the reply queues still awaited', () => {
		const index = indexBindings([
			{key: '_kombu.binding.reply.celery.pidbox', members: ['abc\x06\x16\x06\x16abc.reply.celery.pidbox']},
		]);
		assert.deepEqual([...index.replyQueues], ['abc.reply.celery.pidbox']);
		assert.equal(index.queues.size, 0);
	});
});

describe('classifyKey', () => {
	const cases: Array<[string, Parameters<typeof classifyKey>[1], string]> = [
		[
			'celery-task-meta-9c76692d-e75e-4319-becf-4d2696706977',
			{type: 'string'},
			'celery-results:celery-task-meta',
		],
		['celery-task-meta-x', {prefix: 'pfx:'}, 'celery-results:celery-task-meta'],
		// Celery 5.3+ with result_backend_transport_options global_keyprefix (result-backend-5.5.jsonl).
		['pfx:celery-task-meta-x', {prefix: 'pfx:'}, 'celery-results:celery-task-meta'],
		['pfx:celery-taskset-meta-g', {prefix: 'pfx:'}, 'celery-group-results:celery-taskset-meta'],
		['app_celery-task-meta-x', {prefix: 'app'}, 'celery-results:celery-task-meta'],
		['pfx:celery-task-meta-x', {}, 'app:pfx'],
		[
			'celery-taskset-meta-c26398c7-70d2-4317-aa95-cb82d13d5ce7.j',
			{type: 'zset'},
			'celery-group-results:celery-taskset-meta',
		],
		[
			'celery-taskset-meta-c26398c7-70d2-4317-aa95-cb82d13d5ce7.s',
			{},
			'celery-group-results:celery-taskset-meta',
		],
		['celery\x06\x163', {type: 'list'}, 'celery-queue:celery/3'],
		['celery\x06\x169', {}, 'celery-queue:celery/9'],
		['celery\x06\x163', {type: 'string'}, 'app:celery\x06\x163'],
		['celery', {type: 'list'}, 'app:celery'],
		['celery', {type: 'list', knownQueues: new Set(['celery'])}, 'celery-queue:celery/0'],
		['jobs', {type: 'list', holdsMessages: true}, 'celery-queue:jobs/0'],
		['jobs', {type: 'list', holdsMessages: false}, 'app:jobs'],
		['celery', {type: 'string', knownQueues: new Set(['celery'])}, 'app:celery'],
		['unacked_mutex', {type: 'string'}, 'celery-unacked:unacked'],
		['pfx:unacked_index', {prefix: 'pfx:'}, 'celery-unacked:unacked'],
		['unacked', {prefix: 'pfx:'}, 'app:unacked'],
		['pfx:celery\x06\x166', {prefix: 'pfx:', type: 'list'}, 'celery-queue:celery/6'],
		['pfx:_kombu.binding.celery', {prefix: 'pfx:'}, 'kombu-bindings:_kombu.binding'],
		['pfx:session:1', {prefix: 'pfx:'}, 'app:pfx'],
		[
			'0b7c1a8e-6c1e-3d2a-9a0e-5d1b2c3d4e5f.reply.celery.pidbox',
			{type: 'list'},
			'pidbox-replies:reply.celery.pidbox',
		],
		['x.reply.myapp.pidbox', {}, 'pidbox-replies:reply.myapp.pidbox'],
		['session:42', {type: 'string'}, 'app:session'],
	];
	for (const [key, context, expected] of cases) {
		test(`${JSON.stringify(key)} ${JSON.stringify({...context, knownQueues: context?.knownQueues && [...context.knownQueues]})}`, () => {
			const family = classifyKey(key, context);
			const label = `${family.kind}:${family.family}${family.priority === undefined ? '' : `/${family.priority}`}`;
			assert.equal(label, expected);
		});
	}

	test('only unnamed lists need a peek at their tail', () => {
		assert.equal(needsPeek('jobs', {type: 'list'}), true);
		assert.equal(needsPeek('jobs', {type: 'string'}), false);
		assert.equal(needsPeek('celery', {type: 'list', knownQueues: new Set(['celery'])}), false);
		assert.equal(needsPeek('celery\x06\x163', {type: 'list'}), false);
		assert.equal(needsPeek('a.reply.celery.pidbox', {type: 'list'}), false);
	});
});

describe('names', () => {
	test('the result prefix Celery 5.3+ derives from global_keyprefix', () => {
		assert.equal(resultKeyPrefix(''), '');
		for (const prefix of ['pfx:', 'pfx_', 'pfx-', 'pfx.']) assert.equal(resultKeyPrefix(prefix), prefix);
		assert.equal(resultKeyPrefix('app'), 'app_');
		for (const line of readJsonLines<{key: string; kind: string}>('result-backend-5.5.jsonl')) {
			const prefix = line.kind === 'global_keyprefix pfx:' ? 'pfx:' : '';
			assert.equal(classifyKey(line.key, {prefix, type: 'string'}).kind, 'celery-results', line.key);
		}
	});

	test('application prefixes', () => {
		const cases: Array<[string, string]> = [
			['session:abc', 'session'],
			['cache.user.1', 'cache'],
			['rate-limit:ip', 'rate'],
			['counter', 'counter'],
			['0b7c1a8e-6c1e-4d2a-9a0e-5d1b2c3d4e5f:state', '(uuid)'],
			['0b7c1a8e6c1e4d2a9a0e5d1b2c3d4e5f', '(uuid)'],
			['job0b7c1a8e-6c1e-4d2a-9a0e-5d1b2c3d4e5f', 'job'],
			['12345:x', '(number)'],
			[':weird', '(empty)'],
			['user_profile:9', 'user_profile'],
		];
		for (const [key, prefix] of cases) assert.equal(appPrefix(key), prefix, key);
	});

	test('priority sub-list names and binding members', () => {
		assert.deepEqual(splitPriorityList('celery\x06\x163'), ['celery', 3]);
		assert.deepEqual(splitPriorityList('a|b|6', '|'), ['a|b', 6]);
		assert.equal(splitPriorityList('celery'), undefined);
		assert.equal(splitPriorityList('\x06\x163'), undefined);
		assert.deepEqual(parseBindingMember('worker.#\x06\x16\x06\x16celeryev.829e'), {
			routingKey: 'worker.#',
			pattern: '',
			queue: 'celeryev.829e',
		});
		assert.equal(parseBindingMember('no separator'), undefined);
	});
});
