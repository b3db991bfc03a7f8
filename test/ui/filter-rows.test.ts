// The tasks pane's filter keeps its matches from frame to frame: whatever arrives (new tasks, state
// changes, evictions, more events than the snapshot's stream holds, pause and resume), the rows are
// the ones a full scan gives, in the same order. The event stream matches by task.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {taskMatcher} from '../../source/state/selectors.js';
import {Store} from '../../source/state/store.js';
import {filterStreamRows, filterTaskRows, type FilteredTasks} from '../../source/ui/filter-rows.js';

const T = 1_795_771_600;

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const NAMES = ['demo.add', 'demo.fail', 'mail.send'];
const KINDS = [
	'task-received',
	'task-started',
	'task-succeeded',
	'task-failed',
	'task-retried',
	'task-revoked',
];

test('kept matches equal a full scan after every frame, for 300 random frames', () => {
	for (const filter of ['demo.add', 'FAILURE', 'w2', 'nothing', '0000003']) {
		const next = random(filter.length * 7919);
		const store = new Store({now: T, maxTasks: 200, streamSize: 500});
		let kept: FilteredTasks | undefined;
		let now = T;
		let created = 0;
		for (let frame = 0; frame < 300; frame++) {
			now += 0.1;
			const events: CeleryEvent[] = [];
			// Mostly small frames; now and then more events than the snapshot's stream (500) holds.
			const count = next() < 0.05 ? 700 : Math.floor(next() * 20);
			for (let i = 0; i < count; i++) {
				const fresh = next() < 0.4 || created === 0;
				const n = fresh ? created++ : Math.floor(next() * created);
				const uuid = `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
				const type = fresh ? 'task-received' : KINDS[Math.floor(next() * KINDS.length)]!;
				events.push({
					type,
					hostname: `w${n % 3}@vm`,
					timestamp: now,
					uuid,
					...(fresh ? {name: NAMES[n % NAMES.length]} : {}),
				} as CeleryEvent);
			}
			store.applyBatch(events, now);
			if (next() < 0.03) store.setPaused(!store.isPaused(), now);
			store.flush(now);
			const snapshot = store.getSnapshot();
			kept = filterTaskRows(kept, snapshot, filter);
			const full = snapshot.tasks.filter(taskMatcher(filter));
			assert.deepEqual(
				kept.rows.map((t) => t.uuid),
				full.map((t) => t.uuid),
				`${filter}, frame ${frame}`,
			);
		}
		assert.ok(created > 200, 'tasks were evicted along the way');
	}
});

test("changes older than the snapshot's stream reaches back are not missed: a full scan then", () => {
	const store = new Store({now: T, streamSize: 500});
	const uuid = (n: number) => `${n}-task`;
	store.applyBatch(
		Array.from({length: 20}, (_, n) => ({
			type: 'task-received',
			hostname: 'w1@vm',
			timestamp: T,
			uuid: uuid(n),
			name: 'app',
		})),
		T,
	);
	store.flush(T);
	let kept = filterTaskRows(undefined, store.getSnapshot(), 'FAILURE');
	assert.deepEqual(kept.rows, []);
	// Ten tasks fail, then 600 heartbeats: the failures are no longer in the snapshot's 500 events.
	store.applyBatch(
		[
			...Array.from({length: 10}, (_, n) => ({
				type: 'task-failed',
				hostname: 'w1@vm',
				timestamp: T + 1,
				uuid: uuid(n),
			})),
			...Array.from({length: 600}, () => ({
				type: 'worker-heartbeat',
				hostname: 'w1@vm',
				timestamp: T + 1,
				freq: 2,
			})),
		],
		T + 1,
	);
	store.flush(T + 1);
	kept = filterTaskRows(kept, store.getSnapshot(), 'FAILURE');
	assert.equal(kept.rows.length, 10);
});

test('an unchanged snapshot gives the same rows without a scan; a new filter scans again', () => {
	const store = new Store({now: T});
	store.applyBatch(
		[{type: 'task-received', hostname: 'w1@vm', timestamp: T, uuid: 'a', name: 'demo.add'}],
		T,
	);
	store.flush(T);
	const first = filterTaskRows(undefined, store.getSnapshot(), 'demo');
	assert.equal(filterTaskRows(first, store.getSnapshot(), 'demo'), first, 'same snapshot: same result');
	store.flush(T + 1); // a new second: a new snapshot, nothing changed
	const second = filterTaskRows(first, store.getSnapshot(), 'demo');
	assert.equal(second.rows, first.rows, 'no event since: the rows are reused');
	assert.deepEqual(
		filterTaskRows(second, store.getSnapshot(), 'nothing').rows,
		[],
		'another filter is scanned afresh',
	);
	assert.equal(filterTaskRows(second, store.getSnapshot(), '').rows, store.getSnapshot().tasks);
});

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
