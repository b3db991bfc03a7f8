// The only place that builds ioredis connections. Secrets stay inside the connection options.
// Every connection has time limits: the connect and the handshake (AUTH, SELECT, CLIENT SETNAME) must
// answer within --connect-timeout, each command's reply within --command-timeout (connections that
// block by design, the event subscriber and BRPOP, have no command limit). A server that answers
// something that is not RESP is named as such with the first line it sent.
import {Buffer} from 'node:buffer';
import {TLSSocket} from 'node:tls';
import {Redis} from 'ioredis';
import type {Connection} from '../ports/connection.js';
import {
	blocking,
	redisOptions,
	type CreateOptions,
	type ReadyState,
	type Role,
} from './connection-options.js';
import {
	connectLimitOf,
	commandLimitOf,
	NoAnswerError,
	NotRedisError,
	looksLikeResp,
	answeredText,
	within,
} from './time-limits.js';

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
