import {Text} from 'ink';
import {keyFor} from '../../keys/text-keymap.js';
import type {Worker} from '../../state/types.js';
import {heartbeatAge, isAlive} from '../../state/worker.js';
import type {Column} from '../components/table.js';
import {formatAge, formatCount, formatLoad} from '../format.js';
import {theme} from '../theme.js';
import {ListPane} from './list-pane.js';
import type {ListProps} from './list-props.js';

function workerColumns(now: number): Array<Column<Worker>> {
	return [
		{key: 'hostname', header: 'WORKER', width: 'flex', minWidth: 12, value: (w) => w.hostname},
		{
			key: 'status',
			header: 'STATUS',
			width: 7,
			value: (w) => (isAlive(w, now) ? 'online' : 'offline'),
			color: (w) => (isAlive(w, now) ? theme.ok : theme.error),
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

export function WorkersPane({now, ...list}: ListProps<Worker>) {
	return (
		<ListPane
			{...list}
			title="Workers"
			columns={() => workerColumns(now)}
			rowKey={workerKey}
			emptyText="no worker heard from yet (heartbeats come every 2 s)"
		/>
	);
}

type LineProps = {
	readonly workers: readonly Worker[];
	/** Workers alive now (the app counts them once a frame for the header too). */
	readonly online: number;
	readonly now: number;
	readonly width: number;
};

/**
 * The workers pane folded into one line (a short screen, another pane focused): each worker's state
 * and active tasks, and the key that opens the pane.
 */
const OPENS = `${keyFor('pane.prev')} opens`;

export function WorkersLine({workers, online, now, width}: LineProps) {
	return (
		<Text wrap="truncate-end">
			<Text color={theme.border}>{`Workers ${online}/${workers.length} (${OPENS}): `}</Text>
			{workers.length === 0 ? <Text color={theme.muted}>none heard from yet</Text> : null}
			{workers.slice(0, Math.max(1, Math.floor(width / 12))).map((w, i) => {
				const alive = isAlive(w, now);
				return (
					<Text key={w.hostname}>
						{i > 0 ? '  ' : ''}
						<Text color={alive ? theme.ok : theme.error}>{alive ? '●' : '○'}</Text>
						{` ${w.hostname}`}
						{alive && w.active !== undefined ? (
							<Text color={theme.muted}>{` ${w.active} active`}</Text>
						) : null}
					</Text>
				);
			})}
		</Text>
	);
}
