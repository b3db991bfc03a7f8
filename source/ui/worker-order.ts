// Pure: the Workers pane's rows in the order chosen (a few thousand workers at most: sorted afresh
// each frame, the retained tasks do not enter into it).
import type {Worker} from '../state/types.js';
import {heartbeatAge, isAlive} from '../state/worker.js';

export const WORKER_SORTS = ['hostname', 'status', 'active', 'processed', 'load', 'heartbeat'] as const;
export type WorkerSort = (typeof WORKER_SORTS)[number];

function valueOf(sort: WorkerSort, worker: Worker, now: number): number | string {
	switch (sort) {
		case 'hostname':
			return worker.hostname;
		case 'status':
			return isAlive(worker, now) ? 1 : 0;
		case 'active':
			return worker.active ?? -1;
		case 'processed':
			return worker.processed ?? -1;
		case 'load':
			return worker.loadavg?.[0] ?? -1;
		case 'heartbeat':
			return heartbeatAge(worker, now) ?? Number.POSITIVE_INFINITY;
	}
}

/** The workers (by hostname already) in the order of `column`; ties stay by hostname. */
export function sortWorkers(
	workers: readonly Worker[],
	sort: {readonly column: WorkerSort; readonly descending: boolean},
	now: number,
): readonly Worker[] {
	if (sort.column === 'hostname' && !sort.descending) return workers;
	const sign = sort.descending ? -1 : 1;
	return workers
		.map((worker) => ({worker, value: valueOf(sort.column, worker, now)}))
		.sort((a, b) => (a.value < b.value ? -sign : a.value > b.value ? sign : 0))
		.map((item) => item.worker);
}
