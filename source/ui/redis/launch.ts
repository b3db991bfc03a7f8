// Starting the scans of the Redis views: each start takes a new id, the job runs in RedisJobs, and
// its progress and result come back through ctx.update (a late result of an older run is dropped).
import type {Context} from '../reduce.js';
import {addLog, type UiState, type View} from '../ui-state.js';
import type {JobWork} from './jobs.js';
import {KEY_LIMIT} from './keys-model.js';
import type {RedisServices} from '../../ports/inspector.js';
import {
	failJob,
	finishJob,
	jobOf,
	jobProgress,
	startJob,
	updateJob,
	type Job,
	type JobKind,
	type JobResults,
	type RedisUiState,
} from './state.js';

/** Queues read longer ago than this are read again when their view is opened. */
export const QUEUES_STALE_SECONDS = 10;

export const withRedis = (ui: UiState, redis: RedisUiState): UiState => ({...ui, redis});

const orAll = (pattern: string) => (pattern === '' ? undefined : pattern);

const WORK: {[K in JobKind]: (state: RedisUiState, redis: RedisServices) => JobWork<JobResults[K]>} = {
	memory: (state, redis) => (signal, onProgress) =>
		redis.memory(state.db, {
			pattern: orAll(state.memory.pattern),
			sample: state.memory.sample,
			signal,
			onProgress,
		}),
	keys: (state, redis) => (signal, onProgress) =>
		redis.scanKeys(state.db, {pattern: orAll(state.keys.pattern), limit: KEY_LIMIT, signal, onProgress}),
	queues: (state, redis) => () => redis.queues(state.db),
	detail: (state, redis) => () => redis.keyDetail(state.db, state.keys.detail?.key ?? ''),
};

/** Start a scan of `kind` for the current db with the current settings (cancels one still running). */
export function launch<K extends JobKind>(ui: UiState, kind: K, ctx: Context): UiState {
	const redis = ctx.services.redis;
	if (!redis) return addLog(ui, ['the Redis inspector is not available here']);
	const id = ui.redis.nextId;
	const started = updateJob({...ui.redis, nextId: id + 1}, kind, (job) => startJob(job, id));
	const set = (change: (job: Job<JobResults[K]>) => Job<JobResults[K]>) =>
		ctx.update((s) => withRedis(s, updateJob(s.redis, kind, change)));
	ctx.redis.jobs.run(kind, WORK[kind](started, redis), {
		progress: (p) => set((job) => jobProgress(job, id, p)),
		done: (result) => set((job) => finishJob(job, id, result, ctx.services.clock())),
		failed: (error) => set((job) => failJob(job, id, error)),
	});
	return withRedis(ui, started);
}

function untouched(state: RedisUiState, kind: JobKind): boolean {
	const job = jobOf(state, kind);
	return (
		job !== undefined && !job.running && job.result === undefined && job.error === undefined && !job.cancelled
	);
}

/** What the view shows is read once when it opens (queues again when stale). */
export function startViewJobs(ui: UiState, ctx: Context): UiState {
	if (!ctx.services.redis) return ui;
	const r = ui.redis;
	if (ui.view === 'memory' && untouched(r, 'memory')) return launch(ui, 'memory', ctx);
	if (ui.view === 'keys' && untouched(r, 'keys')) return launch(ui, 'keys', ctx);
	if (ui.view === 'queues' && !r.queues.job.running) {
		const at = r.queues.job.at;
		const stale = at !== undefined && ctx.services.clock() - at > QUEUES_STALE_SECONDS;
		if (untouched(r, 'queues') || stale) return launch(ui, 'queues', ctx);
	}
	return ui;
}

/** Switch views: leaving the MONITOR view stops MONITOR; the new view starts what it shows. */
export function enterView(ui: UiState, view: View, ctx: Context): UiState {
	if (view === ui.view) return {...ui, overlay: undefined};
	let next: UiState = {...ui, view, overlay: undefined};
	if (ui.view === 'monitor' && ui.redis.monitor.run !== undefined) {
		next = addLog(withRedis(next, {...next.redis, monitor: {...next.redis.monitor, run: undefined}}), [
			'MONITOR stopped (left its view)',
		]);
	}
	return startViewJobs(next, ctx);
}
