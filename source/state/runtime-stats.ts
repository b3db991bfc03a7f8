// Runtimes seen per task name, for "stuck": a task running far longer than its name usually takes.
// A log-scaled histogram per name (buckets 25 % apart from 1 ms to about 3 days): O(1) per
// task-succeeded, a few hundred bytes per name, and a p95 read of about 80 steps.

const FIRST = 0.001; // seconds: the lowest bucket's top
const GROWTH = 1.25;
const BUCKETS = 84; // FIRST × GROWTH^83 ≈ 1.1e5 s
const LOG_GROWTH = Math.log(GROWTH);
/** Distinct names kept; runtimes of further names are not counted (the names stay "unknown"). */
export const MAX_NAMES = 2_048;

function bucketOf(seconds: number): number {
	if (seconds <= FIRST) return 0;
	return Math.min(BUCKETS - 1, Math.ceil(Math.log(seconds / FIRST) / LOG_GROWTH));
}

function topOf(bucket: number): number {
	return FIRST * GROWTH ** bucket;
}

type Histogram = {counts: Uint32Array; total: number};

export class RuntimeStats {
	readonly #byName = new Map<string, Histogram>();

	/** Count one finished run of `name` that took `seconds`. */
	add(name: string, seconds: number): void {
		if (!Number.isFinite(seconds) || seconds < 0) return;
		let histogram = this.#byName.get(name);
		if (histogram === undefined) {
			if (this.#byName.size >= MAX_NAMES) return;
			histogram = {counts: new Uint32Array(BUCKETS), total: 0};
			this.#byName.set(name, histogram);
		}
		histogram.counts[bucketOf(seconds)]!++;
		histogram.total++;
	}

	/** How many runtimes of `name` were counted. */
	count(name: string): number {
		return this.#byName.get(name)?.total ?? 0;
	}

	/**
	 * The runtime below which `share` (0.95: the p95) of the runs of `name` finished, as the top of
	 * its bucket (at most 25 % high); undefined when none was counted.
	 */
	quantile(name: string, share: number): number | undefined {
		const histogram = this.#byName.get(name);
		if (histogram === undefined || histogram.total === 0) return undefined;
		const wanted = Math.max(1, Math.ceil(histogram.total * share));
		let seen = 0;
		for (let bucket = 0; bucket < BUCKETS; bucket++) {
			seen += histogram.counts[bucket]!;
			if (seen >= wanted) return topOf(bucket);
		}
		return topOf(BUCKETS - 1);
	}
}
