// What a worker's `stats` and `active_queues` replies say about its pool, prefetch and queues, read
// defensively (a reply is whatever a worker, or anything on the broker, sent): a field that is missing
// or of the wrong type is undefined, and nothing here throws. Also the short texts the Workers pane
// shows for them. Pure: `askedAt` is passed in.
//
// Real replies (Celery 5.2–5.5, celery/worker/worker.py stats(), celery/concurrency/*.py _get_info()):
//   stats → {total, pid, clock, uptime, pool: {implementation?, 'max-concurrency', processes?: [pid…],
//            threads?, 'free-threads'?, …}, autoscaler?: {max, min, current, qty}, prefetch_count,
//            broker, rusage}
//   'implementation' ('celery.concurrency.prefork:TaskPool') is sent from Celery 5.3 on; older
//   workers are recognised by the fields their pool sends. After pool_grow, prefork's
//   'max-concurrency' keeps the starting -c; `processes` lists the grown pool only once billiard's
//   pool maintenance has started the new process (measured: about 5 s after the reply), while
//   prefetch_count is raised at once. The concurrency shown is autoscaler.current (the pool's
//   process count, at once) under --autoscale, else len(processes) when the pool lists them, else
//   max-concurrency.
//   active_queues → [{name, exchange: {…}, routing_key, queue_arguments, …}, …]

/** A worker's pool and consumer as its last replies described them. */
export type WorkerInfo = {
	/** Short pool name: prefork, threads, solo, eventlet, gevent, or the class's module name. */
	readonly implementation: string | undefined;
	/** Tasks it can run at once now: autoscaler.current, else len(pool.processes), else max-concurrency. */
	readonly concurrency: number | undefined;
	/** Number of pool processes listed (prefork, solo), when listed. */
	readonly processes: number | undefined;
	/** pool['max-concurrency'] as sent (the -c it started with; pool_grow does not change it). */
	readonly maxConcurrency: number | undefined;
	/** Autoscaler bounds when the worker runs with --autoscale. */
	readonly autoscale: {readonly min: number; readonly max: number} | undefined;
	/** Messages the consumer may hold unacknowledged (stats prefetch_count; 0 = no limit). */
	readonly prefetch: number | undefined;
	/** Names of the queues it consumes (active_queues), or undefined when that reply did not come. */
	readonly queues: readonly string[] | undefined;
	/** Our clock when these questions were asked. */
	readonly askedAt: number;
};

/** At most this many queue names are kept from one reply (a worker consuming hundreds is shown cut). */
export const QUEUES_KEPT = 64;
const NAME_MAX = 200;

function record(value: unknown): Record<string, unknown> | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}

function count(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1e9
		? value
		: undefined;
}

/** 'celery.concurrency.prefork:TaskPool' → 'prefork'; 'thread' → 'threads' (what -P calls it). */
function poolName(implementation: string): string {
	const module = implementation.split(':')[0] ?? implementation;
	const last = module.split('.').pop() ?? module;
	const name = last === 'thread' ? 'threads' : last;
	return name.slice(0, 40);
}

/** The pool's short name: from 'implementation' (Celery ≥ 5.3), else from the fields it sends. */
function implementationOf(pool: Record<string, unknown>): string | undefined {
	const implementation = pool['implementation'];
	if (typeof implementation === 'string' && implementation.trim() !== '')
		return poolName(implementation.trim());
	if (Array.isArray(pool['processes'])) {
		if ('writes' in pool) return 'prefork';
		if (pool['max-concurrency'] === 1 && pool['put-guarded-by-semaphore'] === true) return 'solo';
	}
	if ('threads' in pool) return 'threads';
	if ('free-threads' in pool || 'running-threads' in pool) return 'eventlet';
	return undefined;
}

type StatsPart = Omit<WorkerInfo, 'queues' | 'askedAt'>;

const NO_STATS: StatsPart = {
	implementation: undefined,
	concurrency: undefined,
	processes: undefined,
	maxConcurrency: undefined,
	autoscale: undefined,
	prefetch: undefined,
};

/** The pool and prefetch fields of a `stats` reply (one worker's value in the replies). */
export function parseStats(reply: unknown): StatsPart {
	const stats = record(reply);
	if (!stats) return NO_STATS;
	const pool = record(stats['pool']);
	const processesList = pool?.['processes'];
	const processes = Array.isArray(processesList) ? count(processesList.length) : undefined;
	const maxConcurrency = count(pool?.['max-concurrency']);
	const scaler = record(stats['autoscaler']);
	const min = count(scaler?.['min']);
	const max = count(scaler?.['max']);
	const current = count(scaler?.['current']);
	return {
		implementation: pool ? implementationOf(pool) : undefined,
		concurrency: current ?? (processes !== undefined && processes > 0 ? processes : maxConcurrency),
		processes,
		maxConcurrency,
		autoscale: min !== undefined && max !== undefined ? {min, max} : undefined,
		prefetch: count(stats['prefetch_count']),
	};
}

/** The queue names of an `active_queues` reply, or undefined when it is not a list. */
export function parseActiveQueues(reply: unknown): readonly string[] | undefined {
	if (!Array.isArray(reply)) return undefined;
	const names: string[] = [];
	for (const item of reply) {
		const name = record(item)?.['name'];
		if (typeof name !== 'string' || name === '') continue;
		names.push(name.length > NAME_MAX ? name.slice(0, NAME_MAX) : name);
		if (names.length >= QUEUES_KEPT) break;
	}
	return names;
}

/**
 * One worker's info from its replies (undefined when it did not answer that question). What a
 * missing reply would have said is kept from `previous`: a reply lost once does not blank the row.
 */
export function workerInfoFrom(
	stats: unknown,
	activeQueues: unknown,
	askedAt: number,
	previous?: WorkerInfo,
): WorkerInfo {
	const reply = record(stats);
	const answered = reply !== undefined && ('pool' in reply || 'prefetch_count' in reply);
	const part = answered ? parseStats(reply) : (previous ?? NO_STATS);
	const queues = parseActiveQueues(activeQueues) ?? previous?.queues;
	return {
		implementation: part.implementation,
		concurrency: part.concurrency,
		processes: part.processes,
		maxConcurrency: part.maxConcurrency,
		autoscale: part.autoscale,
		prefetch: part.prefetch,
		queues,
		askedAt,
	};
}

// -- Text for the Workers pane

/** `prefork 4`, `threads 16`, `4` (pool unknown), `prefork` (size unknown), or ''. */
export function formatPool(info: WorkerInfo | undefined): string {
	if (!info) return '';
	const size = info.concurrency === undefined ? '' : String(info.concurrency);
	const auto = info.autoscale ? ` (${info.autoscale.min}-${info.autoscale.max})` : '';
	return [info.implementation ?? '', size].filter((part) => part !== '').join(' ') + (size ? auto : '');
}

/** `2/4` (active / concurrency), the active count alone when the concurrency is unknown, or ''. */
export function formatUtilisation(active: number | undefined, info: WorkerInfo | undefined): string {
	if (active === undefined) return '';
	const concurrency = info?.concurrency;
	return concurrency === undefined ? String(active) : `${active}/${concurrency}`;
}

/** Utilisation as a fraction (0…, can pass 1), or undefined when either side is unknown or zero. */
export function utilisation(active: number | undefined, info: WorkerInfo | undefined): number | undefined {
	const concurrency = info?.concurrency;
	if (active === undefined || concurrency === undefined || concurrency === 0) return undefined;
	return active / concurrency;
}

/** The prefetch count, `no limit` for 0, or ''. */
export function formatPrefetch(info: WorkerInfo | undefined): string {
	const prefetch = info?.prefetch;
	if (prefetch === undefined) return '';
	return prefetch === 0 ? 'no limit' : String(prefetch);
}

/** `celery,high` (comma-separated), `-` for none consumed, or '' when not known. */
export function formatQueues(info: WorkerInfo | undefined): string {
	const queues = info?.queues;
	if (queues === undefined) return '';
	return queues.length === 0 ? '-' : queues.join(',');
}
