// The only place that builds ioredis connections. Secrets stay inside the connection options.
// Every connection has time limits: the connect and the handshake (AUTH, SELECT, CLIENT SETNAME) must
// answer within --connect-timeout, each command's reply within --command-timeout (connections that
// block by design, the event subscriber and BRPOP, have no command limit). A server that answers
// something that is not RESP is named as such with the first line it sent.
import {Buffer} from 'node:buffer';
import {TLSSocket, type ConnectionOptions as TlsConnectionOptions} from 'node:tls';
import {Redis, type RedisOptions} from 'ioredis';
import type {BrokerTarget as Config, Connection} from '../ports/connection.js';
import {addressOf, scrub} from '../redis-url.js';
import {parseInfo, type RedisInfo} from '../protocol/redis-info.js';
import {sanitize} from '../protocol/sanitize.js';
import {
	connectLimitOf,
	commandLimitOf,
	seconds,
	NoAnswerError,
	NotRedisError,
	looksLikeResp,
	answeredText,
	isTimeout,
	within,
} from './time-limits.js';
import type {ReplicaState} from '../ports/inspector.js';

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

const blocking = (role: Role, options: CreateOptions): boolean =>
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

const WRONG_DB = /DB index is out of range|invalid DB index/i;

/** The server refused SELECT: the db does not exist (its `databases` is smaller). */
export function isWrongDbError(error: unknown): boolean {
	return WRONG_DB.test(String((error as Error)?.message ?? error));
}

export function createRedis(connection: Connection, role: Role, options: CreateOptions = {}): Redis {
	const state: ReadyState = {ready: false};
	const redis = new Redis(redisOptions(connection, role, state, options));
	redis.once('ready', () => (state.ready = true));
	guard(redis, connection, blocking(role, options) ? undefined : commandLimitOf(connection));
	// ioredis carries on in db 0 when SELECT fails (at the first connect or at a reconnect to a server
	// restarted with fewer databases): no connection of ours ever does, it is closed instead.
	redis.on('error', (error: unknown) => {
		if (isWrongDbError(error)) redis.disconnect();
	});
	// An 'error' with no listener would crash the process; callers add their own listeners too.
	redis.on('error', () => {});
	return redis;
}

/**
 * What ioredis leaves open, closed on each client we make:
 * - A server that accepts the connection and never answers keeps it in the handshake for ever (a lazy
 *   connection has no ready check). Each time the socket connects, the handshake must end within the
 *   connect limit, or the socket is destroyed with a NoAnswerError; ioredis then reconnects with
 *   backoff, or gives up, as its retryStrategy says.
 * - commandTimeout would also time the handshake's AUTH/HELLO (failing it as a command, not as a
 *   silent server): the command limit applies only while the connection is ready. Commands written
 *   later, when queued ones are sent on `ready`, get their limit then.
 * - One that answers HTTP is a bare "Unknown RESP type": the first bytes are kept, and an error on a
 *   connection that answered something other than RESP carries `answered` (named by
 *   describeConnectionError). Our listeners come before the caller's, who sees `answered` set.
 * - ioredis writes its handshake as four writes: a server that answers the first and closes (HTTP
 *   does) makes a later one fail with EPIPE before its answer is read. The handshake is corked into
 *   one write, which the server reads whole.
 */
function guard(redis: Redis, connection: Connection, commandLimit: number | undefined): void {
	const limit = connectLimitOf(connection);
	let timer: NodeJS.Timeout | undefined;
	let first = Buffer.alloc(0);
	const stop = () => {
		clearTimeout(timer);
		timer = undefined;
	};
	if (commandLimit !== undefined)
		Object.defineProperty(redis.options, 'commandTimeout', {
			configurable: true,
			enumerable: true,
			get: () => (redis.status === 'ready' ? commandLimit : undefined),
		});
	const watch = (stream: Redis['stream']) => {
		first = Buffer.alloc(0);
		// Before ioredis' own parser, which fails on the very chunk that is not RESP.
		stream.prependListener('data', (chunk: Buffer) => {
			if (first.length < 200) first = Buffer.concat([first, chunk]).subarray(0, 200);
		});
		// Before ioredis' connect handler, which writes the handshake at once (same tick).
		const cork = () => {
			stream.cork();
			process.nextTick(() => stream.uncork());
		};
		if (stream instanceof TLSSocket) stream.prependOnceListener('secureConnect', cork);
		else stream.prependOnceListener('connect', cork);
	};
	let current: Redis['stream'] | undefined;
	Object.defineProperty(redis, 'stream', {
		configurable: true,
		enumerable: true,
		get: () => current,
		set: (stream: Redis['stream'] | undefined) => {
			current = stream;
			if (stream) watch(stream);
		},
	});
	redis.on('connect', () => {
		stop();
		const stream = redis.stream;
		timer = setTimeout(() => {
			timer = undefined;
			if (redis.status !== 'connect' || redis.stream !== stream) return;
			stream.destroy(
				looksLikeResp(first) ? new NoAnswerError('handshake', limit) : new NotRedisError(answeredText(first)),
			);
		}, limit);
	});
	for (const event of ['ready', 'close', 'end']) redis.on(event, stop);
	redis.on('error', (error: unknown) => {
		if (looksLikeResp(first) || error instanceof NotRedisError) return;
		if (error !== null && typeof error === 'object') Object.assign(error, {answered: answeredText(first)});
	});
}

/**
 * Connect and PING, both within the connect limit: a server that accepted the TCP connection is only
 * known to be alive once it answered. Rejects with the cause (NoAnswerError, NotRedisError, ECONNREFUSED,
 * WRONGPASS…), not ioredis' bare "Connection is closed."; the connection is closed on failure.
 */
export async function connectAlive(redis: Redis, limit: number): Promise<void> {
	let cause: unknown;
	const onError = (error: unknown) => (cause ??= error);
	redis.on('error', onError);
	try {
		if (redis.status === 'wait') await redis.connect();
		await within(redis.ping(), limit, () => new NoAnswerError('handshake', limit));
	} catch (error) {
		redis.disconnect();
		throw cause ?? error;
	} finally {
		redis.off('error', onError);
	}
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
	const answered =
		error instanceof NotRedisError ? error.answered : (error as {answered?: unknown})?.answered;
	if (typeof answered === 'string' || /Unknown RESP type|unexpected RESP reply type/.test(message)) {
		const said =
			typeof answered === 'string'
				? answered
				: sanitize(
						/type \d+ "(.)"|type (.)$/
							.exec(message)
							?.slice(1)
							.find((c) => c !== undefined) ?? '?',
					);
		return `${where} is not a Redis server (it answered "${scrub(scrub(said, connection.password), connection.sentinel?.password)}")`;
	}
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
	if (error instanceof NoAnswerError && error.stage !== 'connect') {
		if (error.stage === 'handshake')
			return `no answer from ${display}: ${where} accepted the connection but sent nothing within ${seconds(error.ms)} (--connect-timeout)`;
		return `no answer from ${display}: a reply did not come within ${seconds(error.ms)} (--command-timeout)`;
	}
	if (message === 'Command timed out')
		return `no answer from ${display}: a reply did not come within ${seconds(commandLimitOf(connection))} (--command-timeout)`;
	if (error instanceof NoAnswerError || err?.code === 'ETIMEDOUT' || /\btimed out\b/i.test(message))
		return `cannot connect to ${display}: ${where} did not accept the connection within ${seconds(connectLimitOf(connection))} (--connect-timeout)`;
	if (/^Connection is closed\.?$/.test(message))
		return `cannot connect to ${display}: ${where} closed the connection without answering`;
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
			connectTimeout: connectLimitOf(connection),
			commandTimeout: commandLimitOf(connection),
			maxRetriesPerRequest: 0,
			retryStrategy: () => null,
			enableReadyCheck: false,
		});
		guard(sentinel, connection, commandLimitOf(connection));
		sentinel.on('error', () => {});
		try {
			await connectAlive(sentinel, connectLimitOf(connection));
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
 * A failure to connect that may mend by itself (nothing answered, the port refused, the socket is not
 * there yet, the server is loading its data): a long-lived mode keeps trying. Not one: a server that
 * is not Redis, a refused password or permission, TLS, an unknown host name.
 */
export function isTransient(error: unknown): boolean {
	const err = error as {code?: string; message?: string; answered?: unknown} | undefined;
	if (error instanceof NotRedisError || typeof err?.answered === 'string') return false;
	if (isTimeout(error)) return true;
	const code = err?.code ?? '';
	if (
		['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOENT'].includes(
			code,
		)
	)
		return true;
	const message = String(err?.message ?? error);
	return /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN)\b|All sentinels are unreachable|^Connection is closed\.?$/.test(
		message,
	);
}

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
