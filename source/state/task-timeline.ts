// The timeline in TaskRecord's array of doubles (the layout is in task-encoding.ts): read it as
// entries, find a stage's last time, append an entry past the cap, repoint the entries of a pinned
// host, renumber the names they refer to. Pure functions over the array; the record (task.ts) owns
// the array, the names and the stage times of dropped entries.
import {
	CLOCK_BASE,
	CLOCK_LAST,
	CLOCK_NEXT,
	HEADER,
	HELD_CLOCK,
	HELD_INITIAL,
	HELD_RETRIES,
	HELD_STATE_AT,
	HELD_TIMESTAMP,
	LAST_BITS,
	LAST_WIDE,
	RETRIES_HELD,
	RETRIES_SHIFT,
	STATE_AT_LAST,
	TS_LAST,
	orUndefined,
	HOST_CLIENT,
	HOST_NAME,
	HOST_WORKER,
	NO_CLOCK,
	REF,
	STAGE_TYPES,
	TIMELINE_CAP,
	TYPE_NAME,
	clockPart,
	clockPartOf,
	entrySlots,
	hostOf,
	typeOf,
	withHost,
	withType,
} from './task-encoding.js';
import type {TimelineEntry} from './types.js';

/** The entries of `n`, oldest first (a new array); `names` holds custom types and pinned hosts. */
export function readTimeline(
	n: readonly number[],
	client: string | undefined,
	worker: string | undefined,
	names: readonly string[] | undefined,
): TimelineEntry[] {
	const entries: TimelineEntry[] = [];
	for (let i = HEADER; i < n.length;) {
		const code = n[i + 1]!;
		const part = clockPartOf(code);
		const type = typeOf(code);
		const host = hostOf(code);
		entries.push({
			type: type < TYPE_NAME ? STAGE_TYPES[type]! : names![type - TYPE_NAME]!,
			timestamp: n[i]!,
			hostname: host === HOST_CLIENT ? client! : host === HOST_WORKER ? worker! : names![host - HOST_NAME]!,
			clock: part === NO_CLOCK ? undefined : part === CLOCK_NEXT ? n[i + 2]! : part - CLOCK_BASE,
		});
		i += part === CLOCK_NEXT ? 3 : 2;
	}
	return entries;
}

/** Timestamp of the last entry (`wide`: it takes 3 slots); there must be one. */
export function lastTimestamp(n: readonly number[], wide: boolean): number {
	return n[n.length - (wide ? 3 : 2)]!;
}

/** Clock of the last entry (`wide`: it takes 3 slots), NaN when it has none. */
export function lastClock(n: readonly number[], wide: boolean): number {
	if (wide) return n[n.length - 1]!;
	const part = clockPartOf(n[n.length - 1]!);
	return part === NO_CLOCK ? Number.NaN : part - CLOCK_BASE;
}

function lastOrHeld(
	n: readonly number[],
	refs: number,
	held: readonly number[] | undefined,
	flag: number,
	index: number,
): number {
	if ((refs & flag) === 0) return (held ?? HELD_INITIAL)[index]!;
	const wide = (refs & LAST_WIDE) !== 0;
	return flag === CLOCK_LAST ? lastClock(n, wide) : lastTimestamp(n, wide);
}

// The task's timestamp, clock and state time from the last entry or TaskExtra.held (as #refs says).
export const timestampOf = (
	n: readonly number[],
	refs: number,
	held: readonly number[] | undefined,
): number => lastOrHeld(n, refs, held, TS_LAST, HELD_TIMESTAMP);
export const clockOf = (
	n: readonly number[],
	refs: number,
	held: readonly number[] | undefined,
): number | undefined => orUndefined(lastOrHeld(n, refs, held, CLOCK_LAST, HELD_CLOCK));
export const stateAtOf = (n: readonly number[], refs: number, held: readonly number[] | undefined): number =>
	lastOrHeld(n, refs, held, STATE_AT_LAST, HELD_STATE_AT);

/** The LAST_BITS of an event that sets the timestamp, the clock, the state time (each or not). */
export const lastBits = (timestamp: boolean, clock: boolean, stateAt: boolean): number =>
	(timestamp ? TS_LAST : 0) | (clock ? CLOCK_LAST : 0) | (stateAt ? STATE_AT_LAST : 0);

/** Does an event with LAST_BITS `sets` leave a value that is now the last entry's (so hold it)? */
export const leavesLast = (refs: number, sets: number): boolean => (refs & LAST_BITS & ~sets) !== 0;

/** Copy into `held` the values whose LAST_BITS bit `refs` has and `sets` has not. */
export function holdValues(n: readonly number[], refs: number, sets: number, held: number[]): void {
	const wide = (refs & LAST_WIDE) !== 0;
	const leaving = refs & ~sets;
	if (leaving & TS_LAST) held[HELD_TIMESTAMP] = lastTimestamp(n, wide);
	if (leaving & CLOCK_LAST) held[HELD_CLOCK] = lastClock(n, wide);
	if (leaving & STATE_AT_LAST) held[HELD_STATE_AT] = lastTimestamp(n, wide);
}

/** #refs once an entry with LAST_BITS `sets` and clock `clock` is the last. */
export const afterEntry = (refs: number, sets: number, clock: number | undefined): number =>
	(refs & ~(LAST_BITS | LAST_WIDE)) | sets | (clockPart(clock) === CLOCK_NEXT ? LAST_WIDE : 0);

/** Retries from the bits of #refs, or `held` when they say it is held there. */
export function retriesOf(refs: number, held: readonly number[] | undefined): number | undefined {
	const bits = (refs >>> RETRIES_SHIFT) & RETRIES_HELD;
	if (bits === RETRIES_HELD) return orUndefined(held![HELD_RETRIES]!);
	return bits === 0 ? undefined : bits - 1;
}

/** Timestamp of the last entry of stage `index` (a STAGE_TYPES index), NaN when there is none. */
export function lastOfStage(n: readonly number[], index: number): number {
	let last = Number.NaN;
	for (let i = HEADER; i < n.length; i += entrySlots(n[i + 1]!)) {
		if (typeOf(n[i + 1]!) === index) last = n[i]!;
	}
	return last;
}

/** Does an entry say its host is `which` (HOST_CLIENT or HOST_WORKER)? */
export function refersTo(n: readonly number[], which: number): boolean {
	let found = false;
	for (let i = HEADER; i < n.length; i += entrySlots(n[i + 1]!)) found ||= hostOf(n[i + 1]!) === which;
	return found;
}

/** Make the entries whose host is `which` name host `ref` instead (in place). */
export function repoint(n: number[], which: number, ref: number): void {
	for (let i = HEADER; i < n.length; i += entrySlots(n[i + 1]!)) {
		if (hostOf(n[i + 1]!) === which) n[i + 1] = withHost(n[i + 1]!, ref);
	}
}

/** The names the entries refer to, in order of first use; the entries' references are renumbered. */
export function renumberNames(n: number[], old: readonly string[]): string[] {
	const kept: string[] = [];
	const renumber = (k: number): number => {
		const index = kept.indexOf(old[k]!);
		return index >= 0 ? index : kept.push(old[k]!) - 1;
	};
	for (let i = HEADER; i < n.length; i += entrySlots(n[i + 1]!)) {
		let code = n[i + 1]!;
		const type = typeOf(code);
		if (type >= TYPE_NAME) code = withType(code, TYPE_NAME + renumber(type - TYPE_NAME));
		const host = hostOf(code);
		if (host >= HOST_NAME) code = withHost(code, HOST_NAME + renumber(host - HOST_NAME));
		n[i + 1] = code;
	}
	return kept;
}

function entryCount(n: readonly number[]): number {
	let count = 0;
	for (let i = HEADER; i < n.length; i += entrySlots(n[i + 1]!)) count++;
	return count;
}

/** Does the timeline hold TIMELINE_CAP entries (the next append drops the oldest)? */
export function isFull(n: readonly number[]): boolean {
	// Entries take 2 or 3 slots: fewer than 2 * CAP slots means fewer than CAP entries.
	return n.length - HEADER >= 2 * TIMELINE_CAP && entryCount(n) >= TIMELINE_CAP;
}

/** A new array: the header of `old`, its entries from slot `from` on, then the new entry. */
export function withEntry(
	old: readonly number[],
	from: number,
	typeRef: number,
	host: number,
	clock: number | undefined,
	timestamp: number,
): number[] {
	const part = clockPart(clock);
	// A new array of the exact size: push would over-allocate by half (and by 16 slots).
	const n = new Array<number>(old.length - from + HEADER + (part === CLOCK_NEXT ? 3 : 2));
	for (let i = 0; i < HEADER; i++) n[i] = old[i]!;
	let j = HEADER;
	for (let i = from; i < old.length; i++) n[j++] = old[i]!;
	n[j++] = timestamp;
	n[j++] = typeRef + REF * host + REF * REF * part;
	if (part === CLOCK_NEXT) n[j] = clock!;
	return n;
}
