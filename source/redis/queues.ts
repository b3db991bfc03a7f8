// Every Celery queue: the names from the _kombu.binding.* sets plus list keys that are priority
// sub-lists or hold kombu messages; lengths summed over the sub-lists; the next messages (tail first);
// the unacked hash with each message's age against the visibility timeout. Reads only, in small steps,
// over the lean RESP connection (its SELECT checked, see db-check.ts) or an ioredis client.
import {Buffer} from 'node:buffer';
import type {Redis} from 'ioredis';
import {DEFAULT_SEP, priorityQueueKeys} from '../protocol/channels.js';
import {classifyKey, needsPeek, splitPriorityList} from '../protocol/keyspace.js';
import {
	buildQueueReports,
	DEFAULT_VISIBILITY_TIMEOUT,
	type QueueRaw,
	type QueueReport,
	type UnackedRaw,
} from '../protocol/queue-report.js';
import {looksLikeKombuMessage} from '../protocol/task-message.js';
import type {TransportOptions} from '../protocol/types.js';
import {scanKeys} from './key-scanner.js';
import {DEFAULT_SCAN_COUNT} from '../ports/defaults.js';
import {readBindings} from './memory.js';
import {asPipe, type CommandPipe, type Reply} from './resp-connection.js';
import type {QueuesResult} from '../ports/inspector.js';

const text = (reply: Reply | undefined): string | undefined =>
	typeof reply === 'string' || Buffer.isBuffer(reply) ? String(reply) : undefined;

/** Send a batch; a Redis error in any reply is thrown (the reads below expect none). */
async function sendAll(
	pipe: CommandPipe,
	commands: ReadonlyArray<ReadonlyArray<string | number>>,
): Promise<Reply[]> {
	const replies = await pipe.send(commands);
	for (const reply of replies) if (reply instanceof Error) throw reply;
	return replies;
}

export type QueuesOptions = {
	readonly transport?: TransportOptions;
	/** Seconds (default: transport visibility_timeout, else 3600). */
	readonly visibilityTimeout?: number;
	/** Epoch seconds; default the local clock. */
	readonly now?: number;
	/** Next messages decoded per queue (default 10). */
	readonly next?: number;
	/** Unacked entries read at most (default 10,000). */
	readonly maxUnacked?: number;
};

const listOf = (reply: Reply | undefined): string[] =>
	Array.isArray(reply) ? reply.map((item) => String(item)) : [];

export function visibilityTimeoutOf(transport: TransportOptions | undefined, override?: number): number {
	if (override !== undefined) return override;
	const fromTransport = Number(transport?.['visibility_timeout']);
	return Number.isFinite(fromTransport) && fromTransport > 0 ? fromTransport : DEFAULT_VISIBILITY_TIMEOUT;
}

/** Queue names found among the list keys (SCAN … TYPE list; Redis < 6 gives only the bound queues). */
async function listQueues(
	redis: CommandPipe,
	prefix: string,
	sep: string,
	known: ReadonlySet<string>,
): Promise<Set<string>> {
	const queues = new Set<string>();
	try {
		const scan = scanKeys(redis, {type: 'list', describe: false, count: 1000});
		for await (const batch of scan) {
			const unknown: string[] = [];
			for (const {key} of batch) {
				const family = classifyKey(key, {prefix, sep, type: 'list', knownQueues: known});
				if (family.kind === 'celery-queue') queues.add(family.family);
				else if (needsPeek(key, {prefix, sep, type: 'list', knownQueues: known})) unknown.push(key);
			}
			if (unknown.length === 0) continue;
			const replies = await redis.send(unknown.map((key) => ['LINDEX', key, -1]));
			unknown.forEach((key, i) => {
				const tail = text(replies[i]);
				if (tail !== undefined && looksLikeKombuMessage(tail)) queues.add(key.slice(prefix.length));
			});
		}
	} catch (error) {
		if (!/syntax|TYPE/i.test(String((error as Error).message))) throw error;
	}
	return queues;
}

async function readUnacked(
	redis: CommandPipe,
	prefix: string,
	cap: number,
): Promise<{total: number; entries: UnackedRaw[]}> {
	const hash = `${prefix}unacked`;
	const [length] = await sendAll(redis, [['HLEN', hash]]);
	const total = Number(length);
	const values = new Map<string, string>();
	let cursor = '0';
	while (total > 0) {
		const [reply] = await sendAll(redis, [['HSCAN', hash, cursor, 'COUNT', DEFAULT_SCAN_COUNT]]);
		const [next, flat] = reply as [Reply, Reply[]];
		for (let i = 0; i + 1 < flat.length; i += 2) values.set(String(flat[i]), String(flat[i + 1]));
		cursor = String(next);
		if (cursor === '0' || values.size >= cap) break;
	}
	const tags = [...values.keys()].slice(0, cap);
	const entries: UnackedRaw[] = [];
	for (let i = 0; i < tags.length; i += 500) {
		const slice = tags.slice(i, i + 500);
		const scores = await sendAll(
			redis,
			slice.map((tag) => ['ZSCORE', `${prefix}unacked_index`, tag]),
		);
		slice.forEach((tag, j) => {
			const score = text(scores[j]);
			entries.push({tag, value: values.get(tag), takenAt: score === undefined ? undefined : Number(score)});
		});
	}
	return {total, entries};
}

export async function readQueues(
	target: Redis | CommandPipe,
	options: QueuesOptions = {},
): Promise<QueuesResult> {
	const redis = asPipe(target);
	const transport = options.transport ?? {};
	const prefix = typeof transport.global_keyprefix === 'string' ? transport.global_keyprefix : '';
	const sep = typeof transport.sep === 'string' ? transport.sep : DEFAULT_SEP;
	const next = options.next ?? 10;
	const bindings = await readBindings(redis, prefix, sep);
	const names = new Set([...bindings.queues, ...(await listQueues(redis, prefix, sep, bindings.queues))]);
	const raws: QueueRaw[] = [];
	for (const queue of [...names].sort()) {
		const keys = priorityQueueKeys(prefix + queue, transport);
		const commands: Array<Array<string | number>> = [];
		for (const key of keys) {
			commands.push(['LLEN', key]);
			if (next > 0) commands.push(['LRANGE', key, -next, -1]);
		}
		const replies = await sendAll(redis, commands);
		const step = next > 0 ? 2 : 1;
		raws.push({
			queue,
			bound: bindings.queues.has(queue),
			lists: keys.map((key, i) => ({
				key,
				priority: splitPriorityList(key.slice(prefix.length), sep)?.[1] ?? 0,
				length: Number(replies[i * step] ?? 0),
				tail: next > 0 ? listOf(replies[i * step + 1]) : [],
			})),
		});
	}
	const unacked = await readUnacked(redis, prefix, options.maxUnacked ?? 10_000);
	const now = options.now ?? Date.now() / 1000;
	const visibilityTimeout = visibilityTimeoutOf(transport, options.visibilityTimeout);
	return {
		queues: buildQueueReports(raws, unacked.entries, {now, visibilityTimeout, next}),
		unackedTotal: unacked.total,
		unackedRead: unacked.entries.length,
		visibilityTimeout,
		now,
	};
}
