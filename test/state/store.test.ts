import {test} from 'node:test';
import assert from 'node:assert/strict';
import {buildConfig} from '../../source/config.js';
import {createStore} from '../../source/redis/session.js';
import {DEFAULT_MAX_EVENTS, Store} from '../../source/state/store.js';

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
	assert.equal(store.flush(T + 3), true, 'the counters are published');
	assert.equal(store.getSnapshot().counts['SUCCESS'], 1, 'the counters move');
	assert.equal(store.getSnapshot().allTasks()[0]!.state, 'RECEIVED', 'the frozen copy does not change');
	store.setPaused(false, T + 3);
	assert.equal(store.getSnapshot().allTasks()[0]!.state, 'SUCCESS');
});

const heartbeats = (n: number, at: number) =>
	Array.from({length: n}, () => ({type: 'worker-heartbeat', hostname: 'w1@vm', timestamp: at, freq: 2}));

test('the event list keeps streamSize events (--max-events), newest first; 50,000 by default', () => {
	const store = new Store({now: T, streamSize: 300});
	store.applyBatch(heartbeats(1_000, T), T);
	store.flush(T + 1);
	const stream = store.getSnapshot().stream;
	assert.equal(stream.length, 300, 'the whole ring is in the snapshot');
	assert.deepEqual([stream[0]!.seq, stream.at(-1)!.seq], [1_000, 701]);
	const big = new Store({now: T});
	assert.equal(big.cluster.stream.capacity, DEFAULT_MAX_EVENTS);
	assert.equal(DEFAULT_MAX_EVENTS, 10_000);
	big.applyBatch(heartbeats(2_000, T), T);
	big.flush(T + 1);
	assert.equal(big.getSnapshot().stream.length, 2_000, 'more than the 500 the pane used to show');
});

test('createStore threads --max-events to the ring', () => {
	const built = buildConfig({maxEvents: 1_234}, {});
	assert.ok(built.ok);
	assert.equal(createStore(built.value).cluster.stream.capacity, 1_234);
});

test('paused: the lists stay frozen (the same arrays) while the counters, rates and connection move', () => {
	const store = new Store({now: T});
	store.setConnection('connected', T);
	const received = (uuid: string, at: number) => ({
		type: 'task-received',
		hostname: 'w1@vm',
		timestamp: at,
		uuid,
		name: 'app.a',
	});
	store.applyBatch([received('a', T)], T);
	store.flush(T + 0.5);
	store.setPaused(true, T + 0.5);
	const frozen = store.getSnapshot();
	assert.equal(frozen.paused, true);
	store.applyBatch([received('b', T + 1), ...heartbeats(10, T + 1)], T + 1);
	assert.equal(store.flush(T + 1.1), true, 'a paused store still publishes its counters');
	const live = store.getSnapshot();
	assert.equal(live.paused, true);
	assert.equal(live.allTasks(), frozen.allTasks(), 'no copy of the tasks per frame');
	assert.equal(live.workers, frozen.workers);
	assert.equal(live.stream, frozen.stream);
	assert.equal(live.now, frozen.now, "the frozen rows' ages and liveness stay as they were");
	assert.deepEqual(
		live.allTasks().map((t) => t.uuid),
		['a'],
	);
	assert.equal(live.eventCount, 12);
	assert.equal(live.taskCount, 2);
	assert.equal(live.counts['RECEIVED'], 2);
	assert.ok(live.rates.eventsPerSecond > 0);
	store.setConnection('reconnecting', T + 2);
	store.flush(T + 2);
	assert.equal(store.getSnapshot().connection.status, 'reconnecting');
	assert.equal(store.flush(T + 2.1), false, 'nothing new: nothing published');
	store.setPaused(false, T + 3);
	assert.deepEqual(
		store
			.getSnapshot()
			.allTasks()
			.map((t) => t.uuid),
		['b', 'a'],
	);
});
