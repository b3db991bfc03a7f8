// Pure: how the screen is shared between header, panes and footer for a terminal size.
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 20;
/** Rows the footer may take beyond the key hints: filter line, log lines, a dialog. */
export const MAX_FOOTER_EXTRA = 8;

export type Layout = {
	readonly header: number;
	/** 1 for the queue-depth line above the panes (the Celery screen, with the Redis inspector). */
	readonly queues: number;
	/** 1 when the workers pane is folded into its one-line summary. */
	readonly workers: number;
	readonly workersFolded: boolean;
	readonly tasks: number;
	readonly stream: number;
	/**
	 * The list pane not focused (tasks or events) folded into a one-line summary: a bordered pane
	 * would show it one row, in five lines.
	 */
	readonly otherFolded: boolean;
	readonly footer: number;
	/** Full height for an overlay (detail, help) in place of the panes. */
	readonly overlay: number;
};

/** Below this many rows for the panes, the workers pane folds into one line unless it is focused. */
export const FOLD_WORKERS_BELOW = 30;
/** The rows a focused list pane gets first when space is short: 10 rows of the list. */
const FOCUSED_FIRST = 14;
/** The smallest bordered list pane worth its borders: its title, header and two rows. */
const SMALLEST_PANE = 6;

/**
 * The focused list (tasks or events) gets the room; the other what is left if it can show two rows,
 * else it folds into one line (its newest row), or goes when even the focused pane is short.
 */
function share(rest: number): {focused: number; other: number; folded: boolean} {
	if (rest - FOCUSED_FIRST >= SMALLEST_PANE) {
		const other = Math.max(SMALLEST_PANE, Math.min(rest - FOCUSED_FIRST, Math.floor(rest * 0.4)));
		return {focused: rest - other, other, folded: false};
	}
	// Short of that (a dialog open on a short screen), the focused pane keeps every row.
	if (rest >= FOCUSED_FIRST - 2) return {focused: rest - 1, other: 1, folded: true};
	return {focused: rest, other: 0, folded: false};
}

/**
 * Rows for each part. Ink redraws the whole screen when a frame is as tall as the terminal,
 * so one row is left free. The focused pane gets the room: on a short screen (80×24) the workers
 * pane folds into a one-line summary and opens when focused; the workers pane fits its rows up to a
 * third of the space.
 */
export function computeLayout(
	rows: number,
	workerCount: number,
	footerExtra: number,
	focus: 'workers' | 'tasks' | 'stream' = 'tasks',
	queueLine = false,
): Layout {
	const header = 2;
	const footer = 1 + footerExtra;
	const queues = queueLine ? 1 : 0;
	const body = Math.max(0, rows - 1 - header - footer - queues);
	const fold = focus !== 'workers' && body < FOLD_WORKERS_BELOW;
	const fair = Math.min(body, Math.max(5, Math.min(workerCount + 4, Math.floor(body / 3))));
	// Squeezed (a dialog open on a short terminal): the workers pane gives the tasks pane one row, so
	// the task a dialog names stays in sight, unless a worker is what the operator is looking at.
	const open =
		body - fair < 5 && focus !== 'workers' ? Math.max(Math.min(3, body), Math.min(fair, body - 5)) : fair;
	const workers = fold ? Math.min(1, body) : open;
	const rest = body - workers;
	const {focused, other, folded} = share(rest);
	const streamFocused = focus === 'stream';
	return {
		header,
		queues,
		workers,
		workersFolded: fold,
		tasks: streamFocused ? other : focused,
		stream: streamFocused ? focused : other,
		otherFolded: folded,
		footer,
		overlay: body + queues,
	};
}

export function tooSmall(columns: number, rows: number): boolean {
	return columns < MIN_COLUMNS || rows < MIN_ROWS;
}
