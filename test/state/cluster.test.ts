import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {decodeEventMessage} from '../../source/protocol/events.js';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {ClusterState, MAX_EVENT_TYPES, OTHER_TYPES} from '../../source/state/cluster.js';
import type {Task} from '../../source/state/types.js';
import {isAlive} from '../../source/state/worker.js';
import {capturedEvents, eventMessages, rawEnvelope, readJson} from '../helpers/fixtures.js';
import {
	TASK_FIELDS,
	celeryResult,
	ourResult,
	replayScenario,
	scenario,
	scenarioEvents,
	scenarios,
} from '../helpers/state-scenarios.js';

type Expected = {event_count: number; tasks: Record<string, Record<string, unknown>>; workers_kept: string[]};
const expected = readJson<Expected>('celery-state-expected.json');
const captured = capturedEvents();

function replayCapture(options?: ConstructorParameters<typeof ClusterState>[0]): ClusterState {
	const state = new ClusterState(options);
	for (const {message} of eventMessages()) {
		const decoded = decodeEventMessage(message.data);
		state.applyBatch(decoded.events, message.t);
	}
	return state;
}

function recount(tasks: Iterable<Task>): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const task of tasks) counts[task.state] = (counts[task.state] ?? 0) + 1;
	return counts;
}

// Where the capture shows a case in which we depart from Celery (docs/STATE.md): our value per field.
// The rejecter task: task-received, task-started, then task-rejected (requeue false) from w1@vm.
const CAPTURE_DEPARTURES: Record<string, Partial<Record<string, unknown>>> = {
	'1af2584c-21cc-48b4-92d6-f9ab73e1dfc1': {state: 'REJECTED'},
};

describe('ClusterState on the whole capture', () => {
	const state = replayCapture();

	test("gives the same task table as Celery's own State (test/fixtures/make-celery-expected.py)", () => {
		assert.equal(state.eventCount, expected.event_count);
		assert.deepEqual([...state.tasks.keys()].sort(), Object.keys(expected.tasks).sort());
		for (const [uuid, row] of Object.entries(expected.tasks)) {
			const task = state.tasks.get(uuid)!;
			const departs = CAPTURE_DEPARTURES[uuid] ?? {};
			for (const [ours, theirs] of TASK_FIELDS) {
				if (theirs in departs) {
					assert.notEqual(row[theirs], departs[theirs], `${uuid} ${ours}: Celery shows this too`);
					assert.equal(task[ours], departs[theirs], `${uuid} ${ours}`);
				} else assert.equal(task[ours] ?? null, row[theirs] ?? null, `${uuid} ${ours}`);
			}
		}
	});

	test('counts by state are right, and match a recount', () => {
		const counts = state.countsByState();
		assert.deepEqual(counts, recount(state.tasks.values()));
		assert.deepEqual(
			counts,
			recount(
				Object.entries(expected.tasks).map(
					([uuid, row]) => ({state: CAPTURE_DEPARTURES[uuid]?.['state'] ?? row['state']}) as Task,
				),
			),
		);
		assert.deepEqual(counts, {PENDING: 5, RECEIVED: 1, REJECTED: 1, SUCCESS: 24, FAILURE: 3, REVOKED: 4});
	});

	test('workers: every node that sent worker or task events, never a gen<pid>@ publisher', () => {
		const hostnames = [...state.workers.keys()].sort();
		assert.ok(
			hostnames.every((hostname) => !hostname.startsWith('gen')),
			hostnames.join(),
		);
		for (const kept of expected.workers_kept) assert.ok(hostnames.includes(kept), kept);
		const offline = new Set(
			captured.filter(({event}) => event.type === 'worker-offline').map(({event}) => event.hostname),
		);
		// Celery drops workers on worker-offline; we keep them and mark them offline.
		assert.deepEqual(hostnames, [...new Set([...expected.workers_kept, ...offline])].sort());
		const end = captured.at(-1)!.t;
		for (const hostname of offline) {
			const worker = state.workers.get(hostname)!;
			const lastOffline = captured.findLast(
				({event}) => event.hostname === hostname && event.type.startsWith('worker-'),
			)!;
			if (lastOffline.event.type === 'worker-offline') {
				assert.equal(isAlive(worker, end), false, hostname);
				assert.equal(worker.offlineAt, lastOffline.t);
			}
		}
	});

	test('event counters, stream and version', () => {
		assert.equal(
			[...state.eventsByType.values()].reduce((a, b) => a + b, 0),
			182,
		);
		assert.equal(state.eventsByType.get('task-retried'), 2);
		assert.equal(state.stream.size, 182);
		const newest = state.stream.newestFirst(1)[0]!;
		assert.equal(newest.seq, 182);
		assert.deepEqual(newest.event, captured.at(-1)!.event);
		assert.equal(state.version, 182);
		assert.equal(state.malformedTotal, 0);
	});

	test('tasks iterate least recently seen first', () => {
		const tasks = [...state.tasks.values()];
		for (let i = 1; i < tasks.length; i++) assert.ok(tasks[i - 1]!.lastSeen <= tasks[i]!.lastSeen);
	});
});

describe('ClusterState bounds', () => {
	test('eviction at the task cap keeps the counters right', () => {
		const state = replayCapture({maxTasks: 5});
		// Reference model: uuids least recently seen first, capped at 5.
		const model: string[] = [];
		let evictions = 0;
		for (const {event} of captured) {
			if (!event.type.startsWith('task-')) continue;
			const uuid = event['uuid'] as string;
			if (model.includes(uuid)) model.splice(model.indexOf(uuid), 1);
			model.push(uuid);
			if (model.length > 5) {
				model.shift();
				evictions++;
			}
		}
		assert.equal(state.tasks.size, 5);
		assert.deepEqual([...state.tasks.keys()], model);
		assert.equal(state.evictedTasks, evictions);
		assert.ok(evictions > 33, 'some evicted tasks came back and were evicted again');
		assert.deepEqual(state.countsByState(), recount(state.tasks.values()));
		assert.equal(
			Object.values(state.countsByState()).reduce((a, b) => a + b, 0),
			5,
		);
	});

	test('an evicted task that comes back starts again from its new events', () => {
		const state = new ClusterState({maxTasks: 2});
		const event = (uuid: string, type: string, timestamp: number): CeleryEvent => ({
			type,
			hostname: 'w1@vm',
			uuid,
			timestamp,
		});
		state.apply(event('a', 'task-succeeded', 1), 1);
		state.apply(event('b', 'task-started', 2), 2);
		state.apply(event('c', 'task-failed', 3), 3);
		assert.equal(state.evictedTasks, 1);
		assert.deepEqual(state.countsByState(), {STARTED: 1, FAILURE: 1});
		state.apply(event('b', 'task-succeeded', 4), 4); // touch b: c is now the oldest
		state.apply(event('a', 'task-started', 5), 5);
		assert.deepEqual([...state.tasks.keys()], ['b', 'a']);
		assert.deepEqual(state.countsByState(), {SUCCESS: 1, STARTED: 1});
		assert.equal(state.evictedTasks, 2);
	});

	test('the worker cap and the stream size are bounds', () => {
		const state = new ClusterState({maxWorkers: 3, streamSize: 4});
		for (let i = 0; i < 10; i++)
			state.apply({type: 'worker-heartbeat', hostname: `w${i}@vm`, timestamp: i, freq: 2}, i);
		assert.deepEqual([...state.workers.keys()], ['w7@vm', 'w8@vm', 'w9@vm']);
		assert.deepEqual(
			state.stream.newestFirst().map((entry) => entry.seq),
			[10, 9, 8, 7],
		);
		assert.equal(state.stream.totalPushed, 10);
	});

	test('distinct event type names are bounded; the rest are counted together', () => {
		const state = new ClusterState();
		for (let i = 0; i < MAX_EVENT_TYPES + 10; i++)
			state.apply({type: `custom-${i}`, hostname: 'x', timestamp: 1}, 1);
		assert.equal(state.eventsByType.get(OTHER_TYPES), 10);
		assert.equal(state.eventsByType.size, MAX_EVENT_TYPES + 1);
		assert.equal(state.tasks.size, 0);
		assert.equal(state.workers.size, 0);
		assert.equal(state.stream.size, MAX_EVENT_TYPES + 10);
	});
});

describe('ClusterState details', () => {
	test('task-sent does not create a worker; other task events do, counting as a heartbeat', () => {
		const state = new ClusterState();
		state.apply({type: 'task-sent', hostname: 'gen1@vm', uuid: 'u', timestamp: 1}, 100);
		assert.equal(state.workers.size, 0);
		state.apply({type: 'task-received', hostname: 'w1@vm', uuid: 'u', timestamp: 2}, 101);
		const worker = state.workers.get('w1@vm')!;
		assert.equal(worker.freq, 60);
		assert.deepEqual(worker.heartbeats, [101]);
		assert.equal(isAlive(worker, 220.9), true);
		assert.equal(state.tasks.get('u')!.client, 'gen1@vm');
	});

	test('worker-offline marks a worker offline; a later heartbeat brings it back', () => {
		const state = new ClusterState();
		state.apply({type: 'worker-online', hostname: 'w1@vm', timestamp: 1, freq: 2}, 10);
		state.apply({type: 'worker-offline', hostname: 'w1@vm', timestamp: 2, freq: 2}, 11);
		assert.equal(isAlive(state.workers.get('w1@vm')!, 11), false);
		assert.equal(state.workers.get('w1@vm')!.offlineAt, 11);
		state.apply({type: 'worker-heartbeat', hostname: 'w1@vm', timestamp: 3, freq: 2}, 12);
		assert.equal(isAlive(state.workers.get('w1@vm')!, 12), true);
	});

	test('malformed messages are counted per reason and bump the version', () => {
		const state = new ClusterState();
		const bad = decodeEventMessage(
			rawEnvelope(
				JSON.stringify([
					{type: 'task-started', hostname: 'w', timestamp: 1},
					3,
					{type: 'task-started', hostname: 'w', timestamp: 1, uuid: 'ok'},
				]),
			),
		);
		state.applyDecoded(bad, 5);
		state.applyDecoded(decodeEventMessage('garbage'), 5);
		state.recordMalformed('bad-base64', 3);
		assert.deepEqual(state.malformedCounts(), {
			'missing-uuid': 1,
			'not-an-event': 1,
			'not-json': 1,
			'bad-base64': 3,
		});
		assert.equal(state.malformedTotal, 6);
		assert.equal(state.eventCount, 1);
		assert.equal(state.version, 5);
	});

	test('rates over a rolling 10 s window of one-second buckets', () => {
		const state = new ClusterState();
		const at = (now: number, type: string, uuid: string) =>
			state.apply({type, hostname: 'w1@vm', uuid, timestamp: now}, now);
		// Second 1000: 4 events (2 succeeded, 1 failed); second 1005: 6 events (3 succeeded).
		at(1000.1, 'task-started', 'a');
		at(1000.2, 'task-succeeded', 'a');
		at(1000.5, 'task-succeeded', 'b');
		at(1000.9, 'task-failed', 'c');
		for (let i = 0; i < 3; i++) {
			at(1005 + i / 10, 'task-started', `d${i}`);
			at(1005.05 + i / 10, 'task-succeeded', `d${i}`);
		}
		assert.deepEqual(state.rates(1001), {
			eventsPerSecond: 4 / 2,
			succeededPerSecond: 2 / 2,
			failedPerSecond: 1 / 2,
		});
		assert.deepEqual(state.rates(1009.5), {
			eventsPerSecond: 1,
			succeededPerSecond: 0.5,
			failedPerSecond: 0.1,
		});
		// Second 1000 leaves the window at 1010.
		assert.deepEqual(state.rates(1010), {eventsPerSecond: 0.6, succeededPerSecond: 0.3, failedPerSecond: 0});
		assert.deepEqual(state.rates(1015), {eventsPerSecond: 0, succeededPerSecond: 0, failedPerSecond: 0});
		// A bucket reused ten seconds later starts from zero.
		at(1020.5, 'task-failed', 'e');
		assert.deepEqual(state.rates(1020.9), {
			eventsPerSecond: 0.1,
			succeededPerSecond: 0,
			failedPerSecond: 0.1,
		});
	});
});

describe("ClusterState and Celery's State on the scenarios of make-celery-expected.py", () => {
	test('where we do not depart from Celery, every task field and worker liveness is the same', () => {
		const agreeing = scenarios.filter((s) => s.departs === null);
		assert.ok(agreeing.length >= 12, `${agreeing.length} scenarios`);
		for (const s of agreeing) assert.deepEqual(ourResult(s, replayScenario(s)), celeryResult(s), s.name);
	});

	test('where we depart (docs/STATE.md), the result really differs from Celery', () => {
		const departing = scenarios.filter((s) => s.departs !== null);
		assert.deepEqual([...new Set(departing.map((s) => s.departs))].sort(), [
			'late-worker',
			'rejected',
			'retried-after-final',
			'revoked-after-custom',
			'stale-retried',
			'task-after-offline',
		]);
		for (const s of departing) assert.notDeepEqual(ourResult(s, replayScenario(s)), celeryResult(s), s.name);
	});

	test('a task-succeeded after worker-offline does not bring the worker back online (Celery: alive)', () => {
		const s = scenario('succeeded-after-offline');
		assert.equal(s.celery.workers['w1@vm']!.alive, true);
		const state = new ClusterState();
		const events = scenarioEvents(s);
		for (const [t, event] of events) state.apply(event, t);
		const worker = state.workers.get('w1@vm')!;
		const offlineAt = events.find(([, e]) => e.type === 'worker-offline')![0];
		assert.equal(state.tasks.get('t1')!.state, 'SUCCESS');
		assert.equal(worker.offlineAt, offlineAt);
		assert.equal(isAlive(worker, s.now), false);
		assert.equal(worker.lastSeen, events.at(-1)![0]); // seen, but not a heartbeat
		// Its next worker-online or heartbeat (a restart) does bring it back.
		state.apply({type: 'worker-online', hostname: 'w1@vm', timestamp: s.now, freq: 2}, s.now);
		assert.equal(isAlive(worker, s.now + 1), true);
		assert.equal(worker.offlineAt, undefined);
		// And task events count as heartbeats again.
		state.apply({type: 'task-started', hostname: 'w1@vm', uuid: 't2', timestamp: s.now + 3}, s.now + 3);
		assert.equal(isAlive(worker, s.now + 6), true);
	});
});
