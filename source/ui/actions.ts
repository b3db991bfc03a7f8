// Pure: a control key on a row → the dialog steps that gather its values and confirm it. Every
// confirmation names its target as it is when the dialog opens (name, id, state, worker), the amount
// (queue, processes, rate, signal) and what will really happen.
import {TERMINATE_SIGNALS} from '../protocol/control-args.js';
import {READY_STATES, RETRY, REVOKED, STARTED} from '../protocol/task-states.js';
import type {Task, Worker} from '../state/types.js';
import {isAlive} from '../state/worker.js';
import {DEFAULT_SIGNAL, words} from './action-request.js';
import type {Action, Step} from './modal.js';

export type Planned = {readonly action: Action; readonly steps: readonly Step[]};

/** What a dialog knows of the cluster when it opens: our clock now and the workers known. */
export type Facts = {readonly now: number; readonly workers: readonly Worker[]};

const SIGNALS = TERMINATE_SIGNALS.slice(0, 5);

function taskLabel(task: Task): string {
	return `${task.name ?? 'task'}[${task.uuid}]`;
}

/** `STARTED on w1@vm`, `PENDING (sent by gen1@host)`, `RECEIVED`. */
export function taskWhere(task: Task): string {
	if (task.worker) return `${task.state} on ${task.worker}`;
	if (task.client) return `${task.state} (sent by ${task.client})`;
	return task.state;
}

function plural(n: number, one: string, many = `${one}s`): string {
	return `${n} ${n === 1 ? one : many}`;
}

/** Workers heard from but not alive now (by our clock at this moment, not the last frame's). */
export function offlineCount(facts: Facts): number {
	return facts.workers.reduce((n, w) => n + (isAlive(w, facts.now) ? 0 : 1), 0);
}

export function onlineCount(facts: Facts): number {
	return facts.workers.length - offlineCount(facts);
}

function offlineWarning(facts: Facts): string {
	const offline = offlineCount(facts);
	return offline > 0
		? ` ${plural(offline, 'worker')} offline now will never hear it (Celery keeps revokes in worker memory only).`
		: '';
}

/** What a revoke does to a task in its current state. */
function revokeOutcome(task: Task, facts: Facts): string {
	if (task.state === STARTED)
		return 'It is running and keeps running: revoke only stops tasks that have not started.';
	if (task.state === REVOKED) return 'It is already revoked: nothing changes.';
	if (READY_STATES.has(task.state))
		return `It has already ended (${task.state}): revoking changes nothing for this run; workers only refuse a later delivery of this id.`;
	if (task.state === RETRY)
		return `It waits to be retried: the workers (${onlineCount(facts)} online) drop the next attempt instead of running it.`;
	return `It has not started: the workers (${onlineCount(facts)} online) drop it instead of running it.`;
}

/** What a terminate with `signal` does to a task in its current state. */
function terminateOutcome(task: Task, signal: string): string {
	if (task.state === STARTED)
		return `It is revoked and its worker sends ${signal} to the pool process running it${signal === 'SIGKILL' ? ' (killed at once, no cleanup)' : ''}.`;
	if (READY_STATES.has(task.state))
		return `It has already ended (${task.state}): there is no process to signal; the id is remembered as revoked.`;
	return `It has not started: it is revoked, and no process gets ${signal} unless it starts before the revoke arrives.`;
}

function terminateConfirm(task: Task, facts: Facts): Step {
	const label = taskLabel(task);
	return {
		kind: 'confirm',
		title: (p) => `Terminate ${label} with ${p['signal'] ?? DEFAULT_SIGNAL}? Now ${taskWhere(task)}`,
		detail: (p) => terminateOutcome(task, p['signal'] ?? DEFAULT_SIGNAL) + offlineWarning(facts),
		yes: 'terminate',
	};
}

/** A rate as Celery reads it, in words: `10/m` → `at most 10 a minute`. */
export function rateWords(rate: string): string {
	const match = /^\s*([\d.]+)\s*(?:\/\s*([smh]))?\s*$/.exec(rate);
	if (!match) return `rate ${rate}`;
	if (Number(match[1]) === 0) return 'no limit (0 removes it)';
	const per = {s: 'a second', m: 'a minute', h: 'an hour'}[(match[2] ?? 's') as 's' | 'm' | 'h'];
	return `at most ${match[1]} ${per}`;
}

/** Steps for a command on a task, or undefined when the command is not a task action. */
export function planTaskAction(id: string, task: Task, facts: Facts): Planned | undefined {
	const label = taskLabel(task);
	const action: Action = {id, target: task.uuid, label, params: {}};
	switch (id) {
		case 'task.revoke': {
			const terminate: Action = {...action, id: 'task.terminate', params: {signal: DEFAULT_SIGNAL}};
			return {
				action,
				steps: [
					{
						kind: 'confirm',
						title: `Revoke ${label}? Now ${taskWhere(task)}`,
						detail: revokeOutcome(task, facts) + offlineWarning(facts),
						yes: task.state === STARTED ? 'revoke anyway' : 'revoke',
						alternatives:
							task.state === STARTED
								? [
										{
											key: 't',
											label: `terminate with ${DEFAULT_SIGNAL}`,
											action: terminate,
											steps: [terminateConfirm(task, facts)],
										},
									]
								: [],
					},
				],
			};
		}
		case 'task.terminate':
			return {
				action,
				steps: [
					{
						kind: 'choice',
						param: 'signal',
						title: `Terminate ${label} (now ${taskWhere(task)}): which signal for its pool process?`,
						options: SIGNALS,
					},
					terminateConfirm(task, facts),
				],
			};
		case 'task.revokeStamped': {
			// Not about this row: stamps travel in the message headers, never in the events.
			const everyone = `every worker (${onlineCount(facts)} online)`;
			return {
				action: {...action, target: '', label: 'stamped tasks'},
				steps: [
					{
						kind: 'prompt',
						param: 'headers',
						title: `Revoke the tasks stamped with, on ${everyone}`,
						hint: 'header=value [header=value …], e.g. batch=nightly-42',
					},
					{
						kind: 'confirm',
						title: (p) => `Revoke every task stamped ${p['headers'] ?? '?'} on ${everyone}?`,
						detail:
							'Workers drop the matching tasks they have not started and any that arrive later (kept in worker memory only); running ones keep running. Workers older than Celery 5.3 answer that they do not know the command.' +
							offlineWarning(facts),
						yes: 'revoke',
					},
				],
			};
		}
		case 'task.rateLimit': {
			if (!task.name) return undefined;
			const name = task.name;
			const everyone = `every worker (${onlineCount(facts)} online)`;
			return {
				action: {...action, target: name, label: name},
				steps: [
					{
						kind: 'prompt',
						param: 'rate',
						title: `Rate limit for ${name} on ${everyone}`,
						hint: 'e.g. 10/m, 100/s, 0 = none',
					},
					{
						kind: 'confirm',
						title: (p) => `Set the rate limit of ${name} to ${p['rate'] ?? '?'} on ${everyone}?`,
						detail: (p) =>
							`Each worker then starts ${rateWords(p['rate'] ?? '')} ${name} tasks; workers offline or started later keep their own setting.`,
						yes: 'set it',
					},
				],
			};
		}
		default:
			return undefined;
	}
}

/** What is known of a worker's pool when a dialog about it opens: a stats reply, or not yet. */
export type PoolSize =
	| {readonly status: 'asking'}
	| {readonly status: 'unknown'}
	| {readonly status: 'known'; readonly processes: number};

/** The param a pool dialog keeps the pool size in (filled when the worker's stats reply comes). */
export const POOL_PARAM = 'poolSize';

function poolNow(params: Readonly<Record<string, string>>): string {
	const size = params[POOL_PARAM];
	if (size === undefined) return 'pool size: asking the worker…';
	if (size === 'unknown') return 'pool size unknown (no stats reply)';
	return `pool now ${plural(Number(size), 'process', 'processes')}`;
}

function poolChange(params: Readonly<Record<string, string>>, sign: 1 | -1): string {
	const n = Number(params['n']);
	const size = Number(params[POOL_PARAM]);
	const count = Number.isFinite(n) ? plural(n, 'process', 'processes') : `${params['n'] ?? '?'} processes`;
	const after = Number.isFinite(n) && Number.isFinite(size) ? ` → ${Math.max(0, size + sign * n)}` : '';
	return `${sign > 0 ? 'Grow' : 'Shrink'} the pool by ${count}? ${poolNow(params)}${after}`;
}

/** `online, 2 active`, `offline`. */
function workerWhere(worker: Worker, now: number): string {
	const alive = isAlive(worker, now);
	const active = worker.active === undefined ? '' : `, ${worker.active} active`;
	return `${alive ? 'online' : 'offline'}${alive ? active : ''}`;
}

/** Steps for a command on a worker. */
export function planWorkerAction(id: string, worker: Worker, facts: Facts): Planned | undefined {
	const host = worker.hostname;
	const action: Action = {id, target: host, label: host, params: {}};
	const where = workerWhere(worker, facts.now);
	const prompt = (param: string, title: string, hint: string, initial?: string): Step => ({
		kind: 'prompt',
		param,
		title,
		hint,
		initial,
	});
	switch (id) {
		case 'worker.poolGrow':
		case 'worker.poolShrink': {
			const sign = id === 'worker.poolGrow' ? 1 : -1;
			const verb = sign > 0 ? 'Grow' : 'Shrink';
			return {
				action,
				steps: [
					{
						kind: 'prompt',
						param: 'n',
						title: (p) => `${verb} the pool of ${host} (${where}) by how many processes? ${poolNow(p)}`,
						hint: 'processes',
						initial: '1',
					},
					{
						kind: 'confirm',
						title: (p) => `${host}: ${poolChange(p, sign)}`,
						detail:
							sign > 0
								? 'More processes run more tasks at once (and use more memory) until the worker restarts.'
								: 'Each process removed finishes its current task first; the pool stays smaller until the worker restarts.',
						yes: verb.toLowerCase(),
					},
				],
			};
		}
		case 'worker.autoscale':
			return {
				action,
				steps: [
					prompt('bounds', `Autoscale ${host} (${where}): max,min processes`, 'max,min e.g. 10,3'),
					{
						kind: 'confirm',
						title: (p) => {
							const [max, min] = words(p['bounds']);
							return `Autoscale ${host} between ${min ?? '?'} and ${max ?? '?'} processes?`;
						},
						detail: 'Only a worker started with --autoscale can change this; others reply with an error.',
						yes: 'set it',
					},
				],
			};
		case 'worker.addConsumer':
			return {action, steps: [prompt('queue', `Queue for ${host} (${where}) to consume from`, 'queue name')]};
		case 'worker.cancelConsumer':
			return {
				action,
				steps: [
					prompt('queue', `Queue ${host} (${where}) stops consuming from`, 'queue name'),
					{
						kind: 'confirm',
						title: (p) => `Stop ${host} consuming from the queue ${p['queue'] || '?'}?`,
						detail: (p) =>
							`Its messages stay in ${p['queue'] || 'the queue'} for other workers; ${host} takes none until it consumes from it again or restarts.`,
						yes: 'cancel the consumer',
					},
				],
			};
		case 'worker.rateLimit':
			return {
				action,
				steps: [
					prompt('spec', `Rate limit on ${host} (${where})`, 'task.name 10/m'),
					{
						kind: 'confirm',
						title: (p) => {
							const [task, rate] = words(p['spec']);
							return `Set the rate limit of ${task ?? '?'} to ${rate ?? '?'} on ${host}?`;
						},
						detail: (p) => {
							const [task, rate] = words(p['spec']);
							return `${host} then starts ${rateWords(rate ?? '')} ${task ?? '?'} tasks; other workers keep theirs.`;
						},
						yes: 'set it',
					},
				],
			};
		case 'worker.timeLimit':
			return {
				action,
				steps: [
					prompt('spec', `Time limits on ${host} (${where})`, 'task.name soft hard (seconds)'),
					{
						kind: 'confirm',
						title: (p) => {
							const [task, soft, hard] = words(p['spec']);
							return `Set the time limits of ${task ?? '?'} on ${host}: soft ${soft ?? '?'} s${hard === undefined ? '' : `, hard ${hard} s`}?`;
						},
						detail:
							'Tasks of that name started from now on get the soft limit (an exception in the task) and the hard one (its process is killed).',
						yes: 'set them',
					},
				],
			};
		case 'worker.enableEvents':
			return {action, steps: []};
		case 'worker.shutdown': {
			const stay = facts.workers.filter((w) => w.hostname !== host && isAlive(w, facts.now)).length;
			return {
				action,
				steps: [
					{
						kind: 'confirm',
						title: `Shut down 1 worker, ${host} (${where})?`,
						detail: `It finishes its running tasks, then exits; nothing here starts it again. ${plural(stay, 'other worker')} online stay up.`,
						yes: 'shut it down',
					},
				],
			};
		}
		default:
			return undefined;
	}
}
