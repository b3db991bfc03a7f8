// What the main thread and the history writer's thread say to each other (history/writer.ts and
// history/writer-worker.ts).
import type {HistoryStats} from '../ports/history.js';
import type {CeleryEvent} from '../protocol/types.js';

export type WorkerStart = {readonly path: string; readonly broker: string};

export type ToWorker =
	| {readonly type: 'events'; readonly events: readonly CeleryEvent[]; readonly at: number}
	| {readonly type: 'gap'; readonly from: number; readonly to: number; readonly reason: string}
	| {readonly type: 'close'};

export type FromWorker =
	| {readonly type: 'ready'}
	| {readonly type: 'failed'; readonly error: string}
	| {readonly type: 'error'; readonly error: string}
	| {readonly type: 'closed'; readonly stats: HistoryStats; readonly error?: string};
