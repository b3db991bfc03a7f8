import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {argsText} from '../../source/protocol/events.js';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {isStale, stateForEventType} from '../../source/protocol/task-states.js';
import {plainTask} from '../../source/state/task-plain.js';
import {
	TIMELINE_CAP,
	applyTaskEvent,
	copyTask,
	createTask,
	type TaskRecord,
} from '../../source/state/task.js';
import type {Task, TimelineEntry} from '../../source/state/types.js';
import {capturedEvents} from '../helpers/fixtures.js';
import {scenario, scenarioEvents} from '../helpers/state-scenarios.js';

const captured = capturedEvents();
const eventsOf = (uuid: string): CeleryEvent[] =>
	captured.filter(({event}) => event['uuid'] === uuid).map(({event}) => event);
const ofType = (events: CeleryEvent[], type: string, index = 0): CeleryEvent =>
	events.filter((e) => e.type === type)[index]!;

function replay(uuid: string, events: CeleryEvent[]): TaskRecord {
	const task = createTask(uuid, 0);
	events.forEach((event, i) => applyTaskEvent(task, event, 100 + i));
	return task;
}

// A plain task from the capture: sent, received, started, succeeded.
const plainId = '76c96a5f-3ac8-4c5d-8197-632e73766355';
const plain = eventsOf(plainId);
// The retried task of docs/WIRE.md §4.3 (retries twice, then fails).
const retryId = 'b87c9ac9-4b8e-4a50-8450-709a25dea8af';

describe('applyTaskEvent', () => {
	test('a normal life cycle from the capture: fields, worker, client, stage times', () => {
		assert.deepEqual(
			plain.map((e) => e.type),
			['task-sent', 'task-received', 'task-started', 'task-succeeded'],
		);
		const task = replay(plainId, plain);
		const succeeded = ofType(plain, 'task-succeeded');
		assert.equal(task.state, 'SUCCESS');
		assert.equal(task.name, 'app.add');
		assert.equal(task.args, '(2, 3)');
		assert.equal(task.kwargs, '{}');
		assert.equal(task.result, succeeded['result']);
		assert.equal(task.runtime, succeeded['runtime']);
		assert.equal(task.client, 'gen6677@vm');
		assert.equal(task.worker, ofType(plain, 'task-received').hostname);
		assert.equal(task.rootId, plainId);
		assert.equal(task.parentId, null);
		assert.equal(task.sent, ofType(plain, 'task-sent').timestamp);
		assert.equal(task.received, ofType(plain, 'task-received').timestamp);
		assert.equal(task.started, ofType(plain, 'task-started').timestamp);
		assert.equal(task.succeeded, succeeded.timestamp);
		assert.equal(task.timestamp, succeeded.timestamp);
		assert.equal(task.clock, succeeded['clock']);
		assert.equal(task.lastSeen, 103);
		assert.deepEqual(
			task.timeline.map((entry) => entry.type),
			plain.map((e) => e.type),
		);
	});

	test('task-started after task-succeeded stays SUCCESS but its stage time is stored', () => {
		const [sent, received, started, succeeded] = plain;
		const task = replay(plainId, [sent!, received!, succeeded!, started!]);
		assert.equal(task.state, 'SUCCESS');
		assert.equal(task.started, started!.timestamp);
		assert.equal(task.result, succeeded!['result']);
		// Celery's quirk: the late event still overwrites timestamp and clock.
		assert.equal(task.timestamp, started!.timestamp);
		assert.equal(task.clock, started!['clock']);
	});

	test('the observed retry sequence of §4.3 ends FAILURE with retries=2', () => {
		const events = eventsOf(retryId);
		assert.deepEqual(
			events.map((e) => e.type.slice(5)),
			[
				'sent',
				'received',
				'started',
				'sent',
				'received',
				'retried',
				'started',
				'sent',
				'received',
				'retried',
				'started',
				'failed',
			],
		);
		const task = createTask(retryId, 0);
		const states = events.map((event, i) => (applyTaskEvent(task, event, i), task.state));
		assert.deepEqual(states, [
			'PENDING',
			'RECEIVED',
			'STARTED',
			'STARTED',
			'STARTED',
			'RETRY',
			'STARTED',
			'STARTED',
			'STARTED',
			'RETRY',
			'STARTED',
			'FAILURE',
		]);
		assert.equal(task.retries, 2);
		assert.equal(task.exception, ofType(events, 'task-failed')['exception']);
		assert.equal(task.worker, 'w2@vm');
		assert.equal(task.client, 'gen7449@vm'); // the pool child that re-sent it
		assert.equal(task.retried, ofType(events, 'task-retried', 1).timestamp);
	});

	test('revoked with no received (expired at receipt): PENDING → REVOKED', () => {
		const events = eventsOf('09fae383-1252-49e2-bf45-931da196e100');
		assert.deepEqual(
			events.map((e) => e.type),
			['task-sent', 'task-revoked'],
		);
		const task = replay('09fae383-1252-49e2-bf45-931da196e100', events);
		assert.equal(task.state, 'REVOKED');
		assert.equal(task.received, undefined);
		assert.equal(task.expired, true);
		assert.equal(task.terminated, false);
		assert.equal(task.signum, null);
	});

	test('a terminated task keeps terminated and signum', () => {
		const id = '452cde7e-c28c-4097-854e-7ffc76a9c5d5';
		const task = replay(id, eventsOf(id));
		assert.equal(task.state, 'REVOKED');
		assert.equal(task.terminated, true);
		assert.equal(task.signum, 15);
	});

	test('a late task-received fills only name, args, kwargs, … and leaves state, timestamp and clock', () => {
		const [sent, received, started, succeeded] = plain;
		const task = replay(plainId, [started!, succeeded!]);
		assert.equal(task.name, undefined);
		applyTaskEvent(task, {...received!, result: 'bogus', runtime: 99, exception: 'X'} as CeleryEvent, 200);
		assert.equal(task.state, 'SUCCESS');
		assert.equal(task.name, 'app.add');
		assert.equal(task.args, '(2, 3)');
		assert.equal(task.retries, 0);
		assert.equal(task.received, received!.timestamp);
		assert.equal(task.result, succeeded!['result']);
		assert.equal(task.runtime, succeeded!['runtime']);
		assert.equal(task.exception, undefined);
		assert.equal(task.timestamp, succeeded!.timestamp);
		assert.equal(task.clock, succeeded!['clock']);
		// A late task-sent is not restricted: it merges everything but state.
		applyTaskEvent(task, sent!, 201);
		assert.equal(task.state, 'SUCCESS');
		assert.equal(task.timestamp, sent!.timestamp);
		assert.equal(task.client, 'gen6677@vm');
	});

	test('REVOKED can still become SUCCESS; a custom state ranks above STARTED', () => {
		const base = {hostname: 'w1@vm', uuid: 'u'};
		const task = createTask('u', 0);
		applyTaskEvent(task, {...base, type: 'task-revoked', timestamp: 1}, 1);
		applyTaskEvent(task, {...base, type: 'task-succeeded', timestamp: 2}, 2);
		assert.equal(task.state, 'SUCCESS');
		const custom = createTask('c', 0);
		applyTaskEvent(custom, {...base, type: 'task-started', timestamp: 1}, 1);
		applyTaskEvent(custom, {...base, type: 'task-progress', timestamp: 2, progress: 50}, 2);
		assert.equal(custom.state, 'PROGRESS');
		applyTaskEvent(custom, {...base, type: 'task-started', timestamp: 3}, 3);
		assert.equal(custom.state, 'PROGRESS');
	});

	test(`the timeline keeps the last ${TIMELINE_CAP} events`, () => {
		const task = createTask('t', 0);
		for (let i = 0; i < TIMELINE_CAP + 5; i++) {
			applyTaskEvent(task, {type: 'task-retried', hostname: 'w1@vm', uuid: 't', timestamp: i, clock: i}, i);
		}
		assert.equal(task.timeline.length, TIMELINE_CAP);
		assert.equal(task.timeline[0]!.timestamp, 5);
		assert.deepEqual(task.timeline.at(-1), {
			type: 'task-retried',
			timestamp: TIMELINE_CAP + 4,
			hostname: 'w1@vm',
			clock: TIMELINE_CAP + 4,
		});
	});

	test('mistyped fields from hostile input are ignored, never stored', () => {
		const task = createTask('h', 0);
		const hostile = {
			type: 'task-received',
			hostname: 'w1@vm',
			uuid: 'h',
			timestamp: 1,
			name: {toString: 1},
			args: 7,
			kwargs: 5,
			retries: 'many',
			runtime: 'slow',
			eta: 7,
			expires: {},
			parent_id: 3,
			root_id: [],
			result: {},
			exception: 1,
			traceback: null,
			clock: '12',
			terminated: 'yes',
			signum: 'TERM',
			expired: 1,
			requeue: 'no',
		};
		applyTaskEvent(task, hostile as CeleryEvent, 1);
		applyTaskEvent(task, {...hostile, type: 'task-succeeded'} as CeleryEvent, 2);
		assert.equal(task.state, 'SUCCESS');
		for (const field of [
			'name',
			'args',
			'kwargs',
			'retries',
			'runtime',
			'eta',
			'expires',
			'parentId',
			'rootId',
			'result',
			'exception',
			'traceback',
			'clock',
			'terminated',
			'signum',
			'expired',
			'requeue',
		] as const) {
			assert.equal(task[field], undefined, field);
		}
		assert.equal(task.timeline[0]!.clock, undefined);
	});
});

// ---------------------------------------------------------------------------------------------
// Where Celery's own rules mislead (docs/STATE.md, "Where we depart from Celery"). Each scenario's
// events and Celery's result come from test/fixtures/make-celery-expected.py (Celery's own State).

/** The task of a scenario replayed through applyTaskEvent, with the state after each event. */
function replayScenarioTask(name: string): {
	task: TaskRecord;
	states: string[];
	celery: Record<string, unknown>;
} {
	const s = scenario(name);
	const task = createTask('t1', 0);
	const states: string[] = [];
	for (const [t, event] of scenarioEvents(s)) {
		if (!event.type.startsWith('task-')) continue;
		applyTaskEvent(task, event, t);
		states.push(task.state);
	}
	return {task, states, celery: s.celery.tasks['t1']!};
}

describe('where we depart from Celery', () => {
	test('a task-rejected after task-received shows REJECTED (Celery: RECEIVED)', () => {
		const {task, celery} = replayScenarioTask('rejected-after-received');
		assert.equal(celery['state'], 'RECEIVED');
		assert.equal(task.state, 'REJECTED');
		assert.equal(task.requeue, false);
		assert.equal(task.rejected, 1002);
		assert.equal(task.worker, 'w1@vm');
	});

	test('a task-rejected after task-started shows REJECTED (Celery: STARTED)', () => {
		const {task, celery} = replayScenarioTask('rejected-after-started');
		assert.equal(celery['state'], 'STARTED');
		assert.equal(task.state, 'REJECTED');
	});

	test("the attempt's task-started arriving after its task-rejected leaves REJECTED (Celery: STARTED)", () => {
		const {task, states, celery} = replayScenarioTask('rejected-then-late-started');
		assert.equal(celery['state'], 'STARTED');
		assert.deepEqual(states, ['RECEIVED', 'REJECTED', 'REJECTED']);
		assert.equal(task.started, 1002); // its stage time is still kept
	});

	test('rejected with requeue, then received again: the new attempt shows, as in Celery', () => {
		for (const name of ['rejected-requeued-same-worker', 'rejected-requeued-other-worker']) {
			const {task, states, celery} = replayScenarioTask(name);
			assert.deepEqual(states, ['RECEIVED', 'REJECTED', 'RECEIVED', 'STARTED'], name);
			assert.equal(task.worker, celery['worker'], name);
		}
	});

	test('a failed task whose events arrive in reverse order ends FAILURE (Celery: STARTED)', () => {
		const {task, states, celery} = replayScenarioTask('failed-with-retries-reversed');
		assert.equal(celery['state'], 'STARTED');
		assert.ok(
			states.every((state) => state === 'FAILURE'),
			states.join(),
		);
		assert.equal(task.worker, 'w2@vm');
		assert.equal(task.exception, "RuntimeError('again')");
	});

	test('a late task-retried after the next attempt succeeded keeps SUCCESS (Celery: RETRY)', () => {
		const {task, celery} = replayScenarioTask('late-retried-after-success');
		assert.equal(celery['state'], 'RETRY');
		assert.equal(task.state, 'SUCCESS');
		assert.equal(task.retried, 1005);
		assert.equal(task.result, '3');
	});

	test('a stale task-retried from the worker the task left does not undo task-started elsewhere', () => {
		const {task, states, celery} = replayScenarioTask('stale-retried-other-worker');
		assert.equal(celery['state'], 'RETRY');
		assert.equal(celery['worker'], 'w1@vm');
		assert.equal(states.at(-2), 'STARTED');
		assert.equal(task.state, 'STARTED');
		assert.equal(task.worker, 'w2@vm');
		assert.equal(task.retried, 1005);
		// The timeline still says who sent what.
		assert.deepEqual(
			task.timeline.slice(-2).map((entry) => `${entry.type} ${entry.hostname}`),
			['task-started w2@vm', 'task-retried w1@vm'],
		);
	});

	test("a task-retried older than the next attempt's task-started on the same worker is stale", () => {
		const {task, celery} = replayScenarioTask('stale-retried-same-worker');
		assert.equal(celery['state'], 'RETRY');
		assert.equal(task.state, 'STARTED');
		assert.equal(task.worker, 'w1@vm');
	});

	test('in order, a retry still shows RETRY until the next attempt starts, as in Celery', () => {
		const {states} = replayScenarioTask('retry-in-order-other-worker');
		assert.deepEqual(states, ['PENDING', 'RECEIVED', 'STARTED', 'STARTED', 'STARTED', 'RETRY', 'STARTED']);
	});

	test('REVOKED after a custom state shows REVOKED (Celery keeps the custom state)', () => {
		const {task, celery} = replayScenarioTask('revoked-after-custom');
		assert.equal(celery['state'], 'PROGRESS');
		assert.equal(task.state, 'REVOKED');
		assert.equal(task.terminated, true);
		// And a late custom event after REVOKED does not undo it (Celery: it would).
		applyTaskEvent(task, {type: 'task-progress', hostname: 'w1@vm', uuid: 't1', timestamp: 1003.5}, 2000);
		assert.equal(task.state, 'REVOKED');
	});

	test('a late event from another worker does not move the task to it (Celery: the last sender)', () => {
		const {task, celery} = replayScenarioTask('late-received-other-worker');
		assert.equal(celery['worker'], 'w2@vm');
		assert.equal(task.state, 'SUCCESS');
		assert.equal(task.worker, 'w1@vm');
		assert.equal(task.timeline.at(-1)!.hostname, 'w2@vm');
	});

	test('args and kwargs sent as JSON values are shown as Python prints them (they were dropped)', () => {
		for (const name of ['json-args', 'json-args-nested-text', 'json-args-late']) {
			const {task, celery} = replayScenarioTask(name);
			assert.equal(typeof celery['args'], 'string', name);
			assert.equal(task.args, celery['args'], name);
			assert.equal(task.kwargs, celery['kwargs'], name);
		}
		const {task} = replayScenarioTask('json-args');
		assert.equal(task.args, "[1, 'a', None, True, False, {'k': [2.5, -3]}]");
	});
});

// ---------------------------------------------------------------------------------------------
// TaskRecord stores a task compactly (packed timeline, stages read from it, rare fields apart).
// The reference below is the plain-object implementation it replaced, kept as the oracle.

type Mutable<T> = {-readonly [K in keyof T]: T[K]};
type PlainTask = Mutable<Omit<Task, 'timeline'>> & {timeline: TimelineEntry[]};
const STAGE_OF: Record<string, keyof PlainTask> = {
	'task-sent': 'sent',
	'task-received': 'received',
	'task-started': 'started',
	'task-succeeded': 'succeeded',
	'task-failed': 'failed',
	'task-retried': 'retried',
	'task-revoked': 'revoked',
	'task-rejected': 'rejected',
};
const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function referenceTask(uuid: string, now: number): PlainTask {
	const task = {uuid, state: 'PENDING', timestamp: 0, lastSeen: now, timeline: []} as unknown as PlainTask;
	for (const key of Object.keys(plainTask(createTask(uuid, now))) as Array<keyof PlainTask>)
		if (!(key in task)) (task as Record<string, unknown>)[key] = undefined;
	return task;
}

/** Timestamp of the event that set each reference task's state. */
const stateAt = new WeakMap<PlainTask, number>();

const text = (value: unknown): string | undefined =>
	typeof value === 'string'
		? value
		: typeof value === 'object' && value !== null
			? argsText(value)
			: undefined;

function referenceApply(task: PlainTask, e: CeleryEvent, now: number): void {
	const stage = STAGE_OF[e.type];
	if (stage !== undefined) (task as Record<string, unknown>)[stage] = e.timestamp;
	const state = stateForEventType(e.type);
	const fromWorker = stage !== 'sent' && e.hostname === task.worker;
	const late = isStale(state, task.state, fromWorker, e.timestamp < (stateAt.get(task) ?? Number.NaN));
	if (stage === 'sent') task.client = e.hostname;
	else if (!late || task.worker === undefined) task.worker = e.hostname;
	const received = (): void => {
		if (typeof e['name'] === 'string') task.name = e['name'];
		if (text(e['args']) !== undefined) task.args = text(e['args']);
		if (text(e['kwargs']) !== undefined) task.kwargs = text(e['kwargs']);
		const parent = e['parent_id'];
		if (typeof parent === 'string' || parent === null) task.parentId = parent;
		const root = e['root_id'];
		if (typeof root === 'string' || root === null) task.rootId = root;
		if (finite(e['retries'])) task.retries = e['retries'];
		const eta = e['eta'];
		if (typeof eta === 'string' || eta === null) task.eta = eta;
		const expires = e['expires'];
		if (typeof expires === 'string' || expires === null) task.expires = expires;
	};
	const other = (): void => {
		if (typeof e['result'] === 'string') task.result = e['result'];
		if (typeof e['exception'] === 'string') task.exception = e['exception'];
		if (typeof e['traceback'] === 'string') task.traceback = e['traceback'];
		if (finite(e['runtime'])) task.runtime = e['runtime'];
		if (typeof e['terminated'] === 'boolean') task.terminated = e['terminated'];
		const signum = e['signum'];
		if (finite(signum) || signum === null) task.signum = signum;
		if (typeof e['expired'] === 'boolean') task.expired = e['expired'];
		if (typeof e['requeue'] === 'boolean') task.requeue = e['requeue'];
		if (finite(e['clock'])) task.clock = e['clock'];
		task.timestamp = e.timestamp;
	};
	if (late) {
		received();
		if (state !== 'RECEIVED') other();
	} else {
		task.state = state;
		stateAt.set(task, e.timestamp);
		received();
		other();
	}
	if (task.timeline.length >= TIMELINE_CAP) task.timeline.shift();
	const clock = e['clock'];
	task.timeline.push({
		type: e.type,
		timestamp: e.timestamp,
		hostname: e.hostname,
		clock: finite(clock) ? clock : undefined,
	});
	task.lastSeen = now;
}

/** Random but reproducible events about one task: every field sometimes present, sometimes mistyped. */
function randomEvents(seed: number, uuid: string, count: number): CeleryEvent[] {
	let s = seed;
	const next = (n: number): number => (s = (s * 48271) % 2147483647) % n;
	const pick = <T>(values: readonly T[]): T => values[next(values.length)]!;
	const types = [...Object.keys(STAGE_OF), 'task-progress', 'task-custom-event'];
	const hosts = Array.from({length: 60}, (_, i) => (i < 50 ? `celery@w${i}` : `gen${i}@web`));
	const clocks = [
		undefined,
		0,
		-0,
		7,
		123_456,
		2 ** 40,
		2 ** 40 + 1,
		2 ** 52,
		1.5,
		-3,
		'12',
		Number.MAX_VALUE,
	];
	let worker = pick(hosts);
	const events: CeleryEvent[] = [];
	for (let i = 0; i < count; i++) {
		if (next(4) === 0) worker = pick(hosts); // another worker (or client) now and then
		const e: Record<string, unknown> = {
			type: pick(types),
			hostname: worker,
			uuid,
			timestamp: pick([0, -0, 1, 1_795_771_803.5356143, i, i + 0.25]),
			clock: pick(clocks),
		};
		const maybe = (key: string, values: readonly unknown[]): void => {
			if (next(3) === 0) e[key] = pick(values);
		};
		maybe('name', ['app.add', 'app.mul', 5]);
		maybe('args', ['(2, 3)', "('é', 1)", [], [1, 'a'], 5]);
		maybe('kwargs', ['{}', "{'x': 1}", null, {y: [null, true]}]);
		maybe('result', ['5', 'None', {}]);
		maybe('exception', ["ValueError('boom')", 1]);
		maybe('traceback', ['Traceback (most recent call last):\n  ...', null]);
		maybe('runtime', [0.01, 3, -0, 'slow']);
		// Retries are packed in a few bits when a small integer, else held elsewhere: both kinds.
		maybe('retries', [0, 1, 2, 'many', -0, 1.5, -1, 2 ** 18 - 2, 2 ** 18, 2 ** 40]);
		maybe('eta', [null, '2026-01-01T00:00:00', 7]);
		maybe('expires', [null, '2026-01-02T00:00:00', {}]);
		maybe('parent_id', [null, uuid, 'p-1', 3]);
		maybe('root_id', [null, uuid, 'r-1', []]);
		maybe('terminated', [true, false, 'yes']);
		maybe('signum', [null, 9, 15, 'TERM']);
		maybe('expired', [true, false, 1]);
		maybe('requeue', [true, false, 'no']);
		events.push(e as CeleryEvent);
	}
	return events;
}

describe('TaskRecord (compact storage)', () => {
	// Long runs pin many hostnames, so the names table is compacted too.
	test('matches the plain-object implementation field by field after every event', () => {
		for (let seed = 1; seed <= 300; seed++) {
			const uuid = `task-${seed}`;
			const task = createTask(uuid, 0);
			const reference = referenceTask(uuid, 0);
			randomEvents(seed, uuid, seed % 10 === 0 ? 400 : 10 + (seed % 50)).forEach((event, i) => {
				applyTaskEvent(task, event, i + 0.5);
				referenceApply(reference, event, i + 0.5);
				assert.deepStrictEqual(plainTask(task), reference, `seed ${seed}, event ${i}`);
			});
		}
	});

	test('a stage time outlives its timeline entry', () => {
		const task = createTask('s', 0);
		const base = {hostname: 'w1@vm', uuid: 's'};
		applyTaskEvent(task, {...base, type: 'task-sent', timestamp: 1}, 1);
		applyTaskEvent(task, {...base, type: 'task-received', timestamp: 2}, 2);
		for (let i = 0; i < TIMELINE_CAP * 3; i++)
			applyTaskEvent(task, {...base, type: 'task-progress', timestamp: 10 + i}, 3);
		assert.equal(task.timeline.length, TIMELINE_CAP);
		assert.ok(task.timeline.every((entry) => entry.type === 'task-progress'));
		assert.equal(task.sent, 1);
		assert.equal(task.received, 2);
		applyTaskEvent(task, {...base, type: 'task-sent', timestamp: 99}, 4);
		assert.equal(task.sent, 99);
	});

	test('entries keep their hostname when the worker and client change', () => {
		const task = createTask('h', 0);
		const hosts = ['gen1@web', 'w1@vm', 'w2@vm', 'gen2@web', 'w1@vm'];
		const types = ['task-sent', 'task-received', 'task-received', 'task-sent', 'task-started'];
		types.forEach((type, i) => applyTaskEvent(task, {type, hostname: hosts[i]!, uuid: 'h', timestamp: i}, i));
		assert.deepEqual(
			task.timeline.map((entry) => entry.hostname),
			hosts,
		);
		assert.equal(task.client, 'gen2@web');
		assert.equal(task.worker, 'w1@vm');
	});

	test('timestamp, clock and state time kept when the last event leaves them (late, no clock)', () => {
		const task = createTask('k', 0);
		const base = {hostname: 'w1@vm', uuid: 'k'};
		applyTaskEvent(task, {...base, type: 'task-started', timestamp: 20, clock: 2 ** 45}, 1);
		assert.equal(task.timestamp, 20);
		assert.equal(task.clock, 2 ** 45); // too big to pack: the entry's own slot
		// A late task-received merges neither timestamp nor clock: they stay the started event's.
		applyTaskEvent(task, {...base, type: 'task-received', timestamp: 10, clock: 7, name: 'n'}, 2);
		assert.deepEqual([task.state, task.timestamp, task.clock, task.name], ['STARTED', 20, 2 ** 45, 'n']);
		// An event without a clock moves the timestamp, not the clock.
		applyTaskEvent(task, {...base, type: 'task-started', timestamp: 30}, 3);
		assert.deepEqual([task.state, task.timestamp, task.clock], ['STARTED', 30, 2 ** 45]);
		// The state time is still the started event's: a task-succeeded older than it is late.
		applyTaskEvent(task, {...base, type: 'task-retried', timestamp: 15, clock: 8}, 4);
		assert.equal(task.state, 'STARTED');
		assert.deepEqual([task.timestamp, task.clock], [15, 8]); // a late non-received event merges them
		const copy = copyTask(task);
		applyTaskEvent(task, {...base, type: 'task-succeeded', timestamp: 40, clock: 9, retries: 1.5}, 5);
		assert.deepEqual([task.state, task.timestamp, task.clock, task.retries], ['SUCCESS', 40, 9, 1.5]);
		assert.deepEqual([copy.state, copy.timestamp, copy.clock, copy.retries], ['STARTED', 15, 8, undefined]);
		// A child's root id equal to its parent id reads back as the same string.
		applyTaskEvent(task, {...base, type: 'task-received', timestamp: 41, parent_id: 'p', root_id: 'p'}, 6);
		assert.deepEqual([task.parentId, task.rootId], ['p', 'p']);
		applyTaskEvent(task, {...base, type: 'task-received', timestamp: 42, parent_id: 'q'}, 7);
		assert.deepEqual([task.parentId, task.rootId], ['q', 'p']);
	});

	test('copyTask is unaffected by later events; JSON.stringify gives the plain fields', () => {
		const [sent, received, started] = plain;
		const task = replay(plainId, [sent!]);
		const copy = copyTask(task);
		const before = plainTask(task);
		applyTaskEvent(task, received!, 1);
		assert.deepStrictEqual(plainTask(copy), before);
		assert.equal(copy.timeline.length, 1);
		assert.equal(task.state, 'RECEIVED');
		// Rare fields, pinned hostnames and dropped stages are copied too.
		const busy = createTask('b', 0);
		for (let i = 0; i < TIMELINE_CAP + 3; i++) {
			const type = i % 2 === 0 ? 'task-retried' : 'task-progress';
			applyTaskEvent(
				busy,
				{type, hostname: `w${i}@vm`, uuid: 'b', timestamp: i, exception: 'E', eta: 'x'},
				i,
			);
		}
		const busyCopy = copyTask(busy);
		const busyBefore = plainTask(busy);
		applyTaskEvent(busy, {...started!, uuid: 'b', hostname: 'other@vm', exception: 'F', eta: null}, 50);
		assert.deepStrictEqual(plainTask(busyCopy), busyBefore);
		assert.notDeepStrictEqual(plainTask(busy), busyBefore);
		const json = JSON.parse(JSON.stringify(task)) as Record<string, unknown>;
		assert.equal(json['state'], 'RECEIVED');
		assert.equal(json['name'], 'app.add');
		assert.equal(json['sent'], sent!.timestamp);
		assert.equal((json['timeline'] as unknown[]).length, 2);
	});
});
