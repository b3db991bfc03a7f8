import {Box, Text} from 'ink';
import type {ClusterSnapshot} from '../../state/store.js';
import {formatAge, formatClock, formatCount, formatRate} from '../format.js';
import {colorOfState} from '../theme.js';

const STATE_ORDER = ['PENDING', 'RECEIVED', 'STARTED', 'RETRY', 'SUCCESS', 'FAILURE', 'REVOKED', 'REJECTED'];

const connectionColor: Record<string, string> = {
	connected: 'green',
	connecting: 'yellow',
	reconnecting: 'yellow',
	error: 'red',
	closed: 'red',
};

type Props = {
	readonly snapshot: ClusterSnapshot;
	readonly brokerDisplay: string;
	readonly aliveWorkers: number;
	readonly width: number;
	readonly filter: string;
};

function connectionText(snapshot: ClusterSnapshot): string {
	const {status, since, error} = snapshot.connection;
	if (status === 'connected') return 'connected';
	const down = formatAge(snapshot.now - since);
	return `${status} for ${down}${error ? `: ${error}` : ''}`;
}

function gapText(snapshot: ClusterSnapshot): string | undefined {
	const gaps = snapshot.connection.gaps;
	if (gaps.length === 0) return undefined;
	const last = gaps.at(-1)!;
	const span =
		last.to === undefined
			? `since ${formatClock(last.from)}`
			: `${formatClock(last.from)}–${formatClock(last.to)}`;
	return `events lost ${span} (${gaps.length} gap${gaps.length > 1 ? 's' : ''})`;
}

export function Header({snapshot, brokerDisplay, aliveWorkers, width, filter}: Props) {
	const {connection, rates, counts} = snapshot;
	const states = STATE_ORDER.filter((s) => (counts[s] ?? 0) > 0).concat(
		Object.keys(counts).filter((s) => !STATE_ORDER.includes(s) && (counts[s] ?? 0) > 0),
	);
	const malformed = Object.entries(snapshot.malformed)
		.map(([reason, n]) => `${reason} ${n}`)
		.join(', ');
	const gaps = gapText(snapshot);
	return (
		<Box flexDirection="column" width={width}>
			<Box justifyContent="space-between">
				<Text wrap="truncate-end">
					<Text bold color="cyan">
						celerytop
					</Text>{' '}
					{brokerDisplay} <Text color={connectionColor[connection.status]}>● {connectionText(snapshot)}</Text>
					{snapshot.paused ? (
						<Text color="yellow" bold>
							{'  ⏸ PAUSED (p to resume)'}
						</Text>
					) : null}
					{filter ? <Text color="yellow">{`  filter: ${filter}`}</Text> : null}
				</Text>
				<Text wrap="truncate-end">
					events {formatCount(snapshot.eventCount)} <Text dimColor>{formatRate(rates.eventsPerSecond)}</Text>
				</Text>
			</Box>
			<Text wrap="truncate-end">
				workers <Text color="green">{aliveWorkers}</Text>/{snapshot.workers.length} online{'  '}
				tasks {formatCount(snapshot.tasks.length)}
				<Text dimColor>/{formatCount(snapshot.maxTasks)}</Text>
				{'  '}
				<Text color="green">✓ {formatRate(rates.succeededPerSecond)}</Text>{' '}
				<Text color="red">✗ {formatRate(rates.failedPerSecond)}</Text>
				{'  '}
				{states.map((s) => (
					<Text key={s} color={colorOfState(s)}>
						{`${s} ${formatCount(counts[s] ?? 0)}  `}
					</Text>
				))}
				{snapshot.malformedTotal > 0 ? (
					<Text color="red">{`malformed ${snapshot.malformedTotal} (${malformed})  `}</Text>
				) : null}
				{gaps ? <Text color="yellow">{gaps}</Text> : null}
			</Text>
		</Box>
	);
}
