// Real Celery workers (Debian python3-celery under /usr/bin/python3: the host's, or the Debian 13
// tree's when CELERYTOP_TEST_ROOT names one) running demo/celery_app.py, and task publishing through
// Celery's apply_async.
// Implementation shared with the demo: demo/cluster.mjs.
import {
	celeryVersion,
	cleanupOnSignals,
	startWorker as start,
	sendTasks as send,
} from '../../demo/cluster.mjs';
import type {CeleryWorker, StartWorkerOptions, TaskSpec} from '../../demo/cluster.mjs';

export type {CeleryWorker, StartWorkerOptions, TaskSpec};
export {requireCelery, celeryVersion, SERVER_KIND, TEST_ROOT} from '../../demo/cluster.mjs';

let version: number[] | undefined;
/** True when the workers' Celery is `wanted` ('5.3') or newer: for what changed between versions. */
export function celeryAtLeast(wanted: string): boolean {
	version ??= celeryVersion()
		.split('.')
		.map((part) => Number.parseInt(part, 10));
	const want = wanted.split('.').map(Number);
	for (let i = 0; i < want.length; i++) {
		const have = version[i] ?? 0;
		if (have !== want[i]) return have > want[i]!;
	}
	return true;
}

cleanupOnSignals();

/** Resolves when the worker logs "<node> ready."; rejects with the captured log on exit/timeout. */
export function startWorker(opts: StartWorkerOptions): Promise<CeleryWorker> {
	return start(opts);
}

/** Publishes the tasks (demo/send_tasks.py) and resolves with their ids, in order. */
export function sendTasks(
	brokerUrl: string,
	specs: TaskSpec[],
	opts: {extraEnv?: Record<string, string>} = {},
): Promise<string[]> {
	return send(brokerUrl, specs, opts);
}
