// Starting the scans of the Redis views: each start takes a new id and asks the runner for it (an
// effect); its progress and result come back through jobReported (a late result of an older run is
// dropped by its id).
import type {Context} from '../context.js';
import {Effects, step, type JobRequest, type Step} from '../effects.js';
import {addLog, type UiState, type View} from '../ui-state.js';
import {KEY_LIMIT} from './keys-model.js';
import {
	jobOf,
	startJob,
	updateJob,
	type Job,
	type JobKind,
	type JobResults,
	type RedisUiState,
} from './state.js';

/** Queues read longer ago than this are read again when their view is opened. */
export const QUEUES_STALE_SECONDS = 10;

export const NO_INSPECTOR = 'the Redis inspector is not available here';

export const withRedis = (ui: UiState, redis: RedisUiState): UiState => ({...ui, redis});

const orAll = (pattern: string) => (pattern === '' ? undefined : pattern);

/** What a scan of `kind` reads for the current db and settings. */
function requestOf(kind: JobKind, state: RedisUiState): JobRequest {
	switch (kind) {
		case 'memory':
			return {kind, db: state.db, pattern: orAll(state.memory.pattern), sample: state.memory.sample};
		case 'keys':
			return {kind, db: state.db, pattern: orAll(state.keys.pattern), limit: KEY_LIMIT};
		case 'queues':
			return {kind, db: state.db};
		case 'detail':
			return {kind, db: state.db, key: state.keys.detail?.key ?? ''};
	}
}

/** Start a scan of `kind` for the current db with the current settings (cancels one still running). */
export function launch(ui: UiState, kind: JobKind, ctx: Context): Step {
	if (!ctx.inspector) return step(addLog(ui, [NO_INSPECTOR]));
	const id = ui.redis.nextId;
	const started = updateJob({...ui.redis, nextId: id + 1}, kind, (job) => startJob(job, id));
	return step(withRedis(ui, started), [{type: 'startJob', id, request: requestOf(kind, started)}]);
}

/** A scan's progress, result or failure: applied only to the run it belongs to. */
export function jobReported<K extends JobKind>(
	ui: UiState,
	kind: K,
	change: (job: Job<JobResults[K]>) => Job<JobResults[K]>,
): Step {
	return step(withRedis(ui, updateJob(ui.redis, kind, change)));
}

function untouched(state: RedisUiState, kind: JobKind): boolean {
	const job = jobOf(state, kind);
	return (
		job !== undefined && !job.running && job.result === undefined && job.error === undefined && !job.cancelled
	);
}

/** What the view shows is read once when it opens (queues again when stale). */
export function startViewJobs(ui: UiState, ctx: Context): Step {
	if (!ctx.inspector) return step(ui);
	const r = ui.redis;
	if (ui.view === 'memory' && untouched(r, 'memory')) return launch(ui, 'memory', ctx);
	if (ui.view === 'keys' && untouched(r, 'keys')) return launch(ui, 'keys', ctx);
	if (ui.view === 'queues' && !r.queues.job.running) {
		const at = r.queues.job.at;
		const stale = at !== undefined && ctx.now - at > QUEUES_STALE_SECONDS;
		if (untouched(r, 'queues') || stale) return launch(ui, 'queues', ctx);
	}
	return step(ui);
}

/** Switch views: leaving the MONITOR view stops MONITOR; the new view starts what it shows. */
export function enterView(ui: UiState, view: View, ctx: Context): Step {
	if (view === ui.view) return step({...ui, overlay: undefined});
	let next: UiState = {...ui, view, overlay: undefined};
	if (ui.view === 'monitor' && ui.redis.monitor.run !== undefined) {
		next = addLog(withRedis(next, {...next.redis, monitor: {...next.redis.monitor, run: undefined}}), [
			'MONITOR stopped (left its view)',
		]);
	}
	return startViewJobs(next, ctx);
}

/** Cancel the scans of these kinds and start what the view shows afresh (a new db, a FLUSHDB). */
export function restartViewJobs(ui: UiState, ctx: Context, kinds: readonly JobKind[]): Step {
	const out = new Effects();
	out.add({type: 'cancelJobs', kinds});
	return out.done(out.take(startViewJobs(ui, ctx)));
}
