// The history writer in-process on real files: every event restorable exactly, the merged task rows
// the live store computes, the file's mode, and the files it refuses (newer schema, not SQLite,
// damaged) left byte for byte as they were.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import Database from 'better-sqlite3';
import {openHistory} from '../../source/history/writer.js';
import {EVENT_SELECT, restoreEvent, type EventRow} from '../../source/history/event-body.js';
import {SCHEMA_VERSION} from '../../source/history/schema.js';
import {brokerIdentity, defaultHistoryPath, fileNamePart} from '../../source/history/path.js';
import {decodeEventMessage} from '../../source/protocol/events.js';
import {ClusterState} from '../../source/state/cluster.js';
import {parseBrokerUrl} from '../../source/config.js';
import {readJsonLines, type PubSubLine} from '../helpers/fixtures.js';

const dir = () => mkdtempSync(join(tmpdir(), 'celerytop-history-'));

function captured() {
	return readJsonLines<PubSubLine>('events-pubsub.jsonl')
		.filter((line) => line.channel.includes('celeryev'))
		.map((line) => ({events: decodeEventMessage(line.data).events, t: line.t}));
}

test('every event is stored and restored as sent; the tasks table holds the merged state', async () => {
	const path = join(dir(), 'new', 'h.sqlite');
	const opened = await openHistory({path, broker: '127.0.0.1:6390/0'});
	assert.ok(opened.ok, opened.ok ? '' : opened.error);
	const batches = captured();
	const cluster = new ClusterState({maxTasks: 100_000});
	for (const {events, t} of batches) {
		opened.writer.append(events, t);
		cluster.applyBatch(events, t);
	}
	const stats = await opened.writer.close();
	const sent = batches.flatMap((b) => b.events);
	assert.ok(sent.length > 100, 'the fixture has events');
	assert.equal(stats.events, sent.length);
	assert.equal(stats.dropped, 0);
	assert.equal(statSync(path).mode & 0o777, 0o600);
	assert.equal(statSync(join(path, '..')).mode & 0o777, 0o700);

	const db = new Database(path, {readonly: true});
	const rows = db.prepare(`${EVENT_SELECT} ORDER BY e.id`).all() as EventRow[];
	assert.deepEqual(rows.map(restoreEvent), sent);
	// Key order too: the JSON of each restored event is the JSON of the event as decoded.
	assert.deepEqual(
		rows.map((row) => JSON.stringify(restoreEvent(row))),
		sent.map((e) => JSON.stringify(e)),
	);
	const tasks = db.prepare('SELECT uuid, name, state, worker, exception, runtime FROM tasks').all() as {
		uuid: string;
		name: string | null;
		state: string;
		worker: string | null;
		exception: string | null;
		runtime: number | null;
	}[];
	assert.equal(tasks.length, cluster.tasks.size);
	for (const row of tasks) {
		const task = cluster.tasks.get(row.uuid)!;
		assert.ok(task, row.uuid);
		assert.deepEqual(
			[row.name, row.state, row.worker, row.exception, row.runtime],
			[task.name ?? null, task.state, task.worker ?? null, task.exception ?? null, task.runtime ?? null],
			row.uuid,
		);
	}
	const meta = Object.fromEntries(
		(db.prepare('SELECT key, value FROM meta').all() as {key: string; value: string}[]).map((r) => [
			r.key,
			r.value,
		]),
	);
	assert.equal(meta['schema_version'], String(SCHEMA_VERSION));
	assert.equal(meta['broker'], '127.0.0.1:6390/0');
	assert.equal(db.pragma('journal_mode', {simple: true}), 'wal');
	assert.equal(
		db.prepare('SELECT count(*) AS n FROM writer').get()!['n' as never],
		0,
		'the lock is released',
	);
	db.close();
});

test('reopening notes the time not recorded as a gap', async () => {
	const path = join(dir(), 'h.sqlite');
	const first = await openHistory({path, broker: 'h:1/0'});
	assert.ok(first.ok);
	await first.writer.close();
	await new Promise((resolve) => setTimeout(resolve, 50));
	const second = await openHistory({path, broker: 'h:1/0'});
	assert.ok(second.ok);
	second.writer.gap(100, 200, 'subscription down');
	await second.writer.close();
	const db = new Database(path, {readonly: true});
	const gaps = db.prepare('SELECT start, end, reason FROM gaps ORDER BY id').all() as {
		start: number;
		end: number;
		reason: string;
	}[];
	db.close();
	assert.equal(gaps.length, 2);
	assert.equal(gaps[0]!.reason, 'not recording');
	assert.ok(gaps[0]!.end > gaps[0]!.start);
	assert.deepEqual(gaps[1], {start: 100, end: 200, reason: 'subscription down'});
});

test('a file of a newer schema is refused with one line and left as it is', async () => {
	const path = join(dir(), 'h.sqlite');
	const db = new Database(path);
	db.exec('CREATE TABLE future (x)');
	db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
	db.close();
	const before = readFileSync(path);
	const opened = await openHistory({path, broker: 'h:1/0'});
	assert.equal(opened.ok, false);
	assert.match(opened.ok ? '' : opened.error, new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than`));
	assert.doesNotMatch(opened.ok ? '' : opened.error, /\n/);
	assert.deepEqual(readFileSync(path), before);
});

test('a file that is not SQLite, or is damaged, is reported and never replaced', async () => {
	const path = join(dir(), 'h.sqlite');
	writeFileSync(path, 'celerytop was here, but this is not a database\n'.repeat(200));
	const before = readFileSync(path);
	const opened = await openHistory({path, broker: 'h:1/0'});
	assert.equal(opened.ok, false);
	assert.match(opened.ok ? '' : opened.error, /is not a SQLite file: left as it is/);
	assert.deepEqual(readFileSync(path), before);

	// A real history file whose pages were overwritten past the header.
	const damaged = join(dir(), 'h.sqlite');
	const made = await openHistory({path: damaged, broker: 'h:1/0'});
	assert.ok(made.ok);
	for (const {events, t} of captured()) made.writer.append(events, t);
	await made.writer.close();
	const bytes = readFileSync(damaged);
	bytes.fill(0xa5, 4096 * 2, bytes.length - 4096);
	writeFileSync(damaged, bytes);
	const reopened = await openHistory({path: damaged, broker: 'h:1/0'});
	assert.equal(reopened.ok, false);
	assert.match(reopened.ok ? '' : reopened.error, /is damaged .*left as it is/);
	assert.doesNotMatch(reopened.ok ? '' : reopened.error, /\n/);
	assert.deepEqual(readFileSync(damaged), bytes);
});

test('an unwritable place is one line', async () => {
	const base = dir();
	writeFileSync(join(base, 'file'), '');
	const opened = await openHistory({path: join(base, 'file', 'h.sqlite'), broker: 'h:1/0'});
	assert.equal(opened.ok, false);
	assert.match(opened.ok ? '' : opened.error, /^cannot open the history file .*(ENOTDIR|EEXIST)/);
});

test('the default path: one file per host, port and db, never a credential', () => {
	const parsed = parseBrokerUrl('redis://user:s3cret@redis.internal:6380/2');
	assert.ok(parsed.ok);
	const path = defaultHistoryPath(parsed.value, {HOME: '/home/u'});
	assert.equal(path, '/home/u/.local/state/celerytop/history-redis.internal-6380-2.sqlite');
	assert.equal(
		defaultHistoryPath(parsed.value, {HOME: '/home/u', XDG_STATE_HOME: '/state'}),
		'/state/celerytop/history-redis.internal-6380-2.sqlite',
	);
	assert.equal(brokerIdentity(parsed.value), 'redis.internal:6380/2');
	assert.equal(fileNamePart('../a b/c:d'), '__a_b_c_d');
	const v6 = parseBrokerUrl('redis://[::1]:6379/0');
	assert.ok(v6.ok);
	assert.equal(
		defaultHistoryPath(v6.value, {HOME: '/h'}),
		'/h/.local/state/celerytop/history-__1-6379-0.sqlite',
	);
});
