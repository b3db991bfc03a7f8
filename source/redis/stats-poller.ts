// INFO + DBSIZE + CLIENT LIST + SLOWLOG GET every interval, as one pipeline. A tick that comes while
// a poll is still running is skipped; errors back off (2×, 4×, … up to 30 s). Keeps a short history
// for sparklines and publishes one immutable snapshot per poll (subscribe/getSnapshot).
import type {Redis} from 'ioredis';
import {
	parseClientList,
	parseSlowlog,
	summarizeClients,
	type ClientInfo,
	type ClientSummary,
	type SlowlogEntry,
} from '../protocol/redis-clients.js';
import {
	counterRates,
	parseInfo,
	parseOutputBufferLimits,
	redisWarnings,
	watchedFigures,
	type BufferLimit,
	type CounterRates,
	type RedisInfo,
	type RedisWarning,
	type WatchedFigures,
} from '../protocol/redis-info.js';
import {RingBuffer} from '../state/ring-buffer.js';
import {replicaState} from './replica.js';
import {DEFAULT_COMMAND_TIMEOUT_MS, isTimeout, seconds} from './time-limits.js';
import type {ReplicaSnapshot, ReplicaState, StatsSample, StatsSnapshot} from '../ports/inspector.js';

export type StatsPollerOptions = {
	/** Which server `redis` talks to, shown with the figures. */
	readonly source?: string;
	readonly intervalMs?: number;
	readonly historySize?: number;
	readonly slowlogCount?: number;
	/** CLIENT LIST name of our own pub/sub subscriber (default 'celerytop-events'). */
	readonly subscriberName?: string;
	/** Its CLIENT ID when known (preferred over the name: other celerytops use the same name). */
	readonly subscriberClientId?: number;
	/** Epoch seconds (tests pass a fake clock). */
	readonly now?: () => number;
	readonly maxBackoffMs?: number;
	/** The error line shown (default: a time limit is named as such, else the error's message). */
	readonly describeError?: (error: unknown) => string;
};

/** A poll that hit the connection's command limit says so, with the limit; other errors as they are. */
function pollError(redis: Redis, error: unknown): string {
	if (!isTimeout(error)) return String((error as Error)?.message ?? error);
	const limit = redis.options.commandTimeout ?? DEFAULT_COMMAND_TIMEOUT_MS;
	return `no answer within ${seconds(limit)} (--command-timeout)`;
}

export class StatsPoller {
	readonly #redis: Redis;
	readonly #options: StatsPollerOptions;
	readonly #history: RingBuffer<StatsSample>;
	readonly #listeners = new Set<() => void>();
	#snapshot: StatsSnapshot;
	#timer: NodeJS.Timeout | undefined;
	#inFlight = false;
	#pauseUntil = 0;
	#pubsubLimit: BufferLimit | undefined;
	#limitAsked = false;
	#skipped = 0;

	constructor(redis: Redis, options: StatsPollerOptions = {}) {
		this.#redis = redis;
		this.#options = options;
		this.#history = new RingBuffer(options.historySize ?? 120);
		this.#snapshot = {
			...(options.source === undefined ? {} : {source: options.source}),
			status: 'connecting',
			error: undefined,
			info: undefined,
			latest: undefined,
			history: [],
			clients: [],
			clientSummary: undefined,
			slowlog: [],
			warnings: [],
			pubsubLimit: undefined,
			polls: 0,
			skippedTicks: 0,
			consecutiveErrors: 0,
		};
	}

	#now(): number {
		return this.#options.now?.() ?? Date.now() / 1000;
	}

	start(): void {
		if (this.#timer) return;
		void this.tick();
		this.#timer = setInterval(() => void this.tick(), this.#options.intervalMs ?? 1000);
		this.#timer.unref();
	}

	stop(): void {
		clearInterval(this.#timer);
		this.#timer = undefined;
	}

	/** One tick: a no-op while a poll is running or while backing off. Resolves when it is done. */
	async tick(): Promise<void> {
		if (this.#inFlight || Date.now() < this.#pauseUntil) {
			this.#skipped++;
			return;
		}
		this.#inFlight = true;
		try {
			await this.#poll();
		} finally {
			this.#inFlight = false;
		}
	}

	async #poll(): Promise<void> {
		try {
			if (!this.#limitAsked) {
				this.#limitAsked = true;
				// CONFIG may be renamed or denied (managed Redis): the warning is then simply not available.
				const reply = await this.#redis.config('GET', 'client-output-buffer-limit').catch(() => undefined);
				const text = Array.isArray(reply) ? String(reply[1] ?? '') : '';
				this.#pubsubLimit = parseOutputBufferLimits(text)['pubsub'];
			}
			const replies =
				(await this.#redis
					.pipeline()
					.info()
					.dbsize()
					.client('LIST')
					.slowlog('GET', this.#options.slowlogCount ?? 10)
					.exec()) ?? [];
			const [info, dbsize, clients, slowlog] = replies.map(([error, value]) => {
				if (error && !/slowlog|client/i.test(error.message)) throw error;
				return error ? undefined : value;
			});
			this.#apply(String(info ?? ''), Number(dbsize ?? 0), String(clients ?? ''), slowlog);
		} catch (error) {
			const errors = this.#snapshot.consecutiveErrors + 1;
			const base = this.#options.intervalMs ?? 1000;
			this.#pauseUntil = Date.now() + Math.min(base * 2 ** errors, this.#options.maxBackoffMs ?? 30_000);
			this.#publish({
				status: 'error',
				error: this.#options.describeError?.(error) ?? pollError(this.#redis, error),
				consecutiveErrors: errors,
			});
		}
	}

	#apply(infoText: string, dbsize: number, clientText: string, slowlogReply: unknown): void {
		const at = this.#now();
		const info = parseInfo(infoText);
		const figures = watchedFigures(info);
		const previous = this.#snapshot.latest;
		const rates = previous
			? counterRates(previous.figures, figures, at - previous.at)
			: {expiredPerSec: 0, evictedPerSec: 0};
		const sample: StatsSample = {at, figures, dbsize, rates};
		this.#history.push(sample);
		const clients = parseClientList(clientText);
		const name = this.#options.subscriberName ?? 'celerytop-events';
		const id = this.#options.subscriberClientId;
		const ours = clients.filter((c) => (id !== undefined ? c.id === id : c.name === name));
		const subscriberOmem = ours.length > 0 ? Math.max(...ours.map((c) => c.omem)) : undefined;
		this.#publish({
			status: 'ok',
			error: undefined,
			info,
			latest: sample,
			history: this.#history.toArray(),
			clients,
			clientSummary: summarizeClients(clients),
			slowlog: parseSlowlog(slowlogReply),
			warnings: redisWarnings(figures, {rates, subscriberOmem, pubsubLimit: this.#pubsubLimit}),
			pubsubLimit: this.#pubsubLimit,
			polls: this.#snapshot.polls + 1,
			consecutiveErrors: 0,
		});
	}

	#publish(change: Partial<StatsSnapshot>): void {
		this.#snapshot = {...this.#snapshot, ...change, skippedTicks: this.#skipped};
		for (const listener of this.#listeners) listener();
	}

	readonly subscribe = (listener: () => void): (() => void) => {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	};

	readonly getSnapshot = (): StatsSnapshot => this.#snapshot;
}

/**
 * With --replica: INFO replication on the replica every interval (5 s), for the TUI header: its role
 * and master_link_status. The broker is asked for its own INFO replication only when the replica's
 * replication id changes (to tell whether it replicates the broker). Polls only while subscribed.
 */
export class ReplicaWatch {
	readonly #replica: Redis;
	readonly #broker: () => Redis;
	readonly #intervalMs: number;
	readonly #describe: (error: unknown) => string;
	readonly #listeners = new Set<() => void>();
	#snapshot: ReplicaSnapshot = {state: undefined, error: undefined};
	#timer: NodeJS.Timeout | undefined;
	#inFlight = false;
	#brokerInfo: {readonly for: string | undefined; readonly value: RedisInfo | undefined} | undefined;

	constructor(
		replica: Redis,
		broker: () => Redis,
		options: {readonly intervalMs?: number; readonly describeError?: (error: unknown) => string} = {},
	) {
		this.#replica = replica;
		this.#broker = broker;
		this.#intervalMs = options.intervalMs ?? 5_000;
		this.#describe = options.describeError ?? ((error) => String((error as Error)?.message ?? error));
	}

	/** One poll (skipped while one is running). */
	async tick(): Promise<void> {
		if (this.#inFlight) return;
		this.#inFlight = true;
		try {
			const info = parseInfo(await this.#replica.info('replication'));
			const replid = replicaState(info, undefined).replid;
			let broker = this.#brokerInfo;
			if (broker === undefined || broker.for !== replid) {
				const text = await this.#broker()
					.info('replication')
					.catch(() => undefined);
				broker = {for: replid, value: text === undefined ? undefined : parseInfo(text)};
				this.#brokerInfo = broker;
			}
			this.#publish({state: replicaState(info, broker.value), error: undefined});
		} catch (error) {
			this.#publish({state: this.#snapshot.state, error: this.#describe(error)});
		} finally {
			this.#inFlight = false;
		}
	}

	#publish(snapshot: ReplicaSnapshot): void {
		this.#snapshot = snapshot;
		for (const listener of this.#listeners) listener();
	}

	readonly subscribe = (listener: () => void): (() => void) => {
		this.#listeners.add(listener);
		if (!this.#timer) {
			void this.tick();
			this.#timer = setInterval(() => void this.tick(), this.#intervalMs);
			this.#timer.unref();
		}
		return () => {
			this.#listeners.delete(listener);
			if (this.#listeners.size === 0) this.stop();
		};
	};

	stop(): void {
		clearInterval(this.#timer);
		this.#timer = undefined;
	}

	readonly getSnapshot = (): ReplicaSnapshot => this.#snapshot;
}
