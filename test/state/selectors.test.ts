import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {ClusterState} from '../../source/state/cluster.js';
import {
	aliveCount,
	filterTasks,
	streamMatcher,
	taskMatcher,
	taskMatches,
	tasksNewestFirst,
	workersSorted,
} from '../../source/state/selectors.js';
import {applyTaskEvent, createTask} from '../../source/state/task.js';

function sampleState(): ClusterState {
	const state = new ClusterState();
	state.apply({type: 'worker-online', hostname: 'w2@vm', timestamp: 1, freq: 2}, 100);
	state.apply({type: 'worker-online', hostname: 'w1@vm', timestamp: 1, freq: 2}, 100);
	state.apply({type: 'worker-online', hostname: 'W0@vm', timestamp: 1, freq: 60}, 100);
	state.apply({type: 'task-received', hostname: 'w1@vm', uuid: 'aaa-1', name: 'app.add', timestamp: 2}, 101);
	state.apply({type: 'task-received', hostname: 'w2@vm', uuid: 'bbb-2', name: 'app.mul', timestamp: 3}, 102);
	state.apply({type: 'task-started', hostname: 'w1@vm', uuid: 'aaa-1', timestamp: 4}, 103);
	state.apply({type: 'task-failed', hostname: 'w2@vm', uuid: 'ccc-3', timestamp: 5}, 104);
	return state;
}

describe('selectors', () => {
	test('tasksNewestFirst orders by the last event seen, with a limit', () => {
		const state = sampleState();
		assert.deepEqual(
			tasksNewestFirst(state).map((t) => t.uuid),
			['ccc-3', 'aaa-1', 'bbb-2'],
		);
		assert.deepEqual(
			tasksNewestFirst(state, 2).map((t) => t.uuid),
			['ccc-3', 'aaa-1'],
		);
	});

	test('workersSorted sorts by hostname (code points)', () => {
		assert.deepEqual(
			workersSorted(sampleState()).map((w) => w.hostname),
			['W0@vm', 'w1@vm', 'w2@vm'],
		);
	});

	test('taskMatches: case-insensitive substring of name, uuid, state or worker', () => {
		const task = createTask('AbC-123', 0);
		applyTaskEvent(
			task,
			{type: 'task-started', hostname: 'celery@Host1', uuid: 'AbC-123', timestamp: 1, name: 'proj.Tasks.Add'},
			1,
		);
		for (const filter of ['', '  ', 'abc', '123', 'tasks.add', 'started', 'host1', 'CELERY@'])
			assert.equal(taskMatches(task, filter), true, filter);
		for (const filter of ['zzz', 'success', 'proj.mul'])
			assert.equal(taskMatches(task, filter), false, filter);
		assert.equal(taskMatches(createTask('x', 0), 'app'), false); // no name, no worker: no crash
	});

	test('taskMatcher answers as taskMatches does, the same matcher over many tasks', () => {
		const state = sampleState();
		const tasks = tasksNewestFirst(state);
		for (const filter of ['', 'app', 'ADD', 'aaa', 'FAILURE', 'started', 'w2@', 'W2@VM', 'zzz']) {
			const matches = taskMatcher(filter);
			for (const task of [...tasks, ...tasks])
				assert.equal(matches(task), taskMatches(task, filter), `${filter} on ${task.uuid}`);
		}
		const upper = createTask('ABC-UPPER', 0);
		assert.equal(taskMatcher('abc-up')(upper), true, 'an upper-case id matches case-insensitively');
	});

	test('streamMatcher: an event matches through its task (looked up by uuid), its type or its host', () => {
		const state = sampleState();
		const matches = (filter: string) =>
			state.stream
				.newestFirst()
				.filter(streamMatcher(filter, (uuid) => state.tasks.get(uuid)))
				.map((s) => `${s.event.type} ${String(s.event['uuid'] ?? s.event.hostname)}`);
		// task-started of aaa-1 carries no name: it matches app.add through its task.
		assert.deepEqual(matches('app.add'), ['task-started aaa-1', 'task-received aaa-1']);
		assert.deepEqual(matches('FAILURE'), ['task-failed ccc-3']);
		assert.deepEqual(matches('STARTED'), ['task-started aaa-1', 'task-received aaa-1']);
		assert.deepEqual(matches('worker-online'), [
			'worker-online W0@vm',
			'worker-online w1@vm',
			'worker-online w2@vm',
		]);
		assert.equal(matches('').length, 7);
		// A task no longer kept: its event is tested on its own fields.
		const alone = streamMatcher('app.mul', () => undefined);
		const received = state.stream.newestFirst().find((s) => s.event['uuid'] === 'bbb-2')!;
		assert.equal(alone(received), true);
	});

	test('filterTasks keeps recency order and the limit', () => {
		const state = sampleState();
		assert.deepEqual(
			filterTasks(state, 'w2').map((t) => t.uuid),
			['ccc-3', 'bbb-2'],
		);
		assert.deepEqual(
			filterTasks(state, 'app', 1).map((t) => t.uuid),
			['aaa-1'],
		);
	});

	test('aliveCount with a given clock', () => {
		const state = sampleState();
		// Task events count as heartbeats: w1's last at 103, w2's at 104 (freq 2 each), W0 at 100 (freq 60).
		assert.equal(aliveCount(state, 106.9), 3);
		assert.equal(aliveCount(state, 107.5), 2);
		assert.equal(aliveCount(state, 108.5), 1);
		assert.equal(aliveCount(state, 219.9), 1);
		assert.equal(aliveCount(state, 220.1), 0);
	});
});
