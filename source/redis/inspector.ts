// The Redis inspector's services for the TUI, built from a Config by wiring the existing modules:
// an INFO poller per db (started and stopped by the overview), scans and queue reads over a lean RESP
// connection opened per read (its SELECT checked), key reads over one ioredis connection per db,
// the queue line's lengths on a lean connection per db kept between reads (queue-depths.ts),
// each admin operation on a connection of its own (see admin.ts), MONITOR on its own connection when
// asked. close() ends all of it. With --replica, INFO, scans and reads go to the replica; purge, DEL,
// FLUSHDB and MONITOR stay on the broker. No connection here runs in another db than the one asked:
// `d` checks a db before the views use it, and the ioredis clients close when their SELECT fails.
import type {Redis} from 'ioredis';
import type {BrokerTarget as Config} from '../ports/connection.js';
import type {RedisServices, StatsSource} from '../ports/inspector.js';
import {adminAuditEntry, previewAdmin, refusal, runAdmin, type AdminContext} from './admin.js';
import type {AuditLog} from './audit-log.js';
import {createRedis} from './clients.js';
import {describeConnectionError} from './connection-errors.js';
import {readTarget} from './replica.js';
import {checkDb, openDbWithin, strictDb} from './db-check.js';
import {readKeyDetail} from './key-detail.js';
import {scanKeys} from './key-scanner.js';
import {memoryReport} from './memory.js';
import {startMonitor, type MonitorTap} from './monitor-tap.js';
import {QueueDepthReader} from './queue-depths.js';
import {readQueues, visibilityTimeoutOf} from './queues.js';
import type {RespConnection} from './resp-connection.js';
import {ReplicaWatch, StatsPoller} from './stats-poller.js';

/** `audit`: where FLUSHDB, DEL and purge are recorded (the control client's audit log). */
export function createRedisInspector(
	config: Config,
	options: {readonly audit?: AuditLog} = {},
): RedisServices {
	const connectionFor = (db: number) => ({...config.connection, db});
	const read = readTarget(config);
	const readConnectionFor = (db: number) => ({...read.connection, db});
	const clients = new Map<number, Redis>();
	const readers = new Map<number, Redis>();
	const pollers = new Map<number, StatsPoller>();
	const statsClients: Redis[] = [];
	const taps = new Set<MonitorTap>();
	const scans = new Set<RespConnection>();
	/** The queue line's readers, one connection each, kept between reads. */
	const depthReaders = new Map<number, QueueDepthReader>();

	/** An ioredis client for one db that closes instead of running in db 0 when its SELECT fails. */
	const strictClient = (connection: typeof config.connection, role: 'scan' | 'stats'): Redis =>
		strictDb(createRedis(connection, role), connection.db).redis;
	/** The broker, for the replica watch. */
	const client = (db: number): Redis => {
		let redis = clients.get(db);
		if (!redis) {
			redis = strictClient(connectionFor(db), 'scan');
			clients.set(db, redis);
		}
		return redis;
	};
	/** The replica when given (else the broker), for key reads. */
	const reader = (db: number): Redis => {
		if (!config.replica) return client(db);
		let redis = readers.get(db);
		if (!redis) {
			redis = strictClient(readConnectionFor(db), 'scan');
			readers.set(db, redis);
		}
		return redis;
	};
	const adminTarget = {connection: config.connection, display: config.brokerDisplay};
	const adminContext = (db: number): AdminContext => ({
		readOnly: config.readOnly,
		db,
		transport: config.transport,
		brokerDb: config.connection.db,
	});
	let replicaWatch: ReplicaWatch | undefined;
	let replicaClient: Redis | undefined;
	if (config.replica) {
		const replicaConnection = config.replica.connection;
		replicaClient = createRedis(replicaConnection, 'stats');
		replicaWatch = new ReplicaWatch(replicaClient, () => client(config.connection.db), {
			describeError: (error) => describeConnectionError(error, read.display, replicaConnection),
		});
	}

	/** Open a RESP connection for one scan; closed when the scan ends (or on close()). */
	const withScan = async <T>(db: number, run: (pipe: RespConnection) => Promise<T>): Promise<T> => {
		const pipe = await openDbWithin(readConnectionFor(db), read.display, 'celerytop-scan');
		scans.add(pipe);
		try {
			return await run(pipe);
		} finally {
			scans.delete(pipe);
			pipe.close();
		}
	};

	return {
		db: read.connection.db,
		...(config.replica && replicaWatch
			? {
					replica: {
						address: config.replica.address,
						subscribe: replicaWatch.subscribe,
						getSnapshot: replicaWatch.getSnapshot,
					},
				}
			: {}),
		transport: config.transport,
		visibilityTimeout: visibilityTimeoutOf(config.transport),
		knownStats: (db) => pollers.get(db),
		stats(db): StatsSource {
			let poller = pollers.get(db);
			if (!poller) {
				const redis = strictClient(readConnectionFor(db), 'stats');
				statsClients.push(redis);
				poller = new StatsPoller(redis, {intervalMs: 1000, source: read.label});
				pollers.set(db, poller);
			}
			return poller;
		},
		memory: (db, options) =>
			withScan(db, (pipe) =>
				memoryReport(pipe, {
					db,
					transport: config.transport,
					pattern: options.pattern,
					sample: options.sample,
					signal: options.signal,
					onProgress: options.onProgress,
				}),
			),
		scanKeys: (db, options) =>
			withScan(db, async (pipe) => {
				const keys: Array<{key: string; type: string; ttl: number; bytes: number | undefined}> = [];
				let total = 0;
				for await (const batch of scanKeys(pipe, {
					match: options.pattern,
					limit: options.limit,
					signal: options.signal,
					onProgress: (progress) => {
						total = progress.total;
						options.onProgress(progress);
					},
				})) {
					for (const {key, type, ttl, bytes} of batch) keys.push({key, type, ttl, bytes});
				}
				const cancelled = options.signal.aborted;
				return {
					keys,
					total,
					capped: !cancelled && keys.length >= options.limit && total > keys.length,
					cancelled,
				};
			}),
		keyDetail: (db, key) => readKeyDetail(reader(db), key, {limit: 50}),
		queues: (db) => withScan(db, (pipe) => readQueues(pipe, {transport: config.transport})),
		queueDepths(db) {
			let reader = depthReaders.get(db);
			if (!reader) {
				const target = {
					connection: readConnectionFor(db),
					display: read.display,
					transport: config.transport,
				};
				depthReaders.set(db, (reader = new QueueDepthReader(target)));
			}
			return reader.read();
		},
		async monitor(capSeconds) {
			const tap = await startMonitor(config.connection, {display: config.brokerDisplay, capSeconds});
			taps.add(tap);
			void tap.done.then(() => taps.delete(tap));
			return tap;
		},
		async checkDb(db) {
			// The views read from the read target; the writes go to the broker: the db must exist on both.
			const readable = await checkDb(readConnectionFor(db), read.display);
			if (!readable.ok || !config.replica) return readable;
			return checkDb(connectionFor(db), config.brokerDisplay);
		},
		adminPreview: (db, op) => previewAdmin(adminTarget, op, adminContext(db)),
		async admin(db, op) {
			const context = adminContext(db);
			const result = await runAdmin(adminTarget, op, context);
			// What was run or failed on the way is recorded; a refusal (--read-only) sent nothing.
			if (refusal(op, context) === undefined)
				options.audit?.(adminAuditEntry(config.brokerDisplay, db, op, result, new Date()));
			return result;
		},
		async close() {
			for (const poller of pollers.values()) poller.stop();
			replicaWatch?.stop();
			for (const pipe of scans) pipe.close();
			for (const reader of depthReaders.values()) reader.close();
			await Promise.allSettled([...taps].map((tap) => tap.stop()));
			for (const redis of [...clients.values(), ...readers.values(), ...statsClients]) redis.disconnect();
			replicaClient?.disconnect();
		},
	};
}
