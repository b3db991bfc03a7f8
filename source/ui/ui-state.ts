// Pure UI state: focus, selection per pane, overlays, dialogs, filter, log.
import type {Worker} from '../state/types.js';
import {isAlive} from '../state/worker.js';
import {scrollOffset} from './hooks/use-scroll-window.js';
import {editText, type Modal} from './modal.js';
import {initialRedisState, type RedisUiState} from './redis/state.js';
export type PaneId = 'workers' | 'tasks' | 'stream';
export const PANES: readonly PaneId[] = ['workers', 'tasks', 'stream'];

/** A selection follows its row by key; with no key it stays on the first row (follow newest). */
export type Selection = {readonly key: string | undefined; readonly index: number; readonly offset: number};

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
};

const LOG_CAP = 200;
export const LOG_LINES_SHOWN = 3;

/** Add a batch of lines to the log; the footer shows this batch (up to LOG_LINES_SHOWN lines). */
export function addLog(ui: UiState, lines: readonly string[]): UiState {
	if (lines.length === 0) return ui;
	return {
		...ui,
		log: [...ui.log, ...lines].slice(-LOG_CAP),
		logShown: Math.min(LOG_LINES_SHOWN, lines.length),
	};
}

export const TOP: Selection = {key: undefined, index: 0, offset: 0};

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
};

/** Where the selection is now in `keys` (the pane's current row keys). */
export function resolveIndex(selection: Selection, keys: readonly string[]): number {
	if (keys.length === 0) return 0;
	if (selection.key !== undefined) {
		const found = keys.indexOf(selection.key);
		if (found !== -1) return found;
	}
	return Math.min(selection.index, keys.length - 1);
}

/** Move a pane's cursor by `delta` rows ('top'/'bottom' for the ends). */
export function moveSelection(
	selection: Selection,
	keys: readonly string[],
	delta: number | 'top' | 'bottom',
): Selection {
	if (keys.length === 0) return selection;
	const current = resolveIndex(selection, keys);
	const target =
		delta === 'top'
			? 0
			: delta === 'bottom'
				? keys.length - 1
				: Math.max(0, Math.min(keys.length - 1, current + delta));
	// Back on the first row: follow the newest again, like top(1).
	if (target === 0) return {...TOP, offset: 0};
	return {key: keys[target], index: target, offset: selection.offset};
}

/** Move a list's cursor and keep it in a window of `rows` visible rows. */
export function moveInList(
	current: Selection,
	keys: readonly string[],
	rows: number,
	delta: number | 'top' | 'bottom',
): Selection {
	const currentOffset = scrollOffset(resolveIndex(current, keys), current.offset, rows, keys.length);
	const moved = moveSelection(current, keys, delta);
	return {...moved, offset: scrollOffset(resolveIndex(moved, keys), currentOffset, rows, keys.length)};
}

/** Where a list's cursor is and which row is shown first, for rendering. */
export function windowOf(
	selection: Selection,
	keys: readonly string[],
	rows: number,
): {readonly index: number; readonly offset: number} {
	const index = resolveIndex(selection, keys);
	return {index, offset: scrollOffset(index, selection.offset, rows, keys.length)};
}

export function nextPane(focus: PaneId, step: 1 | -1): PaneId {
	const i = PANES.indexOf(focus);
	return PANES[(i + step + PANES.length) % PANES.length]!;
}

/**
 * A key while the filter line is open: printable keys type, Backspace deletes, Enter keeps the
 * filter and closes the line, Esc clears it. Filtering is live as the operator types.
 */
export function editFilter(ui: UiState, key: string): UiState {
	if (key === 'enter') return {...ui, filterOpen: false};
	if (key === 'escape') return {...ui, filter: '', filterOpen: false};
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
