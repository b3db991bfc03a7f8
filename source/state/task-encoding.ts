// The encoding of TaskRecord's compact storage (task.ts): the stage tables, the layout of its array
// of doubles, the packed code of a timeline entry, the two-bit references and the record of the rare
// fields. Pure numbers, tables and shapes, no task logic (task-timeline.ts walks the timeline).
import type {TaskStage} from './types.js';

/** Most timeline entries kept per task; the oldest are dropped. */
export const TIMELINE_CAP = 16;

/** The task event types with a stage field, in the order of STAGES (a type's index is its code). */
export const STAGE_TYPES = [
	'task-sent',
	'task-received',
	'task-started',
	'task-succeeded',
	'task-failed',
	'task-retried',
	'task-revoked',
	'task-rejected',
] as const;
/** The stage fields, in the order of STAGE_TYPES. */
export const STAGES: readonly TaskStage[] = [
	'sent',
	'received',
	'started',
	'succeeded',
	'failed',
	'retried',
	'revoked',
	'rejected',
];
export const SENT = 0;

/** Index of a task event type in STAGE_TYPES, or -1 for other (custom) types. */
export function stageIndex(type: string): number {
	switch (type) {
		case 'task-sent':
			return 0;
		case 'task-received':
			return 1;
		case 'task-started':
			return 2;
		case 'task-succeeded':
			return 3;
		case 'task-failed':
			return 4;
		case 'task-retried':
			return 5;
		case 'task-revoked':
			return 6;
		case 'task-rejected':
			return 7;
		default:
			return -1;
	}
}

/** The stage field a task event type stores its timestamp in, or undefined for other types. */
export function stageOf(type: string): TaskStage | undefined {
	return STAGES[stageIndex(type)];
}

// Layout of TaskRecord.#n, one array of doubles: a header of numbers (NaN for undefined), then the
// timeline, oldest first. Each entry is [timestamp, code], or [timestamp, code, clock] when the
// clock does not fit in the code.
export const TIMESTAMP = 0;
export const LAST_SEEN = 1;
export const RUNTIME = 2;
export const CLOCK = 3;
export const RETRIES = 4;
/** Timestamp of the event that set the current state (not overwritten by late events). */
export const STATE_AT = 5;
export const HEADER = 6;

// code = type + REF * host + REF * REF * clockPart, each part a small integer (exact in a double):
// - type: 0-7 a STAGE_TYPES index; TYPE_NAME + k: names[k] (a custom type);
// - host: HOST_CLIENT / HOST_WORKER: the task's current client / worker; HOST_NAME + k: names[k]
//   (a hostname pinned when the client or worker changed);
// - clockPart: NO_CLOCK; CLOCK_NEXT: the clock is the entry's third slot; CLOCK_BASE + c: clock c,
//   for an integer 0 <= c <= MAX_PACKED_CLOCK (Celery's Lamport clocks: the usual case).
export const REF = 64;
export const TYPE_NAME = 8;
export const HOST_CLIENT = 0;
export const HOST_WORKER = 1;
export const HOST_NAME = 2;
export const NO_CLOCK = 0;
export const CLOCK_NEXT = 1;
export const CLOCK_BASE = 2;
export const MAX_PACKED_CLOCK = 2 ** 40; // keeps code below 2 ** 53
/**
 * names is rebuilt from the entries' references when it reaches this length. The entries refer to
 * at most 2 * TIMELINE_CAP names, plus the few an event adds, so indexes stay below REF - TYPE_NAME.
 */
export const NAMES_COMPACT_AT = 40;

export const typeOf = (code: number): number => code % REF;
export const hostOf = (code: number): number => Math.floor(code / REF) % REF;
export const clockPartOf = (code: number): number => Math.floor(code / (REF * REF));
export const withHost = (code: number, host: number): number => code + REF * (host - hostOf(code));
export const withType = (code: number, type: number): number => code - typeOf(code) + type;
export const entrySlots = (code: number): number => (clockPartOf(code) === CLOCK_NEXT ? 3 : 2);
export const orUndefined = (value: number): number | undefined => (Number.isNaN(value) ? undefined : value);

/** The clock part of a code for `clock` (CLOCK_NEXT when it needs its own slot). -0 keeps its sign. */
export function clockPart(clock: number | undefined): number {
	if (clock === undefined) return NO_CLOCK;
	return Number.isInteger(clock) && (clock > 0 || Object.is(clock, 0)) && clock <= MAX_PACKED_CLOCK
		? CLOCK_BASE + clock
		: CLOCK_NEXT;
}

// eta, expires, parentId and rootId are usually null (or rootId the task's own uuid): two bits each in
// TaskRecord.#refs say which, and only other strings are stored, in TaskExtra.
export type RefField = 'eta' | 'expires' | 'parentId' | 'rootId';
export const REF_SHIFT: Readonly<Record<RefField, number>> = {eta: 0, expires: 2, parentId: 4, rootId: 6};
export const REF_UNSET = 0;
export const REF_NULL = 1;
export const REF_STRING = 2; // in TaskExtra
export const REF_UUID = 3;

/** The fields few tasks have (failures, revocations, retries on another worker …), made on first use. */
export class TaskExtra {
	exception: string | undefined = undefined;
	traceback: string | undefined = undefined;
	eta: string | undefined = undefined;
	expires: string | undefined = undefined;
	parentId: string | undefined = undefined;
	rootId: string | undefined = undefined;
	terminated: boolean | undefined = undefined;
	signum: number | null | undefined = undefined;
	expired: boolean | undefined = undefined;
	requeue: boolean | undefined = undefined;
	/** Strings timeline codes refer to: custom event types and pinned hostnames. */
	names: string[] | undefined = undefined;
	/** Stage times of entries dropped from the timeline (NaN: none), by stage index. */
	stages: number[] | undefined = undefined;
}
