// Pure read helpers for the UI. They run once per frame, never per event.
import type {ClusterState} from './cluster.js';
import type {Task, Worker} from './types.js';
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

/** Tasks matching the filter, newest first, at most `limit`. */
export function filterTasks(
	state: ClusterState,
	filterText: string,
	limit = Number.POSITIVE_INFINITY,
): Task[] {
	const result: Task[] = [];
	for (const task of state.tasks.valuesNewestFirst()) {
		if (result.length >= limit) break;
		if (taskMatches(task, filterText)) result.push(task);
	}
	return result;
}

/** How many known workers are alive at `now`. */
export function aliveCount(state: ClusterState, now: number): number {
	let count = 0;
	for (const worker of state.workers.values()) if (isAlive(worker, now)) count++;
	return count;
}
