// The Redis inspector port: what the views may ask of Redis, as promises and external stores, and
// the data that comes back. The adapter is source/redis/inspector.ts; tests pass fakes. Neither side
// imports the other: both import this file. Views never see a connection.
import type {ClientInfo, ClientSummary, SlowlogEntry} from '../protocol/redis-clients.js';
import type {
	BufferLimit,
	CounterRates,
	RedisInfo,
	RedisWarning,
	WatchedFigures,
} from '../protocol/redis-info.js';
import type {KeyValue} from '../protocol/key-detail.js';
import type {MemoryReport, ScannedKey} from '../protocol/memory-report.js';
import type {MonitorRecord} from '../protocol/monitor.js';
import type {QueueReport} from '../protocol/queue-report.js';
import type {TransportOptions} from '../protocol/types.js';

export type {KeyValue};

export type ScanProgress = {
	/** Keys returned by SCAN so far (with MATCH: keys that matched). */
	readonly scanned: number;
	/** DBSIZE when the scan started. */
	readonly total: number;
	readonly calls: number;
	readonly done: boolean;
};

export type DbCheck = {readonly ok: true} | {readonly ok: false; readonly error: string};

export type AdminOp =
	| {readonly op: 'flushdb'; readonly db: number}
	| {readonly op: 'del'; readonly key: string}
	| {readonly op: 'purge'; readonly queue: string};

export type AdminResult =
	{readonly ok: true; readonly removed: number} | {readonly ok: false; readonly error: string};

/** What an operation would remove, read when its confirmation opens. */
export type AdminPreview =
	| {
			readonly op: 'flushdb';
			readonly db: number;
			readonly keys: number;
			/** It is the broker's own db. */
			readonly broker: boolean;
			/** Celery queues found, with their waiting messages (all priorities). */
			readonly queues: ReadonlyArray<{readonly queue: string; readonly messages: number}>;
			readonly unacked: number;
			/** `_kombu.binding.*` keys. */
			readonly bindings: number;
	  }
	| {
			readonly op: 'del';
			readonly db: number;
			readonly key: string;
			/** 'none' when the key does not exist. */
			readonly type: string;
			/** Elements (list, hash, set, zset, stream) or bytes (string). */
			readonly size: number | undefined;
			/** MEMORY USAGE (undefined when refused). */
			readonly bytes: number | undefined;
	  }
	| {readonly op: 'purge'; readonly db: number; readonly queue: string; readonly messages: number};

export type MemoryResult = MemoryReport & {
	readonly cancelled: boolean;
	readonly sampleSize: number | undefined;
};

export type MonitorState = 'connecting' | 'running' | 'stopped' | 'error';

export type MonitorSnapshot = {
	readonly state: MonitorState;
	readonly error: string | undefined;
	/** Newest first, at most the buffer size. */
	readonly records: readonly MonitorRecord[];
	readonly total: number;
	/** Lines that did not parse. */
	readonly malformed: number;
	readonly startedAt: number | undefined;
};

export type QueuesResult = {
	readonly queues: readonly QueueReport[];
	readonly unackedTotal: number;
	readonly unackedRead: number;
	readonly visibilityTimeout: number;
	readonly now: number;
};

/** One queue's waiting messages, summed over its priority lists (docs/WIRE.md §6.1). */
export type QueueDepth = {readonly queue: string; readonly messages: number};

/**
 * The light read behind the main screen's queue line: LLEN of every priority list, no tails, no
 * unacked hash. An error (a db the server lacks, no connection, no answer in time) is one line.
 */
export type QueueDepths =
	{readonly ok: true; readonly queues: readonly QueueDepth[]} | {readonly ok: false; readonly error: string};

/** What INFO replication says about the --replica server, compared with the broker. */
export type ReplicaState = {
	/** 'slave' for a replica, 'master' otherwise (undefined when INFO was refused). */
	readonly role: string | undefined;
	/** master_link_status: 'up' while it receives the broker's stream. */
	readonly link: string | undefined;
	/** Its master_replid: a replica's is its master's (also through a chain of replicas). */
	readonly replid: string | undefined;
	/** It replicates the broker (same replication id); undefined when that could not be told. */
	readonly ofBroker: boolean | undefined;
};

export type StatsSample = {
	/** Epoch seconds. */
	readonly at: number;
	readonly figures: WatchedFigures;
	readonly dbsize: number;
	readonly rates: CounterRates;
};

export type StatsSnapshot = {
	/** Which server the figures are from (`replica 127.0.0.1:6390`, `broker 10.0.0.5:6379`), when told. */
	readonly source?: string;
	readonly status: 'connecting' | 'ok' | 'error';
	readonly error: string | undefined;
	readonly info: RedisInfo | undefined;
	readonly latest: StatsSample | undefined;
	/** Oldest first. */
	readonly history: readonly StatsSample[];
	readonly clients: readonly ClientInfo[];
	readonly clientSummary: ClientSummary | undefined;
	readonly slowlog: readonly SlowlogEntry[];
	readonly warnings: readonly RedisWarning[];
	readonly pubsubLimit: BufferLimit | undefined;
	readonly polls: number;
	readonly skippedTicks: number;
	readonly consecutiveErrors: number;
};

export type ReplicaSnapshot = {
	/** Undefined until the first poll answers. */
	readonly state: ReplicaState | undefined;
	readonly error: string | undefined;
};

/** With --replica: the server that takes the read-only load, and its replication link (polled while subscribed). */
export type ReplicaSource = {
	/** `host:port` or the socket path, without credentials. */
	readonly address: string;
	subscribe(listener: () => void): () => void;
	getSnapshot(): ReplicaSnapshot;
};

/** An external store (useSyncExternalStore) that polls while started. */
export type StatsSource = {
	start(): void;
	stop(): void;
	subscribe(listener: () => void): () => void;
	getSnapshot(): StatsSnapshot;
};

/** A running MONITOR: its records as an external store; stop() closes its connection. */
export type MonitorSource = {
	subscribe(listener: () => void): () => void;
	getSnapshot(): MonitorSnapshot;
	stop(): Promise<void>;
};

export type ScanOptions = {
	readonly pattern?: string;
	readonly signal: AbortSignal;
	readonly onProgress: (progress: ScanProgress) => void;
};

export type KeyList = {
	/** At most the limit asked for, in SCAN order. */
	readonly keys: readonly ScannedKey[];
	/** DBSIZE when the scan started. */
	readonly total: number;
	/** The scan stopped at the limit before the end of the keyspace. */
	readonly capped: boolean;
	readonly cancelled: boolean;
};

export type RedisServices = {
	/** The db the broker URL selects (the inspector starts there; `d` switches). */
	readonly db: number;
	/**
	 * Set with --replica: events, INFO, scans, key and queue reads go to it; writes (purge, DEL,
	 * FLUSHDB) and MONITOR stay on the broker.
	 */
	readonly replica?: ReplicaSource;
	readonly transport: TransportOptions;
	/** Seconds before an unacked message is redelivered (transport option, else 3600). */
	readonly visibilityTimeout: number;
	/** The INFO poller of a db: the same object for the same db. */
	stats(db: number): StatsSource;
	/** The poller of a db if the Redis view made one already (never creates one, nor a connection). */
	knownStats?(db: number): StatsSource | undefined;
	memory(db: number, options: ScanOptions & {readonly sample?: number}): Promise<MemoryResult>;
	/** The keys matching a pattern, found with SCAN (never KEYS). */
	scanKeys(db: number, options: ScanOptions & {readonly limit: number}): Promise<KeyList>;
	keyDetail(db: number, key: string): Promise<KeyValue>;
	queues(db: number): Promise<QueuesResult>;
	/**
	 * Each queue's length, on a connection of its own kept for the next call: the names found once
	 * (bindings by SCAN, plus `celery`) and again every 30 s, then one pipeline of LLEN per call.
	 * Never rejects; calls made while one is in flight share its answer.
	 */
	queueDepths(db: number): Promise<QueueDepths>;
	/** Start MONITOR (opt-in); rejects with a one-line error. */
	monitor(capSeconds: number): Promise<MonitorSource>;
	/**
	 * Whether a db exists on the server (and on the broker too with --replica): `d` switches only
	 * after this says yes; the error is one line naming the db and how many the server has.
	 */
	checkDb(db: number): Promise<DbCheck>;
	/** What an admin operation would remove, read now for its confirmation (an error for a missing db). */
	adminPreview(
		db: number,
		op: AdminOp,
	): Promise<
		{readonly ok: true; readonly preview: AdminPreview} | {readonly ok: false; readonly error: string}
	>;
	/**
	 * FLUSHDB, DEL or purge on a connection of its own whose SELECT of `db` was answered +OK first;
	 * refused under --read-only below the UI as well.
	 */
	admin(db: number, op: AdminOp): Promise<AdminResult>;
	close(): Promise<void>;
};
