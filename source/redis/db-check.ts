// One rule for databases: a db is checked against the server before anything uses it, and nothing
// ever runs in another db instead. Redis answers SELECT of a db it does not have with
// `ERR DB index is out of range`; ioredis then emits an 'error' and carries on in db 0 (at connect and
// again at every reconnect). So: commands check their db first (checkDb), connections that select a
// db are opened with openDb (SELECT awaited and checked, no reconnects), and the ioredis clients that
// stay give up at once when their SELECT fails (strictDb) instead of falling back.
import type {Redis} from 'ioredis';
import type {BrokerTarget as Config, Connection} from '../ports/connection.js';
import {isWrongDbError} from './clients.js';
import {RespConnection, type Reply} from './resp-connection.js';
import {commandLimitOf, connectLimitOf} from './time-limits.js';
import type {DbCheck} from '../ports/inspector.js';

export {isWrongDbError};

/** Redis refused the SELECT of a db it does not have. */

/** Where a connection goes, for the db lines: host:port, the socket, or the sentinels' master. */
export function serverName(connection: Connection): string {
	if (connection.path) return connection.path;
	const s = connection.sentinel;
	if (s) return `the master '${s.masterName ?? 'mymaster'}' of the sentinels`;
	return `${connection.host.includes(':') ? `[${connection.host}]` : connection.host}:${connection.port}`;
}

/** `db 99 does not exist on 127.0.0.1:6379 (it has 16: 0-15)`; without the count when CONFIG was refused. */
export function missingDbLine(db: number, server: string, databases: number | undefined): string {
	if (databases === undefined || !Number.isInteger(databases) || databases < 1)
		return `db ${db} does not exist on ${server} (the server refused SELECT ${db}: DB index is out of range)`;
	const range = databases === 1 ? '0' : `0-${databases - 1}`;
	return `db ${db} does not exist on ${server} (it has ${databases}: ${range})`;
}

/** The most a check waits: the connection's connect and command timeouts (5 s each by default). */
export function checkLimitMs(connection: Connection): number {
	return connectLimitOf(connection) + commandLimitOf(connection);
}

/** Run `work` but give up after `ms`; a connection it opens (`track`) is closed then, or when it comes late. */
export async function limited<T>(
	ms: number,
	work: (track: (pipe: {close(): void}) => void) => Promise<T>,
	onTimeout: () => T,
): Promise<T> {
	let expired = false;
	const opened: Array<{close(): void}> = [];
	const track = (pipe: {close(): void}) => {
		opened.push(pipe);
		if (expired) pipe.close();
	};
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<T>((resolve) => {
		timer = setTimeout(() => {
			expired = true;
			for (const pipe of opened) pipe.close();
			resolve(onTimeout());
		}, ms);
	});
	try {
		return await Promise.race([work(track), timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** CONFIG GET databases over db 0; undefined when refused (an ACL without +config) or unreadable. */
async function countDatabases(
	connection: Connection,
	display: string,
	track: (pipe: {close(): void}) => void,
): Promise<number | undefined> {
	let pipe: RespConnection | undefined;
	try {
		pipe = await RespConnection.open({...connection, db: 0}, display, 'celerytop-check');
		track(pipe);
		const [reply] = await pipe.send([['CONFIG', 'GET', 'databases']]);
		if (!Array.isArray(reply) || reply.length < 2) return undefined;
		const count = Number(String(reply[1] as Reply));
		return Number.isInteger(count) && count > 0 ? count : undefined;
	} catch {
		return undefined;
	} finally {
		pipe?.close();
	}
}

/**
 * Open a lean connection on `connection.db`, its SELECT answered before anything else is sent, and
 * never reconnected: a db the server does not have rejects with the missing-db line. Other failures
 * reject with the connection's one-line error.
 */
export async function openDb(
	connection: Connection,
	display: string,
	name = 'celerytop-scan',
	track: (pipe: {close(): void}) => void = () => {},
): Promise<RespConnection> {
	try {
		const pipe = await RespConnection.open(connection, display, name);
		track(pipe);
		return pipe;
	} catch (error) {
		if (!isWrongDbError(error)) throw error;
		const databases = await countDatabases(connection, display, track);
		throw new Error(missingDbLine(connection.db, serverName(connection), databases));
	}
}

/** openDb within the connection's timeouts: a connection that comes too late is closed unused. */
export async function openDbWithin(
	connection: Connection,
	display: string,
	name: string,
): Promise<RespConnection> {
	const ms = checkLimitMs(connection);
	const opened = await limited<RespConnection | Error>(
		ms,
		(track) => openDb(connection, display, name, track).catch((error: unknown) => error as Error),
		() => new Error(`cannot connect to ${display}: no answer within ${(ms / 1000).toFixed(1)} s`),
	);
	if (opened instanceof Error) throw opened;
	return opened;
}

/**
 * Does `connection.db` exist on the server? Within the connection's timeouts; db 0 always exists.
 * The error is one line: the missing-db line, or why the server could not be asked.
 */
export async function checkDb(connection: Connection, display: string): Promise<DbCheck> {
	if (connection.db === 0) return {ok: true};
	const ms = checkLimitMs(connection);
	return limited<DbCheck>(
		ms,
		async (track) => {
			try {
				(await openDb(connection, display, 'celerytop-check', track)).close();
				return {ok: true};
			} catch (error) {
				return {ok: false, error: String((error as Error).message ?? error)};
			}
		},
		() => ({
			ok: false,
			error: `cannot check db ${connection.db} on ${display}: no answer within ${(ms / 1000).toFixed(1)} s`,
		}),
	);
}

/** The broker's db and, with --replica, the replica's: both must exist before a session starts. */
export async function checkConfigDbs(config: Config): Promise<DbCheck> {
	const broker = await checkDb(config.connection, config.brokerDisplay);
	if (!broker.ok || !config.replica) return broker;
	return checkDb(config.replica.connection, `replica ${config.replica.display}`);
}

/**
 * An ioredis client that never runs in another db: when its SELECT fails (at connect or a reconnect)
 * it disconnects at once, before the commands it queued are sent, and stays closed. `wrongDb()` tells
 * the error since (for a clearer line than ioredis' "Connection is closed.").
 */
export function strictDb(redis: Redis, db: number): {readonly redis: Redis; wrongDb(): string | undefined} {
	let error: string | undefined;
	redis.on('error', (e: unknown) => {
		if (error !== undefined || !isWrongDbError(e)) return;
		error = `db ${db} does not exist on the server any more (SELECT ${db} refused); its connection is closed`;
		redis.disconnect();
	});
	return {redis, wrongDb: () => error};
}
