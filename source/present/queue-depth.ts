// The main screen's queue line, pure: the last samples of every queue's length (from the queue-depth
// poller), each queue's trend over the last seconds, and one line fitted to a width: biggest queue
// first, `… +N more` for what does not fit. Time comes in as `at` (epoch seconds); widths are in code
// points, as elsewhere on the screen (ui/format.ts `fit`).
import {sanitize} from '../protocol/sanitize.js';

/** One queue's waiting messages in one read (the port's QueueDepth). */
export type DepthReading = {readonly queue: string; readonly messages: number};

export type DepthSample = {readonly at: number; readonly depths: ReadonlyMap<string, number>};

export type QueueDepthState = {
	/** Oldest first, spanning at most the trend window. */
	readonly samples: readonly DepthSample[];
	/** The last read failed with this line (the samples are kept for when it mends). */
	readonly error: string | undefined;
};

/** The trend is the change over this many seconds (5 reads at 2 s). */
export const TREND_WINDOW_S = 10;
/** Samples kept at most, whatever the cadence. */
export const MAX_SAMPLES = 32;
/** A queue name is cut to this many code points on the line. */
export const NAME_MAX = 24;

export const EMPTY_DEPTHS: QueueDepthState = {samples: [], error: undefined};

/** Add a read: samples older than the window before it are dropped, one before the window is kept. */
export function withSample(
	state: QueueDepthState,
	at: number,
	readings: readonly DepthReading[],
	windowSeconds = TREND_WINDOW_S,
): QueueDepthState {
	const depths = new Map<string, number>();
	for (const {queue, messages} of readings) depths.set(queue, messages);
	const kept = state.samples.filter((sample) => sample.at < at && sample.at >= at - windowSeconds);
	const samples = [...kept, {at, depths}].slice(-MAX_SAMPLES);
	return {samples, error: undefined};
}

export function withError(state: QueueDepthState, error: string): QueueDepthState {
	return {samples: state.samples, error};
}

export type QueueTrend = {
	readonly queue: string;
	readonly messages: number;
	/** Messages per second over the window; undefined until two reads saw the queue. */
	readonly perSecond: number | undefined;
};

/** Every queue of the newest read, biggest first (then by name), with its trend. */
export function queueTrends(state: QueueDepthState): QueueTrend[] {
	const newest = state.samples.at(-1);
	if (!newest) return [];
	const trends: QueueTrend[] = [];
	for (const [queue, messages] of newest.depths) {
		const first = state.samples.find((sample) => sample.at < newest.at && sample.depths.has(queue));
		const perSecond =
			first === undefined ? undefined : (messages - first.depths.get(queue)!) / (newest.at - first.at);
		trends.push({queue, messages, perSecond});
	}
	return trends.sort(
		(a, b) => b.messages - a.messages || (a.queue < b.queue ? -1 : a.queue > b.queue ? 1 : 0),
	);
}

const MINUS = '\u2212';

/** `+12/s`, `−3/s`, `+0.4/s`, `+1.5k/s`; `=` when it holds still; '' when not known yet. */
export function formatTrend(perSecond: number | undefined): string {
	if (perSecond === undefined || !Number.isFinite(perSecond)) return '';
	const size = Math.abs(perSecond);
	if (size < 0.05) return '=';
	const sign = perSecond > 0 ? '+' : MINUS;
	const figure =
		size < 0.95 ? size.toFixed(1) : size < 999.5 ? String(Math.round(size)) : `${(size / 1000).toFixed(1)}k`;
	return `${sign}${figure}/s`;
}

/** `0`, `1,204`, `3.4M`. */
export function formatDepth(messages: number): string {
	if (messages >= 1_000_000) return `${(messages / 1_000_000).toFixed(1)}M`;
	return Math.round(messages).toLocaleString('en-US');
}

export type LineTone = 'label' | 'name' | 'count' | 'idle' | 'up' | 'down' | 'flat' | 'muted' | 'error';
export type LinePart = {readonly text: string; readonly tone: LineTone};
export type QueueLine = {readonly parts: readonly LinePart[]; readonly text: string};

const LABEL = 'queues ';
const SEPARATOR = ' · ';

const length = (text: string): number => [...text].length;
const widthOf = (parts: readonly LinePart[]): number =>
	parts.reduce((sum, part) => sum + length(part.text), 0);

/** The parts cut to `width` code points, the last kept part ending in … when anything was cut. */
export function cutParts(parts: readonly LinePart[], width: number): LinePart[] {
	if (width <= 0) return [];
	if (widthOf(parts) <= width) return [...parts];
	const out: LinePart[] = [];
	let room = width - 1;
	for (const part of parts) {
		const chars = [...part.text];
		if (chars.length >= room) {
			out.push({text: chars.slice(0, room).join('') + '…', tone: part.tone});
			return out;
		}
		out.push(part);
		room -= chars.length;
	}
	return out;
}

const line = (parts: readonly LinePart[], width: number): QueueLine => {
	const cut = cutParts(parts, width);
	return {parts: cut, text: cut.map((part) => part.text).join('')};
};

function cutName(queue: string): string {
	const chars = [...sanitize(queue)];
	return chars.length > NAME_MAX ? chars.slice(0, NAME_MAX - 1).join('') + '…' : chars.join('');
}

function trendTone(perSecond: number | undefined, text: string): LineTone {
	if (text === '=' || perSecond === undefined) return 'flat';
	return perSecond > 0 ? 'up' : 'down';
}

function itemParts(trend: QueueTrend): LinePart[] {
	const parts: LinePart[] = [
		{text: cutName(trend.queue), tone: 'name'},
		{text: ` ${formatDepth(trend.messages)}`, tone: trend.messages === 0 ? 'idle' : 'count'},
	];
	const text = formatTrend(trend.perSecond);
	if (text) parts.push({text: ` ${text}`, tone: trendTone(trend.perSecond, text)});
	return parts;
}

const more = (count: number): LinePart => ({text: `… +${count} more`, tone: 'muted'});
const separator: LinePart = {text: SEPARATOR, tone: 'muted'};

/**
 * The line for a width: `queues celery 1,204 +12/s · emails 37 −3/s · … +4 more`. Before the first
 * read, after an error, or when no queue holds or moves a message: one short line that says so.
 */
export function queueLine(state: QueueDepthState, width: number): QueueLine {
	const label: LinePart = {text: LABEL, tone: 'label'};
	if (state.error !== undefined) return line([label, {text: sanitize(state.error), tone: 'error'}], width);
	const trends = queueTrends(state);
	if (state.samples.length === 0) return line([label, {text: 'reading…', tone: 'muted'}], width);
	if (trends.length === 0) return line([label, {text: 'none found', tone: 'muted'}], width);
	const idle = trends.every(
		(t) => t.messages === 0 && (t.perSecond === undefined || formatTrend(t.perSecond) === '='),
	);
	if (idle) {
		const names = trends.map((t) => cutName(t.queue)).join(', ');
		const hint = trends.length === 1 ? `${names} empty` : `all ${trends.length} empty (${names})`;
		return line([label, {text: hint, tone: 'muted'}], width);
	}
	const parts: LinePart[] = [label];
	for (let i = 0; i < trends.length; i++) {
		const item = itemParts(trends[i]!);
		const left = trends.length - i - 1;
		const next = [...(i > 0 ? [separator] : []), ...item];
		const reserve = left > 0 ? length(SEPARATOR) + length(more(left).text) : 0;
		if (widthOf(parts) + widthOf(next) + reserve > width) {
			// The biggest queue is shown even when cut; the rest are counted.
			if (i === 0) {
				const tail = left > 0 ? [separator, more(left)] : [];
				const room = width - length(LABEL) - widthOf(tail);
				return line([label, ...(room >= 6 ? cutParts(item, room) : item), ...tail], width);
			}
			parts.push(separator, more(trends.length - i));
			return line(parts, width);
		}
		parts.push(...next);
	}
	return line(parts, width);
}
