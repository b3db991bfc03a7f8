// Wires a Config to live connections: a probe, the event subscriber, the store it feeds. With
// --replica the subscriber is on the replica (Redis propagates PUBLISH to replicas).
import type {BrokerTarget, StoreBounds} from '../ports/connection.js';

type Config = BrokerTarget & StoreBounds;
import {eventChannelPattern} from '../protocol/channels.js';
import type {CeleryEvent} from '../protocol/types.js';
import {Store} from '../state/store.js';
import {createRedis} from './clients.js';
import {describeConnectionError, isTransient} from './connection-errors.js';
import {probeWithReplica, type ConnectFailure} from './probe.js';
import {readTarget} from './replica.js';
import {commandLimitOf, connectLimitOf, isTimeout} from './time-limits.js';
import {checkConfigDbs} from './db-check.js';
import {startEventFeed, type EventFeed, type FeedSink} from './event-feed.js';

export const clock = (): number => Date.now() / 1000;

export type Session = {
	readonly store: Store;
	readonly feed: EventFeed;
	readonly pattern: string;
	/** Where the events come from: `broker host:port` or `replica host:port`. */
	readonly source: string;
	/** With --replica: one line when it is not a connected replica of the broker. */
	readonly warning: string | undefined;
	stop(): Promise<void>;
};

export type SessionOptions = {
	readonly onEvents?: (events: readonly CeleryEvent[]) => void;
	/** Told of connection changes after start (headless commands print them on stderr). */
	readonly onConnection?: (status: string, error: string | undefined) => void;
	/** Feed this store (the TUI makes it first, to draw before the server answered); else a new one. */
	readonly store?: Store;
};

export function createStore(config: Config): Store {
	return new Store({
		maxTasks: config.maxTasks,
		maxWorkers: config.maxWorkers,
		streamSize: config.maxEvents,
		stuckAfter: config.stuckAfter,
		now: clock(),
	});
}

/** Connect (failing fast with one clear line), subscribe, and feed a new store. */
export async function startSession(
	config: Config,
	options: SessionOptions = {},
): Promise<{ok: true; session: Session} | ConnectFailure> {
	const checked = await probeWithReplica(config);
	if (!checked.ok) return checked;
	// The broker's db (and the replica's) must exist: ioredis would silently carry on in db 0.
	const dbs = await checkConfigDbs(config);
	// A missing db is final; a check that got no answer (the server stalled since the probe) is not.
	if (!dbs.ok) return {...dbs, transient: /no answer/.test(dbs.error), silent: false};
	// Pub/sub ignores SELECT: the channels name the broker's db whatever the replica URL says.
	const target = readTarget(config);
	const store = options.store ?? createStore(config);
	const sink: FeedSink = {
		applyBatch: (events, now) => store.applyBatch(events, now),
		recordMalformed: (reason, count) => store.recordMalformed(reason, count),
		setConnection: (status, now, error) => {
			store.setConnection(status, now, error);
			options.onConnection?.(status, error);
		},
	};
	const pattern = eventChannelPattern(config.connection.db, config.transport);
	const redis = createRedis(target.connection, 'events');
	const describe = (error: unknown) => describeConnectionError(error, target.display, target.connection);
	try {
		const feed = await startEventFeed({
			redis,
			pattern,
			sink,
			clock,
			onEvents: options.onEvents,
			describeError: describe,
			startLimitMs: connectLimitOf(target.connection),
			// The subscriber only listens: a PING now and then tells a stopped server from a quiet one.
			liveness: {
				everyMs: Math.max(1_000, 2 * commandLimitOf(target.connection)),
				limitMs: commandLimitOf(target.connection),
			},
		});
		const source = target.label;
		return {
			ok: true,
			session: {store, feed, pattern, source, warning: checked.warning, stop: () => feed.stop()},
		};
	} catch (error) {
		redis.disconnect();
		return {ok: false, error: describe(error), transient: isTransient(error), silent: isTimeout(error)};
	}
}
