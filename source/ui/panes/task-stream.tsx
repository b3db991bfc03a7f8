import type {CeleryEvent} from '../../protocol/types.js';
import {STAGE_TYPES} from '../../state/task-encoding.js';
import type {StreamEntry} from '../../state/types.js';
import type {Column} from '../components/table.js';
import {shownException, formatClock, formatDuration, formatLoad} from '../format.js';
import {colorOfEvent} from '../theme.js';
import {ListPane} from './list-pane.js';
import type {ListProps} from './list-props.js';

function str(value: unknown): string {
	return typeof value === 'string'
		? value
		: value === undefined || value === null
			? ''
			: JSON.stringify(value);
}

/** One readable summary of an event's payload; `nameOf` names tasks whose events carry no name. */
export function eventDetails(
	event: CeleryEvent,
	nameOf: (uuid: string) => string | undefined = () => undefined,
): string {
	const e = event as Record<string, unknown>;
	const uuid = str(e['uuid']);
	const task = `${nameOf(uuid) ?? '?'} ${uuid}`;
	switch (event.type) {
		case 'task-sent':
		case 'task-received':
			return `${str(e['name'])}${str(e['args'])} ${str(e['kwargs'])} ${uuid}`;
		case 'task-succeeded':
			return `${task} ${formatDuration(typeof e['runtime'] === 'number' ? e['runtime'] : undefined)} → ${str(e['result'])}`;
		case 'task-failed':
		case 'task-retried':
			return `${task} ${shownException(str(e['exception']), typeof e['traceback'] === 'string' ? e['traceback'] : undefined) ?? ''}`;
		case 'task-revoked':
			return `${task}${e['terminated'] ? ` terminated (signal ${str(e['signum'])})` : ''}${e['expired'] ? ' expired' : ''}`;
		case 'worker-heartbeat':
		case 'worker-online':
		case 'worker-offline':
			return `active ${str(e['active'])} processed ${str(e['processed'])} load ${formatLoad(Array.isArray(e['loadavg']) ? (e['loadavg'] as number[]) : undefined)}`;
		default:
			return event.type.startsWith('task-') ? task : uuid;
	}
}

/** Every event type Celery sends: the EVENT column fits the longest (`worker-heartbeat`) at any width. */
export const KNOWN_EVENT_TYPES: readonly string[] = [
	...STAGE_TYPES,
	'worker-online',
	'worker-heartbeat',
	'worker-offline',
];
export const EVENT_WIDTH = Math.max(...KNOWN_EVENT_TYPES.map((t) => t.length));

function streamColumns(nameOf: (uuid: string) => string | undefined): Array<Column<StreamEntry>> {
	return [
		{key: 'time', header: 'TIME', width: 8, value: (s) => formatClock(s.event.timestamp)},
		{
			key: 'type',
			header: 'EVENT',
			width: EVENT_WIDTH,
			value: (s) => s.event.type,
			color: (s) => colorOfEvent(s.event.type),
		},
		{key: 'host', header: 'HOST', width: 18, value: (s) => s.event.hostname},
		{key: 'details', header: 'DETAILS', width: 'flex', value: (s) => eventDetails(s.event, nameOf)},
	];
}

export function streamKey(entry: StreamEntry): string {
	return String(entry.seq);
}

type Props = ListProps<StreamEntry> & {
	readonly nameOf: (uuid: string) => string | undefined;
	/** The cursor stays on the newest event (row 1) rather than holding one. */
	readonly following: boolean;
	readonly filter: string;
};

export function StreamPane({nameOf, following, filter, ...list}: Props) {
	return (
		<ListPane
			{...list}
			title="Events"
			following={following}
			columns={() => streamColumns(nameOf)}
			rowKey={streamKey}
			emptyText={filter.trim() ? `no events match ${filter.trim()}` : 'waiting for events…'}
			fitEmptyText
		/>
	);
}
