import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {TIMELINE_CAP, applyTaskEvent, createTask} from '../../source/state/task.js';
import type {Task} from '../../source/state/types.js';
import {capturedEvents} from '../helpers/fixtures.js';

const captured = capturedEvents();
const eventsOf = (uuid: string): CeleryEvent[] =>
	captured.filter(({event}) => event['uuid'] === uuid).map(({event}) => event);
const ofType = (events: CeleryEvent[], type: string, index = 0): CeleryEvent =>
	events.filter((e) => e.type === type)[index]!;

function replay(uuid: string, events: CeleryEvent[]): Task {
	const task = createTask(uuid, 0);
	events.forEach((event, i) => applyTaskEvent(task, event, 100 + i));
	return task;
}

// A plain task from the capture: sent, received, started, succeeded.
const plainId = '76c96a5f-3ac8-4c5d-8197-632e73766355';
const plain = eventsOf(plainId);
// The retried task of wire doc §4.3 (retries twice, then fails).
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
			args: ['x'],
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
