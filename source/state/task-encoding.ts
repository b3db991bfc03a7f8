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
export const LAST_SEEN = 0;
export const RUNTIME = 1;
export const HEADER = 2;

// The task's timestamp, clock and state time (the timestamp of the event that set the state) are
// almost always those of its last timeline entry: a bit of TaskRecord.#refs says so, and only when
// an event leaves one of them as it was (a late event, an event without a clock) is the value kept
// in TaskExtra.held, by the HELD_* index. Retries, a small integer, is kept in #refs too.
export const TS_LAST = 1 << 8;
export const CLOCK_LAST = 1 << 9;
export const STATE_AT_LAST = 1 << 10;
export const LAST_BITS = TS_LAST | CLOCK_LAST | STATE_AT_LAST;
/** The last entry takes 3 slots (its clock in its own slot). */
export const LAST_WIDE = 1 << 11;
export const HELD_TIMESTAMP = 0;
export const HELD_CLOCK = 1;
export const HELD_STATE_AT = 2;
export const HELD_RETRIES = 3;
/** TaskExtra.held before any value is kept: timestamp 0 (no event yet), the others undefined (NaN). */
export const HELD_INITIAL: readonly number[] = [0, Number.NaN, Number.NaN, Number.NaN];
// Retries in bits 12-29 of #refs (below 2 ** 30: a small integer in every V8): 0 unset, r + 1 for an
// integer 0 <= r < RETRIES_HELD - 1, RETRIES_HELD: in TaskExtra.held.
export const RETRIES_SHIFT = 12;
export const RETRIES_HELD = (1 << 18) - 1;

/** #refs with `retries` in its bits (RETRIES_HELD when it must be held in TaskExtra.held). */
export function withRetries(refs: number, retries: number): number {
	const packed =
		Number.isInteger(retries) && retries >= 0 && retries < RETRIES_HELD - 1 && !Object.is(retries, -0);
	return (refs & ~(RETRIES_HELD << RETRIES_SHIFT)) | ((packed ? retries + 1 : RETRIES_HELD) << RETRIES_SHIFT);
}

export const retriesAreHeld = (refs: number): boolean =>
	((refs >>> RETRIES_SHIFT) & RETRIES_HELD) === RETRIES_HELD;

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
// TaskRecord.#refs (bits 0-7) say which, and only other strings are stored, in TaskExtra.
export type RefField = 'eta' | 'expires' | 'parentId' | 'rootId';
export const REF_SHIFT: Readonly<Record<RefField, number>> = {eta: 0, expires: 2, parentId: 4, rootId: 6};
export const REF_UNSET = 0;
export const REF_NULL = 1;
export const REF_STRING = 2; // in TaskExtra
export const REF_UUID = 3;

/** A RefField's value: from the bits of #refs, the task's uuid or TaskExtra. */
export function refOf(
	refs: number,
	field: RefField,
	extra: TaskExtra | undefined,
	uuid: string,
): string | null | undefined {
	switch ((refs >> REF_SHIFT[field]) & 3) {
		case REF_NULL:
			return null;
		case REF_STRING:
			return extra![field];
		case REF_UUID:
			return uuid;
		default: // REF_UNSET
			return undefined;
	}
}

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
	/** Timestamp, clock, state time and retries when #refs says they are kept here (HELD_*). */
	held: number[] | undefined = undefined;

	/** Store a RefField's string; a root id equal to the parent id (or back) shares its string. */
	setRef(field: RefField, value: string): void {
		this[field] = value === this.parentId ? this.parentId : value === this.rootId ? this.rootId : value;
	}

	/** A copy that shares the strings (the arrays copied). */
	copy(): TaskExtra {
		const copy = Object.assign(new TaskExtra(), this);
		copy.names = this.names?.slice();
		copy.stages = this.stages?.slice();
		copy.held = this.held?.slice();
		return copy;
	}
}
