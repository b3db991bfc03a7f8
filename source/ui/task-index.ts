// Pure: the Tasks pane's rows for a query (filter text, sort column and direction, all or only the
// stuck and lost ones), kept from one frame to the next so that a frame costs what changed and what
// is drawn, not what is retained. A task changes only through an event, and every event passes
// through the stream with an increasing seq: a frame takes the tasks named by the events since the
// last one, and the tasks evicted since (the store remembers their ids), and moves only those in a
// sorted list with positions (state/sorted-list.ts). The whole list is rebuilt only when the query
// changes, the view pauses or resumes, or more happened since the last frame than the stream and the
// eviction log remember.
import {taskMatcher} from '../state/selectors.js';
import {SortedList} from '../state/sorted-list.js';
import type {ClusterSnapshot} from '../state/store.js';
import type {Task} from '../state/types.js';
import type {KeyList, RowList} from './row-list.js';

/** The columns the Tasks pane sorts by, in the order `<` and `>` step through them. */
export const TASK_SORTS = ['recent', 'id', 'name', 'state', 'worker', 'received', 'runtime'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

export type TaskQuery = {
	readonly filter: string;
	readonly sort: TaskSort;
	/** Biggest (newest, latest, longest, last in code-point order) first. */
	readonly descending: boolean;
	/** Only the running tasks that are stuck or lost (state/stuck.ts). */
	readonly stuckOnly: boolean;
};

export const DEFAULT_QUERY: TaskQuery = {filter: '', sort: 'recent', descending: true, stuckOnly: false};

type Entry = {
	readonly task: Task;
	readonly key: number | string;
	/** The seq of the task's last event (rebuilt entries: their recency rank below the stream's seqs). */
	readonly seq: number;
};

/** Above any runtime: RUNTIME puts the running tasks first, the longest running at the top. */
const RUNNING = 1e12;

function sortKey(sort: TaskSort, task: Task, seq: number): number | string {
	switch (sort) {
		case 'recent':
			return seq;
		case 'id':
			return task.uuid;
		case 'name':
			return task.name ?? '';
		case 'state':
			return task.state;
		case 'worker':
			return task.worker ?? task.client ?? '';
		case 'received':
			return task.received ?? task.sent ?? task.timestamp;
		case 'runtime':
			if (task.runtime !== undefined) return task.runtime;
			return task.state === 'STARTED' && task.started !== undefined ? RUNNING - task.started : -1;
	}
}

function comparator(descending: boolean): (a: Entry, b: Entry) => number {
	return (a, b) => {
		const order = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
		if (order !== 0) return descending ? -order : order;
		// Ties: the most recently active first, then by id (seqs are unique, so this is total).
		return b.seq - a.seq || (a.task.uuid < b.task.uuid ? -1 : a.task.uuid > b.task.uuid ? 1 : 0);
	};
}

function sameQuery(a: TaskQuery, b: TaskQuery): boolean {
	return (
		a.filter === b.filter && a.sort === b.sort && a.descending === b.descending && a.stuckOnly === b.stuckOnly
	);
}

/** The rows for one frame: a window is read from them by position, the cursor finds a task by id. */
export type TaskRows = RowList<Task> & {
	readonly keys: KeyList;
	/** The tasks the query was run over (all retained; paused: the frozen ones). */
	readonly total: number;
};

export class TaskIndex {
	readonly query: TaskQuery;
	#list: SortedList<Entry>;
	#byId = new Map<string, Entry>();
	/** The newest stream seq and the eviction count taken into account. */
	#seq = -1;
	#evicted = 0;
	#paused = false;
	#total = 0;
	/** Rebuilds so far (tests and the benchmark read it). */
	rebuilds = 0;

	constructor(query: TaskQuery) {
		this.query = query;
		this.#list = new SortedList(comparator(query.descending));
	}

	/** Is this index the one for `query` (else make a new one: the order or the test changed)? */
	serves(query: TaskQuery): boolean {
		return sameQuery(this.query, query);
	}

	/** Bring the index up to `snapshot` and give its rows. */
	update(snapshot: ClusterSnapshot): TaskRows {
		if (this.query.stuckOnly) return this.#stuck(snapshot);
		const newestSeq = snapshot.stream[0]?.seq ?? -1;
		if (this.rebuilds === 0 || snapshot.paused !== this.#paused) this.#rebuild(snapshot, newestSeq);
		else if (!snapshot.paused && !this.#advance(snapshot, newestSeq)) this.#rebuild(snapshot, newestSeq);
		return this.#rows();
	}

	#entry(task: Task, seq: number): Entry {
		return {task, key: sortKey(this.query.sort, task, seq), seq};
	}

	#rebuild(snapshot: ClusterSnapshot, newestSeq: number): void {
		this.rebuilds++;
		this.#paused = snapshot.paused;
		const tasks = snapshot.allTasks(); // newest first
		const matches = taskMatcher(this.query.filter);
		const entries: Entry[] = [];
		this.#byId = new Map();
		for (let i = 0; i < tasks.length; i++) {
			const task = tasks[i]!;
			if (!matches(task)) continue;
			const entry = this.#entry(task, newestSeq - i);
			entries.push(entry);
			this.#byId.set(task.uuid, entry);
		}
		const compare = comparator(this.query.descending);
		// Newest first is already the order of 'recent' (descending): no sort needed for the default.
		if (this.query.sort !== 'recent' || !this.query.descending) entries.sort(compare);
		this.#list = SortedList.fromSorted(entries, compare);
		this.#seq = newestSeq;
		this.#evicted = snapshot.evictedTasks;
		this.#total = tasks.length;
	}

	/** Move the tasks that changed since the last frame; false when that cannot be told (rebuild). */
	#advance(snapshot: ClusterSnapshot, newestSeq: number): boolean {
		const stream = snapshot.stream;
		if (stream.length > 0 && stream.at(-1)!.seq > this.#seq + 1) return false; // events missed
		const evicted = snapshot.evictedSince(this.#evicted);
		if (evicted === undefined) return false;
		const list = this.#list;
		const byId = this.#byId;
		for (const uuid of evicted) {
			const entry = byId.get(uuid);
			if (entry !== undefined && snapshot.taskById(uuid) !== entry.task) {
				list.delete(entry);
				byId.delete(uuid);
			}
		}
		// The newest event of each task named since the last frame (the stream is newest first).
		const latest = new Map<string, number>();
		for (const item of stream) {
			if (item.seq <= this.#seq) break;
			const uuid = (item.event as Record<string, unknown>)['uuid'];
			if (typeof uuid === 'string' && !latest.has(uuid)) latest.set(uuid, item.seq);
		}
		const matches = taskMatcher(this.query.filter);
		for (const [uuid, seq] of latest) {
			const old = byId.get(uuid);
			if (old !== undefined) list.delete(old);
			const task = snapshot.taskById(uuid);
			if (task === undefined || !matches(task)) {
				byId.delete(uuid);
				continue;
			}
			const entry = this.#entry(task, seq);
			list.insert(entry);
			byId.set(uuid, entry);
		}
		this.#seq = newestSeq;
		this.#evicted = snapshot.evictedTasks;
		this.#total = snapshot.taskCount;
		return true;
	}

	/** Stuck-only: the running tasks (a few per worker) tested and sorted afresh each frame. */
	#stuck(snapshot: ClusterSnapshot): TaskRows {
		this.rebuilds++;
		const matches = taskMatcher(this.query.filter);
		const now = snapshot.now;
		const entries: Entry[] = [];
		for (const task of snapshot.running) {
			if (!matches(task) || snapshot.healthOf(task, now) === 'ok') continue;
			entries.push(this.#entry(task, task.lastSeen));
		}
		const compare = comparator(this.query.descending);
		entries.sort(compare);
		this.#list = SortedList.fromSorted(entries, compare);
		this.#byId = new Map(entries.map((entry) => [entry.task.uuid, entry]));
		this.#total = snapshot.running.length;
		return this.#rows();
	}

	#rows(): TaskRows {
		const list = this.#list;
		const byId = this.#byId;
		const length = list.length;
		const indexOf = (uuid: string): number => {
			const entry = byId.get(uuid);
			return entry === undefined ? -1 : list.indexOf(entry);
		};
		return {
			length,
			total: this.#total,
			at: (index) => list.at(index)?.task,
			slice: (start, end) => list.slice(start, end).map((entry) => entry.task),
			keys: {length, at: (index) => list.at(index)?.task.uuid, indexOf},
		};
	}
}
