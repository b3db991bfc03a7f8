// View 2: the server overview. Figures with their sparklines (warnings first), then CLIENT LIST or
// SLOWLOG (Tab switches).
import {Box} from 'ink';
import type {OverviewLine} from '../../present/redis-view.js';
import {Pane} from '../components/pane.js';
import {Table, type Column} from '../components/table.js';
import {theme} from '../theme.js';
import {toneColor} from './model.js';
import type {OverviewModel} from './overview-model.js';
import {inner, Lines, listWindow, position} from './parts.js';
import type {RedisUiState} from './state.js';

type Props = {readonly model: OverviewModel; readonly state: RedisUiState; readonly width: number};

/** The sparklines sit right after the values, however wide the terminal. */
function figureColumns(width: number): Array<Column<OverviewLine>> {
	return [
		{key: 'label', header: 'FIGURE', width: 12, value: (l) => l.label, color: () => theme.accent},
		{
			key: 'value',
			header: 'NOW',
			width: Math.max(20, Math.min(72, width - 12 - 30 - 2)),
			value: (l) => l.value,
			color: (l) => toneColor(l.tone),
		},
		{key: 'spark', header: 'LAST 30 s', width: 'flex', value: (l) => l.spark ?? '', color: () => theme.ok},
	];
}

type Client = OverviewModel['clients'][number];
type Slow = OverviewModel['slowlog'][number];

const ROLE_COLORS: Record<string, string> = {
	blocked: theme.accent,
	subscriber: theme.secondary,
	monitor: theme.error,
	celerytop: theme.muted,
};

const CLIENTS: ReadonlyArray<Column<Client>> = [
	{key: 'id', header: 'ID', width: 6, align: 'right', value: (c) => c.id},
	{key: 'addr', header: 'ADDR', width: 21, value: (c) => c.addr},
	{key: 'name', header: 'NAME', width: 'flex', minWidth: 8, value: (c) => c.name},
	{key: 'role', header: 'ROLE', width: 10, value: (c) => c.role, color: (c) => ROLE_COLORS[c.role]},
	{key: 'db', header: 'DB', width: 3, align: 'right', value: (c) => c.db},
	{key: 'cmd', header: 'LAST CMD', width: 14, value: (c) => c.cmd},
	{key: 'age', header: 'AGE', width: 8, align: 'right', value: (c) => c.age},
	{key: 'idle', header: 'IDLE', width: 8, align: 'right', value: (c) => c.idle},
	{key: 'omem', header: 'OUT BUF', width: 8, align: 'right', value: (c) => c.omem},
];

const SLOWLOG: ReadonlyArray<Column<Slow>> = [
	{key: 'id', header: 'ID', width: 6, align: 'right', value: (e) => e.id},
	{key: 'when', header: 'WHEN', width: 12, align: 'right', value: (e) => e.when},
	{key: 'duration', header: 'TOOK', width: 10, align: 'right', value: (e) => e.duration},
	{key: 'command', header: 'COMMAND', width: 'flex', value: (e) => e.command},
	{key: 'client', header: 'CLIENT', width: 28, value: (e) => e.client},
];

export function OverviewView({model, state, width}: Props) {
	const table = {width: inner(width), focused: true, ...listWindow(model.list, state.overview.selection)};
	const clients = model.panel === 'clients';
	const warnings = model.warnings.slice(0, Math.max(0, model.topHeight - 6));
	return (
		<Box flexDirection="column" width={width}>
			<Pane title={`Redis server · db ${state.db}`} focused={false} width={width} height={model.topHeight}>
				<Lines lines={[...warnings, model.status]} />
				<Table
					rows={model.figures}
					columns={figureColumns(inner(width))}
					width={inner(width)}
					height={model.topHeight - 5 - warnings.length}
					offset={0}
					selected={-1}
					focused={false}
					rowKey={(l) => l.label}
					emptyText="no INFO yet"
				/>
			</Pane>
			<Pane
				title={clients ? `Clients · ${model.summary}` : 'SLOWLOG (latest entries)'}
				focused
				width={width}
				height={model.bottomHeight}
				info={`${position(model.list, state.overview.selection)} · Tab: ${clients ? 'slowlog' : 'clients'}`}
			>
				{clients ? (
					<Table
						rows={model.clients}
						columns={CLIENTS}
						rowKey={(c) => c.id}
						emptyText="no clients"
						{...table}
					/>
				) : (
					<Table
						rows={model.slowlog}
						columns={SLOWLOG}
						rowKey={(e) => e.id}
						emptyText="no slow command"
						{...table}
					/>
				)}
			</Pane>
		</Box>
	);
}
