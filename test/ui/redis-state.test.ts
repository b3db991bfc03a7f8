// The pure parts of the Redis views: job bookkeeping, db switches, family patterns, progress text,
// queue ages that tick, and the job runner (cancel drops late results; progress is throttled).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {FamilyKind} from '../../source/protocol/keyspace.js';
import {RedisJobs} from '../../source/ui/redis/jobs.js';
import {progressLine} from '../../source/ui/redis/model.js';
import {agedQueue} from '../../source/ui/redis/queues-model.js';
import {
	cancelJob,
	familyPattern,
	finishJob,
	idleJob,
	initialRedisState,
	jobProgress,
	startJob,
	switchDb,
	updateJob,
} from '../../source/ui/redis/state.js';
import {waitFor} from '../helpers/wait-for.js';
import {queuesResult, T} from './fake-redis.js';

test('a job takes results of its own run only', () => {
	const started = startJob(idleJob<string>(), 7);
	assert.equal(started.running, true);
	const progress = {scanned: 5, total: 10, calls: 1, done: false};
	assert.equal(jobProgress(started, 6, progress), started, 'progress of an older run is dropped');
	assert.deepEqual(jobProgress(started, 7, progress).progress, progress);
	assert.equal(finishJob(started, 6, 'old', T), started, 'a late result of an older run is dropped');
	const done = finishJob(started, 7, 'new', T);
	assert.deepEqual([done.running, done.result, done.at], [false, 'new', T]);
	assert.deepEqual([cancelJob(started).running, cancelJob(started).cancelled], [false, true]);
	assert.equal(cancelJob(done), done, 'nothing to cancel');
});

test('switching db drops what was read and keeps the settings', () => {
	let state = initialRedisState(0);
	state = {
		...state,
		keys: {...state.keys, pattern: 'session:*', sort: 'ttl'},
		monitor: {run: 3, filter: 'get'},
	};
	state = updateJob(state, 'memory', (job) => finishJob(startJob(job, 1), 1, {} as never, T));
	const switched = switchDb(state, 4);
	assert.equal(switched.db, 4);
	assert.equal(switched.memory.job.result, undefined);
	assert.deepEqual([switched.keys.pattern, switched.keys.sort], ['session:*', 'ttl']);
	assert.deepEqual(switched.monitor, {run: 3, filter: 'get'}, 'MONITOR is server-wide');
	assert.equal(
		updateJob(switched, 'detail', () => idleJob()),
		switched,
		'no detail open: no-op',
	);
});

test('a family gives a SCAN pattern that finds its keys', () => {
	const cases: Array<[FamilyKind, string, string, string]> = [
		['celery-results', 'celery-task-meta', '', 'celery-task-meta-*'],
		['celery-group-results', 'celery-taskset-meta', 'pfx:', 'celery-taskset-meta-*'],
		['celery-queue', 'celery', 'pfx:', 'pfx:celery*'],
		['celery-unacked', 'unacked', '', 'unacked*'],
		['kombu-bindings', '_kombu.binding', '', '_kombu.binding.*'],
		['pidbox-replies', 'reply.celery.pidbox', '', '*.reply.celery.pidbox'],
		['app', 'session', '', 'session*'],
		['app', 'we[ird*', '', 'we\\[ird\\**'],
		['app', '(uuid)', '', '*'],
	];
	for (const [kind, family, prefix, pattern] of cases)
		assert.equal(familyPattern(kind, family, prefix), pattern, `${kind} ${family}`);
});

test('the progress line: a bar against DBSIZE, or an estimate from SCAN calls with MATCH', () => {
	const plain = progressLine({scanned: 500, total: 1000, calls: 2, done: false}, false, 100);
	assert.match(plain, /^█+░+ 50%\s+500 \/ 1,000 keys\s+\(Esc cancels\)$/);
	const matched = progressLine({scanned: 3, total: 1000, calls: 2, done: false}, true, 100);
	assert.match(matched, /~50%\s+3 matched · SCAN 2 calls over 1,000 keys/);
	assert.match(
		progressLine({scanned: 1200, total: 1000, calls: 5, done: false}, false, 100),
		/ 99%/,
		'never 100% before done',
	);
	assert.match(progressLine(undefined, false, 100), /^starting/);
});

test('unacked messages age and count down with the clock, from one read', () => {
	const result = queuesResult(T);
	const celery = result.queues.find((q) => q.queue === 'celery')!;
	const later = agedQueue(celery, T, T + 60);
	assert.equal(later.unackedMessages[0]!.ageSeconds, celery.unackedMessages[0]!.ageSeconds! + 60);
	assert.equal(
		later.unackedMessages[0]!.redeliveryInSeconds,
		celery.unackedMessages[0]!.redeliveryInSeconds! - 60,
	);
	assert.equal(agedQueue(celery, T, T), celery);
});

test('the job runner: a new job of a kind cancels the old one, whose result never arrives', async () => {
	const jobs = new RedisJobs();
	const seen: string[] = [];
	let firstSignal: AbortSignal | undefined;
	let finishFirst!: (value: string) => void;
	jobs.run(
		'memory',
		(signal) => {
			firstSignal = signal;
			return new Promise<string>((resolve) => (finishFirst = resolve));
		},
		{progress: () => {}, done: (r) => seen.push(`first ${r}`), failed: (e) => seen.push(`first failed ${e}`)},
	);
	await waitFor(() => firstSignal !== undefined);
	jobs.run('memory', async () => 'two', {
		progress: () => {},
		done: (r) => seen.push(`second ${r}`),
		failed: () => {},
	});
	assert.equal(firstSignal!.aborted, true);
	finishFirst('one');
	await waitFor(() => seen.length === 1);
	assert.deepEqual(seen, ['second two']);
	jobs.run('queues', async () => Promise.reject(new Error('NOPERM\nmore')), {
		progress: () => {},
		done: () => {},
		failed: (e) => seen.push(`failed ${e}`),
	});
	await waitFor(() => seen.length === 2);
	assert.equal(seen[1], 'failed NOPERM', 'one line');
});

test('the job runner throttles progress but always reports the last', async () => {
	const jobs = new RedisJobs();
	const reported: number[] = [];
	let finished = false;
	jobs.run(
		'keys',
		async (_signal, progress) => {
			for (let i = 1; i <= 1000; i++) progress({scanned: i, total: 1000, calls: i, done: i === 1000});
			return 'ok';
		},
		{progress: (p) => reported.push(p.scanned), done: () => (finished = true), failed: () => {}},
	);
	await waitFor(() => finished);
	assert.ok(reported.length < 10, `throttled: ${reported.length} updates`);
	assert.equal(reported.at(-1), 1000);
	jobs.dispose();
	let started = false;
	jobs.run('keys', async () => ((started = true), 'x'), {
		progress: () => {},
		done: () => {},
		failed: () => {},
	});
	assert.equal(jobs.isRunning('keys'), false, 'nothing starts after dispose (quit)');
	assert.equal(started, false);
});
