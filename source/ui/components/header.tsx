import {Box, Text} from 'ink';
import {useSyncExternalStore} from 'react';
import {serverLabel} from '../../present/redis-view.js';
import {sanitize} from '../../protocol/sanitize.js';
import {addressOf, parseBrokerUrl} from '../../redis-url.js';
import type {ClusterSnapshot} from '../../state/store.js';
import {formatAge, formatClock, formatCount, formatRate} from '../format.js';
import type {ReplicaSnapshot, ReplicaSource, StatsSnapshot} from '../../ports/inspector.js';
import {useServices} from '../services.js';
import {keyFor} from '../../keys/text-keymap.js';
import {colorOfState, theme} from '../theme.js';

const RESUMES = ` ${keyFor('view.pause')} resumes `;
const STATE_ORDER = ['PENDING', 'RECEIVED', 'STARTED', 'RETRY', 'SUCCESS', 'FAILURE', 'REVOKED', 'REJECTED'];

const connectionColor: Record<string, string> = {
	connected: theme.ok,
	connecting: theme.warning,
	reconnecting: theme.warning,
	error: theme.error,
	closed: theme.error,
};

type Props = {
	readonly snapshot: ClusterSnapshot;
	readonly brokerDisplay: string;
	readonly aliveWorkers: number;
	readonly width: number;
	readonly filter: string;
};

/** Where the broker URL (already redacted) points: `host:port`, the socket, or the sentinels. */
function targetOf(brokerDisplay: string): string {
	const parsed = parseBrokerUrl(brokerDisplay);
	if (!parsed.ok) return sanitize(brokerDisplay);
	const sentinels = parsed.value.sentinel?.sentinels;
	if (sentinels) return `sentinels ${sentinels.map((s) => `${s.host}:${s.port}`).join(',')}`;
	return sanitize(addressOf(parsed.value));
}

function connectionText(snapshot: ClusterSnapshot, brokerDisplay: string): string {
	const {status, since, error} = snapshot.connection;
	if (status === 'connected') return 'connected';
	const down = formatAge(snapshot.now - since);
	// Before the first answer: whom we wait for, and how long (the count runs while nothing answers).
	if (status === 'connecting')
		return `connecting to ${targetOf(brokerDisplay)} (${error ? `${down}: ${sanitize(error)}` : `no answer for ${down}`})`;
	return `${status} for ${down}${error ? `: ${sanitize(error)}` : ''}`;
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

const noSubscribe = () => () => {};
const noSnapshot = () => undefined;

/** With --replica: its replication link as INFO replication last said, with the colour to show it in. */
function replicaLinkText(snapshot: ReplicaSnapshot | undefined): {text: string; color: string} {
	const state = snapshot?.state;
	if (snapshot?.error) return {text: sanitize(snapshot.error), color: theme.error};
	if (!state || state.role === undefined) return {text: 'link ?', color: theme.muted};
	if (state.role === 'master') return {text: 'not a replica: role master', color: theme.warning};
	if (state.link !== 'up')
		return {text: `link ${sanitize(state.link ?? '?')}: no new events`, color: theme.error};
	if (state.ofBroker === false) return {text: 'link up, but not to the broker', color: theme.warning};
	return {text: 'link up', color: theme.ok};
}

function useReplica(source: ReplicaSource | undefined): ReplicaSnapshot | undefined {
	return useSyncExternalStore<ReplicaSnapshot | undefined>(
		source?.subscribe ?? noSubscribe,
		source?.getSnapshot ?? noSnapshot,
	);
}

/**
 * Which server the broker is (`redis 8.0.2`, `valkey 8.1.1`), once the Redis view's INFO poller of the
 * broker's db has read it (the header makes no poller and no connection of its own).
 */
function useServerName(): string | undefined {
	const redis = useServices().redis;
	const source = redis?.knownStats?.(redis.db);
	const stats = useSyncExternalStore<StatsSnapshot | undefined>(
		source?.subscribe ?? noSubscribe,
		source?.getSnapshot ?? noSnapshot,
	);
	const figures = stats?.latest?.figures;
	return figures ? serverLabel({...figures, redisCompatible: undefined}) : undefined;
}

/** Below this width the connection state comes before the broker URL (which is cut instead). */
const STATUS_FIRST_BELOW = 80;

/** Columns the header's first line keeps for the broker and the connection before the event count. */
const MIN_LEFT = 36;

export function Header({snapshot, brokerDisplay, aliveWorkers, width, filter}: Props) {
	const {connection, rates, counts} = snapshot;
	const states = STATE_ORDER.filter((s) => (counts[s] ?? 0) > 0).concat(
		Object.keys(counts).filter((s) => !STATE_ORDER.includes(s) && (counts[s] ?? 0) > 0),
	);
	const malformed = Object.entries(snapshot.malformed)
		.map(([reason, n]) => `${reason} ${n}`)
		.join(', ');
	const gaps = gapText(snapshot);
	// With --replica the event subscription, whose state the dot shows, is on the replica.
	const replica = useServices().redis?.replica;
	const replicaSnapshot = useReplica(replica);
	const link = replica ? replicaLinkText(replicaSnapshot) : undefined;
	const server = useServerName();
	// Until the first answer the connection line comes first and takes the whole width (at 80 columns the
	// URL and the counters would cut "no answer for N s" off); the URL follows it, dim.
	const waiting = connection.status === 'connecting';
	// Narrow (60 columns), the connection comes first too, the URL after it: "● connected" is never cut.
	const statusFirst = waiting || width < STATUS_FIRST_BELOW;
	// The event count on the right gets its own width; the left part is cut to the rest (two shrinking
	// texts side by side left a lone "s" at 60 columns). Too narrow for both: the left part only.
	const events = waiting
		? ''
		: `events ${formatCount(snapshot.eventCount)} ${formatRate(rates.eventsPerSecond)}`;
	const right = events !== '' && width - events.length - 1 >= MIN_LEFT ? events.length + 1 : 0;
	return (
		<Box flexDirection="column" width={width}>
			<Box width={width}>
				<Box width={width - right} flexShrink={0}>
					<Text wrap="truncate-end">
						<Text bold color={theme.accent}>
							celerytop
						</Text>{' '}
						{/* First, where 80 columns cannot cut it off: the rows are frozen, the counters are not. */}
						{snapshot.paused ? (
							<>
								<Text color={theme.warning} bold inverse>
									{' ⏸ PAUSED '}
								</Text>
								<Text color={theme.warning}>{RESUMES}</Text>
							</>
						) : null}
						{statusFirst ? null : `${brokerDisplay} `}
						{server && !statusFirst ? <Text dimColor>{`${sanitize(server)} `}</Text> : null}
						<Text color={connectionColor[connection.status]}>
							● {connectionText(snapshot, brokerDisplay)}
						</Text>
						{statusFirst ? <Text dimColor>{` · ${brokerDisplay}`}</Text> : null}
						{server && statusFirst ? <Text dimColor>{` ${sanitize(server)}`}</Text> : null}
						{replica && link ? (
							<>
								{` · events via replica ${sanitize(replica.address)} (`}
								<Text color={link.color}>{link.text}</Text>)
							</>
						) : null}
						{filter ? <Text color={theme.filter}>{`  filter: ${filter}`}</Text> : null}
					</Text>
				</Box>
				{right > 0 ? (
					<Box width={right} flexShrink={0} justifyContent="flex-end">
						<Text>
							events {formatCount(snapshot.eventCount)}{' '}
							<Text dimColor>{formatRate(rates.eventsPerSecond)}</Text>
						</Text>
					</Box>
				) : null}
			</Box>
			<Text wrap="truncate-end">
				workers <Text color={theme.ok}>{aliveWorkers}</Text>/{snapshot.workers.length} online{'  '}
				tasks {formatCount(snapshot.taskCount)}
				<Text dimColor>/{formatCount(snapshot.maxTasks)}</Text>
				{'  '}
				<Text color={theme.ok}>✓ {formatRate(rates.succeededPerSecond)}</Text>{' '}
				<Text color={theme.error}>✗ {formatRate(rates.failedPerSecond)}</Text>
				{'  '}
				{/* Before the states: 80 columns cut the end of this line, and these ask for a look. */}
				{snapshot.stuckCount > 0 ? (
					<Text color={theme.warning} bold>{`⚠ ${formatCount(snapshot.stuckCount)} stuck  `}</Text>
				) : null}
				{snapshot.lostCount > 0 ? (
					<Text color={theme.error} bold>{`⚠ ${formatCount(snapshot.lostCount)} lost  `}</Text>
				) : null}
				{states.map((s) => (
					<Text key={s} color={colorOfState(s)}>
						{`${s} ${formatCount(counts[s] ?? 0)}  `}
					</Text>
				))}
				{snapshot.malformedTotal > 0 ? (
					<Text color={theme.error}>{`malformed ${snapshot.malformedTotal} (${malformed})  `}</Text>
				) : null}
				{gaps ? <Text color={theme.warning}>{gaps}</Text> : null}
			</Text>
		</Box>
	);
}
