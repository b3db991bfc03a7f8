// Counters about celerytop itself (the monitor of the monitor), written as one JSON object to the
// file named by CELERYTOP_STATS_FILE once a second and at exit. `npm run bench` reads it while the
// real TUI runs in a pseudo-terminal: messages and events taken in, lag, snapshots, event-loop delay.
// Off unless the variable is set; costs one subtraction and one array increment per event when on.
import {renameSync, writeFileSync} from 'node:fs';
import {monitorEventLoopDelay} from 'node:perf_hooks';
import type {CeleryEvent} from './protocol/types.js';
import type {Store} from './state/store.js';

/** Lag histogram: 1 ms buckets up to LAG_BUCKETS ms; later events land in the last bucket. */
export const LAG_BUCKETS = 60_000;

/** Event lag (our receive-and-apply time minus the event's own timestamp), in whole milliseconds. */
export class LagHistogram {
	readonly counts = new Uint32Array(LAG_BUCKETS + 1);
	count = 0;
	max = 0;

	add(lagMs: number): void {
		const ms = lagMs <= 0 ? 0 : Math.floor(lagMs);
		this.counts[ms < LAG_BUCKETS ? ms : LAG_BUCKETS]!++;
		this.count++;
		if (ms > this.max) this.max = ms;
	}

	/** The smallest whole millisecond at or below which a fraction q of the lags fall (0 when empty). */
	quantile(q: number): number {
		if (this.count === 0) return 0;
		const target = Math.ceil(q * this.count);
		let seen = 0;
		for (let ms = 0; ms <= LAG_BUCKETS; ms++) {
			seen += this.counts[ms]!;
			if (seen >= target) return ms;
		}
		return LAG_BUCKETS;
	}

	summary(): {count: number; p50: number; p99: number; max: number} {
		return {count: this.count, p50: this.quantile(0.5), p99: this.quantile(0.99), max: this.max};
	}
}

export type StatsFileOptions = {
	readonly path: string;
	readonly store: Store;
	/** Messages the subscriber has taken in so far. */
	readonly received: () => number;
	readonly clock: () => number; // epoch seconds
	readonly intervalMs?: number;
};

export type StatsFile = {
	/** Give it every applied batch (the event feed's onEvents). */
	readonly onEvents: (events: readonly CeleryEvent[]) => void;
	stop(): void;
};

export function startStatsFile(options: StatsFileOptions): StatsFile {
	const {path, store, received, clock} = options;
	const lag = new LagHistogram();
	const loopDelay = monitorEventLoopDelay({resolution: 10});
	loopDelay.enable();
	let snapshots = 0;
	const unsubscribe = store.subscribe(() => snapshots++);
	const started = clock();

	const write = (): void => {
		const cluster = store.cluster;
		const snapshot = store.getSnapshot();
		const stats = {
			pid: process.pid,
			started,
			now: clock(),
			messages: received(),
			events: cluster.eventCount,
			malformed: cluster.malformedTotal,
			tasks: cluster.tasks.size,
			workers: cluster.workers.size,
			evictedTasks: cluster.evictedTasks,
			snapshots,
			connection: snapshot.connection.status,
			gaps: snapshot.connection.gaps.length,
			lagMs: lag.summary(),
			eventLoopDelayMs: {
				p50: loopDelay.percentile(50) / 1e6,
				p99: loopDelay.percentile(99) / 1e6,
				max: loopDelay.max / 1e6,
			},
			memory: process.memoryUsage(),
		};
		try {
			// Readers never see a half-written file.
			writeFileSync(`${path}.tmp`, JSON.stringify(stats) + '\n');
			renameSync(`${path}.tmp`, path);
		} catch {
			// A stats file that cannot be written must not disturb the screen.
		}
	};
	const timer = setInterval(write, options.intervalMs ?? 1000);
	timer.unref();

	return {
		onEvents(events) {
			const nowMs = clock() * 1000;
			for (let i = 0; i < events.length; i++) lag.add(nowMs - events[i]!.timestamp * 1000);
		},
		stop() {
			clearInterval(timer);
			unsubscribe();
			write();
			loopDelay.disable();
		},
	};
}
