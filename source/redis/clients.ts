// The only place that builds ioredis connections. Secrets stay inside the connection options.
import {Redis, type RedisOptions} from 'ioredis';
import {scrub, type Connection} from '../config.js';

/** control: the control client's command and BRPOP connections (source/redis/control-client.ts). */
export type Role = 'command' | 'events' | 'probe' | 'control' | 'scan' | 'stats' | 'admin';

/** Reconnect with backoff: 100 ms, 200 ms, ... capped at 3 s. */
export function backoff(times: number): number {
	return Math.min(100 * 2 ** Math.min(times - 1, 5), 3_000);
}

export function redisOptions(connection: Connection, role: Role): RedisOptions {
	return {
		...(connection.path ? {path: connection.path} : {host: connection.host, port: connection.port}),
		username: connection.username,
		password: connection.password,
		db: connection.db,
		...(connection.tls ? {tls: {servername: connection.host}} : {}),
		connectionName: `celerytop-${role}`,
		lazyConnect: true,
		connectTimeout: 5_000,
		enableReadyCheck: role !== 'probe',
		maxRetriesPerRequest: role === 'probe' ? 0 : 1,
		retryStrategy: role === 'probe' ? () => null : backoff,
		// The feed watches close/reconnecting itself to report lost events; resubscribing is wanted.
		autoResubscribe: true,
	};
}

export function createRedis(connection: Connection, role: Role): Redis {
	const redis = new Redis(redisOptions(connection, role));
	// An 'error' with no listener would crash the process; callers add their own listeners too.
	redis.on('error', () => {});
	return redis;
}

/** One line naming a connection problem, with the password removed. */
export function describeConnectionError(error: unknown, display: string, connection: Connection): string {
	const err = error as {code?: string; message?: string};
	const message = scrub(String(err?.message ?? error), connection.password);
	const where = connection.path ?? `${connection.host}:${connection.port}`;
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

/** Connect once, PING and close: a clear error before anything long-lived starts. */
export async function probe(
	connection: Connection,
	display: string,
): Promise<{ok: true} | {ok: false; error: string}> {
	const redis = createRedis(connection, 'probe');
	// ioredis rejects connect() with "Connection is closed."; the cause comes as an 'error' event.
	let cause: unknown;
	redis.on('error', (error: unknown) => {
		cause ??= error;
	});
	try {
		await redis.connect();
		await redis.ping();
		return {ok: true};
	} catch (error) {
		return {ok: false, error: describeConnectionError(cause ?? error, display, connection)};
	} finally {
		redis.disconnect();
	}
}
