// The Redis inspector's services for the TUI, built from a Config by wiring the existing modules:
// an INFO poller per db (started and stopped by the overview), scans over a lean RESP connection
// opened per scan, reads and admin operations over one ioredis connection per db, MONITOR on its own
// connection when asked. close() ends all of it. With --replica, INFO, scans and reads go to the
// replica; purge, DEL, FLUSHDB and MONITOR stay on the broker.
import type {Redis} from 'ioredis';
import type {Config} from '../config.js';
import type {RedisServices, StatsSource} from '../ui/redis/services.js';
import {runAdmin} from './admin.js';
import {createRedis, describeConnectionError, readTarget} from './clients.js';
import {readKeyDetail} from './key-detail.js';
import {scanKeys} from './key-scanner.js';
import {memoryReport} from './memory.js';
import {startMonitor, type MonitorTap} from './monitor-tap.js';
import {readQueues, visibilityTimeoutOf} from './queues.js';
import {RespConnection} from './resp-connection.js';
import {ReplicaWatch, StatsPoller} from './stats-poller.js';

export function createRedisInspector(config: Config): RedisServices {
	const connectionFor = (db: number) => ({...config.connection, db});
	const read = readTarget(config);
	const readConnectionFor = (db: number) => ({...read.connection, db});
	const clients = new Map<number, Redis>();
	const readers = new Map<number, Redis>();
	const pollers = new Map<number, StatsPoller>();
	const statsClients: Redis[] = [];
	const taps = new Set<MonitorTap>();
	const scans = new Set<RespConnection>();

	/** The broker, for writes. */
	const client = (db: number): Redis => {
		let redis = clients.get(db);
		if (!redis) {
			redis = createRedis(connectionFor(db), 'scan');
			clients.set(db, redis);
		}
		return redis;
	};
	/** The replica when given (else the broker), for reads. */
	const reader = (db: number): Redis => {
		if (!config.replica) return client(db);
		let redis = readers.get(db);
		if (!redis) {
			redis = createRedis(readConnectionFor(db), 'scan');
			readers.set(db, redis);
		}
		return redis;
	};
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
		const pipe = await RespConnection.open(readConnectionFor(db), read.display);
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
		stats(db): StatsSource {
			let poller = pollers.get(db);
			if (!poller) {
				const redis = createRedis(readConnectionFor(db), 'stats');
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
		queues: (db) => readQueues(reader(db), {transport: config.transport}),
		async monitor(capSeconds) {
			const tap = await startMonitor(config.connection, {display: config.brokerDisplay, capSeconds});
			taps.add(tap);
			void tap.done.then(() => taps.delete(tap));
			return tap;
		},
		admin: (db, op) => runAdmin(client(db), op, {readOnly: config.readOnly, db, transport: config.transport}),
		async close() {
			for (const poller of pollers.values()) poller.stop();
			replicaWatch?.stop();
			for (const pipe of scans) pipe.close();
			await Promise.allSettled([...taps].map((tap) => tap.stop()));
			for (const redis of [...clients.values(), ...readers.values(), ...statsClients]) redis.disconnect();
			replicaClient?.disconnect();
		},
	};
}
