// The body of a Redis view: one component per view, each rendering its model.
import {Box, Text} from 'ink';
import {theme} from '../theme.js';
import {KeysView} from './keys.js';
import {MemoryView} from './memory.js';
import {MonitorView} from './monitor.js';
import {OverviewView} from './overview.js';
import {QueuesView} from './queues.js';
import {TAB_ROWS, type ScreenModel} from './screen-model.js';
import type {RedisUiState} from './state.js';

type Props = {
	readonly screen: ScreenModel | undefined;
	readonly state: RedisUiState;
	readonly width: number;
	readonly height: number;
};

const TABS: ReadonlyArray<readonly [string, string]> = [
	['1', 'Celery'],
	['2', 'Server'],
	['3', 'Memory'],
	['4', 'Queues'],
	['5', 'Keys'],
	['6', 'MONITOR'],
];

/** Which view this is and the keys of the others, with the db inspected. */
function Tabs({current, db}: {readonly current: string; readonly db: number}) {
	return (
		<Box justifyContent="space-between" height={1}>
			<Text wrap="truncate-end">
				{TABS.map(([key, name]) => (
					<Text
						key={key}
						inverse={name.toLowerCase() === current}
						color={name.toLowerCase() === current ? theme.accent : undefined}
					>
						{` ${key} ${name} `}
					</Text>
				))}
			</Text>
			<Text color={theme.accent}>{`db ${db} `}</Text>
		</Box>
	);
}

export function RedisScreen(props: Props) {
	const names: Record<string, string> = {
		redis: 'server',
		memory: 'memory',
		queues: 'queues',
		keys: 'keys',
		monitor: 'monitor',
	};
	return (
		<Box flexDirection="column" width={props.width} height={props.height}>
			<Tabs current={names[props.screen?.view ?? ''] ?? ''} db={props.state.db} />
			<View {...props} height={props.height - TAB_ROWS} />
		</Box>
	);
}

function View({screen, state, width, height}: Props) {
	switch (screen?.view) {
		case 'redis':
			return <OverviewView model={screen.model} state={state} width={width} />;
		case 'memory':
			return <MemoryView model={screen.model} state={state} width={width} />;
		case 'queues':
			return <QueuesView model={screen.model} state={state} width={width} />;
		case 'keys':
			return <KeysView model={screen.model} state={state} width={width} height={height} />;
		case 'monitor':
			return <MonitorView model={screen.model} width={width} />;
		default:
			return <Text color={theme.warning}>The Redis inspector is not available here.</Text>;
	}
}
