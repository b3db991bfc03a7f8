// The history file's schema (docs/HISTORY.md): the migrations from an empty file up, in order. Each
// step runs in one transaction with the version it leads to; a file newer than the last step is
// refused, never downgraded.
import type Database from 'better-sqlite3';

/** The steps; step i takes a file from version i to version i + 1. Never edit a released step. */
const STEPS: readonly string[] = [
	// 0 → 1: the first schema.
	`
	CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
	CREATE TABLE writer (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		pid INTEGER NOT NULL,
		host TEXT NOT NULL,
		started REAL NOT NULL,
		last_commit REAL NOT NULL
	);
	CREATE TABLE workers (
		id INTEGER PRIMARY KEY,
		hostname TEXT NOT NULL UNIQUE,
		pid INTEGER,
		freq REAL,
		active INTEGER,
		processed INTEGER,
		loadavg TEXT,
		sw_ident TEXT,
		sw_ver TEXT,
		sw_sys TEXT,
		online INTEGER,
		last_heartbeat REAL,
		last_seen REAL NOT NULL
	);
	CREATE TABLE tasks (
		id INTEGER PRIMARY KEY,
		uuid TEXT NOT NULL UNIQUE,
		name TEXT,
		state TEXT,
		worker TEXT,
		client TEXT,
		result TEXT,
		exception TEXT,
		runtime REAL,
		retries INTEGER,
		eta TEXT,
		expires TEXT,
		parent_id TEXT,
		root_id TEXT,
		sent REAL,
		received REAL,
		started REAL,
		succeeded REAL,
		failed REAL,
		retried REAL,
		revoked REAL,
		rejected REAL,
		timestamp REAL,
		last_seen REAL,
		extra TEXT
	);
	CREATE INDEX tasks_last_seen ON tasks (last_seen);
	CREATE INDEX tasks_name ON tasks (name, last_seen);
	CREATE INDEX tasks_state ON tasks (state, last_seen);
	CREATE INDEX tasks_worker ON tasks (worker, last_seen);
	CREATE TABLE shapes (
		id INTEGER PRIMARY KEY,
		type TEXT NOT NULL,
		keys TEXT NOT NULL,
		UNIQUE (type, keys)
	);
	CREATE TABLE events (
		id INTEGER PRIMARY KEY,
		received INTEGER NOT NULL,
		shape INTEGER NOT NULL REFERENCES shapes (id),
		task_id INTEGER REFERENCES tasks (id),
		worker_id INTEGER REFERENCES workers (id),
		timestamp REAL,
		body TEXT NOT NULL
	);
	CREATE INDEX events_received ON events (received);
	CREATE INDEX events_task ON events (task_id) WHERE task_id IS NOT NULL;
	CREATE TABLE gaps (
		id INTEGER PRIMARY KEY,
		start REAL NOT NULL,
		end REAL NOT NULL,
		reason TEXT NOT NULL
	);
	CREATE INDEX gaps_start ON gaps (start);
	`,
];

export const SCHEMA_VERSION = STEPS.length;

/** The file's version: 0 for an empty file (PRAGMA user_version mirrors meta's schema_version). */
export function versionOf(db: Database.Database): number {
	return db.pragma('user_version', {simple: true}) as number;
}

/** Run the steps the file lacks. The caller checked that the file is not newer than SCHEMA_VERSION. */
export function migrate(db: Database.Database, broker: string, now: number): void {
	for (let version = versionOf(db); version < SCHEMA_VERSION; version++) {
		db.transaction(() => {
			db.exec(STEPS[version]!);
			const set = db.prepare(
				'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
			);
			if (version === 0) {
				set.run('created_at', new Date(now * 1000).toISOString());
				set.run('broker', broker);
			}
			set.run('schema_version', String(version + 1));
			db.pragma(`user_version = ${version + 1}`);
		})();
	}
}
