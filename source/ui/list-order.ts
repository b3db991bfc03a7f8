// Pure: the Tasks and Workers panes' sort (htop's < and >, I inverts), the stuck-only toggle and the
// marked tasks (htop's tag): what the keys change in the UI state. The rows themselves come from
// task-index.ts (tasks) and worker-order.ts (workers).
import type {Task} from '../state/types.js';
import type {RowList} from './row-list.js';
import {TASK_SORTS, type TaskSort} from './task-index.js';
import {WORKER_SORTS, type WorkerSort} from './worker-order.js';

export type SortOf<C extends string> = {readonly column: C; readonly descending: boolean};

/** The most marks kept: a mark on every one of 100,000 tasks would make a confirmation no one reads. */
export const MAX_MARKS = 10_000;

/** Columns whose natural first look is biggest first (newest, longest, most). */
const DESCENDING_FIRST = new Set<string>([
	'recent',
	'received',
	'runtime',
	'active',
	'processed',
	'load',
	'heartbeat',
]);

function step<C extends string>(columns: readonly C[], sort: SortOf<C>, by: 1 | -1): SortOf<C> {
	const i = columns.indexOf(sort.column);
	const column = columns[(i + by + columns.length) % columns.length]!;
	return {column, descending: DESCENDING_FIRST.has(column)};
}

export function nextTaskSort(sort: SortOf<TaskSort>, by: 1 | -1): SortOf<TaskSort> {
	return step(TASK_SORTS, sort, by);
}

export function nextWorkerSort(sort: SortOf<WorkerSort>, by: 1 | -1): SortOf<WorkerSort> {
	return step(WORKER_SORTS, sort, by);
}

export function invert<C extends string>(sort: SortOf<C>): SortOf<C> {
	return {...sort, descending: !sort.descending};
}

const COLUMN_NAMES: Record<string, string> = {recent: 'last event', runtime: 'runtime', hostname: 'name'};

/** The pane title's sort words: `sort RUNTIME ↓`; nothing for the default order. */
export function sortTitle<C extends string>(sort: SortOf<C>, defaultSort: SortOf<C>): string {
	if (sort.column === defaultSort.column && sort.descending === defaultSort.descending) return '';
	const name = COLUMN_NAMES[sort.column] ?? sort.column;
	return `sort ${name.toUpperCase()} ${sort.descending ? '↓' : '↑'}`;
}

/** Mark or unmark one task. */
export function toggleMark(marked: ReadonlySet<string>, uuid: string): ReadonlySet<string> {
	const next = new Set(marked);
	if (next.has(uuid)) next.delete(uuid);
	else if (next.size < MAX_MARKS) next.add(uuid);
	return next;
}

/** Mark every row shown (the filter and stuck-only apply), up to MAX_MARKS in all. */
export function markAll(marked: ReadonlySet<string>, rows: RowList<Task>): ReadonlySet<string> {
	const next = new Set(marked);
	const shown = rows.slice(0, Math.min(rows.length, MAX_MARKS));
	for (const task of shown) {
		if (next.size >= MAX_MARKS) break;
		next.add(task.uuid);
	}
	return next;
}
