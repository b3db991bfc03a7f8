// The cluster model fed by events, like celery/events/state.py State: bounded task and worker maps,
// an event stream, counters and rolling rates. O(1) work per event, no sorting. How events merge,
// and where we depart from Celery's State: docs/STATE.md.
import type {CeleryEvent, DecodedMessage, MalformedReason} from '../protocol/types.js';
import {STARTED} from '../protocol/task-states.js';
import {LruMap} from './lru-map.js';
import {RingBuffer} from './ring-buffer.js';
import {RuntimeStats} from './runtime-stats.js';
import {applyTaskEvent, createTask, type TaskRecord} from './task.js';
import type {MalformedCounts, Rates, StreamEntry, Worker} from './types.js';
import {applyWorkerEvent, createWorker, noteTaskActivity} from './worker.js';

export type ClusterOptions = {
	readonly maxTasks?: number;
	readonly maxWorkers?: number;
	readonly streamSize?: number;
};

/** Length of the rolling window of rates(), in one-second buckets. */
export const RATE_WINDOW_SECONDS = 10;
/** Distinct event types counted by name; further new types are counted under OTHER_TYPES. */
export const MAX_EVENT_TYPES = 256;
export const OTHER_TYPES = '(other)';
/** Evicted task ids remembered for the views' indexes (a view further behind rebuilds its index). */
export const EVICTED_LOG = 8_192;

export class ClusterState {
	/** Tasks by uuid; touched on every event, so iteration runs least recently seen first. */
	readonly tasks: LruMap<string, TaskRecord>;
	/** Workers by hostname; touched on every event from them. */
	readonly workers: LruMap<string, Worker>;
	/** The last streamSize events applied, of every type. */
	readonly stream: RingBuffer<StreamEntry>;
	/** Events applied in total. */
	eventCount = 0;
	readonly eventsByType = new Map<string, number>();
	/** Tasks dropped because maxTasks was reached (least recently seen first). */
	evictedTasks = 0;
	/** The tasks in state STARTED now: a few per worker, whatever the retention. */
	readonly running = new Set<TaskRecord>();
	/** Runtimes of the succeeded tasks, per name (what "stuck" is measured against). */
	readonly runtimes = new RuntimeStats();
	readonly malformed = new Map<MalformedReason, number>();
	malformedTotal = 0;
	/** Increases on every apply and recordMalformed: a store can tell whether anything changed. */
	version = 0;

	readonly #stateCounts = new Map<string, number>();
	/** The ids of the last EVICTED_LOG evicted tasks: the nth eviction at n % EVICTED_LOG. */
	readonly #evicted: string[] = [];
	readonly #bucketSecond = new Float64Array(RATE_WINDOW_SECONDS).fill(Number.NaN);
	readonly #bucketEvents = new Float64Array(RATE_WINDOW_SECONDS);
	readonly #bucketSucceeded = new Float64Array(RATE_WINDOW_SECONDS);
	readonly #bucketFailed = new Float64Array(RATE_WINDOW_SECONDS);
	#firstSecond = Number.NaN;

	constructor({maxTasks = 10_000, maxWorkers = 5_000, streamSize = 1_000}: ClusterOptions = {}) {
		this.tasks = new LruMap(maxTasks);
		this.workers = new LruMap(maxWorkers);
		this.stream = new RingBuffer(streamSize);
	}

	/** Count rejected messages or items (the `errors` of decodeEventMessage). */
	recordMalformed(reason: MalformedReason, n = 1): void {
		this.malformed.set(reason, (this.malformed.get(reason) ?? 0) + n);
		this.malformedTotal += n;
		this.version++;
	}

	malformedCounts(): MalformedCounts {
		return Object.fromEntries(this.malformed) as MalformedCounts;
	}

	/** Apply one validated event (from parseEvent / decodeEventMessage). `now`: our epoch seconds. */
	apply(event: CeleryEvent, now: number): void {
		const type = event.type;
		this.eventCount++;
		this.version++;
		this.#countType(type);
		this.stream.push({seq: this.eventCount, received: now, event});
		const isSucceeded = type === 'task-succeeded';
		this.#countRate(now, isSucceeded, !isSucceeded && type === 'task-failed');

		if (type.startsWith('task-')) this.#applyTask(event, now);
		else if (type.startsWith('worker-')) this.#applyWorker(event, now);
	}

	applyBatch(events: readonly CeleryEvent[], now: number): void {
		for (let i = 0; i < events.length; i++) this.apply(events[i]!, now);
	}

	/** Apply the events of a decoded message and count its errors. */
	applyDecoded(message: DecodedMessage, now: number): void {
		this.applyBatch(message.events, now);
		for (const reason of message.errors) this.recordMalformed(reason);
	}

	/**
	 * The ids of the tasks evicted since the `count`th eviction (`evictedTasks` then), oldest first;
	 * undefined when more went since than are remembered.
	 */
	evictedSince(count: number): string[] | undefined {
		const gone = this.evictedTasks - count;
		if (gone < 0 || gone > EVICTED_LOG) return undefined;
		const ids: string[] = [];
		for (let n = count; n < this.evictedTasks; n++) ids.push(this.#evicted[n % EVICTED_LOG]!);
		return ids;
	}

	/** Number of tasks held in each state (states with no task are left out). */
	countsByState(): Record<string, number> {
		return Object.fromEntries(this.#stateCounts);
	}

	/** Rates over the last RATE_WINDOW_SECONDS seconds (fewer just after the first event), per second. */
	rates(now: number): Rates {
		const nowSecond = Math.floor(now);
		let events = 0;
		let succeeded = 0;
		let failed = 0;
		for (let i = 0; i < RATE_WINDOW_SECONDS; i++) {
			const second = this.#bucketSecond[i]!;
			if (second <= nowSecond && second > nowSecond - RATE_WINDOW_SECONDS) {
				events += this.#bucketEvents[i]!;
				succeeded += this.#bucketSucceeded[i]!;
				failed += this.#bucketFailed[i]!;
			}
		}
		const elapsed = nowSecond - this.#firstSecond + 1;
		const span = elapsed >= 1 && elapsed < RATE_WINDOW_SECONDS ? elapsed : RATE_WINDOW_SECONDS;
		return {
			eventsPerSecond: events / span,
			succeededPerSecond: succeeded / span,
			failedPerSecond: failed / span,
		};
	}

	#applyTask(event: CeleryEvent, now: number): void {
		const uuid = event['uuid'] as string; // parseEvent guarantees a string uuid for task-*
		const tasks = this.tasks;
		let task = tasks.get(uuid);
		let before: string | undefined;
		if (task === undefined) {
			task = createTask(uuid, now);
			const evicted = tasks.set(uuid, task);
			if (evicted !== undefined) {
				this.#evicted[this.evictedTasks % EVICTED_LOG] = evicted[0];
				this.evictedTasks++;
				this.#adjustState(evicted[1].state, -1);
				this.running.delete(evicted[1]);
			}
		} else {
			before = task.state;
			// The task's own uuid, not this event's copy: touch re-inserts the key it is given, and a
			// second copy of every uuid would cost 56 bytes a task.
			tasks.touch(task.uuid);
		}
		applyTaskEvent(task, event, now);
		const state = task.state;
		if (before !== state) {
			if (before !== undefined) this.#adjustState(before, -1);
			this.#adjustState(state, 1);
			if (state === STARTED) this.running.add(task);
			else if (before === STARTED) this.running.delete(task);
		}
		if (event.type === 'task-succeeded' && task.name !== undefined && task.runtime !== undefined)
			this.runtimes.add(task.name, task.runtime);

		// Publishers (task-sent, often gen<pid>@host processes) are not workers. A task event counts
		// as the worker's heartbeat, except after its worker-offline (docs/STATE.md).
		if (event.type !== 'task-sent') noteTaskActivity(this.#worker(event.hostname, now), event, now);
	}

	#applyWorker(event: CeleryEvent, now: number): void {
		// Unlike Celery, worker-offline keeps the worker (shown as offline) instead of removing it.
		applyWorkerEvent(this.#worker(event.hostname, now), event, now);
	}

	#worker(hostname: string, now: number): Worker {
		const workers = this.workers;
		let worker = workers.get(hostname);
		if (worker === undefined) {
			worker = createWorker(hostname, now);
			workers.set(hostname, worker);
		} else {
			workers.touch(worker.hostname); // the stored key (see #applyTask)
		}
		return worker;
	}

	#adjustState(state: string, delta: number): void {
		const counts = this.#stateCounts;
		const next = (counts.get(state) ?? 0) + delta;
		if (next === 0) counts.delete(state);
		else counts.set(state, next);
	}

	#countType(type: string): void {
		const byType = this.eventsByType;
		const current = byType.get(type);
		if (current !== undefined) byType.set(type, current + 1);
		else if (byType.size < MAX_EVENT_TYPES) byType.set(type, 1);
		else byType.set(OTHER_TYPES, (byType.get(OTHER_TYPES) ?? 0) + 1);
	}

	#countRate(now: number, succeeded: boolean, failed: boolean): void {
		const second = Math.floor(now);
		if (Number.isNaN(this.#firstSecond)) this.#firstSecond = second;
		const index = ((second % RATE_WINDOW_SECONDS) + RATE_WINDOW_SECONDS) % RATE_WINDOW_SECONDS;
		if (this.#bucketSecond[index] !== second) {
			this.#bucketSecond[index] = second;
			this.#bucketEvents[index] = 0;
			this.#bucketSucceeded[index] = 0;
			this.#bucketFailed[index] = 0;
		}
		this.#bucketEvents[index]++;
		if (succeeded) this.#bucketSucceeded[index]++;
		if (failed) this.#bucketFailed[index]++;
	}
}
