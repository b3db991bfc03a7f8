// The history file opened to read (`celerytop history`): read-only, never the writer's lock, beside a
// `celerytop record` writing it (WAL: a reader sees the last commit). The same refusals as the writer
// (history/recorder.ts) for a file that is not SQLite, is damaged or is newer than this celerytop;
// no quick_check here (it reads the whole file: a question by uuid must stay fast), so damage found
// while reading is reported by the caller with damagedLine.
import {existsSync} from 'node:fs';
import Database from 'better-sqlite3';
import type {CeleryEvent} from '../protocol/types.js';
import {EVENT_SELECT, restoreEvent, type EventRow} from './event-body.js';
import {checkHeader, describe} from './recorder.js';
import {SCHEMA_VERSION, versionOf} from './schema.js';
import {TIMELINE_SQL, taskQuery, type TaskQuery} from './query.js';

export type Opened =
	| {readonly ok: true; readonly reader: HistoryReader}
	| {readonly ok: false; readonly error: string; readonly code: 1};

export type TaskRow = Record<string, string | number | null>;
export type TimelineEntry = {
	readonly type: string;
	readonly timestamp: number | null;
	readonly hostname: string | null;
};

/** The line for an error met while reading: damage named as the writer names it. */
export function damagedLine(path: string, error: unknown): string {
	const message = describe(error);
	return /not a database|malformed|corrupt/i.test(message)
		? `history file ${path} is damaged (${message}): left as it is`
		: `cannot read the history file ${path}: ${message}`;
}

export function openReader(path: string): Opened {
	const refuse = (error: string): Opened => ({ok: false, error, code: 1});
	if (!existsSync(path))
		return refuse(`no history file at ${path} (record one with celerytop record, or name it with --history)`);
	let db: Database.Database;
	try {
		const bad = checkHeader(path);
		if (bad)
			return refuse(
				`history file ${path} is ${bad}: left as it is (move it away, or choose another with --history)`,
			);
		db = new Database(path, {readonly: true, fileMustExist: true, timeout: 5_000});
	} catch (error) {
		return refuse(`cannot open the history file ${path}: ${describe(error)}`);
	}
	try {
		const version = versionOf(db);
		if (version > SCHEMA_VERSION) {
			db.close();
			return refuse(
				`history file ${path} has schema version ${version}, newer than this celerytop's (${SCHEMA_VERSION}): upgrade celerytop or choose another file with --history`,
			);
		}
		if (version < 1) {
			db.close();
			return refuse(`history file ${path} holds no history yet (schema version ${version})`);
		}
		return {ok: true, reader: new HistoryReader(db)};
	} catch (error) {
		try {
			db.close();
		} catch {
			// The error said is the one that matters.
		}
		return refuse(damagedLine(path, error));
	}
}

export class HistoryReader {
	readonly #db: Database.Database;
	readonly #timeline;
	readonly #events;

	constructor(db: Database.Database) {
		this.#db = db;
		this.#timeline = db.prepare(TIMELINE_SQL);
		this.#events = db.prepare(
			`${EVENT_SELECT} WHERE e.task_id = (SELECT id FROM tasks WHERE uuid = ?) AND e.task_id IS NOT NULL ORDER BY e.id`,
		);
	}

	tasks(query: TaskQuery): TaskRow[] {
		const {sql, params} = taskQuery(query);
		return this.#db.prepare(sql).all(...params) as TaskRow[];
	}

	timeline(taskId: number): TimelineEntry[] {
		return this.#timeline.all(taskId) as TimelineEntry[];
	}

	/** The task's events as Celery sent them, in the order received; undefined for a uuid not in the file. */
	events(uuid: string): CeleryEvent[] | undefined {
		const rows = this.#events.all(uuid) as EventRow[];
		if (rows.length === 0 && this.#db.prepare('SELECT 1 FROM tasks WHERE uuid = ?').get(uuid) === undefined)
			return undefined;
		return rows.map(restoreEvent);
	}

	/** EXPLAIN QUERY PLAN's details for a query (the tests check that the indexes answer). */
	plan(query: TaskQuery): string[] {
		const {sql, params} = taskQuery(query);
		return (this.#db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as {detail: string}[]).map(
			(row) => row.detail,
		);
	}

	close(): void {
		this.#db.close();
	}
}
