import type {Worker} from '../../state/types.js';
import {heartbeatAge, isAlive} from '../../state/worker.js';
import {Table, type Column} from '../components/table.js';
import {Pane} from '../components/pane.js';
import {formatAge, formatCount, formatLoad} from '../format.js';
import type {ListProps} from './list-props.js';

function workerColumns(now: number): Array<Column<Worker>> {
	return [
		{key: 'hostname', header: 'WORKER', width: 'flex', minWidth: 12, value: (w) => w.hostname},
		{
			key: 'status',
			header: 'STATUS',
			width: 7,
			value: (w) => (isAlive(w, now) ? 'online' : 'offline'),
			color: (w) => (isAlive(w, now) ? 'green' : 'red'),
		},
		{
			key: 'active',
			header: 'ACTIVE',
			width: 6,
			align: 'right',
			value: (w) => (w.active === undefined ? '' : String(w.active)),
		},
		{
			key: 'processed',
			header: 'PROCESSED',
			width: 9,
			align: 'right',
			value: (w) => (w.processed === undefined ? '' : formatCount(w.processed)),
		},
		{key: 'load', header: 'LOAD', width: 14, value: (w) => formatLoad(w.loadavg)},
		{
			key: 'heartbeat',
			header: 'HEARTBEAT',
			width: 9,
			align: 'right',
			value: (w) => formatAge(heartbeatAge(w, now)),
		},
		{key: 'version', header: 'VERSION', width: 8, value: (w) => w.swVer ?? ''},
	];
}

export function workerKey(worker: Worker): string {
	return worker.hostname;
}

export function WorkersPane({rows, selected, offset, width, height, focused, info, now}: ListProps<Worker>) {
	const innerWidth = width - 4;
	return (
		<Pane title="Workers" focused={focused} width={width} height={height} info={info}>
			<Table
				rows={rows}
				columns={workerColumns(now)}
				width={innerWidth}
				height={height - 4}
				offset={offset}
				selected={selected}
				focused={focused}
				rowKey={workerKey}
				emptyText="no worker heard from yet (heartbeats come every 2 s)"
			/>
		</Pane>
	);
}
