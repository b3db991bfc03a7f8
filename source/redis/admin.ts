// The only writes the Redis inspector makes: FLUSHDB, delete a key, purge a queue. Each one is
// refused under --read-only here, before anything is sent, whatever the UI does. Each runs on a
// connection of its own, opened for it: SELECT of the confirmed db is sent and its +OK awaited before
// the operation is written, and that connection never reconnects, so a db the server does not have
// (or a SELECT refused for any reason) means nothing is deleted anywhere. Asking the operator is the
// UI's job; previewAdmin() reads what the operation would remove, confirmationFor() gives the words
// and confirmationMatches() checks the answer.
import type {Connection} from '../ports/connection.js';
import {priorityQueueKeys} from '../protocol/channels.js';
import type {TransportOptions} from '../protocol/types.js';
import {openDbWithin} from './db-check.js';
import {globEscape} from './memory.js';
import {readQueues} from './queues.js';
import {scanKeys} from './key-scanner.js';
import type {AuditEntry} from './audit-log.js';
import type {Arg, CommandPipe, Reply} from './resp-connection.js';
import type {AdminOp, AdminPreview, AdminResult} from '../ports/inspector.js';
import {confirmationFor} from '../ports/admin-policy.js';

export type AdminContext = {
	readonly readOnly: boolean;
	/** The db the operation runs in (the connection selects it; FLUSHDB must name the same). */
	readonly db: number;
	readonly transport?: TransportOptions;
	/** The broker's own db (the one Celery uses): its FLUSHDB confirmation says so. */
	readonly brokerDb?: number;
};

/** Where the operations go: the broker (never a replica). The db comes from the context. */
export type AdminTarget = {readonly connection: Connection; readonly display: string};

export function refusal(op: AdminOp, context: AdminContext): string | undefined {
	if (context.readOnly) return `refused: ${confirmationFor(op).title} is not allowed under --read-only`;
	if (op.op === 'flushdb' && op.db !== context.db)
		return `refused: connected to db ${context.db}, not db ${op.db}`;
	if (op.op === 'del' && op.key === '') return 'refused: empty key name';
	if (op.op === 'purge' && op.queue === '') return 'refused: empty queue name';
	return undefined;
}

const prefixOf = (transport: TransportOptions | undefined) =>
	typeof transport?.global_keyprefix === 'string' ? transport.global_keyprefix : '';

function checked(reply: Reply | undefined): Reply | undefined {
	if (reply instanceof Error) throw reply;
	return reply;
}

/** Open the db's own connection (SELECT checked), run `work`, close. */
async function onDb<T>(
	target: AdminTarget,
	db: number,
	name: string,
	work: (pipe: CommandPipe) => Promise<T>,
): Promise<T> {
	const pipe = await openDbWithin({...target.connection, db}, target.display, name);
	try {
		return await work(pipe);
	} finally {
		pipe.close();
	}
}

/** Run one operation; under readOnly, or when the db cannot be selected, nothing reaches the server. */
export async function runAdmin(
	target: AdminTarget,
	op: AdminOp,
	context: AdminContext,
): Promise<AdminResult> {
	const refused = refusal(op, context);
	if (refused !== undefined) return {ok: false, error: refused};
	try {
		return await onDb(target, context.db, 'celerytop-admin', async (pipe) => {
			switch (op.op) {
				case 'flushdb': {
					const [keys, flushed] = await pipe.send([['DBSIZE'], ['FLUSHDB', 'ASYNC']]);
					checked(flushed);
					return {ok: true, removed: Number(checked(keys))};
				}
				case 'del': {
					// UNLINK frees a big value in the background instead of blocking the server.
					const [removed] = await pipe.send([['UNLINK', op.key]]);
					return {ok: true, removed: Number(checked(removed))};
				}
				case 'purge': {
					const keys = priorityQueueKeys(prefixOf(context.transport) + op.queue, context.transport ?? {});
					const commands: Arg[][] = [['MULTI']];
					for (const key of keys) commands.push(['LLEN', key], ['UNLINK', key]);
					commands.push(['EXEC']);
					const replies = await pipe.send(commands);
					for (const reply of replies) checked(reply);
					const exec = replies.at(-1);
					if (!Array.isArray(exec)) throw new Error('the purge transaction was aborted');
					let removed = 0;
					for (let i = 0; i < exec.length; i += 2) removed += Number(checked(exec[i]) ?? 0);
					return {ok: true, removed};
				}
			}
		});
	} catch (error) {
		return {ok: false, error: String((error as Error).message ?? error)};
	}
}

/** The audit log's line for an operation that was run (sent) or failed on the way (not refused). */
export function adminAuditEntry(
	broker: string,
	db: number,
	op: AdminOp,
	result: AdminResult,
	time: Date,
): AuditEntry {
	const target = op.op === 'del' ? {key: op.key} : op.op === 'purge' ? {queue: op.queue} : {};
	return {
		time: time.toISOString(),
		broker,
		method: op.op === 'flushdb' ? 'FLUSHDB' : op.op === 'del' ? 'DEL' : 'purge',
		arguments: {db, ...target},
		destination: null,
		pattern: null,
		sent: result.ok,
		...(result.ok ? {replies: {removed: result.removed}} : {error: result.error}),
	};
}

const KEY_SIZE: Record<string, string> = {
	string: 'STRLEN',
	list: 'LLEN',
	hash: 'HLEN',
	set: 'SCARD',
	zset: 'ZCARD',
	stream: 'XLEN',
};

/** Read what an operation would remove, on the db's own connection (a missing db is an error line). */
export async function previewAdmin(
	target: AdminTarget,
	op: AdminOp,
	context: AdminContext,
): Promise<{ok: true; preview: AdminPreview} | {ok: false; error: string}> {
	const db = context.db;
	try {
		const preview = await onDb(target, db, 'celerytop-preview', async (pipe): Promise<AdminPreview> => {
			switch (op.op) {
				case 'flushdb': {
					const [keys] = await pipe.send([['DBSIZE']]);
					const queues = await readQueues(pipe, {transport: context.transport, next: 0, maxUnacked: 0});
					let bindings = 0;
					const match = `${globEscape(prefixOf(context.transport))}_kombu.binding.*`;
					for await (const batch of scanKeys(pipe, {match, describe: false, count: 1000}))
						bindings += batch.length;
					return {
						op: 'flushdb',
						db,
						keys: Number(checked(keys)),
						broker: context.brokerDb === db,
						queues: queues.queues.map((q) => ({queue: q.queue, messages: q.messages})),
						unacked: queues.unackedTotal,
						bindings,
					};
				}
				case 'del': {
					const [type] = await pipe.send([['TYPE', op.key]]);
					const kind = String(checked(type));
					const sizeCommand = KEY_SIZE[kind];
					const [size, bytes] = await pipe.send([
						sizeCommand ? [sizeCommand, op.key] : ['EXISTS', op.key],
						['MEMORY', 'USAGE', op.key],
					]);
					return {
						op: 'del',
						db,
						key: op.key,
						type: kind,
						size: sizeCommand && typeof size === 'number' ? size : undefined,
						bytes: typeof bytes === 'number' ? bytes : undefined,
					};
				}
				case 'purge': {
					const keys = priorityQueueKeys(prefixOf(context.transport) + op.queue, context.transport ?? {});
					const lengths = await pipe.send(keys.map((key) => ['LLEN', key]));
					const messages = lengths.reduce<number>((sum, reply) => sum + Number(checked(reply) ?? 0), 0);
					return {op: 'purge', db, queue: op.queue, messages};
				}
			}
		});
		return {ok: true, preview};
	} catch (error) {
		return {ok: false, error: String((error as Error).message ?? error)};
	}
}

export const flushDb = (target: AdminTarget, db: number, context: AdminContext) =>
	runAdmin(target, {op: 'flushdb', db}, context);
export const deleteKey = (target: AdminTarget, key: string, context: AdminContext) =>
	runAdmin(target, {op: 'del', key}, context);
export const purgeQueue = (target: AdminTarget, queue: string, context: AdminContext) =>
	runAdmin(target, {op: 'purge', queue}, context);
