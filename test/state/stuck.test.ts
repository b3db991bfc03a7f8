// When a running task is stuck (past its name's usual runtime) or lost (its worker went), and the
// per-name runtimes that decide it.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {MAX_NAMES, RuntimeStats} from '../../source/state/runtime-stats.js';
import {
	healthOf,
	STUCK_DEFAULT,
	STUCK_FACTOR,
	STUCK_FLOOR,
	STUCK_MIN_SAMPLES,
	stuckThreshold,
} from '../../source/state/stuck.js';
import type {Task} from '../../source/state/types.js';
import {applyWorkerEvent, createWorker} from '../../source/state/worker.js';

const T = 1_795_771_600;

test('the p95 of a name is within one bucket (25 %) above the true p95, never below', () => {
	const stats = new RuntimeStats();
	// 1,000 runs of 0.01 … 10 s: the true p95 is 9.5 s.
	for (let i = 1; i <= 1000; i++) stats.add('report', i / 100);
	const p95 = stats.quantile('report', 0.95)!;
	assert.ok(p95 >= 9.5 && p95 <= 9.5 * 1.25, `p95 ${p95}`);
	assert.equal(stats.count('report'), 1000);
	assert.equal(stats.quantile('unknown', 0.95), undefined);
	stats.add('report', Number.NaN);
	stats.add('report', -1);
	assert.equal(stats.count('report'), 1000, 'not a runtime: not counted');
	for (let i = 0; i < MAX_NAMES + 10; i++) stats.add(`name${i}`, 1);
	assert.equal(stats.count(`name${MAX_NAMES + 5}`), 0, 'names past the cap are not kept');
});

test('threshold: --stuck-after wins; else 5 × p95 (at least the floor) once enough runs were seen; else the default', () => {
	const stats = new RuntimeStats();
	assert.equal(stuckThreshold(stats, 'slow', 42), 42);
	assert.equal(stuckThreshold(stats, 'slow', undefined), STUCK_DEFAULT);
	assert.equal(stuckThreshold(stats, undefined, undefined), STUCK_DEFAULT);
	for (let i = 0; i < STUCK_MIN_SAMPLES - 1; i++) stats.add('slow', 20);
	assert.equal(stuckThreshold(stats, 'slow', undefined), STUCK_DEFAULT, 'too few runs seen');
	stats.add('slow', 20);
	const threshold = stuckThreshold(stats, 'slow', undefined);
	assert.ok(threshold >= STUCK_FACTOR * 20 && threshold <= STUCK_FACTOR * 25, `${threshold}`);
	for (let i = 0; i < 50; i++) stats.add('fast', 0.002);
	assert.equal(stuckThreshold(stats, 'fast', undefined), STUCK_FLOOR, 'milliseconds: the floor');
});

test('health: STARTED past its threshold is stuck; on a worker offline it is lost; other states are ok', () => {
	const worker = createWorker('w1@vm', T);
	applyWorkerEvent(worker, {type: 'worker-online', hostname: 'w1@vm', timestamp: T, freq: 2}, T);
	const task = {state: 'STARTED', started: T - 100} as Task;
	assert.equal(healthOf(task, T, worker, 60), 'stuck');
	assert.equal(healthOf(task, T, worker, 200), 'ok');
	assert.equal(healthOf({...task, state: 'SUCCESS'} as Task, T, worker, 60), 'ok');
	// Its heartbeats stop (kill -9): after 2 × freq it is offline, and the task lost.
	assert.equal(healthOf(task, T + 5, worker, 200), 'lost');
	applyWorkerEvent(worker, {type: 'worker-offline', hostname: 'w1@vm', timestamp: T + 1}, T + 1);
	assert.equal(healthOf(task, T + 1, worker, 200), 'lost', 'worker-offline');
	assert.equal(healthOf(task, T, undefined, 200), 'ok', 'a worker never heard from: not lost');
});
