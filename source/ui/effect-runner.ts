// The one place the UI's effects are performed: control and inspect calls, the Redis inspector's
// reads and admin operations, the scans, pausing, quitting. Each result goes back through `dispatch`
// as a pure change that returns a Step, whose effects are performed in turn. Nothing here is awaited
// by a key press.
import {errorText, type JobWork, type RedisJobs} from './redis/jobs.js';
import type {JobRequest, Effect, Step} from './effects.js';
import type {Context} from './context.js';
import {askPoolSize, runAction, runInspect} from './commands.js';
import {inspectReplied, poolSizeKnown} from './reduce.js';
import {adminDone, askConfirmation, dbChecked} from './redis/actions.js';
import {runRedisAdmin} from './redis/admin.js';
import {jobReported} from './redis/launch.js';
import {failJob, finishJob, jobProgress, type JobKind, type JobResults} from './redis/state.js';
import type {RedisServices} from '../ports/inspector.js';
import type {Services} from './services.js';
import {addLog, type UiState} from './ui-state.js';

/** Apply a change to the latest state (a result that arrived); its effects are run too. */
export type Dispatch = (change: (ui: UiState, ctx: Context) => Step) => void;

export type RunnerDeps = {
	readonly services: Services;
	readonly jobs: RedisJobs;
	readonly exit: () => void;
	readonly dispatch: Dispatch;
	/** Told a worker's pool or consumers changed (after the reply), to ask its stats again (useWorkerInfo). */
	readonly workerChanged?: (hostname: string) => void;
};

/** Control actions after which a worker's pool size, prefetch or queues differ. */
const CHANGES_WORKER = new Set([
	'worker.poolGrow',
	'worker.poolShrink',
	'worker.autoscale',
	'worker.addConsumer',
	'worker.cancelConsumer',
]);

const same = (ui: UiState): Step => ({state: ui, effects: []});
const logged = (lines: readonly string[]) => (ui: UiState) => same(addLog(ui, lines));

/** Run `work` as run `id` of its kind; progress, result and failure come back for that run only. */
function startJob<K extends JobKind>(
	kind: K,
	id: number,
	work: JobWork<JobResults[K]>,
	deps: RunnerDeps,
): void {
	const {dispatch, services} = deps;
	deps.jobs.run(kind, work, {
		progress: (p) => dispatch((ui) => jobReported(ui, kind, (job) => jobProgress(job, id, p))),
		done: (result) =>
			dispatch((ui) => jobReported(ui, kind, (job) => finishJob(job, id, result, services.clock()))),
		failed: (error) => dispatch((ui) => jobReported(ui, kind, (job) => failJob(job, id, error))),
	});
}

/** A scan request → the call of the inspector port that reads it. */
function runJob(id: number, request: JobRequest, redis: RedisServices, deps: RunnerDeps): void {
	switch (request.kind) {
		case 'memory':
			return startJob(
				'memory',
				id,
				(signal, onProgress) =>
					redis.memory(request.db, {pattern: request.pattern, sample: request.sample, signal, onProgress}),
				deps,
			);
		case 'keys':
			return startJob(
				'keys',
				id,
				(signal, onProgress) =>
					redis.scanKeys(request.db, {pattern: request.pattern, limit: request.limit, signal, onProgress}),
				deps,
			);
		case 'queues':
			return startJob('queues', id, () => redis.queues(request.db), deps);
		case 'detail':
			return startJob('detail', id, () => redis.keyDetail(request.db, request.key), deps);
	}
}

/** Perform one effect. */
export function runEffect(effect: Effect, deps: RunnerDeps): void {
	const {services, dispatch} = deps;
	const redis = services.redis;
	switch (effect.type) {
		case 'exit':
			deps.exit();
			return;
		case 'pause':
			services.store.setPaused(effect.paused, services.clock());
			return;
		case 'control': {
			const {action} = effect;
			void runAction(action, services, effect.alive).then((lines) => {
				if (CHANGES_WORKER.has(action.id)) deps.workerChanged?.(action.target);
				dispatch(logged(lines));
			});
			return;
		}
		case 'inspect': {
			const {hostname, method} = effect;
			void runInspect(hostname, method, services).then((lines) =>
				dispatch((ui) => inspectReplied(ui, hostname, method, lines)),
			);
			return;
		}
		case 'poolSize':
			void askPoolSize(effect.target, services).then((size) =>
				dispatch((ui) => poolSizeKnown(ui, effect.command, effect.target, size)),
			);
			return;
		case 'adminPreview': {
			const {command, op, db} = effect;
			if (!redis) return;
			void redis.adminPreview(db, op).then(
				(read) => dispatch((ui) => same(askConfirmation(ui, command, op, db, read))),
				(error: unknown) =>
					dispatch((ui) => same(askConfirmation(ui, command, op, db, {ok: false, error: errorText(error)}))),
			);
			return;
		}
		case 'admin': {
			const {action, op} = effect;
			void runRedisAdmin(action, redis, services.readOnly).then((outcome) =>
				dispatch((ui, ctx) => adminDone(ui, op, outcome, ctx)),
			);
			return;
		}
		case 'checkDb': {
			const {db} = effect;
			if (!redis) return;
			void redis.checkDb(db).then(
				(checked) => dispatch((ui, ctx) => dbChecked(ui, db, checked, ctx)),
				(error: unknown) =>
					dispatch((ui, ctx) => dbChecked(ui, db, {ok: false, error: `db ${db}: ${errorText(error)}`}, ctx)),
			);
			return;
		}
		case 'startJob':
			if (redis) runJob(effect.id, effect.request, redis, deps);
			return;
		case 'cancelJobs':
			for (const kind of effect.kinds) deps.jobs.cancel(kind);
			return;
	}
}

export function runEffects(effects: readonly Effect[], deps: RunnerDeps): void {
	for (const effect of effects) runEffect(effect, deps);
}
