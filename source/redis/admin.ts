// The only writes the Redis inspector makes: FLUSHDB, delete a key, purge a queue. Each one is
// refused under --read-only here, before anything is sent, whatever the UI does. Asking the operator
// is the UI's job; confirmationFor() gives the words, confirmationMatches() checks the answer.
import type {Redis} from 'ioredis';
import {priorityQueueKeys} from '../protocol/channels.js';
import type {TransportOptions} from '../protocol/types.js';

export type AdminOp =
	| {readonly op: 'flushdb'; readonly db: number}
	| {readonly op: 'del'; readonly key: string}
	| {readonly op: 'purge'; readonly queue: string};

export type AdminResult =
	{readonly ok: true; readonly removed: number} | {readonly ok: false; readonly error: string};

export type AdminContext = {
	readonly readOnly: boolean;
	/** The db the connection selected (FLUSHDB is checked against it). */
	readonly db: number;
	readonly transport?: TransportOptions;
};

export type Confirmation = {
	readonly title: string;
	readonly prompt: string;
	/** What the operator must type, exactly. */
	readonly expected: string;
};

export function confirmationFor(op: AdminOp): Confirmation {
	switch (op.op) {
		case 'flushdb':
			return {
				title: `FLUSHDB db ${op.db}`,
				prompt: `Delete EVERY key in db ${op.db} (queues, results, bindings)? Type the db number ${op.db} to confirm:`,
				expected: String(op.db),
			};
		case 'del':
			return {title: `DEL ${op.key}`, prompt: `Delete the key ${op.key}? Type y to confirm:`, expected: 'y'};
		case 'purge':
			return {
				title: `purge ${op.queue}`,
				prompt: `Delete every waiting message of queue ${op.queue} (all priorities)? Type the queue name to confirm:`,
				expected: op.queue,
			};
	}
}

export function confirmationMatches(op: AdminOp, typed: string): boolean {
	return typed.trim() === confirmationFor(op).expected;
}

export function refusal(op: AdminOp, context: AdminContext): string | undefined {
	if (context.readOnly) return `refused: ${confirmationFor(op).title} is not allowed under --read-only`;
	if (op.op === 'flushdb' && op.db !== context.db)
		return `refused: connected to db ${context.db}, not db ${op.db}`;
	if (op.op === 'del' && op.key === '') return 'refused: empty key name';
	if (op.op === 'purge' && op.queue === '') return 'refused: empty queue name';
	return undefined;
}

/** Run one operation; under readOnly nothing reaches the server. */
export async function runAdmin(redis: Redis, op: AdminOp, context: AdminContext): Promise<AdminResult> {
	const refused = refusal(op, context);
	if (refused !== undefined) return {ok: false, error: refused};
	try {
		switch (op.op) {
			case 'flushdb': {
				const keys = Number(await redis.dbsize());
				await redis.flushdb('ASYNC');
				return {ok: true, removed: keys};
			}
			case 'del':
				// UNLINK frees a big value in the background instead of blocking the server.
				return {ok: true, removed: Number(await redis.unlink(op.key))};
			case 'purge': {
				const prefix =
					typeof context.transport?.global_keyprefix === 'string' ? context.transport.global_keyprefix : '';
				const keys = priorityQueueKeys(prefix + op.queue, context.transport ?? {});
				const transaction = redis.multi();
				for (const key of keys) transaction.llen(key).unlink(key);
				const replies = (await transaction.exec()) ?? [];
				let removed = 0;
				for (let i = 0; i < replies.length; i += 2) removed += Number(replies[i]?.[1] ?? 0);
				return {ok: true, removed};
			}
		}
	} catch (error) {
		return {ok: false, error: String((error as Error).message ?? error)};
	}
}

export const flushDb = (redis: Redis, db: number, context: AdminContext) =>
	runAdmin(redis, {op: 'flushdb', db}, context);
export const deleteKey = (redis: Redis, key: string, context: AdminContext) =>
	runAdmin(redis, {op: 'del', key}, context);
export const purgeQueue = (redis: Redis, queue: string, context: AdminContext) =>
	runAdmin(redis, {op: 'purge', queue}, context);
