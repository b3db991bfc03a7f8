import type {CeleryEvent, MalformedReason} from '../protocol/types.js';

/** PENDING, RECEIVED, STARTED, SUCCESS, FAILURE, RETRY, REVOKED, REJECTED, or a custom upper-case state. */
export type TaskStateName = string;

/** Kinds of task event whose timestamp is kept in its own field. */
export type TaskStage =
	'sent' | 'received' | 'started' | 'succeeded' | 'failed' | 'retried' | 'revoked' | 'rejected';

/** One entry of a task's timeline (bounded per task). */
export type TimelineEntry = {
	readonly type: string; // 'task-received', ...
	readonly timestamp: number;
	readonly hostname: string;
	readonly clock: number | undefined;
};

/**
 * A task as the views read it. Every field is read-only: only applyTaskEvent (state/task.ts) changes a
 * task, and TaskRecord stores it compactly (most fields are computed on read). `timeline` builds a new
 * array on each read; copyTask makes a plain, frozen-in-time copy.
 */
export type Task = {
	readonly uuid: string;
	readonly state: TaskStateName;
	readonly name: string | undefined;
	readonly args: string | undefined; // Python repr, as sent (a JSON value: as Python-like text)
	readonly kwargs: string | undefined; // Python repr, as sent (a JSON value: as Python-like text)
	readonly result: string | undefined;
	readonly exception: string | undefined;
	readonly traceback: string | undefined;
	readonly runtime: number | undefined;
	readonly eta: string | null | undefined;
	readonly expires: string | null | undefined;
	readonly retries: number | undefined;
	/** Hostname of the worker whose event set the state (late events do not move it; docs/STATE.md). */
	readonly worker: string | undefined;
	/** Hostname of the publisher (task-sent). */
	readonly client: string | undefined;
	readonly parentId: string | null | undefined;
	readonly rootId: string | null | undefined;
	readonly terminated: boolean | undefined;
	readonly signum: number | null | undefined;
	readonly expired: boolean | undefined;
	readonly requeue: boolean | undefined;
	/** Timestamp of each stage (sender clock, epoch seconds). */
	readonly sent: number | undefined;
	readonly received: number | undefined;
	readonly started: number | undefined;
	readonly succeeded: number | undefined;
	readonly failed: number | undefined;
	readonly retried: number | undefined;
	readonly revoked: number | undefined;
	readonly rejected: number | undefined;
	/** Timestamp of the last event merged (Celery's quirk: late events overwrite it too). */
	readonly timestamp: number;
	readonly clock: number | undefined;
	/** Receive time (our clock) of the last event about this task: drives recency order. */
	readonly lastSeen: number;
	/** Timeline in arrival order, at most TIMELINE_CAP entries (the oldest dropped). */
	readonly timeline: readonly TimelineEntry[];
};

export type Worker = {
	readonly hostname: string;
	pid: number | undefined;
	freq: number; // seconds between heartbeats (60 until a heartbeat says otherwise, like Celery)
	active: number | undefined;
	processed: number | undefined;
	loadavg: readonly number[] | undefined;
	swIdent: string | undefined;
	swVer: string | undefined;
	swSys: string | undefined;
	clock: number | undefined;
	utcoffset: number | undefined;
	/** Receive times (our clock) of the last 4 heartbeats, ascending. Cleared by worker-offline. */
	heartbeats: number[];
	/**
	 * Our clock when worker-offline arrived; undefined when none since the last worker-* event. While
	 * set, task events from the worker do not count as heartbeats (docs/STATE.md).
	 */
	offlineAt: number | undefined;
	/** Our clock of the last event of any kind from this worker. */
	lastSeen: number;
};

export type Rates = {
	readonly eventsPerSecond: number;
	readonly succeededPerSecond: number;
	readonly failedPerSecond: number;
};

export type StreamEntry = {
	readonly seq: number; // increasing arrival number
	readonly received: number; // our clock
	readonly event: CeleryEvent;
};

export type MalformedCounts = Readonly<Partial<Record<MalformedReason, number>>>;
