// The event stream matches by task: an event with only a uuid matches through its task. (The Tasks
// pane's rows, filtered and sorted, are test/ui/task-index.test.ts.)
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {Store} from '../../source/state/store.js';
import {filterStreamRows} from '../../source/ui/filter-rows.js';

const T = 1_795_771_600;

test('the event stream matches by task: events with only a uuid match through their task', () => {
	const store = new Store({now: T});
	store.applyBatch(
		[
			{type: 'worker-heartbeat', hostname: 'w1@vm', timestamp: T, freq: 2},
			{type: 'task-received', hostname: 'w1@vm', timestamp: T, uuid: 'a', name: 'demo.add'},
			{type: 'task-succeeded', hostname: 'w1@vm', timestamp: T, uuid: 'a', result: '5'},
			{type: 'task-received', hostname: 'w1@vm', timestamp: T, uuid: 'b', name: 'demo.fail'},
			{type: 'task-failed', hostname: 'w1@vm', timestamp: T, uuid: 'b', exception: 'E'},
		],
		T,
	);
	store.flush(T);
	const types = (filter: string) => filterStreamRows(store.getSnapshot(), filter).map((s) => s.event.type);
	assert.deepEqual(types('demo.add'), ['task-succeeded', 'task-received']);
	assert.deepEqual(types('FAILURE'), ['task-failed', 'task-received']);
	assert.deepEqual(types('heartbeat'), ['worker-heartbeat'], 'an event type still matches');
	assert.equal(types('w1@vm').length, 5, 'and a host');
	assert.deepEqual(types('nomatch'), []);
});
