// The dangerous Redis operations after their dialog: an action → the admin operation, run through
// the Redis services (which refuse under --read-only too), told back as log lines.
import {sanitize} from '../../protocol/sanitize.js';
import {confirmationFor, confirmationMatches} from '../../ports/admin-policy.js';
import type {AdminOp} from '../../ports/inspector.js';
import type {Action} from '../modal.js';
import type {RedisServices} from '../../ports/inspector.js';

export const ADMIN_IDS: ReadonlySet<string> = new Set(['redis.flushdb', 'redis.del', 'redis.purge']);

/** The operation an action asks for (its target and db were fixed when the dialog opened). */
export function adminOp(action: Action): AdminOp | undefined {
	switch (action.id) {
		case 'redis.flushdb':
			return {op: 'flushdb', db: Number(action.target)};
		case 'redis.del':
			return {op: 'del', key: action.target};
		case 'redis.purge':
			return {op: 'purge', queue: action.target};
		default:
			return undefined;
	}
}

const UNITS = {flushdb: 'key(s)', del: 'key(s)', purge: 'message(s)'} as const;

export type AdminOutcome = {readonly ok: boolean; readonly lines: readonly string[]};

/** Run the operation of an action; nothing reaches Redis under --read-only or without its confirmation. */
export async function runRedisAdmin(
	action: Action,
	redis: RedisServices | undefined,
	readOnly: boolean,
): Promise<AdminOutcome> {
	const op = adminOp(action);
	if (!op) return {ok: false, lines: [`unknown action ${sanitize(action.id)}`]};
	const title = sanitize(confirmationFor(op).title);
	const refused = (why: string) => ({ok: false, lines: [`${title}: ${why}`]});
	if (readOnly) return refused('refused under --read-only');
	if (!redis) return refused('the Redis inspector is not available here');
	// The typed confirmations are checked again here, whatever the dialog did.
	if (op.op !== 'del' && !confirmationMatches(op, action.params['typed'] ?? ''))
		return refused('not confirmed, nothing was done');
	const db = Number(action.params['db']);
	const result = await redis.admin(db, op).catch((error: unknown) => ({
		ok: false as const,
		error: String((error as Error)?.message ?? error),
	}));
	if (!result.ok) return refused(sanitize(result.error));
	return {
		ok: true,
		lines: [`${title} (db ${db}): removed ${result.removed.toLocaleString('en-US')} ${UNITS[op.op]}`],
	};
}
