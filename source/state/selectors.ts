// Pure read helpers for the UI. They run once per frame, never per event.
import type {ClusterState} from './cluster.js';
import type {StreamEntry, Task, Worker} from './types.js';
import {isAlive} from './worker.js';

/** Tasks by recency of their last event, newest first, at most `limit`. */
export function tasksNewestFirst(state: ClusterState, limit?: number): Task[] {
	return state.tasks.valuesNewestFirst(limit);
}

/** Workers sorted by hostname (code-point order, stable across locales). */
export function workersSorted(state: ClusterState): Worker[] {
	return Array.from(state.workers.values()).sort((a, b) =>
		a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0,
	);
}

/** Case-insensitive substring match over name, uuid, state and worker. An empty filter matches all. */
export function taskMatches(task: Task, filterText: string): boolean {
	const needle = filterText.trim().toLowerCase();
	if (needle === '') return true;
	return (
		task.uuid.toLowerCase().includes(needle) ||
		task.state.toLowerCase().includes(needle) ||
		(task.name !== undefined && task.name.toLowerCase().includes(needle)) ||
		(task.worker !== undefined && task.worker.toLowerCase().includes(needle))
	);
}

/** Distinct strings whose answer a matcher remembers (names, states and hostnames are few). */
const MEMO_CAP = 4_096;
const UPPER = /[A-Z]/;

/**
 * A test for one filter text, to run over many tasks: the needle is lowered once, and the answer
 * for each distinct name, state and worker (interned strings, few of them) is remembered, so a pass
 * over 100,000 tasks lowers no strings but the odd upper-case uuid.
 */
export function taskMatcher(filterText: string): (task: Task) => boolean {
	const needle = filterText.trim().toLowerCase();
	if (needle === '') return () => true;
	const memo = new Map<string, boolean>();
	const has = (text: string | undefined): boolean => {
		if (text === undefined) return false;
		let found = memo.get(text);
		if (found === undefined) {
			found = text.toLowerCase().includes(needle);
			if (memo.size < MEMO_CAP) memo.set(text, found);
		}
		return found;
	};
	return (task) =>
		task.uuid.includes(needle) ||
		(UPPER.test(task.uuid) && task.uuid.toLowerCase().includes(needle)) ||
		has(task.state) ||
		has(task.name) ||
		has(task.worker);
}

/**
 * A test for the event stream: an event matches when its task matches (name, state, worker, id,
 * looked up by uuid: task-started, task-succeeded … carry only the uuid), or when its own type or
 * hostname contains the text. An event whose task is no longer kept is tested on its own fields.
 */
export function streamMatcher(
	filterText: string,
	taskById: (uuid: string) => Task | undefined,
): (entry: StreamEntry) => boolean {
	const needle = filterText.trim().toLowerCase();
	if (needle === '') return () => true;
	const task = taskMatcher(needle);
	const memo = new Map<string, boolean>();
	const has = (value: unknown): boolean => {
		if (typeof value !== 'string') return false;
		let found = memo.get(value);
		if (found === undefined) {
			found = value.toLowerCase().includes(needle);
			if (memo.size < MEMO_CAP) memo.set(value, found);
		}
		return found;
	};
	return (entry) => {
		const e = entry.event as Record<string, unknown>;
		if (has(e['type']) || has(e['hostname'])) return true;
		const uuid = e['uuid'];
		if (typeof uuid !== 'string') return false;
		const known = taskById(uuid);
		if (known) return task(known);
		return uuid.toLowerCase().includes(needle) || has(e['name']);
	};
}

/** Tasks matching the filter, newest first, at most `limit`. */
export function filterTasks(
	state: ClusterState,
	filterText: string,
	limit = Number.POSITIVE_INFINITY,
): Task[] {
	const matches = taskMatcher(filterText);
	const result: Task[] = [];
	for (const task of state.tasks.valuesNewestFirst()) {
		if (result.length >= limit) break;
		if (matches(task)) result.push(task);
	}
	return result;
}

/** How many known workers are alive at `now`. */
export function aliveCount(state: ClusterState, now: number): number {
	let count = 0;
	for (const worker of state.workers.values()) if (isAlive(worker, now)) count++;
	return count;
}
