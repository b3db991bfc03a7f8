// Pure store: feeds apply batches into the ClusterState; the store publishes at most one
// immutable snapshot per flush (the caller flushes on a frame timer). No timers or clock here.
import type {CeleryEvent, MalformedReason} from '../protocol/types.js';
import {ClusterState, type ClusterOptions} from './cluster.js';
import {tasksNewestFirst, workersSorted} from './selectors.js';
import {healthOf, stuckThreshold, type Health} from './stuck.js';
import {intern} from './intern.js';
import {copyTask} from './task.js';
import type {MalformedCounts, Rates, StreamEntry, Task, Worker} from './types.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed' | 'error';

/** A span during which the subscriber was not connected: events published then are lost. */
export type Gap = {readonly from: number; readonly to: number | undefined};

export type Connection = {
	readonly status: ConnectionStatus;
	readonly since: number;
	readonly error: string | undefined;
	readonly gaps: readonly Gap[];
};

export type ClusterSnapshot = {
	readonly version: number;
	readonly now: number;
	readonly paused: boolean;
	/**
	 * Every retained task, newest activity first: a new array of them all (O(n)), for a one-off
	 * (a view's index rebuilt, marking all, tests), never per frame. Paused: the frozen copies.
	 */
	readonly allTasks: () => readonly Task[];
	/** The ids of the tasks evicted since the `count`th eviction, or undefined when too many went since. */
	readonly evictedSince: (count: number) => readonly string[] | undefined;
	/** The tasks running now (STARTED), in no order: a few per worker. */
	readonly running: readonly Task[];
	/** Running tasks past their stuck threshold, and those whose worker went offline. */
	readonly stuckCount: number;
	readonly lostCount: number;
	/** A task at `now`: running normally, stuck, or lost with its worker (state/stuck.ts). */
	readonly healthOf: (task: Task, now: number) => Health;
	readonly workers: readonly Worker[]; // by hostname
	readonly stream: readonly StreamEntry[]; // newest first
	readonly counts: Readonly<Record<string, number>>;
	readonly rates: Rates;
	/** Tasks retained now: while paused it keeps counting, like the counters, though `tasks` is frozen. */
	readonly taskCount: number;
	readonly eventCount: number;
	readonly evictedTasks: number;
	readonly malformed: MalformedCounts;
	readonly malformedTotal: number;
	readonly connection: Connection;
	readonly maxTasks: number;
	/** Tasks a revoke was sent for, until their task-revoked arrives (our clock of the send). */
	readonly revokeSent: ReadonlyMap<string, number>;
	/** A retained task by id (names for events that carry none). */
	readonly taskById: (uuid: string) => Task | undefined;
};

/**
 * Events the Events pane keeps (--max-events): about 370 bytes of heap each with real events
 * (10,000 ≈ 3.7 MB). Not more by default: the snapshot and the pane's keys still cover the whole ring
 * each frame (50,000 cost 1.3 ms a frame, a filter 5 ms), until the panes ask for their window only.
 */
export const DEFAULT_MAX_EVENTS = 10_000;
const MAX_GAPS = 20;
const MAX_REVOKE_MARKS = 1_000;

export class Store {
	readonly cluster: ClusterState;
	private snapshot: ClusterSnapshot;
	private readonly listeners = new Set<() => void>();
	private connection: Connection;
	private metaVersion = 0;
	private published = {cluster: -1, connection: -1, second: -1};
	private paused = false;
	/** While paused: the lists as they were when the view paused (counters stay live on top). */
	private frozen: ClusterSnapshot | undefined;
	private readonly revokes = new Map<string, number>();
	private readonly maxTasks: number;
	private readonly taskById = (uuid: string): Task | undefined => this.cluster.tasks.get(uuid);
	private readonly evictedSince = (count: number) => this.cluster.evictedSince(count);
	/** --stuck-after in seconds, or undefined for the per-name default. */
	private readonly stuckAfterSeconds: number | undefined;
	/** The one reading of a task's health: its worker as known now, the threshold of its name. */
	private readonly healthOf = (task: Task, now: number): Health => {
		if (task.state !== 'STARTED') return 'ok';
		const worker = task.worker === undefined ? undefined : this.cluster.workers.get(task.worker);
		return healthOf(
			task,
			now,
			worker,
			stuckThreshold(this.cluster.runtimes, task.name, this.stuckAfterSeconds),
		);
	};

	constructor(options: ClusterOptions & {readonly now: number; readonly stuckAfter?: number}) {
		this.cluster = new ClusterState({...options, streamSize: options.streamSize ?? DEFAULT_MAX_EVENTS});
		this.maxTasks = options.maxTasks ?? 10_000;
		this.stuckAfterSeconds = options.stuckAfter;
		this.connection = {status: 'connecting', since: options.now, error: undefined, gaps: []};
		this.snapshot = this.build(options.now);
	}

	// Feed side -----------------------------------------------------------------------------

	applyBatch(events: readonly CeleryEvent[], now: number): void {
		this.cluster.applyBatch(events, now);
	}

	recordMalformed(reason: MalformedReason, count = 1): void {
		this.cluster.recordMalformed(reason, count);
	}

	setConnection(status: ConnectionStatus, now: number, error?: string): void {
		const previous = this.connection;
		if (previous.status === status && previous.error === error) return;
		let gaps = previous.gaps;
		const wasUp = previous.status === 'connected';
		const isUp = status === 'connected';
		if (wasUp && !isUp) gaps = [...gaps, {from: now, to: undefined}].slice(-MAX_GAPS);
		if (!wasUp && isUp && gaps.length > 0 && gaps.at(-1)!.to === undefined) {
			gaps = [...gaps.slice(0, -1), {from: gaps.at(-1)!.from, to: now}];
		}
		// `since` marks when the connection went up or down, not each retry while it is down.
		const since = !wasUp && !isUp && previous.status !== 'connecting' ? previous.since : now;
		this.connection = {status, since, error, gaps};
		this.metaVersion++;
	}

	/**
	 * A name learnt another way (a worker's query_task reply) for a task first seen mid-flight; a name
	 * the events gave is never replaced. Published on the next flush. False when nothing changed.
	 */
	nameTask(uuid: string, name: string): boolean {
		const task = this.cluster.tasks.get(uuid);
		if (task === undefined || task.name !== undefined) return false;
		task.name = intern(name);
		this.cluster.version++;
		return true;
	}

	/** Remember that a revoke was sent for a task, so the view can mark it until it is revoked. */
	markRevokeSent(uuid: string, now: number): void {
		this.revokes.delete(uuid);
		this.revokes.set(uuid, now);
		if (this.revokes.size > MAX_REVOKE_MARKS) this.revokes.delete(this.revokes.keys().next().value!);
		this.metaVersion++; // published on the next flush
	}

	private pendingRevokes(): ReadonlyMap<string, number> {
		for (const uuid of this.revokes.keys()) {
			if (this.cluster.tasks.get(uuid)?.state === 'REVOKED') this.revokes.delete(uuid);
		}
		return new Map(this.revokes);
	}

	// View side -----------------------------------------------------------------------------

	readonly subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	readonly getSnapshot = (): ClusterSnapshot => this.snapshot;

	isPaused(): boolean {
		return this.paused;
	}

	setPaused(paused: boolean, now: number): void {
		if (this.paused === paused) return;
		this.paused = paused;
		// A paused view keeps a frozen copy, so rows do not change under the operator.
		this.frozen = paused ? freeze({...this.snapshot, paused: true}) : undefined;
		this.snapshot = this.frozen ? this.withLiveCounters(this.frozen, now) : this.build(now);
		this.notify();
	}

	/**
	 * Publish a new snapshot when anything changed, or when a new second starts (ages, liveness
	 * and rates move with the clock). Returns true when listeners were notified. While paused the
	 * lists stay frozen and only the counters and the connection move.
	 */
	flush(now: number): boolean {
		const second = Math.floor(now);
		if (
			this.published.cluster === this.cluster.version &&
			this.published.connection === this.metaVersion &&
			this.published.second === second
		) {
			return false;
		}
		this.snapshot = this.frozen ? this.withLiveCounters(this.frozen, now) : this.build(now);
		this.notify();
		return true;
	}

	private notify(): void {
		for (const listener of this.listeners) listener();
	}

	private build(now: number): ClusterSnapshot {
		const cluster = this.cluster;
		const running = Array.from(cluster.running);
		return {
			now,
			paused: false,
			allTasks: () => tasksNewestFirst(cluster),
			running,
			workers: workersSorted(cluster),
			stream: cluster.stream.newestFirst(),
			maxTasks: this.maxTasks,
			taskById: this.taskById,
			evictedSince: this.evictedSince,
			healthOf: this.healthOf,
			...this.health(running, now),
			...this.liveCounters(now),
		};
	}

	/**
	 * The frozen lists (and their `now`, so ages and liveness agree with them) with the counters,
	 * rates and connection of this moment: nothing is copied per task, worker or event.
	 */
	private withLiveCounters(frozen: ClusterSnapshot, now: number): ClusterSnapshot {
		return {...frozen, ...this.liveCounters(now)};
	}

	/** How many running tasks are stuck or lost at `now` (O(running tasks)). */
	private health(running: readonly Task[], now: number): {stuckCount: number; lostCount: number} {
		let stuckCount = 0;
		let lostCount = 0;
		for (const task of running) {
			const health = this.healthOf(task, now);
			if (health === 'stuck') stuckCount++;
			else if (health === 'lost') lostCount++;
		}
		return {stuckCount, lostCount};
	}

	/** What a snapshot counts now, lists aside; marks what was published. */
	private liveCounters(now: number) {
		const cluster = this.cluster;
		this.published = {cluster: cluster.version, connection: this.metaVersion, second: Math.floor(now)};
		return {
			version: cluster.version,
			counts: cluster.countsByState(),
			rates: cluster.rates(now),
			taskCount: cluster.tasks.size,
			eventCount: cluster.eventCount,
			evictedTasks: cluster.evictedTasks,
			malformed: Object.fromEntries(cluster.malformed),
			malformedTotal: cluster.malformedTotal,
			connection: this.connection,
			revokeSent: this.pendingRevokes(),
		};
	}
}

/** Copy the mutable task and worker objects a paused view would otherwise see change. */
function freeze(snapshot: ClusterSnapshot): ClusterSnapshot {
	const tasks = snapshot.allTasks().map(copyTask);
	const running = new Set(snapshot.running.map((task) => task.uuid));
	return {
		...snapshot,
		allTasks: () => tasks,
		running: tasks.filter((task) => running.has(task.uuid)),
		workers: snapshot.workers.map((worker) => ({...worker, heartbeats: [...worker.heartbeats]})),
	};
}
