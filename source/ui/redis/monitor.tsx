// View 6: MONITOR, opt-in. The warning is always on screen; the commands (newest first, filtered)
// and the per-command rates show while it runs.
import {Box, Text} from 'ink';
import type {CommandRate} from '../../protocol/monitor.js';
import {sanitize} from '../../protocol/sanitize.js';
import {Pane} from '../components/pane.js';
import {Table, type Column} from '../components/table.js';
import {formatRate} from '../format.js';
import {theme} from '../theme.js';
import {toneColor} from './model.js';
import {MONITOR_WARNING, type MonitorModel} from './monitor-model.js';
import {inner} from './parts.js';

type Props = {readonly model: MonitorModel; readonly width: number};

const RATES_WIDTH = 36;

type Shown = MonitorModel['lines'][number];

const LINES: ReadonlyArray<Column<Shown>> = [
	{
		key: 'line',
		header: 'TIME (UTC)       [DB CLIENT] COMMAND ARGUMENTS',
		width: 'flex',
		value: (l) => l.text,
	},
];

const RATES: ReadonlyArray<Column<CommandRate>> = [
	{key: 'command', header: 'COMMAND', width: 'flex', value: (r) => r.command},
	{key: 'count', header: 'COUNT', width: 7, align: 'right', value: (r) => String(r.count)},
	{key: 'rate', header: 'RATE', width: 8, align: 'right', value: (r) => formatRate(r.perSecond)},
];

export function MonitorView({model, width}: Props) {
	const rows = Math.max(0, model.bodyHeight - 4);
	const linesWidth = width - RATES_WIDTH;
	return (
		<Box flexDirection="column" width={width}>
			<Box
				flexDirection="column"
				borderStyle="double"
				borderColor={theme.danger}
				paddingX={1}
				width={width}
				height={4}
			>
				<Text color={theme.danger} bold wrap="truncate-end">
					⚠ {MONITOR_WARNING}.
				</Text>
				<Text color={toneColor(model.status.tone)} wrap="truncate-end">
					{model.status.text}
				</Text>
			</Box>
			<Box flexDirection="row" width={width}>
				<Pane
					title="Commands, newest first"
					focused
					width={linesWidth}
					height={model.bodyHeight}
					info={model.filter ? `filter: ${sanitize(model.filter)} (/ changes)` : '/ filters'}
				>
					<Table
						rows={model.lines}
						columns={LINES}
						width={inner(linesWidth)}
						height={rows}
						offset={0}
						selected={-1}
						focused={false}
						rowKey={(l) => l.key}
						emptyText={model.total > 0 ? 'no command matches the filter' : ''}
					/>
				</Pane>
				<Pane
					title={`Per command, last ${Math.round(model.rateWindow)} s`}
					focused={false}
					width={RATES_WIDTH}
					height={model.bodyHeight}
				>
					<Table
						rows={model.rates}
						columns={RATES}
						width={inner(RATES_WIDTH)}
						height={rows}
						offset={0}
						selected={-1}
						focused={false}
						rowKey={(r) => r.command}
					/>
				</Pane>
			</Box>
		</Box>
	);
}
