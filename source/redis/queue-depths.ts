// The main screen's queue line: each queue's length, read often and cheaply. One lean RESP connection
// per db (its SELECT checked, see db-check.ts), kept between reads and reopened after an error; the
// queue names found by SCAN of the `_kombu.binding.*` sets (never KEYS) plus `celery`, again every
// 4 s (longer when that scan is slow: at most 1 % of the wall time, so about 40 s at 1 M keys); then every read is one pipeline
// of LLEN over every priority list (docs/WIRE.md §6.1). No tails, no unacked hash: that is view 4.
// A read never rejects: a db the server lacks, a lost connection or no answer in time is one line.
import type {Connection} from '../ports/connection.js';
import type {QueueDepth, QueueDepths} from '../ports/inspector.js';
import {DEFAULT_SEP, priorityListKeys, priorityStepsOf} from '../protocol/channels.js';
import type {TransportOptions} from '../protocol/types.js';

export {priorityListKeys, priorityStepsOf};
import {describeConnectionError} from './connection-errors.js';
import {checkLimitMs, openDbWithin} from './db-check.js';
import {readBindings} from './memory.js';
import type {RespConnection} from './resp-connection.js';
import {commandLimitOf, NoAnswerError, NotRedisError, seconds, within} from './time-limits.js';

/** Celery's task_default_queue: counted even before anything declared a binding for it. */
export const DEFAULT_QUEUE = 'celery';
/** A new queue shows within this (a small db's scan takes about 1 ms; a big one stretches it, below). */
export const REDISCOVER_MS = 4_000;
/** The binding scan may take at most this share of the wall time (a slow scan stretches the interval). */
export const DISCOVERY_DUTY = 0.01;
/** What the binding scan may take on top of a read's own limit. */
export const DISCOVERY_LIMIT_MS = 10_000;

export type DepthTarget = {
	readonly connection: Connection;
	/** The server as error lines name it (no password). */
	readonly display: string;
	readonly transport: TransportOptions;
};

export type DepthReaderOptions = {
	/** Milliseconds, for the re-discovery (default Date.now). */
	readonly now?: () => number;
	readonly rediscoverMs?: number;
};

const firstLine = (text: string): string => text.split('\n')[0]!.trim();

export class QueueDepthReader {
	readonly #target: DepthTarget;
	readonly #now: () => number;
	readonly #rediscoverMs: number;
	readonly #prefix: string;
	readonly #sep: string;
	readonly #steps: readonly number[];
	#pipe: RespConnection | undefined;
	/** Bumped when the connection is dropped: a read that comes back after it leaves no connection. */
	#generation = 0;
	#queues: ReadonlyArray<{readonly queue: string; readonly keys: readonly string[]}> | undefined;
	#discoverAt = 0;
	#inFlight: Promise<QueueDepths> | undefined;
	#closed = false;
	/** Commands and round trips of the last read (for the tests and the README's cost figure). */
	lastCost = {commands: 0, roundTrips: 0, discovered: false};

	constructor(target: DepthTarget, options: DepthReaderOptions = {}) {
		this.#target = target;
		this.#now = options.now ?? Date.now;
		this.#rediscoverMs = options.rediscoverMs ?? REDISCOVER_MS;
		const transport = target.transport;
		this.#prefix = typeof transport.global_keyprefix === 'string' ? transport.global_keyprefix : '';
		this.#sep = typeof transport.sep === 'string' && transport.sep !== '' ? transport.sep : DEFAULT_SEP;
		this.#steps = priorityStepsOf(transport);
	}

	/** One read; a call while one is in flight gets the same answer (reads never overlap). */
	read(): Promise<QueueDepths> {
		if (this.#closed) return Promise.resolve({ok: false, error: 'queue depths: closed'});
		this.#inFlight ??= this.#limited().finally(() => {
			this.#inFlight = undefined;
		});
		return this.#inFlight;
	}

	close(): void {
		this.#closed = true;
		this.#drop();
	}

	#drop(): void {
		this.#generation++;
		this.#pipe?.close();
		this.#pipe = undefined;
	}

	async #limited(): Promise<QueueDepths> {
		const connection = this.#target.connection;
		const discovering = this.#queues === undefined || this.#now() >= this.#discoverAt;
		const ms =
			(this.#pipe ? 0 : checkLimitMs(connection)) +
			commandLimitOf(connection) +
			(discovering ? DISCOVERY_LIMIT_MS : 0);
		const generation = this.#generation;
		try {
			return await within(
				this.#read(generation, discovering),
				ms,
				() => new Error(`no answer from ${this.#target.display} within ${seconds(ms)}`),
			);
		} catch (error) {
			if (generation === this.#generation) this.#drop();
			return {ok: false, error: this.#describe(error)};
		}
	}

	#describe(error: unknown): string {
		const {display, connection} = this.#target;
		if (error instanceof NoAnswerError || error instanceof NotRedisError || (error as {code?: unknown})?.code)
			return describeConnectionError(error, display, connection);
		const message = firstLine(String((error as Error)?.message ?? error));
		if (message === 'connection closed') return `lost the connection to ${display}`;
		// A Redis error reply (NOPERM for an ACL without +scan or +llen, LOADING, …).
		if (/^[A-Z]{3,} /.test(message)) return `${display} refused the queue read: ${message}`;
		// openDbWithin's lines are whole already: the missing db, the refused connection, no answer.
		return message;
	}

	async #read(generation: number, discovering: boolean): Promise<QueueDepths> {
		let roundTrips = 0;
		let commands = 0;
		let pipe = this.#pipe;
		if (!pipe) {
			const opened = await openDbWithin(this.#target.connection, this.#target.display, 'celerytop-depth');
			if (generation !== this.#generation || this.#closed) {
				opened.close();
				throw new Error(`no answer from ${this.#target.display} in time`);
			}
			this.#pipe = pipe = opened;
		}
		// The binding scan's commands are counted through a wrapper of the pipe.
		const counting = {
			send: (batch: Parameters<RespConnection['send']>[0]) => {
				roundTrips++;
				commands += batch.length;
				return pipe.send(batch);
			},
		};
		if (discovering) {
			const started = this.#now();
			const bindings = await readBindings(counting, this.#prefix, this.#sep);
			const names = [...new Set([DEFAULT_QUEUE, ...bindings.queues])].sort();
			this.#queues = names.map((queue) => ({
				queue,
				keys: priorityListKeys(this.#prefix + queue, this.#steps, this.#sep),
			}));
			const took = this.#now() - started;
			this.#discoverAt = this.#now() + Math.max(this.#rediscoverMs, took / DISCOVERY_DUTY);
		}
		const queues = this.#queues ?? [];
		const replies = await counting.send(queues.flatMap(({keys}) => keys.map((key) => ['LLEN', key])));
		const depths: QueueDepth[] = [];
		let at = 0;
		for (const {queue, keys} of queues) {
			let messages = 0;
			for (let i = 0; i < keys.length; i++, at++) {
				const reply = replies[at];
				// A key of another type under a queue's name (WRONGTYPE) holds no messages.
				if (typeof reply === 'number') messages += reply;
			}
			depths.push({queue, messages});
		}
		this.lastCost = {commands, roundTrips, discovered: discovering};
		return {ok: true, queues: depths};
	}
}
