// Pure: when a running task counts as stuck, and when as lost. A task is stuck once it has run
// longer than --stuck-after, or by default STUCK_FACTOR × the p95 runtime of its name seen so far
// (from STUCK_MIN_SAMPLES runs on; never under STUCK_FLOOR), else STUCK_DEFAULT. A task is lost when
// the worker running it went offline (Kanchi calls them orphans): it will not finish there.
import type {RuntimeStats} from './runtime-stats.js';
import type {Task, Worker} from './types.js';
import {isAlive} from './worker.js';

export const STUCK_FACTOR = 5;
export const STUCK_MIN_SAMPLES = 20;
/** Seconds: a name whose runs take milliseconds is not "stuck" after a fraction of a second. */
export const STUCK_FLOOR = 10;
/** Seconds, for names with too few runs seen (and tasks with no name). */
export const STUCK_DEFAULT = 300;

/** The seconds after which a running task of `name` is stuck. */
export function stuckThreshold(
	runtimes: RuntimeStats,
	name: string | undefined,
	fixed: number | undefined,
): number {
	if (fixed !== undefined) return fixed;
	if (name === undefined || runtimes.count(name) < STUCK_MIN_SAMPLES) return STUCK_DEFAULT;
	return Math.max(STUCK_FLOOR, STUCK_FACTOR * runtimes.quantile(name, 0.95)!);
}

/** Where a task is now: running normally, running too long, or lost with its worker. */
export type Health = 'ok' | 'stuck' | 'lost';

/**
 * A STARTED task's health at `now` (its start is the worker's clock). Lost wins: a task whose worker
 * is offline (worker-offline seen, or its heartbeats stopped) is not running any more.
 */
export function healthOf(task: Task, now: number, worker: Worker | undefined, threshold: number): Health {
	if (task.state !== 'STARTED') return 'ok';
	if (worker !== undefined && !isAlive(worker, now)) return 'lost';
	if (task.started !== undefined && now - task.started > threshold) return 'stuck';
	return 'ok';
}
