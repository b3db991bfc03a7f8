// Pure: Redis INFO text → typed sections, the figures an operator watches, and the warnings that
// matter for a Celery broker (eviction of queues/bindings, writes failing at the limit, a subscriber
// about to be cut off by client-output-buffer-limit pubsub). No I/O, no clock.

export type InfoValue = string | number | Readonly<Record<string, string | number>>;
export type InfoSection = Readonly<Record<string, InfoValue>>;
/** Section name (lower case: 'server', 'memory', 'keyspace', ...) → fields. */
export type RedisInfo = Readonly<Record<string, InfoSection>>;

/** Fields that look numeric but are identifiers. */
const STRING_FIELDS = new Set([
	'redis_git_sha1',
	'redis_build_id',
	'run_id',
	'master_replid',
	'master_replid2',
]);
/** Fields whose value is a `k=v,k=v` list (keyspace dbN, cmdstat_*, errorstat_*, slaveN, ...). */
const NESTED = /^(db\d+|cmdstat_.+|errorstat_.+|latency_percentiles_usec_.+|slave\d+)$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

function scalar(name: string, text: string): string | number {
	if (STRING_FIELDS.has(name) || !NUMBER.test(text)) return text;
	const value = Number(text);
	return Number.isSafeInteger(value) || !Number.isInteger(value) ? value : text;
}

/** Parse INFO output (any sections, \r\n or \n). Unknown lines are kept as they come. */
export function parseInfo(text: string): RedisInfo {
	const result: Record<string, Record<string, InfoValue>> = {};
	let section: Record<string, InfoValue> = {};
	result['default'] = section;
	for (const rawLine of text.split('\n')) {
		const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
		if (line === '') continue;
		if (line.startsWith('# ')) {
			const name = line.slice(2).trim().toLowerCase();
			section = result[name] ?? {};
			result[name] = section;
			continue;
		}
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		const name = line.slice(0, colon);
		const value = line.slice(colon + 1);
		if (NESTED.test(name) && value.includes('=')) {
			const nested: Record<string, string | number> = {};
			for (const part of value.split(',')) {
				const eq = part.indexOf('=');
				if (eq > 0) nested[part.slice(0, eq)] = scalar(part.slice(0, eq), part.slice(eq + 1));
			}
			section[name] = nested;
		} else {
			section[name] = scalar(name, value);
		}
	}
	if (Object.keys(result['default']!).length === 0) delete result['default'];
	return result;
}

function field(info: RedisInfo, section: string, name: string): InfoValue | undefined {
	return info[section]?.[name];
}

function num(info: RedisInfo, section: string, name: string): number | undefined {
	const value = field(info, section, name);
	return typeof value === 'number' ? value : undefined;
}

function str(info: RedisInfo, section: string, name: string): string | undefined {
	const value = field(info, section, name);
	return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

export type KeyspaceDb = {
	readonly db: number;
	readonly keys: number;
	readonly expires: number;
	readonly avgTtlMs: number;
};

export type WatchedFigures = {
	/**
	 * Which server answered: 'valkey' when INFO says `server_name:valkey` (Valkey also keeps a
	 * `redis_version`, the Redis release it is compatible with: 7.2.4), else 'redis'.
	 */
	readonly server: string;
	/** The server's own version: valkey_version on Valkey, redis_version on Redis. */
	readonly version: string | undefined;
	/** redis_version on a server that is not Redis (what it says it is compatible with). */
	readonly redisCompatible: string | undefined;
	/** standalone, sentinel or cluster: redis_mode on Redis, server_mode on Valkey. */
	readonly mode: string | undefined;
	readonly role: string | undefined;
	readonly uptimeSeconds: number | undefined;
	readonly usedMemory: number | undefined;
	readonly usedMemoryPeak: number | undefined;
	readonly usedMemoryRss: number | undefined;
	readonly fragmentation: number | undefined;
	/** 0 = no limit. */
	readonly maxmemory: number | undefined;
	readonly maxmemoryPolicy: string | undefined;
	readonly opsPerSec: number | undefined;
	readonly connectedClients: number | undefined;
	readonly blockedClients: number | undefined;
	readonly keyspaceHits: number | undefined;
	readonly keyspaceMisses: number | undefined;
	/** hits / (hits + misses); undefined before the first lookup. */
	readonly hitRatio: number | undefined;
	readonly expiredKeys: number | undefined;
	readonly evictedKeys: number | undefined;
	readonly netInputKbps: number | undefined;
	readonly netOutputKbps: number | undefined;
	readonly totalNetInputBytes: number | undefined;
	readonly totalNetOutputBytes: number | undefined;
	readonly keyspace: readonly KeyspaceDb[];
	readonly persistence: {
		readonly loading: boolean;
		readonly rdbLastSaveTime: number | undefined;
		readonly rdbChangesSinceLastSave: number | undefined;
		readonly rdbLastBgsaveStatus: string | undefined;
		readonly rdbBgsaveInProgress: boolean;
		readonly aofEnabled: boolean;
		readonly aofLastWriteStatus: string | undefined;
	};
};

export function keyspaceOf(info: RedisInfo): KeyspaceDb[] {
	const result: KeyspaceDb[] = [];
	for (const [name, value] of Object.entries(info['keyspace'] ?? {})) {
		const match = /^db(\d+)$/.exec(name);
		if (!match || typeof value !== 'object') continue;
		const n = (k: string) => (typeof value[k] === 'number' ? (value[k] as number) : 0);
		result.push({db: Number(match[1]), keys: n('keys'), expires: n('expires'), avgTtlMs: n('avg_ttl')});
	}
	return result.sort((a, b) => a.db - b.db);
}

export function watchedFigures(info: RedisInfo): WatchedFigures {
	const hits = num(info, 'stats', 'keyspace_hits');
	const misses = num(info, 'stats', 'keyspace_misses');
	const lookups = (hits ?? 0) + (misses ?? 0);
	const server = str(info, 'server', 'server_name') ?? 'redis';
	const redisVersion = str(info, 'server', 'redis_version');
	const own = server === 'redis' ? redisVersion : (str(info, 'server', `${server}_version`) ?? redisVersion);
	return {
		server,
		version: own,
		redisCompatible: server === 'redis' ? undefined : redisVersion,
		mode: str(info, 'server', 'redis_mode') ?? str(info, 'server', 'server_mode'),
		role: str(info, 'replication', 'role'),
		uptimeSeconds: num(info, 'server', 'uptime_in_seconds'),
		usedMemory: num(info, 'memory', 'used_memory'),
		usedMemoryPeak: num(info, 'memory', 'used_memory_peak'),
		usedMemoryRss: num(info, 'memory', 'used_memory_rss'),
		fragmentation: num(info, 'memory', 'mem_fragmentation_ratio'),
		maxmemory: num(info, 'memory', 'maxmemory'),
		maxmemoryPolicy: str(info, 'memory', 'maxmemory_policy'),
		opsPerSec: num(info, 'stats', 'instantaneous_ops_per_sec'),
		connectedClients: num(info, 'clients', 'connected_clients'),
		blockedClients: num(info, 'clients', 'blocked_clients'),
		keyspaceHits: hits,
		keyspaceMisses: misses,
		hitRatio: lookups > 0 ? (hits ?? 0) / lookups : undefined,
		expiredKeys: num(info, 'stats', 'expired_keys'),
		evictedKeys: num(info, 'stats', 'evicted_keys'),
		netInputKbps: num(info, 'stats', 'instantaneous_input_kbps'),
		netOutputKbps: num(info, 'stats', 'instantaneous_output_kbps'),
		totalNetInputBytes: num(info, 'stats', 'total_net_input_bytes'),
		totalNetOutputBytes: num(info, 'stats', 'total_net_output_bytes'),
		keyspace: keyspaceOf(info),
		persistence: {
			loading: num(info, 'persistence', 'loading') === 1,
			rdbLastSaveTime: num(info, 'persistence', 'rdb_last_save_time'),
			rdbChangesSinceLastSave: num(info, 'persistence', 'rdb_changes_since_last_save'),
			rdbLastBgsaveStatus: str(info, 'persistence', 'rdb_last_bgsave_status'),
			rdbBgsaveInProgress: num(info, 'persistence', 'rdb_bgsave_in_progress') === 1,
			aofEnabled: num(info, 'persistence', 'aof_enabled') === 1,
			aofLastWriteStatus: str(info, 'persistence', 'aof_last_write_status'),
		},
	};
}

/** Per-second rates of the counters between two samples taken `seconds` apart. */
export type CounterRates = {readonly expiredPerSec: number; readonly evictedPerSec: number};

export function counterRates(
	previous: WatchedFigures,
	current: WatchedFigures,
	seconds: number,
): CounterRates {
	const rate = (a: number | undefined, b: number | undefined) =>
		a === undefined || b === undefined || seconds <= 0 || b < a ? 0 : (b - a) / seconds;
	return {
		expiredPerSec: rate(previous.expiredKeys, current.expiredKeys),
		evictedPerSec: rate(previous.evictedKeys, current.evictedKeys),
	};
}

/** `client-output-buffer-limit` for one class: bytes (0 = none) and soft seconds. */
export type BufferLimit = {readonly hard: number; readonly soft: number; readonly softSeconds: number};

/** Parse CONFIG GET client-output-buffer-limit ('normal 0 0 0 slave … pubsub 33554432 8388608 60'). */
export function parseOutputBufferLimits(text: string): Record<string, BufferLimit> {
	const parts = text.trim().split(/\s+/);
	const result: Record<string, BufferLimit> = {};
	for (let i = 0; i + 3 < parts.length; i += 4) {
		const [hard, soft, softSeconds] = [parts[i + 1], parts[i + 2], parts[i + 3]].map((p) => parseSize(p!));
		if ([hard, soft, softSeconds].some((n) => n === undefined)) break;
		result[parts[i]!.toLowerCase()] = {hard: hard!, soft: soft!, softSeconds: softSeconds!};
	}
	return result;
}

/** '33554432', '32mb', '8m', '1gb' → bytes (Redis memory units). */
function parseSize(text: string): number | undefined {
	const match = /^(\d+)(k|kb|m|mb|g|gb)?$/i.exec(text);
	if (!match) return undefined;
	const unit = (match[2] ?? '').toLowerCase();
	const factors: Record<string, number> = {
		'': 1,
		k: 1e3,
		kb: 1024,
		m: 1e6,
		mb: 1024 ** 2,
		g: 1e9,
		gb: 1024 ** 3,
	};
	return Number(match[1]) * factors[unit]!;
}

export type WarningCode =
	| 'near-maxmemory'
	| 'eviction-policy'
	| 'noeviction-at-limit'
	| 'evicting'
	| 'subscriber-buffer'
	| 'persistence-failing';

export type RedisWarning = {
	readonly code: WarningCode;
	readonly level: 'warning' | 'critical';
	readonly message: string;
};

export type WarningContext = {
	readonly rates?: CounterRates;
	/** Output-buffer memory (CLIENT LIST omem) of our own pub/sub subscriber connection. */
	readonly subscriberOmem?: number;
	readonly pubsubLimit?: BufferLimit;
};

const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

export function redisWarnings(figures: WatchedFigures, context: WarningContext = {}): RedisWarning[] {
	const warnings: RedisWarning[] = [];
	const used = figures.usedMemory ?? 0;
	const max = figures.maxmemory ?? 0;
	const policy = figures.maxmemoryPolicy ?? '';
	const fill = max > 0 ? used / max : 0;
	if (max > 0 && fill >= 0.8) {
		warnings.push({
			code: 'near-maxmemory',
			level: fill >= 0.95 ? 'critical' : 'warning',
			message: `used memory ${mb(used)} is ${Math.round(fill * 100)}% of maxmemory ${mb(max)}`,
		});
	}
	if (max > 0 && policy.startsWith('allkeys-')) {
		warnings.push({
			code: 'eviction-policy',
			level: 'warning',
			message: `maxmemory-policy ${policy} may evict Celery queues, unacked messages and _kombu.binding.* sets (use noeviction or volatile-*)`,
		});
	}
	if (max > 0 && policy === 'noeviction' && fill >= 0.95) {
		warnings.push({
			code: 'noeviction-at-limit',
			level: 'critical',
			message: `noeviction at ${Math.round(fill * 100)}% of maxmemory: writes (new tasks, results) will fail with OOM`,
		});
	}
	if ((context.rates?.evictedPerSec ?? 0) > 0) {
		warnings.push({
			code: 'evicting',
			level: 'critical',
			message: `evicting ${context.rates!.evictedPerSec.toFixed(1)} keys/s now (policy ${policy || 'unknown'})`,
		});
	}
	const omem = context.subscriberOmem;
	const limit = context.pubsubLimit;
	if (omem !== undefined && limit !== undefined) {
		const bound = [limit.soft, limit.hard].filter((n) => n > 0);
		const nearest = bound.length > 0 ? Math.min(...bound) : 0;
		if (nearest > 0 && omem >= nearest * 0.5) {
			warnings.push({
				code: 'subscriber-buffer',
				level: omem >= nearest * 0.8 ? 'critical' : 'warning',
				message: `our event subscriber's output buffer is ${mb(omem)} of the ${mb(nearest)} pubsub limit: Redis will disconnect it`,
			});
		}
	}
	const p = figures.persistence;
	if ((p.rdbLastBgsaveStatus ?? 'ok') !== 'ok' || (p.aofEnabled && (p.aofLastWriteStatus ?? 'ok') !== 'ok')) {
		warnings.push({
			code: 'persistence-failing',
			level: 'critical',
			message: `persistence failing (rdb ${p.rdbLastBgsaveStatus ?? '?'}, aof ${p.aofLastWriteStatus ?? '?'}): Redis may refuse writes`,
		});
	}
	return warnings;
}
