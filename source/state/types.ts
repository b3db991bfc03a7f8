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

export type Task = {
	readonly uuid: string;
	state: TaskStateName;
	name: string | undefined;
	args: string | undefined; // Python repr, as sent
	kwargs: string | undefined; // Python repr, as sent
	result: string | undefined;
	exception: string | undefined;
	traceback: string | undefined;
	runtime: number | undefined;
	eta: string | null | undefined;
	expires: string | null | undefined;
	retries: number | undefined;
	/** Hostname of the worker (every task event but task-sent). */
	worker: string | undefined;
	/** Hostname of the publisher (task-sent). */
	client: string | undefined;
	parentId: string | null | undefined;
	rootId: string | null | undefined;
	terminated: boolean | undefined;
	signum: number | null | undefined;
	expired: boolean | undefined;
	requeue: boolean | undefined;
	/** Timestamp of each stage (sender clock, epoch seconds). */
	sent: number | undefined;
	received: number | undefined;
	started: number | undefined;
	succeeded: number | undefined;
	failed: number | undefined;
	retried: number | undefined;
	revoked: number | undefined;
	rejected: number | undefined;
	/** Timestamp of the last event merged (Celery's quirk: late events overwrite it too). */
	timestamp: number;
	clock: number | undefined;
	/** Receive time (our clock) of the last event about this task: drives recency order. */
	lastSeen: number;
	/** Timeline in arrival order, at most TIMELINE_CAP entries (the oldest dropped). */
	timeline: TimelineEntry[];
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
	/** Our clock when worker-offline arrived (undefined when none since the last heartbeat). */
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
