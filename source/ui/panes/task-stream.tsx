import type {CeleryEvent} from '../../protocol/types.js';
import type {StreamEntry} from '../../state/types.js';
import {Table, type Column} from '../components/table.js';
import {Pane} from '../components/pane.js';
import {eventKind, formatClock, formatDuration, formatLoad} from '../format.js';
import {colorOfEvent} from '../theme.js';
import type {ListProps} from './list-props.js';

function str(value: unknown): string {
	return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

/** One readable summary of an event's payload. */
export function eventDetails(event: CeleryEvent): string {
	const e = event as Record<string, unknown>;
	switch (event.type) {
		case 'task-sent':
		case 'task-received':
			return `${str(e['name'])}${str(e['args'])} ${str(e['kwargs'])} ${str(e['uuid'])}`;
		case 'task-succeeded':
			return `${str(e['uuid'])} ${formatDuration(typeof e['runtime'] === 'number' ? e['runtime'] : undefined)} → ${str(e['result'])}`;
		case 'task-failed':
		case 'task-retried':
			return `${str(e['uuid'])} ${str(e['exception'])}`;
		case 'task-revoked':
			return `${str(e['uuid'])}${e['terminated'] ? ` terminated (signal ${str(e['signum'])})` : ''}${e['expired'] ? ' expired' : ''}`;
		case 'worker-heartbeat':
		case 'worker-online':
		case 'worker-offline':
			return `active ${str(e['active'])} processed ${str(e['processed'])} load ${formatLoad(Array.isArray(e['loadavg']) ? (e['loadavg'] as number[]) : undefined)}`;
		default:
			return str(e['uuid']);
	}
}

const columns: Array<Column<StreamEntry>> = [
	{key: 'time', header: 'TIME', width: 8, value: (s) => formatClock(s.event.timestamp)},
	{key: 'type', header: 'EVENT', width: 15, value: (s) => s.event.type, color: (s) => colorOfEvent(s.event.type)},
	{key: 'host', header: 'HOST', width: 18, value: (s) => s.event.hostname},
	{key: 'details', header: 'DETAILS', width: 'flex', value: (s) => eventDetails(s.event)},
];

export function streamKey(entry: StreamEntry): string {
	return String(entry.seq);
}

export function eventKindOf(entry: StreamEntry): string {
	return eventKind(entry.event.type);
}

export function StreamPane({rows, selected, offset, width, height, focused, info}: ListProps<StreamEntry>) {
	const innerWidth = width - 4;
	return (
		<Pane title="Events" focused={focused} width={width} height={height} info={info}>
			<Table
				rows={rows}
				columns={columns}
				width={innerWidth}
				height={height - 4}
				offset={offset}
				selected={selected}
				focused={focused}
				rowKey={streamKey}
				emptyText="waiting for events…"
			/>
		</Pane>
	);
}
