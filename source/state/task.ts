// One task's state from its events, with Celery's out-of-order merge rules (celery/events/state.py
// Task.event, wire doc §7.2). Every field is type-checked: hostile input never makes later code crash.
import type {CeleryEvent} from '../protocol/types.js';
import {PENDING, RECEIVED, isLate, stateForEventType} from '../protocol/task-states.js';
import type {Task, TaskStage} from './types.js';

/** Most timeline entries kept per task; the oldest are dropped. */
export const TIMELINE_CAP = 16;

export function createTask(uuid: string, now: number): Task {
	return {
		uuid,
		state: PENDING,
		name: undefined,
		args: undefined,
		kwargs: undefined,
		result: undefined,
		exception: undefined,
		traceback: undefined,
		runtime: undefined,
		eta: undefined,
		expires: undefined,
		retries: undefined,
		worker: undefined,
		client: undefined,
		parentId: undefined,
		rootId: undefined,
		terminated: undefined,
		signum: undefined,
		expired: undefined,
		requeue: undefined,
		sent: undefined,
		received: undefined,
		started: undefined,
		succeeded: undefined,
		failed: undefined,
		retried: undefined,
		revoked: undefined,
		rejected: undefined,
		timestamp: 0,
		clock: undefined,
		lastSeen: now,
		timeline: [],
	};
}

/** The stage field a task event type stores its timestamp in, or undefined for other types. */
export function stageOf(type: string): TaskStage | undefined {
	switch (type) {
		case 'task-sent':
			return 'sent';
		case 'task-received':
			return 'received';
		case 'task-started':
			return 'started';
		case 'task-succeeded':
			return 'succeeded';
		case 'task-failed':
			return 'failed';
		case 'task-retried':
			return 'retried';
		case 'task-revoked':
			return 'revoked';
		case 'task-rejected':
			return 'rejected';
		default:
			return undefined;
	}
}

function isFiniteNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/** The fields a late task-received may still contribute (Celery's merge_rules[RECEIVED]). */
function mergeReceivedFields(task: Task, e: Readonly<Record<string, unknown>>): void {
	const name = e['name'];
	if (typeof name === 'string') task.name = name;
	const args = e['args'];
	if (typeof args === 'string') task.args = args;
	const kwargs = e['kwargs'];
	if (typeof kwargs === 'string') task.kwargs = kwargs;
	const parentId = e['parent_id'];
	if (typeof parentId === 'string' || parentId === null) task.parentId = parentId;
	const rootId = e['root_id'];
	if (typeof rootId === 'string' || rootId === null) task.rootId = rootId;
	const retries = e['retries'];
	if (isFiniteNumber(retries)) task.retries = retries;
	const eta = e['eta'];
	if (typeof eta === 'string' || eta === null) task.eta = eta;
	const expires = e['expires'];
	if (typeof expires === 'string' || expires === null) task.expires = expires;
}

/** Every other field a task event can carry (state aside). Missing or mistyped fields are ignored. */
function mergeOtherFields(task: Task, e: Readonly<Record<string, unknown>>, timestamp: number): void {
	const result = e['result'];
	if (typeof result === 'string') task.result = result;
	const exception = e['exception'];
	if (typeof exception === 'string') task.exception = exception;
	const traceback = e['traceback'];
	if (typeof traceback === 'string') task.traceback = traceback;
	const runtime = e['runtime'];
	if (isFiniteNumber(runtime)) task.runtime = runtime;
	const terminated = e['terminated'];
	if (typeof terminated === 'boolean') task.terminated = terminated;
	const signum = e['signum'];
	if (isFiniteNumber(signum) || signum === null) task.signum = signum;
	const expired = e['expired'];
	if (typeof expired === 'boolean') task.expired = expired;
	const requeue = e['requeue'];
	if (typeof requeue === 'boolean') task.requeue = requeue;
	const clock = e['clock'];
	if (isFiniteNumber(clock)) task.clock = clock;
	task.timestamp = timestamp;
}

/**
 * Apply one task-* event (already validated by parseEvent) to its task, as Celery does:
 * 1. the stage timestamp (`sent`, `received`, …) is always stored;
 * 2. a late event (isLate: neither state RETRY and the new one less final) keeps the state; a late
 *    task-received contributes only name, args, kwargs, parent_id, root_id, retries, eta, expires;
 *    any other late event merges all its fields (timestamp and clock included: Celery's quirk);
 * 3. otherwise the state moves to the event's state and all fields are merged.
 * task-sent sets `client`, every other task event sets `worker` (the sender's hostname), late or not.
 */
export function applyTaskEvent(task: Task, event: CeleryEvent, now: number): void {
	const type = event.type;
	const timestamp = event.timestamp;
	const hostname = event.hostname;
	const stage = stageOf(type);
	if (stage !== undefined) task[stage] = timestamp;
	if (stage === 'sent') task.client = hostname;
	else task.worker = hostname;

	const state = stateForEventType(type);
	if (isLate(state, task.state)) {
		mergeReceivedFields(task, event);
		if (state !== RECEIVED) mergeOtherFields(task, event, timestamp);
	} else {
		task.state = state;
		mergeReceivedFields(task, event);
		mergeOtherFields(task, event, timestamp);
	}

	const clock = event['clock'];
	const timeline = task.timeline;
	if (timeline.length >= TIMELINE_CAP) timeline.shift();
	timeline.push({type, timestamp, hostname, clock: isFiniteNumber(clock) ? clock : undefined});
	task.lastSeen = now;
}
