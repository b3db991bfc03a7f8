import {test} from 'node:test';
import assert from 'node:assert/strict';
import {Store} from '../../source/state/store.js';

const T = 1_795_771_600;

test('a snapshot is published once per flush and only when something changed or a second passed', () => {
	const store = new Store({now: T});
	let notified = 0;
	store.subscribe(() => notified++);
	const first = store.getSnapshot();
	assert.equal(store.flush(T + 0.1), false, 'nothing changed in the same second');
	store.applyBatch([{type: 'worker-heartbeat', hostname: 'w1@vm', timestamp: T, freq: 2}], T + 0.2);
	assert.equal(store.getSnapshot(), first, 'getSnapshot is stable until the next flush');
	assert.equal(store.flush(T + 0.3), true);
	assert.notEqual(store.getSnapshot(), first);
	assert.equal(store.getSnapshot().workers.length, 1);
	assert.equal(store.flush(T + 1.1), true, 'a new second refreshes ages and liveness');
	assert.equal(notified, 2);
});

test('connection gaps: down at T1, up at T2, with the downtime measured from the first drop', () => {
	const store = new Store({now: T});
	store.setConnection('connected', T);
	store.setConnection('reconnecting', T + 10);
	store.setConnection('error', T + 11, 'connection refused');
	store.setConnection('reconnecting', T + 12);
	store.flush(T + 13);
	let c = store.getSnapshot().connection;
	assert.equal(c.status, 'reconnecting');
	assert.equal(c.since, T + 10, 'down since the first drop, not the last retry');
	assert.deepEqual(c.gaps, [{from: T + 10, to: undefined}]);
	store.setConnection('connected', T + 15);
	store.flush(T + 15);
	c = store.getSnapshot().connection;
	assert.deepEqual(c.gaps, [{from: T + 10, to: T + 15}]);
	assert.equal(c.since, T + 15);
});

test('pausing freezes the rows the view sees; resuming publishes the current state', () => {
	const store = new Store({now: T});
	store.applyBatch([{type: 'task-received', hostname: 'w1@vm', timestamp: T, uuid: 'a', name: 'app.a'}], T);
	store.flush(T + 1);
	store.setPaused(true, T + 1);
	store.applyBatch(
		[{type: 'task-succeeded', hostname: 'w1@vm', timestamp: T + 1, uuid: 'a', result: '1'}],
		T + 2,
	);
	assert.equal(store.flush(T + 3), false);
	assert.equal(store.getSnapshot().tasks[0]!.state, 'RECEIVED', 'the frozen copy does not change');
	store.setPaused(false, T + 3);
	assert.equal(store.getSnapshot().tasks[0]!.state, 'SUCCESS');
});
