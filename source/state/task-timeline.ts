// The timeline in TaskRecord's array of doubles (the layout is in task-encoding.ts): read it as
// entries, find a stage's last time, append an entry past the cap, repoint the entries of a pinned
// host, renumber the names they refer to. Pure functions over the array; the record (task.ts) owns
// the array, the names and the stage times of dropped entries.
import {
	CLOCK_BASE,
	CLOCK_NEXT,
	HEADER,
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
