// Pure: a control key on a row → the dialog steps that gather its values and confirm it.
import {TERMINATE_SIGNALS} from '../protocol/control.js';
import type {Task, Worker} from '../state/types.js';
import type {Action, Step} from './modal.js';

export type Planned = {readonly action: Action; readonly steps: readonly Step[]};

const SIGNALS = TERMINATE_SIGNALS.slice(0, 5);

function taskLabel(task: Task): string {
	return `${task.name ?? 'task'}[${task.uuid}]`;
}

/** Steps for a command on a task, or undefined when the command is not a task action. */
export function planTaskAction(id: string, task: Task, offlineWorkers: number): Planned | undefined {
	const label = taskLabel(task);
	const action: Action = {id, target: task.uuid, label, params: {}};
	const offline =
		offlineWorkers > 0
			? ` ${offlineWorkers} worker(s) offline now will never hear it (Celery keeps revokes in worker memory only).`
			: '';
	switch (id) {
		case 'task.revoke':
			return {
				action,
				steps: [{kind: 'confirm', title: `Revoke ${label}? Workers will not run it.${offline}`}],
			};
		case 'task.terminate':
			return {
				action,
				steps: [
					{
						kind: 'choice',
						param: 'signal',
						title: `Terminate ${label}: which signal for its pool process?`,
						options: SIGNALS,
					},
					{
						kind: 'confirm',
						title: `Terminate ${label}: revoke it and kill the process running it?${offline}`,
					},
				],
			};
		case 'task.rateLimit':
			if (!task.name) return undefined;
			return {
				action: {...action, target: task.name, label: task.name},
				steps: [
					{
						kind: 'prompt',
						param: 'rate',
						title: `Rate limit for ${task.name} on every worker`,
						hint: 'e.g. 10/m, 100/s, 0 = none',
					},
				],
			};
		default:
			return undefined;
	}
}

/** Steps for a command on a worker. */
export function planWorkerAction(id: string, worker: Worker): Planned | undefined {
	const host = worker.hostname;
	const action: Action = {id, target: host, label: host, params: {}};
	const prompt = (param: string, title: string, hint: string, initial?: string): Step => ({
		kind: 'prompt',
		param,
		title,
		hint,
		initial,
	});
	switch (id) {
		case 'worker.poolGrow':
			return {action, steps: [prompt('n', `Grow the pool of ${host} by`, 'processes', '1')]};
		case 'worker.poolShrink':
			return {
				action,
				steps: [
					prompt('n', `Shrink the pool of ${host} by`, 'processes', '1'),
					{kind: 'confirm', title: `Shrink the pool of ${host}?`},
				],
			};
		case 'worker.autoscale':
			return {action, steps: [prompt('bounds', `Autoscale ${host}`, 'max,min e.g. 10,3')]};
		case 'worker.addConsumer':
			return {action, steps: [prompt('queue', `Queue for ${host} to consume from`, 'queue name')]};
		case 'worker.cancelConsumer':
			return {
				action,
				steps: [
					prompt('queue', `Queue ${host} stops consuming from`, 'queue name'),
					{kind: 'confirm', title: `Cancel the consumer of ${host}?`},
				],
			};
		case 'worker.rateLimit':
			return {action, steps: [prompt('spec', `Rate limit on ${host}`, 'task.name 10/m')]};
		case 'worker.timeLimit':
			return {action, steps: [prompt('spec', `Time limits on ${host}`, 'task.name soft hard (seconds)')]};
		case 'worker.enableEvents':
			return {action, steps: []};
		case 'worker.shutdown':
			return {
				action,
				steps: [{kind: 'confirm', title: `Shut down ${host}? It finishes its running tasks, then exits.`}],
			};
		default:
			return undefined;
	}
}

/** The control method and arguments an action sends (validated later by the control client). */
export function actionRequest(
	action: Action,
): {method: string; args: Record<string, unknown>; destination?: string[]} | {error: string} {
	const p = action.params;
	const host = [action.target];
	const words = (text: string | undefined) => (text ?? '').split(/[\s,]+/).filter(Boolean);
	switch (action.id) {
		case 'task.revoke':
			return {method: 'revoke', args: {task_id: [action.target]}};
		case 'task.terminate':
			return {
				method: 'revoke',
				args: {task_id: [action.target], terminate: true, signal: p['signal'] ?? 'SIGTERM'},
			};
		case 'task.rateLimit':
			return {method: 'rate_limit', args: {task_name: action.target, rate_limit: p['rate'] ?? ''}};
		case 'worker.poolGrow':
		case 'worker.poolShrink':
			return {
				method: action.id === 'worker.poolGrow' ? 'pool_grow' : 'pool_shrink',
				args: {n: Number(p['n'])},
				destination: host,
			};
		case 'worker.autoscale': {
			const [max, min] = words(p['bounds']).map(Number);
			return {method: 'autoscale', args: {max, min}, destination: host};
		}
		case 'worker.addConsumer':
			return {method: 'add_consumer', args: {queue: p['queue'] ?? ''}, destination: host};
		case 'worker.cancelConsumer':
			return {method: 'cancel_consumer', args: {queue: p['queue'] ?? ''}, destination: host};
		case 'worker.rateLimit': {
			const [task, rate] = words(p['spec']);
			if (!task || !rate) return {error: 'rate limit needs: task.name rate (e.g. tasks.add 10/m)'};
			return {method: 'rate_limit', args: {task_name: task, rate_limit: rate}, destination: host};
		}
		case 'worker.timeLimit': {
			const [task, soft, hard] = words(p['spec']);
			if (!task || soft === undefined) return {error: 'time limit needs: task.name soft [hard] (seconds)'};
			return {
				method: 'time_limit',
				args: {task_name: task, soft: Number(soft), ...(hard === undefined ? {} : {hard: Number(hard)})},
				destination: host,
			};
		}
		case 'worker.enableEvents':
			return {method: 'enable_events', args: {}, destination: host};
		case 'worker.shutdown':
			return {method: 'shutdown', args: {}, destination: host};
		default:
			return {error: `unknown action ${action.id}`};
	}
}
