// Pure store: feeds apply batches into the ClusterState; the store publishes at most one
// immutable snapshot per flush (the caller flushes on a frame timer). No timers or clock here.
import type {CeleryEvent, MalformedReason} from '../protocol/types.js';
import {ClusterState, type ClusterOptions} from './cluster.js';
import {tasksNewestFirst, workersSorted} from './selectors.js';
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
	readonly tasks: readonly Task[]; // newest activity first
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

	constructor(options: ClusterOptions & {readonly now: number}) {
		this.cluster = new ClusterState({...options, streamSize: options.streamSize ?? DEFAULT_MAX_EVENTS});
		this.maxTasks = options.maxTasks ?? 10_000;
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
		return {
			now,
			paused: false,
			tasks: tasksNewestFirst(cluster),
			workers: workersSorted(cluster),
			stream: cluster.stream.newestFirst(),
			maxTasks: this.maxTasks,
			taskById: this.taskById,
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
	return {
		...snapshot,
		tasks: snapshot.tasks.map(copyTask),
		workers: snapshot.workers.map((worker) => ({...worker, heartbeats: [...worker.heartbeats]})),
	};
}
