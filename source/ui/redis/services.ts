// What the Redis inspector views need from Redis, as promises and external stores: the real adapter
// is source/redis/inspector.ts; tests pass fakes. Views never see a connection.
import type {KeyValue} from '../../protocol/key-detail.js';
import type {ScannedKey} from '../../protocol/memory-report.js';
import type {TransportOptions} from '../../protocol/types.js';
import type {AdminOp, AdminPreview, AdminResult} from '../../redis/admin.js';
import type {DbCheck} from '../../redis/db-check.js';
import type {ScanProgress} from '../../redis/key-scanner.js';
import type {MemoryResult} from '../../redis/memory.js';
import type {MonitorSnapshot} from '../../redis/monitor-tap.js';
import type {QueuesResult} from '../../redis/queues.js';
import type {ReplicaSnapshot, StatsSnapshot} from '../../redis/stats-poller.js';

export type {
	AdminPreview,
	DbCheck,
	KeyValue,
	MemoryResult,
	MonitorSnapshot,
	QueuesResult,
	ReplicaSnapshot,
	ScanProgress,
	StatsSnapshot,
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
