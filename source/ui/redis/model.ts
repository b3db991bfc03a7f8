// Pure: the Redis inspector state + what the feeds say → what each view shows, sized for the screen.
// The same model gives the reducer each list's row keys and visible rows, so cursor moves and the
// screen agree. No I/O, no clock (`now` is a parameter).
import type {Tone} from '../../present/redis-view.js';
import {sanitize} from '../../protocol/sanitize.js';
import {DEFAULT_SCAN_COUNT} from '../../ports/defaults.js';
import {keyFor} from '../../keys/text-keymap.js';
import {formatCount} from '../format.js';

const CANCEL = keyFor('redis.cancel');
import {theme} from '../theme.js';
import type {Job} from './state.js';
import type {MonitorSnapshot, ScanProgress, StatsSnapshot} from '../../ports/inspector.js';

export type TextLine = {readonly text: string; readonly tone?: Tone | 'error'};
export type ListModel = {readonly keys: readonly string[]; readonly rows: number};
export type ListId = 'overview' | 'memory' | 'queues' | 'messages' | 'keys' | 'detail';
export type RedisLists = Partial<Record<ListId, ListModel>>;

export type MonitorFeed =
	| {readonly status: 'off'}
	| {readonly status: 'starting'}
	| {readonly status: 'error'; readonly error: string}
	| {readonly status: 'on'; readonly snapshot: MonitorSnapshot}
	/** The last capture after it was stopped, kept on screen until `m` starts another. */
	| {readonly status: 'kept'; readonly snapshot: MonitorSnapshot};

export type Feeds = {readonly stats: StatsSnapshot | undefined; readonly monitor: MonitorFeed};
export type Size = {readonly width: number; readonly height: number};

export function toneColor(tone: TextLine['tone']): string | undefined {
	if (tone === 'critical' || tone === 'error') return theme.error;
	if (tone === 'warning') return theme.warning;
	if (tone === 'ok') return theme.ok;
	return tone === 'dim' ? theme.muted : undefined;
}

export function clamp(n: number, low: number, high: number): number {
	return Math.max(low, Math.min(high, n));
}

/** `████░░░░ 45%  450,000 / 1,000,000 keys` (with MATCH the share is estimated from SCAN calls). */
export function progressLine(progress: ScanProgress | undefined, patterned: boolean, width: number): string {
	if (!progress) return `starting…  (${CANCEL} cancels)`;
	const {scanned, total, calls} = progress;
	const done = total <= 0 ? 1 : patterned ? (calls * DEFAULT_SCAN_COUNT) / total : scanned / total;
	const share = progress.done ? 1 : Math.min(done, 0.99);
	const bar = clamp(width - 70, 10, 40);
	const filled = Math.round(share * bar);
	const counted = patterned
		? `${formatCount(scanned)} matched · SCAN ${formatCount(calls)} calls over ${formatCount(total)} keys`
		: `${formatCount(scanned)} / ${formatCount(total)} keys`;
	const percent = `${patterned ? '~' : ''}${Math.floor(share * 100)}%`;
	return `${'█'.repeat(filled)}${'░'.repeat(bar - filled)} ${percent}  ${counted}  (${CANCEL} cancels)`;
}

/** The status line of a scan that is running, failed or was cancelled; undefined when it has a result. */
export function jobLine<T>(
	job: Job<T>,
	what: string,
	patterned: boolean,
	width: number,
): TextLine | undefined {
	if (job.running) return {text: progressLine(job.progress, patterned, width), tone: 'warning'};
	if (job.error) return {text: `${what} failed: ${sanitize(job.error)} (r tries again)`, tone: 'error'};
	if (job.cancelled) return {text: `${what} cancelled (r starts it again)`, tone: 'warning'};
	return undefined;
}

export const isPatterned = (pattern: string) => pattern !== '' && pattern !== '*';
