// The ioredis options of every connection we make: the endpoint (host/port, a Unix socket, TLS, or the
// sentinels of a master), the credentials, the time limits and the retry policy of each role.
import type {ConnectionOptions as TlsConnectionOptions} from 'node:tls';
import type {RedisOptions} from 'ioredis';
import type {Connection} from '../ports/connection.js';
import {connectLimitOf, commandLimitOf} from './time-limits.js';

/** control: the control client's command and BRPOP connections (source/redis/control-client.ts). */
export type Role = 'command' | 'events' | 'probe' | 'control' | 'scan' | 'stats' | 'admin';

/** Reconnect with backoff: 100 ms, 200 ms, ... capped at 3 s. */
export function backoff(times: number): number {
	return Math.min(100 * 2 ** Math.min(times - 1, 5), 3_000);
}

/** Node TLS options for a rediss:// connection (ioredis and the raw sockets of the scanner and MONITOR). */
export function tlsConnectOptions(connection: Connection): TlsConnectionOptions {
	const t = connection.tlsOptions;
	return {
		host: connection.host,
		port: connection.port,
		servername: /^[\d.]+$|:/.test(connection.host) ? undefined : connection.host,
		...(t?.ca ? {ca: t.ca} : {}),
		...(t?.cert ? {cert: t.cert} : {}),
		...(t?.key ? {key: t.key} : {}),
		rejectUnauthorized: t?.verify ?? true,
		...(t && t.verify && !t.checkHostname ? {checkServerIdentity: () => undefined} : {}),
	};
}

function endpointOptions(connection: Connection, role: Role, state: ReadyState): RedisOptions {
	const s = connection.sentinel;
	if (s) {
		return {
			sentinels: s.sentinels.map(({host, port}) => ({host, port})),
			name: s.masterName ?? 'mymaster',
			role: 'master',
			sentinelUsername: s.username,
			sentinelPassword: s.password,
			sentinelCommandTimeout: commandLimitOf(connection),
			// No failoverDetector: its sentinel clients have no 'error' listener in ioredis, so a sentinel that
			// is down prints "[ioredis] Unhandled error event" over the screen. A failover still moves us: the
			// sentinel kills the demoted master's clients, and the ready check (on for sentinel) refuses a replica.
			failoverDetector: false,
			// Rounds over the sentinels: before the first success (a one-shot command, or a start against a
			// wrong master_name) give up after three rounds with a clear error; once connected, keep trying.
			sentinelRetryStrategy:
				role === 'probe'
					? () => null
					: (times: number) => (!state.ready && times > 3 ? null : backoff(times)),
		};
	}
	if (connection.path) return {path: connection.path};
	const {host, port} = connection;
	if (!connection.tls) return {host, port};
	const {host: _h, port: _p, ...tls} = tlsConnectOptions(connection);
	return {host, port, tls};
}

/** Set once the connection was ready: a sentinel connection then never stops retrying. */
export type ReadyState = {ready: boolean};

export type CreateOptions = {
	/**
	 * The connection blocks by design (SUBSCRIBE, BRPOP): no --command-timeout on its commands; the
	 * handshake limit still applies, and the caller bounds its waits itself.
	 */
	readonly blocking?: boolean;
};

export const blocking = (role: Role, options: CreateOptions): boolean =>
	options.blocking === true || role === 'events';

export function redisOptions(
	connection: Connection,
	role: Role,
	state: ReadyState = {ready: false},
	options: CreateOptions = {},
): RedisOptions {
	return {
		...endpointOptions(connection, role, state),
		username: connection.username,
		password: connection.password,
		db: connection.db,
		connectionName: `celerytop-${role}`,
		lazyConnect: true,
		// ioredis' connectTimeout covers the TCP/TLS connect only; guard() below covers the handshake.
		connectTimeout: connectLimitOf(connection),
		// Set by guard() while the connection is ready (not during its handshake).
		...(blocking(role, options) ? {} : {commandTimeout: commandLimitOf(connection)}),
		// No INFO ready check, except through a sentinel, where it checks that the node is still the master
		// after a failover: an ACL user without +info would make ioredis console.warn over the screen.
		enableReadyCheck: connection.sentinel !== undefined && role !== 'probe',
		maxRetriesPerRequest: role === 'probe' ? 0 : 1,
		retryStrategy: role === 'probe' ? () => null : backoff,
		// The feed watches close/reconnecting itself to report lost events; resubscribing is wanted.
		autoResubscribe: true,
	};
}
