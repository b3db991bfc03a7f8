// Pure formatting for the views: numbers, durations, ages, times, cell fitting.
import stringWidth from 'string-width';

export function formatCount(n: number): string {
	return Math.round(n).toLocaleString('en-US');
}

export function formatRate(perSecond: number): string {
	if (perSecond >= 100) return `${Math.round(perSecond)}/s`;
	return `${perSecond.toFixed(1)}/s`;
}

/** A task runtime: 350ms, 1.23s, 2m05s, 1h02m. */
export function formatDuration(seconds: number | undefined): string {
	if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
	if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
	if (seconds < 60) return `${seconds.toFixed(2)}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
	return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** Whole seconds so far, for what is still running: 7s, 3m05s, 2h04m. */
export function formatElapsed(seconds: number): string {
	const s = Math.max(0, Math.floor(seconds));
	if (s < 60) return `${s}s`;
	const minutes = Math.floor(s / 60);
	if (minutes < 60) return `${minutes}m${String(s % 60).padStart(2, '0')}s`;
	return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** How long ago: 0s, 42s, 3m, 2h, 5d. */
export function formatAge(seconds: number | undefined): string {
	if (seconds === undefined || !Number.isFinite(seconds)) return '-';
	const s = Math.max(0, seconds);
	if (s < 60) return `${Math.floor(s)}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m`;
	if (s < 86_400) return `${Math.floor(s / 3600)}h`;
	return `${Math.floor(s / 86_400)}d`;
}

function pad2(n: number): string {
	return String(n).padStart(2, '0');
}

/** Wall-clock time of an epoch-seconds timestamp, in the local zone: 14:03:07. */
export function formatClock(epochSeconds: number | undefined): string {
	if (epochSeconds === undefined || !Number.isFinite(epochSeconds)) return '';
	const d = new Date(epochSeconds * 1000);
	if (Number.isNaN(d.getTime())) return '';
	return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** Full local date and time with milliseconds: 2026-11-27 14:03:07.123. */
export function formatDateTime(epochSeconds: number | undefined): string {
	if (epochSeconds === undefined || !Number.isFinite(epochSeconds)) return '';
	const d = new Date(epochSeconds * 1000);
	if (Number.isNaN(d.getTime())) return '';
	const ms = String(d.getMilliseconds()).padStart(3, '0');
	return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${formatClock(epochSeconds)}.${ms}`;
}

export function formatLoad(loadavg: readonly number[] | undefined): string {
	if (!loadavg || loadavg.length === 0) return '';
	return loadavg
		.slice(0, 3)
		.map((n) => (Number.isFinite(n) ? n.toFixed(2) : '?'))
		.join(' ');
}

/** Text that is one terminal cell per character (the common case: no lookup needed). */
const NARROW = /^[\x20-\x7e]*$/;

/** Terminal cells a text takes: CJK and emoji take two, combining marks none (string-width, as Ink counts). */
export function cellWidth(text: string): number {
	return NARROW.test(text) ? text.length : stringWidth(text);
}

/** Cut text to a width in terminal cells, ending in … when cut, then pad it. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) return '';
	let out = text;
	let used = cellWidth(text);
	if (used > width) {
		out = '';
		used = 0;
		for (const char of text) {
			const w = cellWidth(char);
			if (used + w > width - 1) break;
			out += char;
			used += w;
		}
		out += '…';
		used += 1;
	}
	const padding = ' '.repeat(width - used);
	return align === 'right' ? padding + out : out + padding;
}

/** A short form of a task id for narrow columns. */
export function shortId(uuid: string, width: number): string {
	return uuid.length <= width ? uuid : uuid.slice(0, width);
}

/** Celery's event type without the group: 'task-succeeded' → 'succeeded'. */
export function eventKind(type: string): string {
	const dash = type.indexOf('-');
	return dash === -1 ? type : type.slice(dash + 1);
}

/**
 * The exception to show. Celery 5.2 on Python 3.11 sends the useless `ExceptionWithTraceback()` from
 * some pools (solo, gevent); the last line of the traceback then names the real error.
 */
export function shownException(
	exception: string | undefined,
	traceback: string | undefined,
): string | undefined {
	if (exception === undefined || !/^ExceptionWithTraceback\(\)$/.test(exception.trim()) || !traceback)
		return exception;
	const last = traceback
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean)
		.at(-1);
	return last ? `${last}  (Celery sent ExceptionWithTraceback(); read from the traceback)` : exception;
}
