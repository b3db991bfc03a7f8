// What a frame of the Celery screen costs in the state and the Tasks pane's index, with 10,000 and
// with 100,000 tasks retained: the store's snapshot (flush) and the index brought up to it
// (task-index.ts), for the default order, a filter, a sort, and a sort with a filter, at 2,000
// events a frame (20,000 ev/s at 10 frames/s). A full rebuild (a new query) is timed apart: it
// happens once per key press, not per frame. Prints JSON: medians in ms.
// Run: node --import tsx bench/frame-cost.ts
import type {CeleryEvent} from '../source/protocol/types.js';
import {Store} from '../source/state/store.js';
import {DEFAULT_QUERY, TaskIndex, type TaskQuery} from '../source/ui/task-index.js';

const NOW = 1_795_771_600;
const NAMES = ['demo.add', 'demo.sleep', 'demo.fail', 'reports.daily', 'mail.send'];
const id = (i: number) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;

/** The events of task i, one lifecycle step at a time (received, started, succeeded or failed). */
function eventOf(i: number, stage: number, t: number): CeleryEvent {
	const host = `w${i % 50}@vm`;
	const uuid = id(i);
	if (stage === 0)
		return {
			type: 'task-received',
			hostname: host,
			timestamp: t,
			uuid,
			name: NAMES[i % 5],
			args: `(${i},)`,
			kwargs: '{}',
		} as CeleryEvent;
	if (stage === 1) return {type: 'task-started', hostname: host, timestamp: t, uuid} as CeleryEvent;
	return i % 7 === 0
		? ({type: 'task-failed', hostname: host, timestamp: t, uuid, exception: 'E'} as CeleryEvent)
		: ({
				type: 'task-succeeded',
				hostname: host,
				timestamp: t,
				uuid,
				runtime: (i % 100) / 50,
				result: '1',
			} as CeleryEvent);
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

const QUERIES: Record<string, TaskQuery> = {
	'newest first (default)': DEFAULT_QUERY,
	'filter demo.add': {...DEFAULT_QUERY, filter: 'demo.add'},
	'sort RUNTIME ↓': {...DEFAULT_QUERY, sort: 'runtime'},
	'sort NAME ↑ + filter FAILURE': {...DEFAULT_QUERY, sort: 'name', descending: false, filter: 'FAILURE'},
};

function measure(retained: number, query: TaskQuery) {
	const store = new Store({now: NOW, maxTasks: retained, streamSize: 10_000});
	// Fill: every task through its lifecycle, then keep new tasks coming (evictions every frame).
	let next = 0;
	const fill: CeleryEvent[] = [];
	for (; next < retained; next++)
		for (let stage = 0; stage < 3; stage++) fill.push(eventOf(next, stage, NOW));
	store.applyBatch(fill, NOW);
	store.flush(NOW);
	const index = new TaskIndex(query);
	let t0 = performance.now();
	index.update(store.getSnapshot());
	const rebuild = performance.now() - t0;
	const flushes: number[] = [];
	const updates: number[] = [];
	const windows: number[] = [];
	let now = NOW;
	for (let frame = 0; frame < 60; frame++) {
		now += 0.1;
		// 2,000 events: new tasks' lifecycles (a third each stage) over the newest 1,000 tasks.
		const events: CeleryEvent[] = [];
		for (let j = 0; j < 2_000; j++) {
			const stage = j % 3;
			const task = stage === 0 ? next++ : next - 1 - ((j * 7) % 600);
			events.push(eventOf(task, stage, now));
		}
		store.applyBatch(events, now);
		t0 = performance.now();
		store.flush(now);
		flushes.push(performance.now() - t0);
		t0 = performance.now();
		const rows = index.update(store.getSnapshot());
		updates.push(performance.now() - t0);
		t0 = performance.now();
		rows.slice(0, 40);
		rows.keys.indexOf(id(next - 300));
		windows.push(performance.now() - t0);
	}
	return {
		retained: store.getSnapshot().taskCount,
		rebuildMs: rebuild,
		flushMs: median(flushes),
		indexMs: median(updates),
		windowMs: median(windows),
		rebuildsDuringFrames: index.rebuilds - 1,
	};
}

const report: Record<string, unknown> = {};
for (const [name, query] of Object.entries(QUERIES))
	for (const retained of [10_000, 100_000]) report[`${name}, ${retained} tasks`] = measure(retained, query);
console.log(JSON.stringify(report, null, 2));
