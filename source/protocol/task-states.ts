// Task states and their precedence, as celery/states.py and celery/events/state.py (docs/WIRE.md §7.2).

/** PENDING … REJECTED or a custom upper-case state (same as state/types TaskStateName). */
type TaskStateName = string;

export const PENDING = 'PENDING';
export const RECEIVED = 'RECEIVED';
export const STARTED = 'STARTED';
export const SUCCESS = 'SUCCESS';
export const FAILURE = 'FAILURE';
export const RETRY = 'RETRY';
export const REVOKED = 'REVOKED';
export const REJECTED = 'REJECTED';

/** The built-in states, most final first (precedence order). */
export const KNOWN_STATES: readonly TaskStateName[] = [
	SUCCESS,
	FAILURE,
	REVOKED,
	STARTED,
	RECEIVED,
	REJECTED,
	RETRY,
	PENDING,
];

/** Final states: SUCCESS, FAILURE, REVOKED. REJECTED and RETRY are not final. */
export const READY_STATES: ReadonlySet<TaskStateName> = new Set([SUCCESS, FAILURE, REVOKED]);

/** Rank of a custom (unknown) state: between FAILURE and REVOKED. */
export const CUSTOM_PRECEDENCE = 2;

const PRECEDENCE: ReadonlyMap<string, number> = new Map([
	[SUCCESS, 0],
	[FAILURE, 1],
	[REVOKED, 3],
	[STARTED, 4],
	[RECEIVED, 5],
	[REJECTED, 6],
	[RETRY, 7],
	[PENDING, 8],
]);

/** Celery's precedence index: lower means more final. Unknown states rank 2. */
export function precedence(state: TaskStateName): number {
	return PRECEDENCE.get(state) ?? CUSTOM_PRECEDENCE;
}

/**
 * State that a task event leads to: task-sent → PENDING, task-received → RECEIVED, … ;
 * any other `task-x` (or `group-x`) gives the custom state `X` (the upper-cased subject).
 */
export function stateForEventType(type: string): TaskStateName {
	switch (type) {
		case 'task-sent':
			return PENDING;
		case 'task-received':
			return RECEIVED;
		case 'task-started':
			return STARTED;
		case 'task-succeeded':
			return SUCCESS;
		case 'task-failed':
			return FAILURE;
		case 'task-retried':
			return RETRY;
		case 'task-revoked':
			return REVOKED;
		case 'task-rejected':
			return REJECTED;
		default:
			return type.slice(type.indexOf('-') + 1).toUpperCase();
	}
}

/**
 * Celery's out-of-order rule: an event is late (it logically happened before the current state) when
 * neither state is RETRY and the new state ranks as less final than the current one.
 */
export function isLate(newState: TaskStateName, currentState: TaskStateName): boolean {
	return newState !== RETRY && currentState !== RETRY && precedence(newState) > precedence(currentState);
}

export function isReady(state: TaskStateName): boolean {
	return READY_STATES.has(state);
}

const RANK_REVOKED = precedence(REVOKED);
const RANK_REJECTED = precedence(REJECTED);
const RANK_RETRY = precedence(RETRY);
const RANK_PENDING = precedence(PENDING);

/**
 * celerytop's out-of-order rule (docs/STATE.md): true when an event must not replace the current
 * state because it logically happened before the event that set it. Celery's isLate, except:
 * - a final state (SUCCESS, FAILURE, REVOKED) is left only for a more final one: a late RETRY or
 *   REJECTED no longer undoes it, and it beats any custom state (Celery ranks custom states above
 *   REVOKED);
 * - task-retried and task-rejected end an attempt: they replace any state of that attempt (Celery
 *   ranks REJECTED below RECEIVED), unless they come from a worker other than the one the current
 *   state came from (the task has moved on) or are older than the current state's event;
 * - after RETRY or REJECTED, an event of the same worker older than it belongs to the ended attempt.
 * `fromStateWorker`: the event's hostname is the worker whose event set the current state.
 * `older`: the event's timestamp is earlier than that event's (false when unknown). Both are only
 * meaningful for worker events; for task-sent (a client) `fromStateWorker` is false.
 */
export function isStale(
	newState: TaskStateName,
	currentState: TaskStateName,
	fromStateWorker: boolean,
	older: boolean,
): boolean {
	// On ranks (two map lookups, as isLate): this runs for every task event of the ingest.
	const next = precedence(newState);
	const current = precedence(currentState);
	if (current <= RANK_REVOKED && current !== CUSTOM_PRECEDENCE)
		return next === CUSTOM_PRECEDENCE || next > RANK_REVOKED || next > current; // current final
	if (next <= RANK_REVOKED && next !== CUSTOM_PRECEDENCE) return false; // new final
	if (next === RANK_RETRY || next === RANK_REJECTED)
		return current !== RANK_PENDING && (!fromStateWorker || older);
	if (current === RANK_RETRY) return fromStateWorker && older;
	if (current === RANK_REJECTED) return (fromStateWorker && older) || next > current;
	return next > current; // Celery's isLate: neither is RETRY here
}
