// One task's state from its events, with Celery's out-of-order merge rules (celery/events/state.py
// Task.event, docs/WIRE.md §7.2) where they hold, and ours where they mislead (docs/STATE.md). Every
// field is type-checked: hostile input never makes later code crash.
//
// Up to 100 000 tasks are kept, so a task is stored compactly (a plain object per task and per
// timeline entry took 1.5 KB a task; see TaskRecord for the layout, task-encoding.ts for its codes and
// task-timeline.ts for the timeline's walks). Readers see the plain Task shape (task-plain.ts).
import type {CeleryEvent} from '../protocol/types.js';
import {argsText} from '../protocol/events.js';
import {PENDING, RECEIVED, isStale, stateForEventType} from '../protocol/task-states.js';
import {canonical, intern} from './intern.js';
import {
	HEADER,
	HELD_INITIAL,
	HELD_RETRIES,
	HOST_CLIENT,
	HOST_NAME,
	HOST_WORKER,
	LAST_SEEN,
	NAMES_COMPACT_AT,
	REF_NULL,
	REF_SHIFT,
	REF_STRING,
	REF_UNSET,
	REF_UUID,
	RUNTIME,
	SENT,
	STAGES,
	TYPE_NAME,
	TaskExtra,
	entrySlots,
	orUndefined,
	refOf,
	retriesAreHeld,
	stageIndex,
	typeOf,
	withRetries,
	type RefField,
} from './task-encoding.js';
import {
	afterEntry,
	clockOf,
	holdValues,
	isFull,
	lastBits,
	lastOfStage,
	leavesLast,
	readTimeline,
	refersTo,
	renumberNames,
	repoint,
	retriesOf,
	stateAtOf,
	timestampOf,
	withEntry,
} from './task-timeline.js';
import {plainTask} from './task-plain.js';
import type {Task, TaskStateName, TimelineEntry} from './types.js';

export {STAGES, TIMELINE_CAP, stageOf} from './task-encoding.js';

function isFiniteNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/**
 * A task, stored compactly (about 230 bytes plus its own strings at 4 timeline entries):
 * - the numbers and the timeline share one array of doubles (unboxed, allocated at its exact size on
 *   every event) instead of boxed fields and an object per entry;
 * - the timestamp, clock and state time are the last entry's unless an event left them (then held in
 *   TaskExtra); a stage time (sent, …) the last entry of its type's (or the one kept when dropped);
 * - a timeline entry's hostname is usually the task's client (task-sent) or worker (the rest), so the
 *   entry just says which; when the client or worker changes, entries that said so get the old name;
 * - hostnames, names, custom states, kwargs, results and exceptions are interned (intern.ts).
 * Helper methods are TS-private, not #private: #methods cost every instance a brand slot.
 */
export class TaskRecord implements Task {
	readonly uuid: string;
	state: TaskStateName = PENDING;
	name: string | undefined = undefined;
	args: string | undefined = undefined;
	kwargs: string | undefined = undefined;
	result: string | undefined = undefined;
	#client: string | undefined = undefined;
	#worker: string | undefined = undefined;
	#refs = REF_UNSET; // for every RefField, and the flags and retries of task-encoding.ts
	#n: number[];
	#extra: TaskExtra | undefined = undefined;

	constructor(uuid: string, now: number) {
		this.uuid = uuid;
		this.#n = [now, Number.NaN];
	}

	get client(): string | undefined {
		return this.#client;
	}
	get worker(): string | undefined {
		return this.#worker;
	}
	get timestamp(): number {
		return timestampOf(this.#n, this.#refs, this.#extra?.held);
	}
	get lastSeen(): number {
		return this.#n[LAST_SEEN]!;
	}
	get runtime(): number | undefined {
		return orUndefined(this.#n[RUNTIME]!);
	}
	get clock(): number | undefined {
		return clockOf(this.#n, this.#refs, this.#extra?.held);
	}
	get retries(): number | undefined {
		return retriesOf(this.#refs, this.#extra?.held);
	}
	get exception(): string | undefined {
		return this.#extra?.exception;
	}
	get traceback(): string | undefined {
		return this.#extra?.traceback;
	}
	get terminated(): boolean | undefined {
		return this.#extra?.terminated;
	}
	get signum(): number | null | undefined {
		return this.#extra?.signum;
	}
	get expired(): boolean | undefined {
		return this.#extra?.expired;
	}
	get requeue(): boolean | undefined {
		return this.#extra?.requeue;
	}
	get eta(): string | null | undefined {
		return refOf(this.#refs, 'eta', this.#extra, this.uuid);
	}
	get expires(): string | null | undefined {
		return refOf(this.#refs, 'expires', this.#extra, this.uuid);
	}
	get parentId(): string | null | undefined {
		return refOf(this.#refs, 'parentId', this.#extra, this.uuid);
	}
	get rootId(): string | null | undefined {
		return refOf(this.#refs, 'rootId', this.#extra, this.uuid);
	}
	get sent(): number | undefined {
		return this.stage(0);
	}
	get received(): number | undefined {
		return this.stage(1);
	}
	get started(): number | undefined {
		return this.stage(2);
	}
	get succeeded(): number | undefined {
		return this.stage(3);
	}
	get failed(): number | undefined {
		return this.stage(4);
	}
	get retried(): number | undefined {
		return this.stage(5);
	}
	get revoked(): number | undefined {
		return this.stage(6);
	}
	get rejected(): number | undefined {
		return this.stage(7);
	}

	/** The timeline as entries, oldest first (a new array on each read). */
	get timeline(): TimelineEntry[] {
		return readTimeline(this.#n, this.#client, this.#worker, this.#extra?.names);
	}

	/** The fields as a plain object, so JSON.stringify of a task shows them. */
	toJSON(): Task {
		return plainTask(this);
	}

	/** A copy that later events do not change (strings shared, mutable storage copied). */
	clone(): TaskRecord {
		const copy = new TaskRecord(this.uuid, 0);
		copy.state = this.state;
		copy.name = this.name;
		copy.args = this.args;
		copy.kwargs = this.kwargs;
		copy.result = this.result;
		copy.#client = this.#client;
		copy.#worker = this.#worker;
		copy.#refs = this.#refs;
		copy.#n = this.#n.slice();
		const extra = this.#extra;
		copy.#extra = extra?.copy();
		return copy;
	}

	/** Apply one event: see applyTaskEvent. */
	apply(event: CeleryEvent, now: number): void {
		const type = event.type;
		const timestamp = event.timestamp;
		const hostname = event.hostname;
		const index = stageIndex(type);

		let state = stateForEventType(type);
		if (index < 0) state = intern(state); // a custom state is a new string per event
		const worker = this.#worker;
		const sameWorker = index !== SENT && hostname === worker;
		const stateAt = stateAtOf(this.#n, this.#refs, this.#extra?.held);
		const late = isStale(state, this.state, sameWorker, timestamp < stateAt);
		// task-sent names the client; another event moves the task to its worker unless it is late
		// (docs/STATE.md: the worker is the one whose event set the state).
		let host = HOST_WORKER;
		if (index === SENT) {
			this.setHost(HOST_CLIENT, hostname);
			host = HOST_CLIENT;
		} else if (!sameWorker) {
			if (!late || worker === undefined) this.setHost(HOST_WORKER, hostname);
			else host = HOST_NAME; // a late event from another worker: its entry names its host (below)
		}
		if (late) {
			this.mergeReceivedFields(event);
			if (state !== RECEIVED) this.mergeOtherFields(event);
		} else {
			this.state = state;
			this.mergeReceivedFields(event);
			this.mergeOtherFields(event);
		}

		let typeRef = index >= 0 ? index : TYPE_NAME + this.nameIndex(intern(type));
		if (host === HOST_NAME) {
			// Adding the host's name may compact the names (renumbering them): look the type up again.
			const names = this.#extra?.names;
			host = HOST_NAME + this.nameIndex(intern(hostname));
			if (index < 0 && this.#extra!.names !== names) typeRef = TYPE_NAME + this.nameIndex(intern(type));
		}
		const clock = event['clock'];
		const merged = !late || state !== RECEIVED; // mergeOtherFields took its timestamp and clock
		const sets = lastBits(merged, merged && isFiniteNumber(clock), !late);
		this.append(typeRef, host, isFiniteNumber(clock) ? clock : undefined, timestamp, sets);
		this.#n[LAST_SEEN] = now;
	}

	private held(): number[] {
		return (this.ensureExtra().held ??= HELD_INITIAL.slice());
	}

	private setRetries(retries: number): void {
		this.#refs = withRetries(this.#refs, retries);
		if (retriesAreHeld(this.#refs)) this.held()[HELD_RETRIES] = retries;
	}

	/** The fields a late task-received may still contribute (Celery's merge_rules[RECEIVED]). */
	private mergeReceivedFields(e: Readonly<Record<string, unknown>>): void {
		const name = e['name'];
		if (typeof name === 'string') this.name = canonical(this.name, name);
		// Celery sends repr strings; other producers may send JSON values (argsText renders them).
		const args = e['args'];
		if (typeof args === 'string') this.args = args;
		else if (typeof args === 'object' && args !== null) this.args = argsText(args);
		const kwargs = e['kwargs'];
		if (typeof kwargs === 'string') this.kwargs = canonical(this.kwargs, kwargs);
		else if (typeof kwargs === 'object' && kwargs !== null)
			this.kwargs = canonical(this.kwargs, argsText(kwargs));
		const parentId = e['parent_id'];
		if (typeof parentId === 'string' || parentId === null) this.setRef('parentId', parentId);
		const rootId = e['root_id'];
		if (typeof rootId === 'string' || rootId === null) this.setRef('rootId', rootId);
		const retries = e['retries'];
		if (isFiniteNumber(retries)) this.setRetries(retries);
		const eta = e['eta'];
		if (typeof eta === 'string' || eta === null) this.setRef('eta', eta);
		const expires = e['expires'];
		if (typeof expires === 'string' || expires === null) this.setRef('expires', expires);
	}

	/** Every other field a task event can carry (state aside). Missing or mistyped fields are ignored. */
	private mergeOtherFields(e: Readonly<Record<string, unknown>>): void {
		const n = this.#n;
		const result = e['result'];
		if (typeof result === 'string') this.result = canonical(this.result, result);
		const exception = e['exception'];
		if (typeof exception === 'string') this.ensureExtra().exception = intern(exception);
		const traceback = e['traceback'];
		if (typeof traceback === 'string') this.ensureExtra().traceback = traceback;
		const runtime = e['runtime'];
		if (isFiniteNumber(runtime)) n[RUNTIME] = runtime;
		const terminated = e['terminated'];
		if (typeof terminated === 'boolean') this.ensureExtra().terminated = terminated;
		const signum = e['signum'];
		if (isFiniteNumber(signum) || signum === null) this.ensureExtra().signum = signum;
		const expired = e['expired'];
		if (typeof expired === 'boolean') this.ensureExtra().expired = expired;
		const requeue = e['requeue'];
		if (typeof requeue === 'boolean') this.ensureExtra().requeue = requeue;
	}

	private ensureExtra(): TaskExtra {
		return (this.#extra ??= new TaskExtra());
	}

	private setRef(field: RefField, value: string | null): void {
		const shift = REF_SHIFT[field];
		let kind = REF_STRING;
		if (value === null) kind = REF_NULL;
		else if (value === this.uuid) kind = REF_UUID;
		else this.ensureExtra().setRef(field, value);
		if (kind !== REF_STRING && this.#extra !== undefined) this.#extra[field] = undefined;
		this.#refs = (this.#refs & ~(3 << shift)) | (kind << shift);
	}

	/** Timestamp of the last event of stage `index`, or undefined when none was seen. */
	private stage(index: number): number | undefined {
		const last = lastOfStage(this.#n, index);
		return orUndefined(Number.isNaN(last) ? (this.#extra?.stages?.[index] ?? Number.NaN) : last);
	}

	/** Make `hostname` the client (HOST_CLIENT) or worker; entries that pointed at the old one keep it. */
	private setHost(which: number, hostname: string): void {
		const current = which === HOST_CLIENT ? this.#client : this.#worker;
		if (current === hostname) return;
		if (current !== undefined) this.pinHost(which, current);
		if (which === HOST_CLIENT) this.#client = intern(hostname);
		else this.#worker = intern(hostname);
	}

	private pinHost(which: number, hostname: string): void {
		if (!refersTo(this.#n, which)) return;
		const ref = HOST_NAME + this.nameIndex(hostname); // may rewrite codes: read them after
		repoint(this.#n, which, ref);
	}

	/** Index of `value` in names, added if absent. */
	private nameIndex(value: string): number {
		const extra = this.ensureExtra();
		const names = (extra.names ??= []);
		const index = names.indexOf(value);
		if (index >= 0) return index;
		if (names.length >= NAMES_COMPACT_AT) this.compactNames();
		return extra.names!.push(value) - 1;
	}

	/** Keep only the names the timeline refers to (their references renumbered). */
	private compactNames(): void {
		const extra = this.#extra!;
		extra.names = renumberNames(this.#n, extra.names!);
	}

	/**
	 * Add a timeline entry, dropping the oldest at TIMELINE_CAP (its stage time is remembered). The
	 * timestamp, clock and state time the event sets (LAST_BITS `sets`) become the entry's; those it
	 * leaves as they were are held in TaskExtra.held if they were the last entry's.
	 */
	private append(
		typeRef: number,
		host: number,
		clock: number | undefined,
		timestamp: number,
		sets: number,
	): void {
		const old = this.#n;
		const refs = this.#refs;
		if (leavesLast(refs, sets)) holdValues(old, refs, sets, this.held());
		let from = HEADER;
		if (isFull(old)) {
			const code = old[HEADER + 1]!;
			const type = typeOf(code);
			if (type < TYPE_NAME) {
				const extra = this.ensureExtra();
				(extra.stages ??= new Array<number>(STAGES.length).fill(Number.NaN))[type] = old[HEADER]!;
			}
			from = HEADER + entrySlots(code);
		}
		this.#n = withEntry(old, from, typeRef, host, clock, timestamp);
		this.#refs = afterEntry(refs, sets, clock);
	}
}

export function createTask(uuid: string, now: number): TaskRecord {
	return new TaskRecord(uuid, now);
}

/**
 * Apply one task-* event (already validated by parseEvent) to its task (docs/STATE.md):
 * 1. the stage timestamp (`sent`, `received`, …) is always stored;
 * 2. a late event (isStale: Celery's precedence, with our departures) keeps the state; a late
 *    task-received contributes only name, args, kwargs, parent_id, root_id, retries, eta, expires;
 *    any other late event merges all its fields (timestamp and clock included: Celery's quirk);
 * 3. otherwise the state moves to the event's state and all fields are merged.
 * task-sent sets `client`; every other task event that is not late sets `worker` (its hostname).
 * args/kwargs sent as JSON values rather than strings are kept as Python-like text (argsText).
 */
export function applyTaskEvent(task: TaskRecord, event: CeleryEvent, now: number): void {
	task.apply(event, now);
}

/** A copy of a task that later events do not change (a paused view's rows). */
export function copyTask(task: Task): Task {
	return task instanceof TaskRecord ? task.clone() : plainTask(task);
}
