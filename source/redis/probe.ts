// Before anything long-lived starts: connect once, PING and close, for the broker and the replica.
import type {BrokerTarget as Config, Connection} from '../ports/connection.js';
import type {ReplicaState} from '../ports/inspector.js';
import {parseInfo, type RedisInfo} from '../protocol/redis-info.js';
import {connectAlive, createRedis} from './clients.js';
import {describeConnectionError, isTransient} from './connection-errors.js';
import {replicaDisplay, replicaState, replicaWarning} from './replica.js';
import {connectLimitOf, isTimeout} from './time-limits.js';

/** Why a connection could not be made: one line, and whether trying again may help (isTransient). */
export type ConnectFailure = {ok: false; error: string; transient: boolean; silent: boolean};

/**
 * Connect once, PING and close: a clear error before anything long-lived starts. With `info`, also
 * return that INFO section (undefined when the server refuses INFO, e.g. an ACL without +info).
 * A failure says whether it may be transient, and `silent` when the server simply did not answer.
 */
export async function probe(
	connection: Connection,
	display: string,
	options: {readonly info?: string} = {},
): Promise<{ok: true; info?: RedisInfo} | ConnectFailure> {
	// The server, not the db: it is checked next, by db-check, with a line naming how many the server
	// has (a probe in a db the server lacks would only close, see createRedis).
	const redis = createRedis({...connection, db: 0}, 'probe');
	// ioredis rejects connect() with "Connection is closed."; the cause comes as an 'error' event.
	let cause: unknown;
	redis.on('error', (error: unknown) => {
		cause ??= error;
	});
	try {
		await connectAlive(redis, connectLimitOf(connection));
		if (options.info === undefined) return {ok: true};
		const text = await redis.info(options.info).catch(() => undefined);
		return text === undefined ? {ok: true} : {ok: true, info: parseInfo(text)};
	} catch (error) {
		const why = cause ?? error;
		return {
			ok: false,
			error: describeConnectionError(why, display, connection),
			transient: isTransient(why),
			silent: isTimeout(why),
		};
	} finally {
		redis.disconnect();
	}
}

/**
 * With --replica, before anything starts: the broker and the replica must both answer (each failure is
 * one line, as for the broker alone), and INFO replication on each tells whether the replica really
 * replicates the broker (a warning when not; nothing when INFO is refused).
 */
export async function probeWithReplica(
	config: Config,
): Promise<{ok: true; warning: string | undefined; state: ReplicaState | undefined} | ConnectFailure> {
	const broker = await probe(config.connection, config.brokerDisplay, {
		...(config.replica ? {info: 'replication'} : {}),
	});
	if (!broker.ok) return broker;
	const replica = config.replica;
	if (!replica) return {ok: true, warning: undefined, state: undefined};
	const checked = await probe(replica.connection, replicaDisplay(config), {info: 'replication'});
	// `silent` speaks of the broker (the TUI says it is waiting for it); the replica's silence is told.
	if (!checked.ok) return {...checked, silent: false};
	const state = replicaState(checked.info, broker.info);
	return {ok: true, warning: replicaWarning(state, replica.display), state};
}
