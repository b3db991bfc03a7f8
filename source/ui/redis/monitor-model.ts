// Pure: the MONITOR view (view 6): the warning that it costs the server throughput, its state and
// time cap, per-command rates, and the live commands (newest first) matching the filter.
import {commandRates, type CommandRate} from '../../protocol/monitor.js';
import {monitorLines} from '../../present/redis-view.js';
import {sanitize} from '../../protocol/sanitize.js';
import {DEFAULT_MONITOR_CAP_SECONDS, MONITOR_WARNING} from '../../ports/defaults.js';
import {keyFor} from '../../keys/text-keymap.js';
import {formatCount} from '../format.js';

const START = keyFor('redis.monitor.start');
const STOP = keyFor('redis.monitor.stop');
import type {MonitorFeed, Size, TextLine} from './model.js';
import type {RedisUiState} from './state.js';

export {MONITOR_WARNING};
export const MONITOR_CAP_SECONDS = DEFAULT_MONITOR_CAP_SECONDS;
export const RATE_WINDOW_SECONDS = 10;

export type MonitorModel = {
	readonly status: TextLine;
	readonly filter: string;
	readonly lines: ReadonlyArray<{readonly key: string; readonly text: string}>;
	readonly rates: readonly CommandRate[];
	readonly rateWindow: number;
	readonly bodyHeight: number;
	readonly total: number;
};

function statusOf(feed: MonitorFeed, now: number, cap: number): TextLine {
	switch (feed.status) {
		case 'off':
			return {
				text: `MONITOR is off. ${START} starts it; it stops by itself after ${cap} s, with ${STOP}, or when you leave this view.`,
			};
		case 'starting':
			return {text: 'starting MONITOR on its own connection…', tone: 'warning'};
		case 'error':
			return {text: `MONITOR failed: ${sanitize(feed.error)}`, tone: 'error'};
		case 'on':
		case 'kept': {
			const s = feed.snapshot;
			const seen = `${formatCount(s.total)} command${s.total === 1 ? '' : 's'} seen${s.malformed > 0 ? ` (${s.malformed} unreadable)` : ''}`;
			if (feed.status === 'kept')
				return {
					text: `MONITOR stopped · ${seen} · this capture stays until ${START} starts a new one`,
					tone: 'dim',
				};
			if (s.state === 'error')
				return {text: `MONITOR stopped: ${sanitize(s.error ?? '?')} · ${seen}`, tone: 'error'};
			if (s.state === 'stopped')
				return {text: `MONITOR stopped · ${seen} · ${START} starts it again`, tone: 'dim'};
			const elapsed = s.startedAt === undefined ? 0 : Math.max(0, now - s.startedAt);
			const left = Math.max(0, cap - elapsed);
			return {
				text: `● MONITOR running ${Math.floor(elapsed)} s · stops by itself in ${Math.ceil(left)} s · ${seen} · ${STOP} stops`,
				tone: 'critical',
			};
		}
	}
}

export function monitorModel(state: RedisUiState, feed: MonitorFeed, now: number, size: Size): MonitorModel {
	const records = feed.status === 'on' || feed.status === 'kept' ? feed.snapshot.records : [];
	// Rates over the server's own clock (records carry its timestamps): the last 10 s before the newest
	// command, or the span the buffer holds when that is shorter (MONITOR just started, or a busy server).
	const newest = records[0]?.time ?? now;
	const oldest = records.at(-1)?.time ?? newest;
	const window = Math.max(1, Math.min(RATE_WINDOW_SECONDS, newest - oldest));
	const bodyHeight = size.height - 4;
	const rows = Math.max(0, bodyHeight - 4);
	return {
		status: statusOf(feed, now, MONITOR_CAP_SECONDS),
		filter: state.monitor.filter,
		lines: monitorLines(records, state.monitor.filter, rows).map((text, i) => ({key: String(i), text})),
		rates: commandRates(records, newest, window),
		rateWindow: window,
		bodyHeight,
		total: feed.status === 'on' || feed.status === 'kept' ? feed.snapshot.total : 0,
	};
}
