// Pure state of the Redis inspector views: per view its selection, pattern, sort, and the scan that
// feeds it (a Job: running with progress, or its last result). Results arrive later through the
// app's `update`; a result of an older run (another db, a newer scan) is dropped by its id.
import {escapeGlob} from '../../protocol/channels.js';
import type {FamilyKind} from '../../protocol/keyspace.js';
import type {KeySort} from '../../present/redis-view.js';
import {TOP, type Selection} from '../selection.js';
import type {KeyList, KeyValue, MemoryResult, QueuesResult, ScanProgress} from '../../ports/inspector.js';

export type Job<T> = {
	readonly id: number;
	readonly running: boolean;
	readonly progress: ScanProgress | undefined;
	/** The last result (kept on screen while a new run is going). */
	readonly result: T | undefined;
	readonly error: string | undefined;
	/** Epoch seconds the result came. */
	readonly at: number | undefined;
	readonly cancelled: boolean;
};

export type KeyDetail = {readonly key: string; readonly job: Job<KeyValue>; readonly offset: number};

export type RedisUiState = {
	readonly db: number;
	/** Ids of runs; each start takes the next one. */
	readonly nextId: number;
	readonly overview: {readonly panel: 'clients' | 'slowlog'; readonly selection: Selection};
	readonly memory: {
		readonly job: Job<MemoryResult>;
		readonly pattern: string;
		/** Measure bytes on about this many keys (sampled mode); undefined = exact. */
		readonly sample: number | undefined;
		readonly selection: Selection;
	};
	readonly queues: {
		readonly job: Job<QueuesResult>;
		readonly focus: 'queues' | 'messages';
		readonly selection: Selection;
		readonly messages: Selection;
	};
	readonly keys: {
		readonly job: Job<KeyList>;
		readonly pattern: string;
		readonly sort: KeySort;
		readonly selection: Selection;
		readonly detail: KeyDetail | undefined;
	};
	/** `run` is set by the start key only (a new number restarts MONITOR); undefined = off. */
	readonly monitor: {readonly run: number | undefined; readonly filter: string};
};

export type JobKind = 'memory' | 'keys' | 'queues' | 'detail';

export function idleJob<T>(): Job<T> {
	return {
		id: 0,
		running: false,
		progress: undefined,
		result: undefined,
		error: undefined,
		at: undefined,
		cancelled: false,
	};
}

export function initialRedisState(db: number): RedisUiState {
	return {
		db,
		nextId: 1,
		overview: {panel: 'clients', selection: TOP},
		memory: {job: idleJob(), pattern: '', sample: undefined, selection: TOP},
		queues: {job: idleJob(), focus: 'queues', selection: TOP, messages: TOP},
		keys: {job: idleJob(), pattern: '', sort: 'bytes', selection: TOP, detail: undefined},
		monitor: {run: undefined, filter: ''},
	};
}

/** Another db: every result belongs to the old one; view settings stay. */
export function switchDb(state: RedisUiState, db: number): RedisUiState {
	const fresh = initialRedisState(db);
	return {
		...fresh,
		nextId: state.nextId,
		overview: state.overview,
		memory: {...fresh.memory, pattern: state.memory.pattern, sample: state.memory.sample},
		keys: {...fresh.keys, pattern: state.keys.pattern, sort: state.keys.sort},
		monitor: state.monitor,
	};
}

export function startJob<T>(job: Job<T>, id: number): Job<T> {
	return {...job, id, running: true, progress: undefined, error: undefined, cancelled: false};
}

export function jobProgress<T>(job: Job<T>, id: number, progress: ScanProgress): Job<T> {
	return job.id === id && job.running ? {...job, progress} : job;
}

export function finishJob<T>(job: Job<T>, id: number, result: T, at: number): Job<T> {
	return job.id === id ? {...job, running: false, result, at} : job;
}

export function failJob<T>(job: Job<T>, id: number, error: string): Job<T> {
	return job.id === id ? {...job, running: false, error} : job;
}

export function cancelJob<T>(job: Job<T>): Job<T> {
	return job.running ? {...job, running: false, cancelled: true} : job;
}

/** What each kind of job yields. */
export type JobResults = {
	readonly memory: MemoryResult;
	readonly keys: KeyList;
	readonly queues: QueuesResult;
	readonly detail: KeyValue;
};

export function jobOf<K extends JobKind>(state: RedisUiState, kind: K): Job<JobResults[K]> | undefined {
	const jobs: {[J in JobKind]: Job<JobResults[J]> | undefined} = {
		memory: state.memory.job,
		keys: state.keys.job,
		queues: state.queues.job,
		detail: state.keys.detail?.job,
	};
	return jobs[kind];
}

/** Change the job of a kind (no-op for a detail that was closed). */
export function updateJob<K extends JobKind>(
	state: RedisUiState,
	kind: K,
	change: (job: Job<JobResults[K]>) => Job<JobResults[K]>,
): RedisUiState {
	const job = jobOf(state, kind);
	if (!job) return state;
	const next = change(job) as Job<never>;
	if (next === job) return state;
	switch (kind) {
		case 'memory':
			return {...state, memory: {...state.memory, job: next}};
		case 'keys':
			return {...state, keys: {...state.keys, job: next}};
		case 'queues':
			return {...state, queues: {...state.queues, job: next}};
		default:
			return {...state, keys: {...state.keys, detail: {...state.keys.detail!, job: next}}};
	}
}

const SORTS: readonly KeySort[] = ['bytes', 'ttl', 'key'];

export function nextSort(sort: KeySort): KeySort {
	return SORTS[(SORTS.indexOf(sort) + 1) % SORTS.length]!;
}

/** A SCAN pattern that finds the keys of a family (escaped; '*' for groups with no common name). */
export function familyPattern(kind: FamilyKind, family: string, prefix: string): string {
	const glob = escapeGlob;
	switch (kind) {
		case 'celery-results':
		case 'celery-group-results':
			return `${glob(family)}-*`;
		case 'kombu-bindings':
			return `${glob(prefix + family)}.*`;
		case 'pidbox-replies':
			return `${glob(prefix)}*.${glob(family)}`;
		case 'celery-queue':
		case 'celery-unacked':
			return `${glob(prefix + family)}*`;
		case 'app':
			return /^\(.*\)$/.test(family) ? '*' : `${glob(family)}*`;
	}
}

/** Remove a deleted key from the browser's list. */
export function withoutKey(list: KeyList, key: string): KeyList {
	return {...list, keys: list.keys.filter((k) => k.key !== key)};
}
