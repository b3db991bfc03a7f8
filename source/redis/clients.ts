// The only place that builds ioredis connections. Secrets stay inside the connection options.
import type {ConnectionOptions as TlsConnectionOptions} from 'node:tls';
import {Redis, type RedisOptions} from 'ioredis';
import {addressOf, scrub, type Config, type Connection} from '../config.js';
import {parseInfo, type RedisInfo} from '../protocol/redis-info.js';

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

export function redisOptions(
	connection: Connection,
	role: Role,
	state: ReadyState = {ready: false},
): RedisOptions {
	return {
		...endpointOptions(connection, role, state),
		username: connection.username,
		password: connection.password,
		db: connection.db,
		connectionName: `celerytop-${role}`,
		lazyConnect: true,
		connectTimeout: 5_000,
		// No INFO ready check, except through a sentinel, where it checks that the node is still the master
		// after a failover: an ACL user without +info would make ioredis console.warn over the screen.
		enableReadyCheck: connection.sentinel !== undefined && role !== 'probe',
		maxRetriesPerRequest: role === 'probe' ? 0 : 1,
		retryStrategy: role === 'probe' ? () => null : backoff,
		// The feed watches close/reconnecting itself to report lost events; resubscribing is wanted.
		autoResubscribe: true,
	};
}

export function createRedis(connection: Connection, role: Role): Redis {
	const state: ReadyState = {ready: false};
	const redis = new Redis(redisOptions(connection, role, state));
	redis.once('ready', () => (state.ready = true));
	// An 'error' with no listener would crash the process; callers add their own listeners too.
	redis.on('error', () => {});
	return redis;
}

/** One line naming a connection problem, with the password removed. */
export function describeConnectionError(error: unknown, display: string, connection: Connection): string {
	const err = error as {code?: string; message?: string};
	const message = scrub(
		scrub(String(err?.message ?? error), connection.password),
		connection.sentinel?.password,
	).replace(/\s*\n\s*/g, ' ');
	const where =
		connection.path ??
		(connection.sentinel
			? `sentinels ${connection.sentinel.sentinels.map((s) => `${s.host}:${s.port}`).join(',')}`
			: `${connection.host}:${connection.port}`);
	if (
		connection.sentinel &&
		/All sentinels are unreachable|sentinel/i.test(message) &&
		!/NOPERM|WRONGPASS/.test(message)
	)
		return `cannot connect to ${display}: ${message} (master '${connection.sentinel.masterName}' via ${where})`;
	const tlsError = describeTlsError(err?.code, message);
	if (tlsError) return `TLS error connecting to ${display}: ${tlsError}`;
	if (err?.code === 'ECONNREFUSED') return `cannot connect to ${display}: connection refused at ${where}`;
	if (err?.code === 'ENOTFOUND' || err?.code === 'EAI_AGAIN')
		return `cannot connect to ${display}: unknown host ${connection.host}`;
	if (err?.code === 'ENOENT') return `cannot connect to ${display}: no socket at ${where}`;
	if (err?.code === 'ETIMEDOUT' || /timed? ?out/i.test(message))
		return `cannot connect to ${display}: timed out`;
	if (/WRONGPASS|invalid password|invalid username-password/i.test(message)) {
		return `authentication failed for ${display}: wrong user name or password`;
	}
	if (/NOAUTH/i.test(message))
		return `authentication required by ${display}: give the password in the URL (redis://:password@host)`;
	if (/NOPERM/i.test(message)) return `permission denied on ${display}: ${message}`;
	return `cannot connect to ${display}: ${message}`;
}

const TLS_CODES: Record<string, string> = {
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is not signed by a CA in ssl_ca_certs',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server certificate is not signed by a CA in ssl_ca_certs',
	SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate is not signed by a CA in ssl_ca_certs',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not in ssl_ca_certs',
	CERT_HAS_EXPIRED: 'the server certificate has expired',
	ERR_TLS_CERT_ALTNAME_INVALID:
		'the server certificate does not name this host (ssl_check_hostname=false skips the check)',
};

function describeTlsError(code: string | undefined, message: string): string | undefined {
	if (code && TLS_CODES[code]) return TLS_CODES[code];
	if (
		/certificate required|alert number 116|handshake failure|alert bad certificate|SSL routines|wrong version number|ERR_SSL/i.test(
			message,
		)
	)
		return /certificate required|116/.test(message)
			? 'the server requires a client certificate (give ssl_certfile and ssl_keyfile)'
			: message;
	return undefined;
}

/**
 * For the raw sockets (key scanner, MONITOR): a sentinel:// connection resolved to its current master's
 * address (SENTINEL GET-MASTER-ADDR-BY-NAME on each sentinel in turn); any other connection as it is.
 */
export async function resolveEndpoint(connection: Connection): Promise<Connection> {
	const s = connection.sentinel;
	if (!s) return connection;
	let lastError: unknown = new Error('All sentinels are unreachable');
	for (const {host, port} of s.sentinels) {
		const sentinel = new Redis({
			host,
			port,
			username: s.username,
			password: s.password,
			lazyConnect: true,
			connectTimeout: 2_000,
			maxRetriesPerRequest: 0,
			retryStrategy: () => null,
			enableReadyCheck: false,
		});
		sentinel.on('error', () => {});
		try {
			await sentinel.connect();
			const address = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', s.masterName ?? '')) as
				[string, string] | null;
			if (address) {
				const {sentinel: _s, ...rest} = connection;
				return {...rest, host: address[0], port: Number(address[1])};
			}
			lastError = new Error(`sentinel ${host}:${port} does not know master '${s.masterName}'`);
		} catch (error) {
			lastError = error;
		} finally {
			sentinel.disconnect();
		}
	}
	throw lastError;
}

/**
 * Connect once, PING and close: a clear error before anything long-lived starts. With `info`, also
 * return that INFO section (undefined when the server refuses INFO, e.g. an ACL without +info).
 */
export async function probe(
	connection: Connection,
	display: string,
	options: {readonly info?: string} = {},
): Promise<{ok: true; info?: RedisInfo} | {ok: false; error: string}> {
	const redis = createRedis(connection, 'probe');
	// ioredis rejects connect() with "Connection is closed."; the cause comes as an 'error' event.
	let cause: unknown;
	redis.on('error', (error: unknown) => {
		cause ??= error;
	});
	try {
		await redis.connect();
		await redis.ping();
		if (options.info === undefined) return {ok: true};
		const text = await redis.info(options.info).catch(() => undefined);
		return text === undefined ? {ok: true} : {ok: true, info: parseInfo(text)};
	} catch (error) {
		return {ok: false, error: describeConnectionError(cause ?? error, display, connection)};
	} finally {
		redis.disconnect();
	}
}

/** What INFO replication says about the --replica server, compared with the broker. */
export type ReplicaState = {
	/** 'slave' for a replica, 'master' otherwise (undefined when INFO was refused). */
	readonly role: string | undefined;
	/** master_link_status: 'up' while it receives the broker's stream. */
	readonly link: string | undefined;
	/** Its master_replid: a replica's is its master's (also through a chain of replicas). */
	readonly replid: string | undefined;
	/** It replicates the broker (same replication id); undefined when that could not be told. */
	readonly ofBroker: boolean | undefined;
};

const field = (info: RedisInfo | undefined, name: string): string | undefined => {
	const value = info?.['replication']?.[name];
	return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

export function replicaState(replica: RedisInfo | undefined, broker: RedisInfo | undefined): ReplicaState {
	const role = field(replica, 'role');
	const link = field(replica, 'master_link_status');
	const replid = field(replica, 'master_replid');
	const brokerReplid = field(broker, 'master_replid');
	// Before its first sync (link down) a replica holds an id of its own: nothing can be told then.
	const comparable = role === 'slave' && link === 'up' && replid !== undefined && brokerReplid !== undefined;
	return {role, link, replid, ofBroker: comparable ? replid === brokerReplid : undefined};
}

/** One line when the replica is not what --replica promises (undefined when it is, or cannot be told). */
export function replicaWarning(state: ReplicaState, display: string): string | undefined {
	if (state.role === 'master')
		return `--replica ${display} is not a replica (role:master); reading from it anyway`;
	if (state.role === 'slave' && state.link !== 'up')
		return `--replica ${display} is not connected to its master (master_link_status:${state.link ?? '?'}): events and keys may be missing or stale`;
	if (state.ofBroker === false)
		return `--replica ${display} replicates another server than the broker (its master_replid differs): events and keys come from there`;
	return undefined;
}

/**
 * With --replica, before anything starts: the broker and the replica must both answer (each failure is
 * one line, as for the broker alone), and INFO replication on each tells whether the replica really
 * replicates the broker (a warning when not; nothing when INFO is refused).
 */
export async function probeWithReplica(
	config: Config,
): Promise<
	{ok: true; warning: string | undefined; state: ReplicaState | undefined} | {ok: false; error: string}
> {
	const broker = await probe(config.connection, config.brokerDisplay, {
		...(config.replica ? {info: 'replication'} : {}),
	});
	if (!broker.ok) return broker;
	const replica = config.replica;
	if (!replica) return {ok: true, warning: undefined, state: undefined};
	const checked = await probe(replica.connection, replicaDisplay(config), {info: 'replication'});
	if (!checked.ok) return checked;
	const state = replicaState(checked.info, broker.info);
	return {ok: true, warning: replicaWarning(state, replica.display), state};
}

/** How the replica is named in errors: `replica redis://:***@host:port/db`. */
export function replicaDisplay(config: Config): string {
	return config.replica ? `replica ${config.replica.display}` : config.brokerDisplay;
}

/** Where the read-only load goes: the replica when given, else the broker (its db overridden by `db`). */
export function readTarget(
	config: Config,
	db?: number,
): {readonly connection: Connection; readonly display: string; readonly label: string} {
	const replica = config.replica;
	const connection = replica?.connection ?? config.connection;
	return {
		connection: db === undefined ? connection : {...connection, db},
		display: replicaDisplay(config),
		label: replica ? `replica ${replica.address}` : `broker ${brokerAddress(config.connection)}`,
	};
}

function brokerAddress(connection: Connection): string {
	const s = connection.sentinel;
	return s ? `(master '${s.masterName ?? 'mymaster'}' of the sentinels)` : addressOf(connection);
}
