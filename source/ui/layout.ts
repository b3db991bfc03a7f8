// Pure: how the screen is shared between header, panes and footer for a terminal size.
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 20;
/** Rows the footer may take beyond the key hints: filter line, log lines, a dialog. */
export const MAX_FOOTER_EXTRA = 8;

export type Layout = {
	readonly header: number;
	readonly workers: number;
	readonly tasks: number;
	readonly stream: number;
	readonly footer: number;
	/** Full height for an overlay (detail, help) in place of the panes. */
	readonly overlay: number;
};

/**
 * Rows for each part. Ink redraws the whole screen when a frame is as tall as the terminal,
 * so one row is left free. The workers pane fits its rows up to a third of the space.
 */
export function computeLayout(
	rows: number,
	workerCount: number,
	footerExtra: number,
	focus: 'workers' | 'tasks' | 'stream' = 'tasks',
): Layout {
	const header = 2;
	const footer = 1 + footerExtra;
	const body = Math.max(0, rows - 1 - header - footer);
	const fair = Math.min(body, Math.max(5, Math.min(workerCount + 4, Math.floor(body / 3))));
	// Squeezed (a dialog open on a short terminal): the workers pane gives the tasks pane one row, so
	// the task a dialog names stays in sight, unless a worker is what the operator is looking at.
	const workers =
		body - fair < 5 && focus !== 'workers' ? Math.max(Math.min(3, body), Math.min(fair, body - 5)) : fair;
	const rest = body - workers;
	// With little room (a dialog open on a short terminal), the event stream gives way.
	const stream = rest >= 10 ? Math.max(5, Math.floor(rest * 0.4)) : 0;
	return {header, workers, tasks: rest - stream, stream, footer, overlay: body};
}

export function tooSmall(columns: number, rows: number): boolean {
	return columns < MIN_COLUMNS || rows < MIN_ROWS;
}
