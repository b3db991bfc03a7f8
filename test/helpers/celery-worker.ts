// Real Celery workers (Debian python3-celery under /usr/bin/python3) running
// demo/celery_app.py, and task publishing through Celery's apply_async.
// Implementation shared with the demo: demo/cluster.mjs.
import {cleanupOnSignals, startWorker as start, sendTasks as send} from '../../demo/cluster.mjs';
import type {CeleryWorker, StartWorkerOptions, TaskSpec} from '../../demo/cluster.mjs';

export type {CeleryWorker, StartWorkerOptions, TaskSpec};
export {requireCelery} from '../../demo/cluster.mjs';

cleanupOnSignals();

/** Resolves when the worker logs "<node> ready."; rejects with the captured log on exit/timeout. */
export function startWorker(opts: StartWorkerOptions): Promise<CeleryWorker> {
	return start(opts);
}

/** Publishes the tasks (demo/send_tasks.py) and resolves with their ids, in order. */
export function sendTasks(brokerUrl: string, specs: TaskSpec[]): Promise<string[]> {
	return send(brokerUrl, specs);
}
