// Pure UI state: focus, selection per pane, overlays, dialogs, filter, log.
import type {Worker} from '../state/types.js';
import {isAlive} from '../state/worker.js';
import {editText, type Modal} from './modal.js';
import {initialRedisState, type RedisUiState} from './redis/state.js';
import type {SortOf} from './list-order.js';
import {TOP, type Selection} from './selection.js';
import type {TaskSort} from './task-index.js';
import type {WorkerSort} from './worker-order.js';

// The cursor arithmetic lives in selection.ts (the Redis views' state uses it too).
export {
	holdSelection,
	isFollowing,
	moveInList,
	moveSelection,
	reconcileSelection,
	resolveIndex,
	TOP,
	windowOf,
	type Seen,
	type Selection,
} from './selection.js';

export type PaneId = 'workers' | 'tasks' | 'stream';
export const PANES: readonly PaneId[] = ['workers', 'tasks', 'stream'];

export type Overlay =
	| {readonly kind: 'help'; readonly offset: number}
	| {
			readonly kind: 'detail';
			readonly uuid: string;
			readonly offset: number;
			readonly jump?: 'result' | 'traceback';
	  }
	| {
			readonly kind: 'inspect';
			readonly hostname: string;
			readonly method: string;
			readonly offset: number;
			/** undefined while the question is on its way. */
			readonly lines: readonly string[] | undefined;
	  };

/** The screen: Celery (workers, tasks, events) or one of the Redis inspector views. */
export type View = 'celery' | 'redis' | 'memory' | 'queues' | 'keys' | 'monitor';
export const VIEWS: readonly View[] = ['celery', 'redis', 'memory', 'queues', 'keys', 'monitor'];

export type UiState = {
	readonly view: View;
	readonly focus: PaneId;
	readonly selection: Readonly<Record<PaneId, Selection>>;
	readonly overlay: Overlay | undefined;
	readonly modal: Modal | undefined;
	readonly filter: string;
	readonly filterOpen: boolean;
	/** What happened (control replies, notices), newest last; the footer shows the latest batch. */
	readonly log: readonly string[];
	readonly logShown: number;
	/** The Redis inspector views (2–6). */
	readonly redis: RedisUiState;
	/** Workers sent a shutdown: it gets no reply, so their going offline is what confirms it. */
	readonly awaitingOffline: readonly string[];
	readonly taskSort: SortOf<TaskSort>;
	readonly workerSort: SortOf<WorkerSort>;
	/** The Tasks pane shows only the stuck and lost tasks. */
	readonly stuckOnly: boolean;
	/** Marked tasks by id: revoke and terminate act on them when there are any. */
	readonly marked: ReadonlySet<string>;
};

export const DEFAULT_TASK_SORT: SortOf<TaskSort> = {column: 'recent', descending: true};
export const DEFAULT_WORKER_SORT: SortOf<WorkerSort> = {column: 'hostname', descending: false};

const LOG_CAP = 200;
export const LOG_LINES_SHOWN = 3;
/** The footer's latest lines go after this many seconds (the log keeps them; a new batch shows again). */
export const LOG_SHOWN_SECONDS = 8;

/** The shown lines go, unless a newer batch came since `log` was the latest (a pure change). */
export function hideLog(ui: UiState, log: readonly string[]): UiState {
	return ui.log === log && ui.logShown > 0 ? {...ui, logShown: 0} : ui;
}

/** Add a batch of lines to the log; the footer shows this batch (up to LOG_LINES_SHOWN lines). */
export function addLog(ui: UiState, lines: readonly string[]): UiState {
	if (lines.length === 0) return ui;
	return {
		...ui,
		log: [...ui.log, ...lines].slice(-LOG_CAP),
		logShown: Math.min(LOG_LINES_SHOWN, lines.length),
	};
}

export const initialUiState: UiState = {
	view: 'celery',
	focus: 'tasks',
	selection: {workers: TOP, tasks: TOP, stream: TOP},
	overlay: undefined,
	modal: undefined,
	filter: '',
	filterOpen: false,
	log: [],
	logShown: 0,
	redis: initialRedisState(0),
	awaitingOffline: [],
	taskSort: DEFAULT_TASK_SORT,
	workerSort: DEFAULT_WORKER_SORT,
	stuckOnly: false,
	marked: new Set(),
};

export function nextPane(focus: PaneId, step: 1 | -1): PaneId {
	const i = PANES.indexOf(focus);
	return PANES[(i + step + PANES.length) % PANES.length]!;
}

/** Typing in the open filter line (its Enter and Esc are the keymap's filter keys): live as typed. */
export function editFilter(ui: UiState, key: string): UiState {
	return {...ui, filter: editText(ui.filter, key)};
}

/** Log the workers sent a shutdown that are now offline (the confirmation a shutdown gets). */
export function confirmShutdowns(ui: UiState, workers: readonly Worker[], now: number): UiState {
	if (ui.awaitingOffline.length === 0) return ui;
	const gone = ui.awaitingOffline.filter((host) => {
		const worker = workers.find((w) => w.hostname === host);
		return worker !== undefined && !isAlive(worker, now);
	});
	if (gone.length === 0) return ui;
	const next = {...ui, awaitingOffline: ui.awaitingOffline.filter((host) => !gone.includes(host))};
	return addLog(
		next,
		gone.map((host) => `${host} went offline: shutdown confirmed`),
	);
}
