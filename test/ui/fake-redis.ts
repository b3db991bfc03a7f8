// Fake Redis services for the inspector's view tests, built with the real pure code from captured
// fixtures: INFO parsed and warned about, a memory report accumulated from known keys, queue reports
// from captured task messages, results decoded from the result backend capture. Calls are recorded.
import {readFileSync} from 'node:fs';
import {classifyKey} from '../../source/protocol/keyspace.js';
import {MemoryAccumulator, type ScannedKey} from '../../source/protocol/memory-report.js';
import type {MonitorRecord} from '../../source/protocol/monitor.js';
import {buildQueueReports} from '../../source/protocol/queue-report.js';
import {parseClientList, parseSlowlog, summarizeClients} from '../../source/protocol/redis-clients.js';
import {parseInfo, redisWarnings, watchedFigures} from '../../source/protocol/redis-info.js';
import type {AdminOp, MonitorSnapshot, StatsSnapshot} from '../../source/ports/inspector.js';
import type {KeyValue, MonitorSource, RedisServices, StatsSource} from '../../source/ports/inspector.js';
import {fixturePath, readJsonLines} from '../helpers/fixtures.js';

export const T = 1_795_771_700;

type MessageLine = {key: string; field?: string; data?: string; args?: string[]};
type ResultLine = {key: string; ttl_seconds: number; data: string; kind: string};

export const messages = readJsonLines<MessageLine>('task-messages.jsonl');
/** The captured result keys, one line per key (the capture rewrites some). */
export const results = [
	...new Map(
		readJsonLines<ResultLine>('result-backend.jsonl')
			.filter((r) => r.key.startsWith('celery-task-meta-'))
			.map((r) => [r.key, r]),
	).values(),
];
/** A key name holding escape sequences: it must reach the screen inert. */
export const EVIL_KEY = 'evil\u001B[2J\u001B]0;pwned\u0007';
const queued = messages.filter((m) => m.key === 'celery' && m.data).map((m) => m.data!);
const unacked = messages.find((m) => m.key === 'unacked')!;

/** A stats snapshot from the captured INFO (maxmemory 10 MB, allkeys-lru: a warning), clients and slowlog. */
export function statsSnapshot(usedMemory?: number): StatsSnapshot {
	let text = readFileSync(fixturePath('redis-info-7.0.txt'), 'utf8');
	if (usedMemory !== undefined) text = text.replace(/^used_memory:\d+/m, `used_memory:${usedMemory}`);
	const info = parseInfo(text);
	const figures = watchedFigures(info);
	const rates = {expiredPerSec: 0, evictedPerSec: 0};
	const clients = parseClientList(readFileSync(fixturePath('redis-client-list.txt'), 'utf8'));
	const sample = {at: T, figures, dbsize: 4, rates};
	return {
		status: 'ok',
		error: undefined,
		info,
		latest: sample,
		history: [sample, {...sample, at: T + 1}],
		clients,
		clientSummary: summarizeClients(clients),
		slowlog: parseSlowlog(JSON.parse(readFileSync(fixturePath('redis-slowlog.json'), 'utf8'))),
		warnings: redisWarnings(figures, {rates}),
		pubsubLimit: undefined,
		polls: 2,
		skippedTicks: 0,
		consecutiveErrors: 0,
	};
}

/** The keyspace the fake memory scan and key browser report. */
export const KEYS: ScannedKey[] = [
	...Array.from({length: 40}, (_, i) => ({key: `session:${i}`, type: 'string', ttl: 1800, bytes: 200})),
	...results.map((r, i) => ({key: r.key, type: 'string', ttl: i === 0 ? -1 : r.ttl_seconds, bytes: 400 + i})),
	{key: 'celery', type: 'list', ttl: -1, bytes: 9000},
	{key: 'unacked', type: 'hash', ttl: -1, bytes: 3000},
	{key: '_kombu.binding.celery', type: 'set', ttl: -1, bytes: 250},
	{key: 'blob:big', type: 'string', ttl: -1, bytes: 2_200_000},
	{key: EVIL_KEY, type: 'string', ttl: -1, bytes: 60},
];

export function memoryResult(db: number, sample?: number) {
	const accumulator = new MemoryAccumulator({});
	for (const [i, k] of KEYS.entries()) {
		const measured = sample === undefined || i % 2 === 0 ? k : {...k, bytes: undefined};
		accumulator.add(measured, classifyKey(k.key, {type: k.type, knownQueues: new Set(['celery'])}));
	}
	return {...accumulator.report(db), cancelled: false, sampleSize: sample};
}

export function queuesResult(now: number) {
	const raws = [
		{
			queue: 'celery',
			bound: true,
			lists: [
				{key: 'celery', priority: 0, length: queued.length, tail: queued.slice(-10)},
				{key: 'celery\x06\x163', priority: 3, length: 2, tail: []},
			],
		},
		{queue: 'lost', bound: false, lists: [{key: 'lost', priority: 0, length: 1, tail: [queued[0]!]}]},
	];
	const takenAt = now - 100;
	const unackedRaw = [{tag: unacked.field!, value: unacked.data!, takenAt}];
	return {
		queues: buildQueueReports(raws, unackedRaw, {now, visibilityTimeout: 3600}),
		unackedTotal: 1,
		unackedRead: 1,
		visibilityTimeout: 3600,
		now,
	};
}

export class FakeStats implements StatsSource {
	started = 0;
	stopped = 0;
	#snapshot: StatsSnapshot;
	readonly #listeners = new Set<() => void>();
	constructor(snapshot: StatsSnapshot) {
		this.#snapshot = snapshot;
	}
	start = () => void this.started++;
	stop = () => void this.stopped++;
	set(snapshot: StatsSnapshot) {
		this.#snapshot = snapshot;
		for (const l of this.#listeners) l();
	}
	subscribe = (listener: () => void) => {
		this.#listeners.add(listener);
		return () => void this.#listeners.delete(listener);
	};
	getSnapshot = () => this.#snapshot;
}

export class FakeMonitor implements MonitorSource {
	stopped = false;
	#snapshot: MonitorSnapshot;
	readonly #listeners = new Set<() => void>();
	constructor(startedAt: number) {
		this.#snapshot = {state: 'running', error: undefined, records: [], total: 0, malformed: 0, startedAt};
	}
	push(record: MonitorRecord) {
		const s = this.#snapshot;
		this.#snapshot = {...s, records: [record, ...s.records], total: s.total + 1};
		for (const l of this.#listeners) l();
	}
	stop = async () => {
		this.stopped = true;
		this.#snapshot = {...this.#snapshot, state: 'stopped'};
		for (const l of this.#listeners) l();
	};
	subscribe = (listener: () => void) => {
		this.#listeners.add(listener);
		return () => void this.#listeners.delete(listener);
	};
	getSnapshot = () => this.#snapshot;
}

/** A result key's value as readKeyDetail returns it. */
export function resultValue(index: number): KeyValue {
	const r = results[index]!;
	return {
		key: r.key,
		type: 'string',
		ttl: r.ttl_seconds,
		bytes: 512,
		size: r.data.length,
		truncated: false,
		kind: 'string',
		value: r.data,
	};
}

export type Calls = {
	memory: Array<{db: number; pattern?: string; sample?: number}>;
	keys: Array<{db: number; pattern?: string}>;
	queues: number[];
	depths: number[];
	detail: string[];
	monitor: number[];
	admin: Array<{db: number; op: AdminOp}>;
	checkDb: number[];
	preview: Array<{db: number; op: AdminOp}>;
};

export type FakeRedis = RedisServices & {
	readonly calls: Calls;
	readonly statsByDb: Map<number, FakeStats>;
	readonly monitors: FakeMonitor[];
	/** Memory scans wait for this before answering (to see progress and cancel). */
	hold: Promise<void> | undefined;
};

export function fakeRedis(options: {now?: number; stats?: StatsSnapshot} = {}): FakeRedis {
	const now = options.now ?? T;
	const calls: Calls = {
		memory: [],
		keys: [],
		queues: [],
		depths: [],
		detail: [],
		monitor: [],
		admin: [],
		checkDb: [],
		preview: [],
	};
	const statsByDb = new Map<number, FakeStats>();
	const monitors: FakeMonitor[] = [];
	const fake: FakeRedis = {
		calls,
		statsByDb,
		monitors,
		hold: undefined,
		db: 0,
		transport: {},
		visibilityTimeout: 3600,
		stats(db) {
			let s = statsByDb.get(db);
			if (!s) statsByDb.set(db, (s = new FakeStats(options.stats ?? statsSnapshot())));
			return s;
		},
		async memory(db, {pattern, sample, signal, onProgress}) {
			calls.memory.push({db, pattern, sample});
			onProgress({scanned: 25, total: KEYS.length, calls: 1, done: false});
			if (fake.hold) await fake.hold;
			if (signal.aborted) return {...memoryResult(db, sample), cancelled: true};
			onProgress({scanned: KEYS.length, total: KEYS.length, calls: 2, done: true});
			return memoryResult(db, sample);
		},
		async scanKeys(db, {pattern, onProgress}) {
			calls.keys.push({db, pattern});
			onProgress({scanned: KEYS.length, total: KEYS.length, calls: 1, done: true});
			const re = new RegExp(`^${(pattern ?? '*').replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
			return {keys: KEYS.filter((k) => re.test(k.key)), total: KEYS.length, capped: false, cancelled: false};
		},
		async keyDetail(db, key) {
			calls.detail.push(key);
			const index = results.findIndex((r) => r.key === key);
			if (index === -1) throw new Error(`no such key ${key}`);
			return resultValue(index);
		},
		async queues(db) {
			calls.queues.push(db);
			return queuesResult(now);
		},
		async queueDepths(db) {
			calls.depths.push(db);
			return {ok: true, queues: queuesResult(now).queues.map(({queue, messages}) => ({queue, messages}))};
		},
		async monitor(cap) {
			calls.monitor.push(cap);
			const tap = new FakeMonitor(now);
			monitors.push(tap);
			return tap;
		},
		// Every db exists up to 15, as on a default server.
		async checkDb(db) {
			calls.checkDb.push(db);
			return db < 16
				? {ok: true}
				: {ok: false, error: `db ${db} does not exist on fake:6379 (it has 16: 0-15)`};
		},
		async adminPreview(db, op) {
			calls.preview.push({db, op});
			if (op.op === 'flushdb')
				return {
					ok: true,
					preview: {
						op: 'flushdb',
						db,
						keys: KEYS.length,
						broker: db === 0,
						queues: [{queue: 'celery', messages: 7}],
						unacked: 1,
						bindings: 1,
					},
				};
			if (op.op === 'del') {
				const key = KEYS.find((k) => k.key === op.key);
				return {
					ok: true,
					preview: {op: 'del', db, key: op.key, type: key?.type ?? 'none', size: 1, bytes: key?.bytes},
				};
			}
			return {ok: true, preview: {op: 'purge', db, queue: op.queue, messages: 8}};
		},
		async admin(db, op) {
			calls.admin.push({db, op});
			return {ok: true, removed: op.op === 'purge' ? 8 : 1};
		},
		async close() {},
	};
	return fake;
}
