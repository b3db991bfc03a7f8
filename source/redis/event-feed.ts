// PSUBSCRIBE the Celery event channels exactly as Celery's receiver does, decode in batches off
// the render path, and push valid events into the store. Malformed messages are counted, never thrown.
import type {Redis} from 'ioredis';
import {decodeEventMessage} from '../protocol/events.js';
import {connectAlive} from './clients.js';
import {DEFAULT_CONNECT_TIMEOUT_MS, NoAnswerError, within} from './time-limits.js';
import type {CeleryEvent, MalformedReason} from '../protocol/types.js';
import type {ConnectionStatus} from '../state/store.js';

export type FeedSink = {
	applyBatch(events: readonly CeleryEvent[], now: number): void;
	recordMalformed(reason: MalformedReason, count?: number): void;
	setConnection(status: ConnectionStatus, now: number, error?: string): void;
};

export type EventFeedOptions = {
	readonly redis: Redis; // a dedicated connection: it enters subscriber mode
	readonly pattern: string;
	readonly sink: FeedSink;
	readonly clock: () => number; // epoch seconds
	readonly describeError?: (error: unknown) => string;
	/** Called after each batch with the events it held (for `events --json`). */
	readonly onEvents?: (events: readonly CeleryEvent[]) => void;
	/**
	 * The connection has no command limit (it waits for messages by design), so the start is bounded
	 * here: the handshake, a PING and the PSUBSCRIBE reply each within this (the connect limit).
	 */
	readonly startLimitMs?: number;
	/**
	 * While subscribed, a PING every `everyMs`: when neither its reply nor any message came within
	 * `limitMs`, the server is gone (stopped, or a dead link the kernel has not noticed): the socket is
	 * dropped, which shows as an error and ioredis reconnects with backoff. Off when not given.
	 */
	readonly liveness?: {readonly everyMs: number; readonly limitMs: number};
};

export type EventFeed = {
	/** Messages received so far (valid or not). */
	readonly received: () => number;
	stop(): Promise<void>;
};

export async function startEventFeed(options: EventFeedOptions): Promise<EventFeed> {
	const {redis, pattern, sink, clock, onEvents} = options;
	const describe = options.describeError ?? ((error: unknown) => String((error as Error)?.message ?? error));
	let pending: string[] = [];
	let scheduled = false;
	let received = 0;
	let stopped = false;

	/** Most time one drain spends before yielding, so a flood never stalls timers, input or rendering. */
	const SLICE_MS = 8;

	const drain = (): void => {
		scheduled = false;
		const now = clock();
		const events: CeleryEvent[] = [];
		const started = performance.now();
		let index = 0;
		const batch = pending;
		// Check the clock every 64 messages: cheap, and a slice still ends within a few ms.
		while (index < batch.length) {
			const decoded = decodeEventMessage(batch[index++]!);
			for (const event of decoded.events) events.push(event);
			for (const reason of decoded.errors) sink.recordMalformed(reason);
			if ((index & 63) === 0 && performance.now() - started > SLICE_MS) break;
		}
		if (index < batch.length) {
			pending = batch.slice(index);
			scheduled = true;
			setImmediate(drain);
		} else {
			pending = [];
		}
		if (events.length > 0) {
			sink.applyBatch(events, now);
			onEvents?.(events);
		}
	};

	redis.on('pmessage', (_pattern: string, _channel: string, message: string) => {
		received++;
		pending.push(message);
		if (!scheduled) {
			scheduled = true;
			setImmediate(drain);
		}
	});
	redis.on('ready', () => sink.setConnection('connected', clock()));
	redis.on('close', () => {
		if (!stopped) sink.setConnection('reconnecting', clock());
	});
	redis.on('reconnecting', () => sink.setConnection('reconnecting', clock()));
	redis.on('error', (error: unknown) => {
		if (!stopped) sink.setConnection('error', clock(), describe(error));
	});
	redis.on('end', () => sink.setConnection('closed', clock()));

	sink.setConnection('connecting', clock());
	const limit = options.startLimitMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
	await connectAlive(redis, limit);
	await within(redis.psubscribe(pattern), limit, () => {
		redis.disconnect();
		return new NoAnswerError('handshake', limit);
	});

	const liveness = options.liveness;
	let probing = false;
	const watch = liveness
		? setInterval(() => {
				if (stopped || probing || redis.status !== 'ready') return;
				probing = true;
				const stream = redis.stream;
				const seen = received;
				const timer = setTimeout(() => {
					// Messages still flowing are an answer too (the PONG waits behind them).
					if (received !== seen || redis.stream !== stream || redis.status !== 'ready') return;
					stream.destroy(new NoAnswerError('reply', liveness.limitMs));
				}, liveness.limitMs);
				redis
					.ping()
					.catch(() => undefined)
					.finally(() => {
						clearTimeout(timer);
						probing = false;
					});
			}, liveness.everyMs)
		: undefined;
	watch?.unref();

	return {
		received: () => received,
		async stop() {
			stopped = true;
			clearInterval(watch);
			while (scheduled) drain();
			redis.disconnect();
		},
	};
}
