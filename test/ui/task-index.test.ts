// The Tasks pane's rows are kept from frame to frame (task-index.ts): whatever arrives (new tasks,
// state changes, evictions, more events than the stream holds, pause and resume), for every sort
// and filter, the rows after each frame are exactly what a full scan and a stable sort give.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {taskMatcher} from '../../source/state/selectors.js';
import {Store} from '../../source/state/store.js';
import type {Task} from '../../source/state/types.js';
import {random} from '../helpers/random.js';
import {
	DEFAULT_QUERY,
	TaskIndex,
	TASK_SORTS,
	type TaskQuery,
	type TaskSort,
} from '../../source/ui/task-index.js';

const T = 1_795_771_600;

const NAMES = ['demo.add', 'demo.fail', 'mail.send'];
const KINDS = [
	'task-received',
	'task-started',
	'task-succeeded',
	'task-failed',
	'task-retried',
	'task-revoked',
];

/** What each sort means, said independently of the index: the value a row is ordered by. */
function valueOf(sort: TaskSort, task: Task): number | string {
	switch (sort) {
		case 'recent':
			return 0; // all equal: the recency order of allTasks() stays (a stable sort)
		case 'id':
			return task.uuid;
		case 'name':
			return task.name ?? '';
		case 'state':
			return task.state;
		case 'worker':
			return task.worker ?? task.client ?? '';
		case 'received':
			return task.received ?? task.sent ?? task.timestamp;
		case 'runtime':
			// Running tasks first (the longest running on top), then the finished by runtime.
			if (task.runtime !== undefined) return task.runtime;
			return task.state === 'STARTED' && task.started !== undefined ? 1e12 - task.started : -1;
	}
}

function fullScan(store: Store, query: TaskQuery): string[] {
	const newestFirst = store.getSnapshot().allTasks().filter(taskMatcher(query.filter));
	const sign = query.descending ? -1 : 1;
	const sorted =
		query.sort === 'recent'
			? query.descending
				? newestFirst
				: [...newestFirst].reverse()
			: [...newestFirst].sort((a, b) => {
					const x = valueOf(query.sort, a);
					const y = valueOf(query.sort, b);
					return x < y ? -sign : x > y ? sign : 0;
				});
	return sorted.map((t) => t.uuid);
}

function frames(query: TaskQuery, seed: number): {rebuilds: number; frames: number} {
	const next = random(seed);
	const store = new Store({now: T, maxTasks: 200, streamSize: 500});
	const index = new TaskIndex(query);
	let now = T;
	let created = 0;
	const count = 300;
	for (let frame = 0; frame < count; frame++) {
		now += 0.1;
		const events: CeleryEvent[] = [];
		// Mostly small frames; now and then more events than the stream (500) holds.
		const size = next() < 0.03 ? 700 : Math.floor(next() * 20);
		for (let i = 0; i < size; i++) {
			const fresh = next() < 0.4 || created === 0;
			const n = fresh ? created++ : Math.floor(next() * created);
			const uuid = `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
			const type = fresh ? 'task-received' : KINDS[Math.floor(next() * KINDS.length)]!;
			events.push({
				type,
				hostname: `w${n % 3}@vm`,
				timestamp: now + (n % 7),
				uuid,
				...(type === 'task-succeeded' ? {runtime: (n % 13) / 10} : {}),
				...(fresh ? {name: NAMES[n % NAMES.length]} : {}),
			} as CeleryEvent);
		}
		store.applyBatch(events, now);
		if (next() < 0.03) store.setPaused(!store.isPaused(), now);
		store.flush(now);
		const rows = index.update(store.getSnapshot());
		const want = fullScan(store, query);
		const got = rows.slice(0, rows.length).map((t) => t.uuid);
		assert.deepEqual(got, want, `${JSON.stringify(query)}, frame ${frame}`);
		// The cursor's view of the same rows: a position and an id lead to each other.
		if (want.length > 0) {
			const at = Math.floor(next() * want.length);
			assert.equal(rows.keys.at(at), want[at]);
			assert.equal(rows.keys.indexOf(want[at]!), at);
			assert.equal(rows.at(at)?.uuid, want[at]);
		}
		assert.equal(rows.keys.indexOf('not-a-task'), -1);
	}
	assert.ok(created > 200, 'tasks were evicted along the way');
	return {rebuilds: index.rebuilds, frames: count};
}

test('rows equal a full scan and sort after every frame, for every sort, both directions, with and without a filter', () => {
	let seed = 1;
	for (const sort of TASK_SORTS)
		for (const descending of [true, false])
			for (const filter of ['', 'demo.fail', 'FAILURE', 'w2'])
				frames({...DEFAULT_QUERY, sort, descending, filter}, seed++);
});

test('a frame moves only what changed: the list is rebuilt only on pause, resume and missed events', () => {
	const {rebuilds, frames: count} = frames({...DEFAULT_QUERY, sort: 'name'}, 99);
	assert.ok(rebuilds < count / 5, `${rebuilds} rebuilds in ${count} frames`);
});

test('stuck only: the running tasks past their threshold and those whose worker went offline', () => {
	const store = new Store({now: T, stuckAfter: 60});
	const run = (uuid: string, host: string, started: number) => [
		{type: 'task-received', hostname: host, timestamp: started, uuid, name: 'slow'},
		{type: 'task-started', hostname: host, timestamp: started, uuid},
	];
	store.applyBatch(
		[
			{type: 'worker-online', hostname: 'a@vm', timestamp: T, freq: 2},
			{type: 'worker-online', hostname: 'b@vm', timestamp: T, freq: 2},
			...run('long', 'a@vm', T - 120),
			...run('fresh', 'a@vm', T - 5),
			...run('orphan', 'b@vm', T - 5),
			{type: 'worker-offline', hostname: 'b@vm', timestamp: T},
		] as CeleryEvent[],
		T,
	);
	store.flush(T);
	const snapshot = store.getSnapshot();
	assert.equal(snapshot.stuckCount, 1);
	assert.equal(snapshot.lostCount, 1);
	const rows = new TaskIndex({...DEFAULT_QUERY, stuckOnly: true, sort: 'id', descending: false}).update(
		snapshot,
	);
	assert.deepEqual(
		rows.slice(0).map((t) => t.uuid),
		['long', 'orphan'],
	);
	assert.equal(rows.total, 3, 'out of the 3 running');
});
