// The only side effects the UI triggers: control and inspect calls through services.
import {formatReplyLine, formatReplyLines} from '../present/control-format.js';
import {sanitize} from '../protocol/sanitize.js';
import type {Action} from './modal.js';
import {actionRequest, IDS_PARAM, taskIds} from './action-request.js';
import type {Services} from './services.js';

function errorText(error: unknown): string {
	return sanitize(String((error as Error)?.message ?? error));
}

/** A bulk revoke's replies in one line: who said ok, who said what else. */
function bulkReplyLine(label: string, replies: Record<string, unknown>): string {
	const ok: string[] = [];
	const other: string[] = [];
	for (const [host, value] of Object.entries(replies)) {
		const line = formatReplyLine('revoke', host, value).slice(3);
		if (line.startsWith(`${sanitize(host)}: OK`)) ok.push(sanitize(host));
		else other.push(line);
	}
	const said =
		ok.length > 0 ? `OK from ${ok.length} worker${ok.length === 1 ? '' : 's'} (${ok.join(', ')})` : '';
	return `revoke ${label}: ${[said, ...other].filter(Boolean).join('; ')}`;
}

/** Send an action's control command; the lines say what each worker answered. */
export async function runAction(action: Action, services: Services, aliveWorkers: number): Promise<string[]> {
	const {control} = services;
	if (!control) return ['control is not available'];
	const request = actionRequest(action);
	if ('error' in request) return [request.error];
	const {method, args, destination} = request;
	const bulk = action.params[IDS_PARAM] !== undefined;
	if (method === 'revoke')
		for (const uuid of taskIds(action)) services.store.markRevokeSent(uuid, services.clock());
	try {
		const result = await control.call(method, args, {
			destination,
			expected: destination ? destination.length : aliveWorkers,
		});
		if (method === 'shutdown')
			return [`shutdown sent to ${action.label}: it goes offline once its running tasks end`];
		const hosts = Object.entries(result.replies);
		if (hosts.length === 0) return [`${method} ${action.label}: no reply within 1 s`];
		if (bulk) return [bulkReplyLine(action.label, result.replies)];
		return hosts.map(([host, value]) => `${method}: ${formatReplyLine(method, host, value).slice(3)}`);
	} catch (error) {
		return [`${method} ${action.label}: ${errorText(error)}`];
	}
}

/** How many processes a worker's pool has now (its stats reply), or undefined when it does not say. */
export async function askPoolSize(hostname: string, services: Services): Promise<number | undefined> {
	const {control} = services;
	if (!control) return undefined;
	try {
		const result = await control.call('stats', {}, {destination: [hostname], expected: 1});
		const stats = result.replies[hostname];
		const pool =
			typeof stats === 'object' && stats !== null ? (stats as Record<string, unknown>)['pool'] : undefined;
		if (typeof pool !== 'object' || pool === null) return undefined;
		const {processes, 'max-concurrency': max} = pool as Record<string, unknown>;
		if (Array.isArray(processes)) return processes.length;
		return typeof max === 'number' && Number.isInteger(max) ? max : undefined;
	} catch {
		return undefined;
	}
}

/** Ask one worker an inspect question; the reply as readable lines. */
export async function runInspect(hostname: string, method: string, services: Services): Promise<string[]> {
	const {control} = services;
	if (!control) return ['inspect is not available'];
	try {
		const result = await control.call(method, method === 'registered' ? {taskinfoitems: []} : {}, {
			destination: [hostname],
			expected: 1,
		});
		if (!(hostname in result.replies)) return [`no reply from ${hostname} within 1 s`];
		return formatReplyLines(method, result.replies[hostname], {now: services.clock()});
	} catch (error) {
		return [`${method}: ${errorText(error)}`];
	}
}
