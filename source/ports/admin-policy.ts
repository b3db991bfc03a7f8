// The words of an admin confirmation (FLUSHDB, DEL, purge) and what must be typed to confirm it: the
// dialog shows them, and the adapter refuses by the same titles. Policy, not I/O.
import {formatBytes} from '../present/redis-format.js';
import type {AdminOp, AdminPreview} from './inspector.js';

export type Confirmation = {
	readonly title: string;
	readonly prompt: string;
	/** What the operator must type, exactly. */
	readonly expected: string;
};

const n = (count: number) => count.toLocaleString('en-US');

const plural = (count: number, one: string, many = `${one}s`) => `${n(count)} ${count === 1 ? one : many}`;

const SIZE_UNITS: Record<string, [string, string]> = {
	string: ['byte', 'bytes'],
	list: ['element', 'elements'],
	hash: ['field', 'fields'],
	set: ['member', 'members'],
	zset: ['member', 'members'],
	stream: ['entry', 'entries'],
};

/** `a list of 7 elements, 2.1 KB in memory` */
function describeKey(preview: Extract<AdminPreview, {op: 'del'}>): string {
	const units = SIZE_UNITS[preview.type];
	const size = units && preview.size !== undefined ? ` of ${plural(preview.size, ...units)}` : '';
	const bytes = preview.bytes === undefined ? '' : `, ${formatBytes(preview.bytes)} in memory`;
	return `a ${preview.type}${size}${bytes}`;
}

/** `celery 7, lost 1, +2 more (12 messages)` */
function describeQueues(queues: Extract<AdminPreview, {op: 'flushdb'}>['queues'], shown = 3): string {
	const sorted = [...queues].sort((a, b) => b.messages - a.messages || a.queue.localeCompare(b.queue));
	const total = queues.reduce((sum, q) => sum + q.messages, 0);
	const names = sorted.slice(0, shown).map((q) => `${q.queue} ${n(q.messages)}`);
	if (sorted.length > shown) names.push(`+${sorted.length - shown} more`);
	return `${names.join(', ')} (${plural(total, 'message')})`;
}

/** What a FLUSHDB would delete, in one line (two on an 80-column screen). */
function describeDb(preview: Extract<AdminPreview, {op: 'flushdb'}>): string {
	const {db, keys} = preview;
	const parts = [plural(keys, 'key')];
	if (preview.queues.length > 0)
		parts.push(
			`Celery ${preview.queues.length === 1 ? 'queue' : 'queues'} ${describeQueues(preview.queues)}`,
		);
	if (preview.unacked > 0) parts.push(`${n(preview.unacked)} unacked`);
	if (preview.bindings > 0) parts.push(plural(preview.bindings, 'binding') + ' (_kombu.binding.*)');
	if (preview.broker) return `db ${db} is the BROKER's db: ${parts.join('; ')}. All deleted.`;
	if (keys === 0) return `db ${db} is empty (0 keys).`;
	return `db ${db} holds ${parts.join('; ')}. All deleted.`;
}

/** The words of a confirmation; with a preview they say what would be removed. */
export function confirmationFor(op: AdminOp, preview?: AdminPreview): Confirmation {
	switch (op.op) {
		case 'flushdb':
			return {
				title: `FLUSHDB db ${op.db}`,
				prompt:
					preview?.op === 'flushdb'
						? describeDb(preview)
						: `Delete EVERY key in db ${op.db} (queues, results, bindings)?`,
				// Not a single key or a digit: a slip (y, Enter, the db number) cannot produce it.
				expected: `flush ${op.db}`,
			};
		case 'del': {
			const where = preview?.op === 'del' ? ` from db ${preview.db}` : '';
			const what = preview?.op === 'del' ? ` It is ${describeKey(preview)}.` : '';
			return {
				title: `DEL ${op.key}`,
				prompt: `Delete the key ${op.key}${where}?${what} This cannot be undone.`,
				expected: 'y',
			};
		}
		case 'purge': {
			const what =
				preview?.op === 'purge'
					? `the ${plural(preview.messages, 'waiting message')} of queue ${op.queue} in db ${preview.db}`
					: `every waiting message of queue ${op.queue}`;
			return {
				title: `purge ${op.queue}`,
				prompt: `Type the queue name to confirm: ${what} (all priorities) will be deleted.`,
				expected: op.queue,
			};
		}
	}
}

export function confirmationMatches(op: AdminOp, typed: string): boolean {
	return typed.trim() === confirmationFor(op).expected;
}
