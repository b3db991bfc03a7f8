// A worker's stats and active_queues replies read into WorkerInfo (present/worker-info.ts): the
// replies captured from Celery 5.2.6 workers (fixtures/control-decoded.jsonl), the shapes other pools
// and Celery ≥ 5.3 send, and hostile input, which gives undefined fields and never throws.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
	QUEUES_KEPT,
	formatPool,
	formatPrefetch,
	formatQueues,
	formatUtilisation,
	parseActiveQueues,
	parseStats,
	utilisation,
	workerInfoFrom,
} from '../../source/present/worker-info.js';
import {readJsonLines} from '../helpers/fixtures.js';

type Step = {step: string; replies: Array<{body: Record<string, unknown>}>};
const steps = new Map(readJsonLines<Step>('control-decoded.jsonl').map((step) => [step.step, step]));

function replyOf(name: string, host: string): unknown {
	for (const reply of steps.get(name)?.replies ?? []) if (host in reply.body) return reply.body[host];
	assert.fail(`fixture ${name} has no reply from ${host}`);
}

test('a real prefork worker (Celery 5.2.6, -c 2): prefork 2, its prefetch, queue celery', () => {
	const info = workerInfoFrom(
		replyOf('inspect_stats', 'w1@vm'),
		replyOf('inspect_active_queues', 'w1@vm'),
		1000,
	);
	assert.deepEqual(info, {
		implementation: 'prefork', // 5.2.6 sends no 'implementation': known by its 'writes' field
		concurrency: 2,
		processes: 2,
		maxConcurrency: 2,
		autoscale: undefined,
		prefetch: 9, // the QoS value as sent: 2 × 4, raised by one while it held an ETA task
		queues: ['celery'],
		askedAt: 1000,
	});
	assert.equal(formatPool(info), 'prefork 2');
	assert.equal(formatUtilisation(1, info), '1/2');
	assert.equal(formatPrefetch(info), '9');
	assert.equal(formatQueues(info), 'celery');
});

test('Celery ≥ 5.3 names the pool class; a grown prefork pool counts its processes', () => {
	const stats = {
		pool: {
			implementation: 'celery.concurrency.prefork:TaskPool',
			'max-concurrency': 2,
			processes: [11, 12, 13],
		},
		prefetch_count: 12,
	};
	const info = parseStats(stats);
	assert.equal(info.implementation, 'prefork');
	assert.equal(info.concurrency, 3, 'len(processes), not max-concurrency, after pool_grow');
	assert.equal(info.maxConcurrency, 2);
	assert.equal(info.prefetch, 12);
});

test('other pools: threads, solo, eventlet, gevent, autoscale, a custom class', () => {
	const threads = parseStats({
		pool: {implementation: 'celery.concurrency.thread:TaskPool', 'max-concurrency': 8, threads: 0},
	});
	assert.deepEqual([threads.implementation, threads.concurrency], ['threads', 8]);
	const oldThreads = parseStats({pool: {'max-concurrency': 8, threads: 3}});
	assert.deepEqual([oldThreads.implementation, oldThreads.concurrency], ['threads', 8]);
	const solo = parseStats({
		pool: {'max-concurrency': 1, processes: [42], 'put-guarded-by-semaphore': true, timeouts: []},
	});
	assert.deepEqual([solo.implementation, solo.concurrency], ['solo', 1]);
	const soloNamed = parseStats({
		pool: {implementation: 'celery.concurrency.solo:TaskPool', 'max-concurrency': 1, processes: [42]},
	});
	assert.equal(formatPool({...soloNamed, queues: undefined, askedAt: 0}), 'solo 1');
	const eventlet = parseStats({pool: {'max-concurrency': 1000, 'free-threads': 990, 'running-threads': 10}});
	assert.deepEqual([eventlet.implementation, eventlet.concurrency], ['eventlet', 1000]);
	const gevent = parseStats({
		pool: {implementation: 'celery.concurrency.gevent:TaskPool', 'max-concurrency': 500},
	});
	assert.equal(gevent.implementation, 'gevent');
	const scaled = parseStats({
		pool: {'max-concurrency': 10, processes: [1, 2], writes: {}},
		autoscaler: {max: 10, min: 2, current: 4, qty: 0},
		prefetch_count: 16,
	});
	assert.deepEqual([scaled.concurrency, scaled.autoscale], [4, {min: 2, max: 10}]);
	assert.equal(formatPool({...scaled, queues: undefined, askedAt: 0}), 'prefork 4 (2-10)');
	const custom = parseStats({pool: {implementation: 'myco.pools:FastPool', 'max-concurrency': 3}});
	assert.equal(custom.implementation, 'pools');
});

test('prefetch 0 is no limit; queues: several, none, and not known', () => {
	const base = workerInfoFrom({pool: {}, prefetch_count: 0}, [{name: 'high'}, {name: 'celery'}], 1);
	assert.equal(formatPrefetch(base), 'no limit');
	assert.equal(formatQueues(base), 'high,celery');
	assert.equal(formatQueues(workerInfoFrom({pool: {}}, [], 1)), '-');
	assert.equal(formatQueues(workerInfoFrom({pool: {}}, undefined, 1)), '');
	assert.equal(formatPool(undefined), '');
	assert.equal(formatUtilisation(undefined, base), '');
	assert.equal(formatUtilisation(3, undefined), '3', 'the active count alone until the pool is known');
	assert.equal(utilisation(2, workerInfoFrom({pool: {'max-concurrency': 4}}, [], 1)), 0.5);
	assert.equal(utilisation(2, workerInfoFrom({pool: {'max-concurrency': 0}}, [], 1)), undefined);
});

test('a reply that did not come keeps what the last one said', () => {
	const first = workerInfoFrom(
		replyOf('inspect_stats', 'w2@vm'),
		replyOf('inspect_active_queues', 'w2@vm'),
		1,
	);
	const lost = workerInfoFrom(undefined, undefined, 2, first);
	assert.deepEqual({...lost, askedAt: 1}, first);
	assert.equal(lost.askedAt, 2);
	const errorReply = workerInfoFrom({error: "KeyError('stats')"}, 'nope', 3, first);
	assert.equal(errorReply.concurrency, 2, 'an error reply is no answer');
	assert.deepEqual(errorReply.queues, ['celery']);
	const fresh = workerInfoFrom({pool: {'max-concurrency': 5}}, [{name: 'q'}], 4, first);
	assert.deepEqual([fresh.concurrency, fresh.prefetch, fresh.queues], [5, undefined, ['q']]);
});

test('hostile fields are undefined, never a throw', () => {
	const hostile: unknown[] = [
		null,
		undefined,
		42,
		'stats',
		[],
		{pool: null},
		{pool: 'N/A', prefetch_count: 'N/A'},
		{pool: {'max-concurrency': -1, processes: 'many', implementation: 7}, prefetch_count: 1.5},
		{pool: {'max-concurrency': Number.NaN, processes: {length: 3}}, prefetch_count: 1e12},
		{pool: {'max-concurrency': '4', implementation: '   '}, autoscaler: {max: 'x', min: 1}},
		{pool: Object.create(null), prefetch_count: Infinity},
	];
	for (const stats of hostile) {
		const info = workerInfoFrom(stats, stats, 0);
		assert.equal(info.concurrency, undefined, JSON.stringify(stats) ?? String(stats));
		assert.equal(info.prefetch, undefined);
		assert.equal(info.implementation, undefined);
		assert.equal(info.autoscale, undefined);
	}
	assert.deepEqual(
		parseActiveQueues([null, 3, 'celery', {name: 5}, {name: ''}, {name: 'ok'}, [{name: 'nested'}]]),
		['ok'],
	);
	const many = parseActiveQueues(Array.from({length: 1000}, (_, i) => ({name: `q${i}`})));
	assert.equal(many?.length, QUEUES_KEPT);
	const long = parseActiveQueues([{name: 'x'.repeat(10_000)}]);
	assert.equal(long?.[0]?.length, 200);
	fc.assert(
		fc.property(fc.anything(), fc.anything(), (stats, queues) => {
			const info = workerInfoFrom(stats, queues, 0);
			for (const text of [
				formatPool(info),
				formatPrefetch(info),
				formatQueues(info),
				formatUtilisation(1, info),
			])
				assert.equal(typeof text, 'string');
			assert.ok(info.concurrency === undefined || Number.isInteger(info.concurrency));
		}),
		{numRuns: 500},
	);
});
