import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {ClusterState} from '../../source/state/cluster.js';
import {
	aliveCount,
	filterTasks,
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
