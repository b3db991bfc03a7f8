// The history file, synchronously (it runs in the writer's worker thread, history/writer-worker.ts):
// open and check it, take the writer's lock, and commit batches of events with the tasks and workers
// they touched, merged by the live store's rules (state/cluster.ts). docs/HISTORY.md says why.
import {closeSync, existsSync, mkdirSync, openSync, readSync, statSync} from 'node:fs';
import {hostname as osHostname} from 'node:os';
import {dirname} from 'node:path';
import Database from 'better-sqlite3';
import type {CeleryEvent} from '../protocol/types.js';
import {ClusterState} from '../state/cluster.js';
import type {Task, Worker} from '../state/types.js';
import {inColumn} from './event-columns.js';
import {migrate, SCHEMA_VERSION, versionOf} from './schema.js';

type Checked<T> = {readonly ok: true; readonly value: T} | {readonly ok: false; readonly error: string};

/** Tasks and workers whose row ids are remembered (the merge keeps as many tasks in memory). */
const MERGE_TASKS = 20_000;
/** Another host's writer holds the file while it committed in the last LOCK_STALE_S seconds. */
const LOCK_STALE_S = 30;

export type Batch = {readonly events: readonly CeleryEvent[]; readonly at: number};

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function fail(error: string): {ok: false; error: string} {
	return {ok: false, error};
}

/** Refuse what is not a SQLite file before SQLite sees it (it would open anything and fail later). */
export function checkHeader(path: string): string | undefined {
	const size = statSync(path).size;
	if (size === 0) return undefined;
	const head = Buffer.alloc(16);
	const fd = openSync(path, 'r');
	try {
		readSync(fd, head, 0, 16, 0);
	} finally {
		closeSync(fd);
	}
	return head.toString('latin1') === 'SQLite format 3\0' ? undefined : 'not a SQLite file';
}

export class Recorder {
	readonly #db: Database.Database;
	readonly #cluster = new ClusterState({maxTasks: MERGE_TASKS, maxWorkers: 5_000, streamSize: 1});
	readonly #taskIds = new Map<string, number>();
	readonly #workerIds = new Map<string, number>();
	readonly #shapeIds = new Map<string, number>();
	readonly #statements;
	readonly #commitBatches: (batches: readonly Batch[], now: number) => void;
	/** Events committed. */
	events = 0;
	commits = 0;

	private constructor(db: Database.Database) {
		this.#db = db;
		const s = {
			event: db.prepare(
				'INSERT INTO events (received, shape, task_id, worker_id, timestamp, body) VALUES (?, ?, ?, ?, ?, ?)',
			),
			shape: db.prepare(
				'INSERT INTO shapes (type, keys) VALUES (?, ?) ON CONFLICT (type, keys) DO UPDATE SET type = type RETURNING id',
			),
			taskId: db.prepare(
				'INSERT INTO tasks (uuid) VALUES (?) ON CONFLICT (uuid) DO UPDATE SET uuid = uuid RETURNING id',
			),
			workerId: db.prepare(
				'INSERT INTO workers (hostname, last_seen) VALUES (?, ?) ON CONFLICT (hostname) DO UPDATE SET hostname = hostname RETURNING id',
			),
			// A field the merge does not know (the task left memory, or the file holds an older run) keeps
			// the file's value: COALESCE, so a late event never blanks a name or its arguments.
			task: db.prepare(`UPDATE tasks SET
				name = COALESCE(@name, name), state = @state, worker = COALESCE(@worker, worker),
				client = COALESCE(@client, client), result = COALESCE(@result, result),
				exception = COALESCE(@exception, exception),
				runtime = COALESCE(@runtime, runtime), retries = COALESCE(@retries, retries),
				eta = COALESCE(@eta, eta), expires = COALESCE(@expires, expires),
				parent_id = COALESCE(@parentId, parent_id), root_id = COALESCE(@rootId, root_id),
				sent = COALESCE(@sent, sent), received = COALESCE(@received, received),
				started = COALESCE(@started, started), succeeded = COALESCE(@succeeded, succeeded),
				failed = COALESCE(@failed, failed), retried = COALESCE(@retried, retried),
				revoked = COALESCE(@revoked, revoked), rejected = COALESCE(@rejected, rejected),
				timestamp = @timestamp, last_seen = @lastSeen, extra = COALESCE(@extra, extra)
				WHERE id = @id`),
			worker: db.prepare(`UPDATE workers SET pid = COALESCE(@pid, pid), freq = @freq,
				active = COALESCE(@active, active), processed = COALESCE(@processed, processed),
				loadavg = COALESCE(@loadavg, loadavg), sw_ident = COALESCE(@swIdent, sw_ident),
				sw_ver = COALESCE(@swVer, sw_ver), sw_sys = COALESCE(@swSys, sw_sys), online = @online,
				last_heartbeat = COALESCE(@lastHeartbeat, last_heartbeat), last_seen = @lastSeen
				WHERE id = @id`),
			gap: db.prepare('INSERT INTO gaps (start, end, reason) VALUES (?, ?, ?)'),
			heartbeat: db.prepare('UPDATE writer SET last_commit = ? WHERE id = 1'),
		};
		this.#statements = s;
		this.#commitBatches = db.transaction((batches: readonly Batch[], now: number) => {
			const tasks = new Set<string>();
			const workers = new Set<string>();
			for (const {events, at} of batches) {
				this.#cluster.applyBatch(events, at);
				const receivedMs = Math.round(at * 1000);
				for (const event of events) {
					const uuid = typeof event['uuid'] === 'string' ? event['uuid'] : undefined;
					const host = typeof event['hostname'] === 'string' ? event['hostname'] : undefined;
					const taskEvent = uuid !== undefined && event.type.startsWith('task-');
					if (taskEvent) tasks.add(uuid);
					if (host !== undefined && event.type.startsWith('worker-')) workers.add(host);
					// The body: the values of the other fields, in the order sent; the names are the shape's.
					const keys = Object.keys(event);
					const values: unknown[] = [];
					for (const key of keys) if (!inColumn(event.type, key)) values.push(event[key]);
					const timestamp = event['timestamp'];
					s.event.run(
						receivedMs,
						this.#shapeId(event.type, keys),
						taskEvent ? this.#taskId(uuid) : null,
						host === undefined ? null : this.#workerId(host, at),
						typeof timestamp === 'number' ? timestamp : null,
						JSON.stringify(values),
					);
				}
			}
			for (const uuid of tasks) {
				const task = this.#cluster.tasks.get(uuid);
				if (task) s.task.run(taskRow(task, this.#taskId(uuid)));
			}
			for (const host of workers) {
				const worker = this.#cluster.workers.get(host);
				if (worker) s.worker.run(workerRow(worker, this.#workerId(host, worker.lastSeen)));
			}
			s.heartbeat.run(now);
		});
	}

	#shapeId(type: string, keys: readonly string[]): number {
		const shape = `${type}\n${keys.join('\n')}`;
		let id = this.#shapeIds.get(shape);
		if (id === undefined) {
			id = (this.#statements.shape.get(type, JSON.stringify(keys)) as {id: number}).id;
			if (this.#shapeIds.size >= 10_000) this.#shapeIds.clear();
			this.#shapeIds.set(shape, id);
		}
		return id;
	}

	#taskId(uuid: string): number {
		let id = this.#taskIds.get(uuid);
		if (id === undefined) {
			id = (this.#statements.taskId.get(uuid) as {id: number}).id;
			if (this.#taskIds.size >= MERGE_TASKS * 2) this.#taskIds.clear();
			this.#taskIds.set(uuid, id);
		}
		return id;
	}

	#workerId(hostname: string, now: number): number {
		let id = this.#workerIds.get(hostname);
		if (id === undefined) {
			id = (this.#statements.workerId.get(hostname, now) as {id: number}).id;
			if (this.#workerIds.size >= 10_000) this.#workerIds.clear();
			this.#workerIds.set(hostname, id);
		}
		return id;
	}

	/** Open (creating it 0600, its directory 0700), check, migrate and lock the file for writing. */
	static open(path: string, broker: string, now: number): Checked<Recorder> {
		let db: Database.Database;
		try {
			if (existsSync(path)) {
				const bad = checkHeader(path);
				if (bad)
					return fail(
						`history file ${path} is ${bad}: left as it is (move it away, or choose another with --history)`,
					);
			} else {
				mkdirSync(dirname(path), {recursive: true, mode: 0o700});
				closeSync(openSync(path, 'wx', 0o600));
			}
			db = new Database(path, {timeout: 5_000});
		} catch (error) {
			return fail(`cannot open the history file ${path}: ${describe(error)}`);
		}
		try {
			const check = db.pragma('quick_check', {simple: true});
			if (check !== 'ok')
				return closeWith(db, `history file ${path} is damaged (${firstProblem(check)}): left as it is`);
			const version = versionOf(db);
			if (version > SCHEMA_VERSION)
				return closeWith(
					db,
					`history file ${path} has schema version ${version}, newer than this celerytop's (${SCHEMA_VERSION}): upgrade celerytop or choose another file with --history`,
				);
			db.pragma('journal_mode = WAL');
			db.pragma('synchronous = NORMAL');
			migrate(db, broker, now);
			const held = lock(db, now);
			if (held) return closeWith(db, `history file ${path} ${held}`);
			return {ok: true, value: new Recorder(db)};
		} catch (error) {
			const message = describe(error);
			const corrupt = /not a database|malformed|corrupt/i.test(message);
			return closeWith(
				db,
				corrupt
					? `history file ${path} is damaged (${message}): left as it is`
					: `cannot use the history file ${path}: ${message}`,
			);
		}
	}

	/** One transaction for the batches (throws on a disk error: the caller stops writing). */
	commit(batches: readonly Batch[], now: number): void {
		this.#commitBatches(batches, now);
		this.commits++;
		for (const batch of batches) this.events += batch.events.length;
	}

	gap(from: number, to: number, reason: string): void {
		this.#statements.gap.run(from, to, reason);
	}

	/** Task rows in the file. */
	get tasks(): number {
		return (this.#db.prepare('SELECT count(*) AS n FROM tasks').get() as {n: number}).n;
	}

	/** Release the lock and close (the WAL is checkpointed into the file). */
	close(now: number): void {
		try {
			this.#db.transaction(() => {
				this.#db
					.prepare(
						"INSERT INTO meta (key, value) VALUES ('last_commit', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
					)
					.run(String(now));
				this.#db.prepare('DELETE FROM writer WHERE id = 1 AND pid = ?').run(process.pid);
			})();
		} finally {
			this.#db.close();
		}
	}
}

/**
 * The one writer: a row naming its pid and host, taken in a BEGIN IMMEDIATE transaction (two openers
 * cannot both see it free). A row of a dead pid on this host (kill -9) is taken over, and the time the
 * dead writer last committed starts a gap. Returns why the file is held, or undefined once it is ours.
 */
function lock(db: Database.Database, now: number): string | undefined {
	const host = osHostname();
	return db
		.transaction(() => {
			const row = db.prepare('SELECT pid, host, last_commit FROM writer WHERE id = 1').get() as
				{pid: number; host: string; last_commit: number} | undefined;
			if (row && row.pid !== process.pid) {
				const held = row.host === host ? isAlive(row.pid) : now - row.last_commit < LOCK_STALE_S;
				if (held)
					return `is being written by pid ${row.pid}${row.host === host ? '' : ` on ${row.host}`} (one writer at a time)`;
			}
			const last = db.prepare("SELECT value FROM meta WHERE key = 'last_commit'").get() as
				{value: string} | undefined;
			const since = row?.last_commit ?? (last ? Number(last.value) : undefined);
			if (since !== undefined && since < now)
				db.prepare('INSERT INTO gaps (start, end, reason) VALUES (?, ?, ?)').run(since, now, 'not recording');
			db.prepare(
				'INSERT INTO writer (id, pid, host, started, last_commit) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, host = excluded.host, started = excluded.started, last_commit = excluded.last_commit',
			).run(process.pid, host, now, now);
			return undefined;
		})
		.immediate();
}

/** The first problem quick_check names, on one line. */
export function firstProblem(check: unknown): string {
	const lines = String(check)
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line !== '' && !line.startsWith('***'));
	return lines[0] ?? 'quick_check failed';
}

function closeWith(db: Database.Database, error: string): {ok: false; error: string} {
	try {
		db.close();
	} catch {
		// The error said is the one that matters.
	}
	return fail(error);
}

export function describe(error: unknown): string {
	const e = error as {code?: string; message?: string};
	const message = (e?.message ?? String(error)).split('\n')[0]!;
	return e?.code && !message.includes(e.code) ? `${message} (${e.code})` : message;
}

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

function taskRow(task: Task, id: number): Record<string, unknown> {
	const extra: Record<string, unknown> = {};
	if (task.terminated !== undefined) extra['terminated'] = task.terminated;
	if (task.signum !== undefined) extra['signum'] = task.signum;
	if (task.expired !== undefined) extra['expired'] = task.expired;
	if (task.requeue !== undefined) extra['requeue'] = task.requeue;
	if (task.clock !== undefined) extra['clock'] = task.clock;
	return {
		id,
		name: orNull(task.name),
		state: task.state,
		worker: orNull(task.worker),
		client: orNull(task.client),
		result: orNull(task.result),
		exception: orNull(task.exception),
		runtime: orNull(task.runtime),
		retries: orNull(task.retries),
		eta: orNull(task.eta),
		expires: orNull(task.expires),
		parentId: orNull(task.parentId),
		rootId: orNull(task.rootId),
		sent: orNull(task.sent),
		received: orNull(task.received),
		started: orNull(task.started),
		succeeded: orNull(task.succeeded),
		failed: orNull(task.failed),
		retried: orNull(task.retried),
		revoked: orNull(task.revoked),
		rejected: orNull(task.rejected),
		timestamp: task.timestamp,
		lastSeen: task.lastSeen,
		extra: Object.keys(extra).length > 0 ? JSON.stringify(extra) : null,
	};
}

function workerRow(worker: Worker, id: number): Record<string, unknown> {
	const beats = worker.heartbeats;
	return {
		id,
		pid: orNull(worker.pid),
		freq: worker.freq,
		active: orNull(worker.active),
		processed: orNull(worker.processed),
		loadavg: worker.loadavg ? JSON.stringify(worker.loadavg) : null,
		swIdent: orNull(worker.swIdent),
		swVer: orNull(worker.swVer),
		swSys: orNull(worker.swSys),
		online: worker.offlineAt === undefined ? 1 : 0,
		lastHeartbeat: beats.length > 0 ? beats[beats.length - 1]! : null,
		lastSeen: worker.lastSeen,
	};
}
