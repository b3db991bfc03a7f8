// Walk the keyspace without hurting the server: SCAN (never KEYS) with MATCH and a bounded COUNT,
// then TYPE/TTL/MEMORY USAGE pipelined in batches of at most MAX_SCAN_COUNT keys. Each SCAN call and
// each pipelined command is small, so other clients wait a few hundred microseconds at most; the next
// SCAN is sent while the current batch is being described. Cancel with an AbortSignal.
import {Buffer, isUtf8} from 'node:buffer';
import type {Redis} from 'ioredis';
import type {ScannedKey} from '../protocol/memory-report.js';
import {asPipe, type Arg, type CommandPipe, type Reply} from './resp-connection.js';
import type {ScanProgress} from '../ports/inspector.js';
import {DEFAULT_SCAN_COUNT, MAX_SCAN_COUNT} from '../ports/defaults.js';

export type KeyEntry = ScannedKey & {
	/** The key as sent back to Redis: the string when it is valid UTF-8, else its bytes. */
	readonly raw: string | Buffer;
	/** LINDEX key -1 when asked for (`peek`), null when the list was empty. */
	readonly peek?: string | null;
};

export type KeyBrief = {readonly key: string; readonly type: string; readonly ttl: number};

export type ScanKeysOptions = {
	readonly match?: string;
	/** SCAN COUNT, clamped to 10…MAX_SCAN_COUNT (default DEFAULT_SCAN_COUNT). */
	readonly count?: number;
	/** SCAN … TYPE t (Redis ≥ 6). */
	readonly type?: string;
	/** Fetch TYPE and TTL (default true). */
	readonly describe?: boolean;
	/** MEMORY USAGE for every key ('all', the default with describe), none, or the keys chosen. */
	readonly measure?: 'all' | 'none' | ((entry: KeyBrief) => boolean);
	/** LINDEX key -1 for the keys chosen (lists only). */
	readonly peek?: (entry: KeyBrief) => boolean;
	readonly signal?: AbortSignal;
	readonly onProgress?: (progress: ScanProgress) => void;
	/** Stop after this many keys. */
	readonly limit?: number;
	/** Described batches in flight while the next SCAN runs (default 2; 1 = strictly one at a time). */
	readonly inFlight?: number;
	/**
	 * The type a key has by its name alone (e.g. Celery's result keys are strings): no TYPE is sent for
	 * it, a third fewer commands on a keyspace of results. A key gone since SCAN shows as TTL -2.
	 */
	readonly typeOf?: (key: string) => string | undefined;
};

export function clampCount(count: number | undefined): number {
	if (count === undefined || !Number.isFinite(count)) return DEFAULT_SCAN_COUNT;
	return Math.max(10, Math.min(MAX_SCAN_COUNT, Math.floor(count)));
}

type Found = {readonly key: string; readonly raw: string | Buffer; readonly bytes: Buffer};

function asKey(bytes: Buffer): Found {
	const key = bytes.toString('utf8');
	return {key, raw: isUtf8(bytes) ? key : bytes, bytes};
}

const text = (reply: Reply | undefined): string | undefined =>
	typeof reply === 'string' ? reply : Buffer.isBuffer(reply) ? reply.toString('utf8') : undefined;

/** A server that refuses MEMORY USAGE (an ACL without +memory|usage) fails the scan with one clear line. */
function refusedMeasure(replies: readonly (Reply | undefined)[]): void {
	const refused = replies.find((reply): reply is Error => reply instanceof Error);
	if (refused)
		throw new Error(
			`MEMORY USAGE refused by the server (${refused.message.split(' ')[0]}): bytes cannot be measured; grant +memory|usage`,
		);
}

/** Describe one batch: TYPE + TTL (+ MEMORY USAGE) in one pipeline, then the chosen measurements/peeks. */
async function describeBatch(
	pipe: CommandPipe,
	keys: readonly Found[],
	options: ScanKeysOptions,
): Promise<KeyEntry[]> {
	const measure = options.measure ?? 'all';
	const first: Arg[][] = [];
	const known: Array<string | undefined> = [];
	for (const {key, bytes} of keys) {
		const type = options.typeOf?.(key);
		known.push(type);
		if (type === undefined) first.push(['TYPE', bytes]);
		first.push(['TTL', bytes]);
		if (measure === 'all') first.push(['MEMORY', 'USAGE', bytes]);
	}
	const replies = await pipe.send(first);
	const entries: Array<KeyEntry & {bytesKey: Buffer}> = [];
	const measured: Array<Reply | undefined> = [];
	let at = 0;
	for (let i = 0; i < keys.length; i++) {
		const type = known[i] ?? text(replies[at++]);
		const ttl = Number(replies[at++] ?? -1);
		const bytes = measure === 'all' ? replies[at++] : undefined;
		if (measure === 'all') measured.push(bytes);
		// Gone since SCAN returned it.
		if (type === undefined || type === 'none' || (known[i] !== undefined && ttl === -2)) continue;
		const {key, raw, bytes: bytesKey} = keys[i]!;
		entries.push({
			key,
			raw,
			bytesKey,
			type,
			ttl: ttl === -2 ? -1 : ttl,
			bytes: typeof bytes === 'number' ? bytes : undefined,
		});
	}
	refusedMeasure(measured);
	const chooser = typeof measure === 'function' ? measure : undefined;
	const second: Arg[][] = [];
	const plan: Array<{index: number; what: 'bytes' | 'peek'}> = [];
	entries.forEach((entry, index) => {
		if (chooser?.(entry)) {
			second.push(['MEMORY', 'USAGE', entry.bytesKey]);
			plan.push({index, what: 'bytes'});
		}
		if (entry.type === 'list' && options.peek?.(entry)) {
			second.push(['LINDEX', entry.bytesKey, -1]);
			plan.push({index, what: 'peek'});
		}
	});
	const more = await pipe.send(second);
	refusedMeasure(more.filter((_, i) => plan[i]?.what === 'bytes'));
	const result: KeyEntry[] = entries.map(({bytesKey: _, ...entry}) => entry);
	plan.forEach(({index, what}, i) => {
		const reply = more[i];
		const entry = result[index]!;
		if (what === 'bytes') result[index] = {...entry, bytes: typeof reply === 'number' ? reply : undefined};
		else
			result[index] = {
				...entry,
				peek: Buffer.isBuffer(reply) || typeof reply === 'string' ? String(reply) : null,
			};
	});
	return result;
}

/**
 * SCAN the selected db, yielding batches of described keys in order. Works over the lean RESP
 * connection (fast) or an ioredis client. Returns early when the signal aborts.
 */
export async function* scanKeys(
	target: Redis | CommandPipe,
	options: ScanKeysOptions = {},
): AsyncGenerator<KeyEntry[], ScanProgress> {
	const pipe = asPipe(target);
	const count = clampCount(options.count);
	const depth = Math.max(1, Math.floor(options.inFlight ?? 2));
	const [dbsize] = await pipe.send([['DBSIZE']]);
	const total = Number(dbsize ?? 0);
	const args: Arg[] = [];
	if (options.match !== undefined && options.match !== '*') args.push('MATCH', options.match);
	args.push('COUNT', count);
	if (options.type !== undefined) args.push('TYPE', options.type);
	const scan = (cursor: string) => pipe.send([['SCAN', cursor, ...args]]);
	let progress: ScanProgress = {scanned: 0, total, calls: 0, done: false};
	const limit = options.limit ?? Number.POSITIVE_INFINITY;
	let scanning: Promise<Reply[]> | undefined = scan('0');
	const described: Array<Promise<KeyEntry[]>> = [];
	try {
		while (scanning || described.length > 0) {
			if (options.signal?.aborted) break;
			if (scanning && described.length < depth) {
				const [reply] = await scanning;
				if (reply instanceof Error) throw reply;
				const [cursorReply, found] = reply as [Buffer, Buffer[]];
				const cursor = String(cursorReply);
				const keys = found.slice(0, Math.max(0, limit - progress.scanned)).map(asKey);
				const finished = cursor === '0' || progress.scanned + keys.length >= limit;
				// The next SCAN goes out before this batch is described: both travel together.
				scanning = finished ? undefined : scan(cursor);
				for (let i = 0; i < keys.length; i += MAX_SCAN_COUNT) {
					const slice = keys.slice(i, i + MAX_SCAN_COUNT);
					described.push(
						options.describe === false
							? Promise.resolve(slice.map(({key, raw}) => ({key, raw, type: '', ttl: -1, bytes: undefined})))
							: describeBatch(pipe, slice, options),
					);
				}
				progress = {
					scanned: progress.scanned + keys.length,
					total,
					calls: progress.calls + 1,
					done: finished,
				};
				options.onProgress?.(progress);
				continue;
			}
			const batch = await described.shift()!;
			if (options.signal?.aborted) break;
			if (batch.length > 0) yield batch;
		}
	} finally {
		// Settle what is still in flight so the connection stays usable after a cancel.
		await Promise.allSettled([scanning, ...described]);
	}
	return progress;
}

/** Every member of a set with SSCAN (bounded COUNT), up to `cap` members. */
export async function setMembers(
	target: Redis | CommandPipe,
	key: string | Buffer,
	cap = 100_000,
): Promise<string[]> {
	const pipe = asPipe(target);
	const members: string[] = [];
	let cursor = '0';
	do {
		const [reply] = await pipe.send([['SSCAN', key, cursor, 'COUNT', DEFAULT_SCAN_COUNT]]);
		if (reply instanceof Error) throw reply;
		const [next, found] = reply as [Buffer, Buffer[]];
		members.push(...found.map(String));
		cursor = String(next);
	} while (cursor !== '0' && members.length < cap);
	return members.slice(0, cap);
}
