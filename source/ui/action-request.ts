// Pure: a confirmed action → the control request it sends (method, arguments, destination), and
// how it reads in the log. The dialogs (actions.ts) and the request share words(), so what a dialog
// shows is what is sent.
import {parseCommandLine} from '../protocol/control.js';
import type {Action} from './modal.js';

/** The action param holding a bulk action's ids (JSON: a hostile id may hold any character). */
export const IDS_PARAM = 'ids';

/** The signal a terminate sends when none is chosen (Celery's default). */
export const DEFAULT_SIGNAL = 'SIGTERM';

/** How a sent action reads in the log: what it was, with its amount. */
export function describeAction(action: Action): string {
	const p = action.params;
	switch (action.id) {
		case 'task.revoke':
			return `revoke ${action.label}`;
		case 'task.terminate':
			return `terminate ${action.label} with ${p['signal'] ?? DEFAULT_SIGNAL}`;
		case 'task.revokeStamped':
			return `revoke the tasks stamped ${p['headers'] ?? '?'}`;
		case 'task.rateLimit':
			return `rate limit ${action.label} to ${p['rate'] ?? '?'} on every worker`;
		case 'worker.poolGrow':
			return `grow the pool of ${action.label} by ${p['n'] ?? '?'}`;
		case 'worker.poolShrink':
			return `shrink the pool of ${action.label} by ${p['n'] ?? '?'}`;
		case 'worker.autoscale':
			return `autoscale ${action.label} (max,min ${p['bounds'] ?? '?'})`;
		case 'worker.addConsumer':
			return `${action.label} consume from ${p['queue'] ?? '?'}`;
		case 'worker.cancelConsumer':
			return `${action.label} stop consuming from ${p['queue'] ?? '?'}`;
		case 'worker.rateLimit':
			return `rate limit on ${action.label}: ${p['spec'] ?? '?'}`;
		case 'worker.timeLimit':
			return `time limits on ${action.label}: ${p['spec'] ?? '?'}`;
		case 'worker.enableEvents':
			return `enable task events on ${action.label}`;
		case 'worker.shutdown':
			return `shut down ${action.label}`;
		default:
			return `${action.id.replace('.', ' ')} ${action.label}`;
	}
}

/** A prompt's answer as words (`task.name 10/m`, `8,2`): what the dialog shows and what is sent. */
export function words(text: string | undefined): string[] {
	return (text ?? '').split(/[\s,]+/).filter(Boolean);
}

/** The ids a revoke names: the marked tasks (bulk-actions.ts), else the one task. */
export function taskIds(action: Action): string[] {
	const raw = action.params[IDS_PARAM];
	if (raw === undefined) return [action.target];
	const ids: unknown = JSON.parse(raw);
	return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [action.target];
}

/** The control method and arguments an action sends (validated later by the control client). */
export function actionRequest(
	action: Action,
): {method: string; args: Record<string, unknown>; destination?: string[]} | {error: string} {
	const p = action.params;
	const host = [action.target];
	switch (action.id) {
		case 'task.revoke':
			return {method: 'revoke', args: {task_id: taskIds(action)}};
		case 'task.terminate':
			return {
				method: 'revoke',
				args: {task_id: taskIds(action), terminate: true, signal: p['signal'] ?? 'SIGTERM'},
			};
		case 'task.revokeStamped': {
			const parsed = parseCommandLine('control', 'revoke_by_stamped_headers', words(p['headers']));
			return parsed.ok
				? {method: parsed.value.spec.method, args: parsed.value.arguments}
				: {error: parsed.error};
		}
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
