// The hand-made event sequences of test/fixtures/make-celery-expected.py, with what Celery's own
// State ended with on each (celery-state-expected.json "scenarios"), and a replay of them through ours.
import type {CeleryEvent} from '../../source/protocol/types.js';
import {ClusterState} from '../../source/state/cluster.js';
import type {Task} from '../../source/state/types.js';
import {isAlive} from '../../source/state/worker.js';
import {readJson} from './fixtures.js';

export type CeleryTaskRow = Record<string, unknown>;
export type Scenario = {
	readonly name: string;
	/** The name of the departure in docs/STATE.md, or null where we show what Celery shows. */
	readonly departs: string | null;
	readonly note: string;
	/** [our receive time, event], in arrival order. */
	readonly events: ReadonlyArray<readonly [number, CeleryEvent]>;
	/** When worker liveness is read. */
	readonly now: number;
	readonly celery: {
		readonly tasks: Readonly<Record<string, CeleryTaskRow>>;
		readonly workers: Readonly<Record<string, {readonly kept: boolean; readonly alive: boolean}>>;
	};
};

export const scenarios: readonly Scenario[] = readJson<{scenarios: Scenario[]}>(
	'celery-state-expected.json',
).scenarios;

export function scenario(name: string): Scenario {
	const found = scenarios.find((s) => s.name === name);
	if (found === undefined) throw new Error(`no scenario ${name} in celery-state-expected.json`);
	return found;
}

/** A scenario's events, fresh copies (events are kept by the state: no test shares one). */
export function scenarioEvents(s: Scenario): Array<[number, CeleryEvent]> {
	return s.events.map(([t, event]) => [t, structuredClone(event)]);
}

export function replayScenario(s: Scenario): ClusterState {
	const state = new ClusterState();
	for (const [t, event] of scenarioEvents(s)) state.apply(event, t);
	return state;
}

/** Our task fields and the name Celery's row gives each. */
export const TASK_FIELDS: ReadonlyArray<readonly [keyof Task, string]> = [
	['state', 'state'],
	['name', 'name'],
	['args', 'args'],
	['kwargs', 'kwargs'],
	['retries', 'retries'],
	['client', 'client'],
	['worker', 'worker'],
	['result', 'result'],
	['exception', 'exception'],
	['runtime', 'runtime'],
	['eta', 'eta'],
	['expires', 'expires'],
	['parentId', 'parent_id'],
	['rootId', 'root_id'],
	['timestamp', 'timestamp'],
	['clock', 'clock'],
	['sent', 'sent'],
	['received', 'received'],
	['started', 'started'],
	['succeeded', 'succeeded'],
	['failed', 'failed'],
	['retried', 'retried'],
	['revoked', 'revoked'],
	['rejected', 'rejected'],
	['terminated', 'terminated'],
	['expired', 'expired'],
	['signum', 'signum'],
	['requeue', 'requeue'],
];

/** What we ended with, in the shape of the scenario's `celery` result (missing values as null). */
export function ourResult(s: Scenario, state: ClusterState): Scenario['celery'] {
	const tasks: Record<string, CeleryTaskRow> = {};
	for (const [uuid, task] of state.tasks.entries()) {
		const row: CeleryTaskRow = {};
		for (const [ours, theirs] of TASK_FIELDS) row[theirs] = task[ours] ?? null;
		tasks[uuid] = row;
	}
	const workers: Record<string, {kept: boolean; alive: boolean}> = {};
	for (const hostname of Object.keys(s.celery.workers)) {
		const worker = state.workers.get(hostname);
		// Celery drops a worker on worker-offline; we keep it, shown offline: compare liveness only.
		workers[hostname] = {
			kept: s.celery.workers[hostname]!.kept,
			alive: worker !== undefined && isAlive(worker, s.now),
		};
	}
	return {tasks, workers};
}

/** Celery's result with only the fields we compare (every TASK_FIELDS field, nulls for missing). */
export function celeryResult(s: Scenario): Scenario['celery'] {
	const tasks: Record<string, CeleryTaskRow> = {};
	for (const [uuid, row] of Object.entries(s.celery.tasks)) {
		const kept: CeleryTaskRow = {};
		for (const [, theirs] of TASK_FIELDS) kept[theirs] = row[theirs] ?? null;
		tasks[uuid] = kept;
	}
	return {tasks, workers: s.celery.workers};
}
