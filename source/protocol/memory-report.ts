// Pure: aggregate scanned keys into families (keys, bytes, share, TTLs, biggest) and flag what
// fills a Celery broker's memory: results without TTL, reply lists nobody will read, queues with no
// binding, huge keys. With sampling every key is counted and bytes are scaled from the measured ones.
import type {BindingIndex, FamilyKind, KeyFamily} from './keyspace.js';

export type ScannedKey = {
	readonly key: string;
	readonly type: string;
	/** Seconds; -1 when the key has no TTL. */
	readonly ttl: number;
	/** MEMORY USAGE; undefined when this key was not measured (sampling). */
	readonly bytes: number | undefined;
};

export const TTL_BUCKETS = ['none', '<1m', '<1h', '<1d', '<7d', '>=7d'] as const;
export type TtlBucket = (typeof TTL_BUCKETS)[number];

export function ttlBucket(ttl: number): TtlBucket {
	if (ttl < 0) return 'none';
	if (ttl < 60) return '<1m';
	if (ttl < 3600) return '<1h';
	if (ttl < 86_400) return '<1d';
	if (ttl < 604_800) return '<7d';
	return '>=7d';
}

export type BigKey = {
	readonly key: string;
	readonly bytes: number;
	readonly type: string;
	readonly ttl: number;
};

export type FamilyReport = {
	readonly family: string;
	readonly kind: FamilyKind;
	readonly keys: number;
	/** Exact sum of MEMORY USAGE, or the estimate when `estimated`. */
	readonly bytes: number;
	readonly estimated: boolean;
	readonly measuredKeys: number;
	readonly measuredBytes: number;
	/** bytes / total bytes (0…1). */
	readonly share: number;
	readonly withoutTtl: number;
	readonly ttlBuckets: Readonly<Record<TtlBucket, number>>;
	readonly types: Readonly<Record<string, number>>;
	/** Largest measured keys, biggest first. */
	readonly biggest: readonly BigKey[];
};

export type MemoryFlagCode =
	'results-without-ttl' | 'orphan-reply-lists' | 'queue-without-binding' | 'huge-key' | 'families-capped';

export type MemoryFlag = {
	readonly code: MemoryFlagCode;
	readonly level: 'info' | 'warning' | 'critical';
	readonly family?: string;
	readonly kind?: FamilyKind;
	readonly keys?: readonly string[];
	readonly message: string;
};

export type MemoryReport = {
	readonly db: number;
	readonly keys: number;
	readonly bytes: number;
	readonly sampled: boolean;
	readonly measuredKeys: number;
	readonly pattern: string | undefined;
	readonly families: readonly FamilyReport[];
	readonly flags: readonly MemoryFlag[];
};

export type AccumulatorOptions = {
	readonly biggest?: number;
	readonly hugeKeyBytes?: number;
	/** App families beyond this many are counted under '(other)'. */
	readonly maxAppFamilies?: number;
	/** kombu global_keyprefix (reply list names are compared without it). */
	readonly prefix?: string;
};

type Totals = {
	family: string;
	kind: FamilyKind;
	keys: number;
	measuredKeys: number;
	measuredBytes: number;
	withoutTtl: number;
	ttlBuckets: Record<TtlBucket, number>;
	types: Record<string, number>;
	biggest: BigKey[];
};

const MAX_LISTED = 20;

export class MemoryAccumulator {
	readonly #families = new Map<string, Totals>();
	readonly #biggest: number;
	readonly #huge: number;
	readonly #maxApp: number;
	readonly #prefix: string;
	#appFamilies = 0;
	#capped = false;
	readonly #hugeKeys: BigKey[] = [];
	readonly #replyKeys: string[] = [];

	constructor(options: AccumulatorOptions = {}) {
		this.#biggest = options.biggest ?? 5;
		this.#huge = options.hugeKeyBytes ?? 1024 * 1024;
		this.#maxApp = options.maxAppFamilies ?? 1000;
		this.#prefix = options.prefix ?? '';
	}

	#totals(family: KeyFamily): Totals {
		let name = family.family;
		let id = `${family.kind}\u0000${name}`;
		let totals = this.#families.get(id);
		if (totals) return totals;
		if (family.kind === 'app') {
			if (this.#appFamilies >= this.#maxApp) {
				this.#capped = true;
				name = '(other)';
				id = `app\u0000${name}`;
				totals = this.#families.get(id);
				if (totals) return totals;
			}
			this.#appFamilies++;
		}
		const buckets = Object.fromEntries(TTL_BUCKETS.map((b) => [b, 0])) as Record<TtlBucket, number>;
		totals = {
			family: name,
			kind: family.kind,
			keys: 0,
			measuredKeys: 0,
			measuredBytes: 0,
			withoutTtl: 0,
			ttlBuckets: buckets,
			types: {},
			biggest: [],
		};
		this.#families.set(id, totals);
		return totals;
	}

	add(entry: ScannedKey, family: KeyFamily): void {
		const totals = this.#totals(family);
		totals.keys++;
		if (entry.ttl < 0) totals.withoutTtl++;
		totals.ttlBuckets[ttlBucket(entry.ttl)]++;
		totals.types[entry.type] = (totals.types[entry.type] ?? 0) + 1;
		if (family.kind === 'pidbox-replies' && this.#replyKeys.length < 10_000) this.#replyKeys.push(entry.key);
		if (entry.bytes === undefined) return;
		totals.measuredKeys++;
		totals.measuredBytes += entry.bytes;
		const big: BigKey = {key: entry.key, bytes: entry.bytes, type: entry.type, ttl: entry.ttl};
		insertTop(totals.biggest, big, this.#biggest);
		if (entry.bytes >= this.#huge) insertTop(this.#hugeKeys, big, MAX_LISTED);
	}

	/** The report; `bindings` (when known) lets the queue and reply-list flags be decided. */
	report(
		db: number,
		options: {readonly bindings?: BindingIndex; readonly pattern?: string} = {},
	): MemoryReport {
		const families = [...this.#families.values()].map((t) => {
			const estimated = t.measuredKeys < t.keys;
			const bytes = !estimated
				? t.measuredBytes
				: t.measuredKeys === 0
					? 0
					: Math.round((t.measuredBytes / t.measuredKeys) * t.keys);
			return {...t, bytes, estimated};
		});
		const total = families.reduce((sum, f) => sum + f.bytes, 0);
		const reports: FamilyReport[] = families
			.map((f) => ({
				family: f.family,
				kind: f.kind,
				keys: f.keys,
				bytes: f.bytes,
				estimated: f.estimated,
				measuredKeys: f.measuredKeys,
				measuredBytes: f.measuredBytes,
				share: total > 0 ? f.bytes / total : 0,
				withoutTtl: f.withoutTtl,
				ttlBuckets: f.ttlBuckets,
				types: f.types,
				biggest: f.biggest,
			}))
			.sort((a, b) => b.bytes - a.bytes || b.keys - a.keys || a.family.localeCompare(b.family));
		const measuredKeys = families.reduce((sum, f) => sum + f.measuredKeys, 0);
		const keys = families.reduce((sum, f) => sum + f.keys, 0);
		return {
			db,
			keys,
			bytes: total,
			sampled: measuredKeys < keys,
			measuredKeys,
			pattern: options.pattern,
			families: reports,
			flags: this.#flags(reports, options.bindings),
		};
	}

	#flags(families: readonly FamilyReport[], bindings: BindingIndex | undefined): MemoryFlag[] {
		const flags: MemoryFlag[] = [];
		for (const f of families) {
			if ((f.kind === 'celery-results' || f.kind === 'celery-group-results') && f.withoutTtl > 0) {
				flags.push({
					code: 'results-without-ttl',
					level: 'warning',
					family: f.family,
					kind: f.kind,
					message: `${f.withoutTtl} of ${f.keys} ${f.family}-* keys have no TTL and will never expire (result_expires=None?)`,
				});
			}
			if (f.kind === 'celery-queue' && bindings && !bindings.queues.has(f.family)) {
				flags.push({
					code: 'queue-without-binding',
					level: 'warning',
					family: f.family,
					kind: f.kind,
					message: `queue '${f.family}' holds ${f.keys} list(s) but no _kombu.binding.* names it: publishers may not route to it, or the binding was evicted`,
				});
			}
		}
		if (bindings) {
			const orphans = this.#replyKeys.filter(
				(key) => !bindings.replyQueues.has(key.slice(this.#prefix.length)),
			);
			if (orphans.length > 0) {
				flags.push({
					code: 'orphan-reply-lists',
					level: 'warning',
					kind: 'pidbox-replies',
					keys: orphans.slice(0, MAX_LISTED),
					message: `${orphans.length} pidbox reply list(s) have no waiting client (no reply binding): nothing will ever read or delete them`,
				});
			}
		}
		for (const big of this.#hugeKeys) {
			flags.push({
				code: 'huge-key',
				level: 'warning',
				keys: [big.key],
				message: `huge key ${big.key} (${big.type}, ${big.bytes} bytes)`,
			});
		}
		if (this.#capped) {
			flags.push({
				code: 'families-capped',
				level: 'info',
				kind: 'app',
				message: `more than ${this.#maxApp} application prefixes: the rest are counted under '(other)'`,
			});
		}
		return flags;
	}
}

function insertTop(list: BigKey[], item: BigKey, limit: number): void {
	if (limit <= 0) return;
	if (list.length >= limit && item.bytes <= list[list.length - 1]!.bytes) return;
	let index = list.length;
	while (index > 0 && list[index - 1]!.bytes < item.bytes) index--;
	list.splice(index, 0, item);
	if (list.length > limit) list.pop();
}
