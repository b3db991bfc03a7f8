// `celerytop history` against a file `celerytop record` wrote from events published to a private
// redis-server (the same stream `events --json` printed): every filter, the --json round trip of a
// task's row and timeline, `history events UUID` equal to what `events --json` printed, reading while
// record still writes, the refusals and exit codes, and EXPLAIN QUERY PLAN using the indexes.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {copyFileSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {randomUUID} from 'node:crypto';
import Database from 'better-sqlite3';
import {Redis} from 'ioredis';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {hermeticEnv} from '../helpers/hermetic-env.js';
import {CLI, runCli} from '../helpers/run-cli.js';
import {rawEnvelope} from '../helpers/fixtures.js';
import {waitFor} from '../helpers/wait-for.js';
import {openReader} from '../../source/history/reader.js';

type Child = {
	readonly child: ChildProcess;
	out: string;
	err: string;
	readonly exited: Promise<number | null>;
};

function start(args: string[], env: Record<string, string>): Child {
	const child = spawn(process.execPath, [CLI, ...args], {stdio: ['ignore', 'pipe', 'pipe'], env});
	const c: Child = {child, out: '', err: '', exited: new Promise((r) => child.on('exit', (code) => r(code)))};
	child.stdout!.on('data', (d: Buffer) => (c.out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (c.err += d.toString()));
	return c;
}

let redis: RedisServer;
let env: Record<string, string>;
let path: string;
let midpoint: string;
let eventsJson: string[] = [];
const ids = {add: randomUUID(), div: randomUUID(), mul: randomUUID(), esc: randomUUID()};
let whileWriting: Awaited<ReturnType<typeof runCli>>;

function event(type: string, uuid: string, host: string, fields: Record<string, unknown>) {
	return {
		hostname: host,
		utcoffset: 0,
		pid: 4242,
		clock: 1,
		uuid,
		timestamp: Date.now() / 1000,
		type,
		...fields,
	};
}

async function publish(publisher: Redis, events: readonly Record<string, unknown>[]) {
	for (const e of events)
		await publisher.publish(
			`/0.celeryev/${String(e['type']).replace('-', '.')}`,
			rawEnvelope(JSON.stringify(e)),
		);
}

const history = (args: string[]) =>
	runCli(['history', '--history', path, ...args], {env, killAfterMs: 20_000});
const uuidsOf = (stdout: string) =>
	stdout
		.trim()
		.split('\n')
		.filter(Boolean)
		.map((line) => (JSON.parse(line) as {uuid: string}).uuid);

before(async () => {
	redis = await startRedis();
	env = hermeticEnv({CELERY_BROKER_URL: redis.url});
	const record = start(['record'], env);
	const events = start(['events', '--json'], env);
	await waitFor(() => /recording /.test(record.err) && /listening on /.test(events.err), {
		timeout: 20_000,
		message: () => `${record.err}\n${events.err}`,
	});
	const publisher = new Redis(redis.url, {commandTimeout: 5_000});
	const received = (uuid: string, name: string, host: string) =>
		event('task-received', uuid, host, {
			name,
			args: '(2, 3)',
			kwargs: '{}',
			retries: 0,
			eta: null,
			expires: null,
		});
	await publish(publisher, [
		received(ids.add, 'demo.add', 'w1@h'),
		event('task-started', ids.add, 'w1@h', {}),
		event('task-succeeded', ids.add, 'w1@h', {result: '5', runtime: 0.0123}),
		received(ids.div, 'demo.div', 'w2@h'),
		event('task-started', ids.div, 'w2@h', {}),
		event('task-failed', ids.div, 'w2@h', {
			exception: "ZeroDivisionError('boom 42')",
			traceback: 'Traceback…',
		}),
	]);
	await waitFor(() => events.out.split('\n').length > 6, {timeout: 10_000, message: () => events.out});
	await new Promise((r) => setTimeout(r, 400));
	midpoint = new Date().toISOString();
	await new Promise((r) => setTimeout(r, 400));
	await publish(publisher, [
		received(ids.mul, 'other.mul', 'w1@h'),
		received(ids.esc, 'other.esc', 'w1@h'),
		event('task-failed', ids.esc, 'w1@h', {exception: "KeyError('\u001b[31mred')", traceback: ''}),
	]);
	publisher.disconnect();
	await waitFor(() => events.out.split('\n').length > 9, {timeout: 10_000, message: () => events.out});
	const dir = join(env['XDG_STATE_HOME']!, 'celerytop');
	path = join(
		dir,
		readdirSync(dir).find((name) => name.endsWith('.sqlite'))!,
	);
	// Read while record still holds the file: the last commit is there, nothing is locked.
	await waitFor(
		async () => {
			whileWriting = await history(['--uuid', ids.esc, '--json']);
			return whileWriting.stdout.includes(ids.esc);
		},
		{timeout: 10_000, message: () => whileWriting.stderr},
	);
	record.child.kill('SIGTERM');
	events.child.kill('SIGTERM');
	assert.equal(await record.exited, 0, record.err);
	await events.exited;
	eventsJson = events.out.trim().split('\n');
});

after(async () => {
	await redis?.stop();
});

test('history reads the file while record writes it, at the default path for -b', async () => {
	assert.equal(whileWriting.code, 0, whileWriting.stderr);
	assert.deepEqual(uuidsOf(whileWriting.stdout), [ids.esc]);
	// No --history: the same default file as record's for the broker of CELERY_BROKER_URL.
	const byDefault = await runCli(['history', '--json'], {env, killAfterMs: 20_000});
	assert.equal(byDefault.code, 0, byDefault.stderr);
	assert.deepEqual(uuidsOf(byDefault.stdout), [ids.esc, ids.mul, ids.div, ids.add]);
});

test('the table: newest first, one row a task, every text sanitized, the exception cut to the width', async () => {
	const run = await runCli(['history', '--history', path], {
		env: {...env, COLUMNS: '200'},
		killAfterMs: 20_000,
	});
	assert.equal(run.code, 0, run.stderr);
	const lines = run.stdout.trimEnd().split('\n');
	assert.match(lines[0]!, /^ID +NAME +STATE +WORKER +RECEIVED +RUNTIME +EXCEPTION$/);
	assert.deepEqual(
		lines.slice(1).map((line) => line.slice(0, 36)),
		[ids.esc, ids.mul, ids.div, ids.add],
	);
	assert.match(lines[3]!, /demo\.div +FAILURE +w2@h .*ZeroDivisionError\('boom 42'\)/);
	assert.match(lines[4]!, /demo\.add +SUCCESS +w1@h .* 12ms/);
	assert.ok(!run.stdout.includes('\u001b'), 'no raw ESC reaches the terminal');
	assert.ok(lines[1]!.includes("KeyError('\\x1b[31mred')"), lines[1]);
	const narrow = await runCli(['history', '--history', path, '--uuid', ids.div], {
		env,
		killAfterMs: 20_000,
	});
	assert.equal(narrow.code, 0);
	const width = (await history(['--uuid', ids.div])).stdout.split('\n')[1]!;
	assert.ok(width.length <= 120, `fits 120 columns: ${width.length}`);
	assert.ok(width.endsWith('…'), width);
});

test('--json: every column of the tasks row and the timeline from its events', async () => {
	const run = await history(['--json', '--uuid', ids.div]);
	assert.equal(run.code, 0, run.stderr);
	const [line, ...more] = run.stdout.trim().split('\n');
	assert.equal(more.length, 0);
	const task = JSON.parse(line!) as Record<string, unknown>;
	const db = new Database(path, {readonly: true});
	const row = db.prepare('SELECT * FROM tasks WHERE uuid = ?').get(ids.div) as Record<string, unknown>;
	db.close();
	const {timeline, ...columns} = task;
	assert.deepEqual(columns, row);
	assert.equal(columns['state'], 'FAILURE');
	assert.equal(columns['exception'], "ZeroDivisionError('boom 42')");
	const sent = eventsJson
		.map((l) => JSON.parse(l) as Record<string, unknown>)
		.filter((e) => e['uuid'] === ids.div);
	assert.deepEqual(
		timeline,
		sent.map((e) => ({type: e['type'], timestamp: e['timestamp'], hostname: e['hostname']})),
	);
});

test('each filter: --state, --name, --worker, --uuid, --exception, --since, --until, --limit', async () => {
	const cases: [string[], string[]][] = [
		[
			['--state', 'FAILURE'],
			[ids.esc, ids.div],
		],
		[
			['--state', 'success,received'],
			[ids.mul, ids.add],
		],
		[
			['--state', 'SUCCESS', '--state', 'FAILURE'],
			[ids.esc, ids.div, ids.add],
		],
		[
			['--name', 'demo.*'],
			[ids.div, ids.add],
		],
		[['--name', 'Demo.*'], []],
		[['--worker', 'w2@h'], [ids.div]],
		[['--uuid', ids.mul], [ids.mul]],
		[['--exception', 'boom'], [ids.div]],
		[
			['--since', midpoint],
			[ids.esc, ids.mul],
		],
		[
			['--until', midpoint],
			[ids.div, ids.add],
		],
		[['--since', '1h', '--state', 'FAILURE', '--name', 'other.*'], [ids.esc]],
		[['--until', '1h'], []],
		[['--limit', '1'], [ids.esc]],
	];
	for (const [args, expected] of cases) {
		const run = await history([...args, '--json']);
		assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
		assert.deepEqual(uuidsOf(run.stdout), expected, args.join(' '));
	}
	const none = await history(['--uuid', 'nope']);
	assert.equal(none.stdout, 'no task matches\n');
});

test('history events UUID prints what events --json printed for that task, line for line', async () => {
	for (const uuid of [ids.add, ids.esc]) {
		const run = await history(['events', uuid]);
		assert.equal(run.code, 0, run.stderr);
		const expected = eventsJson.filter((l) => (JSON.parse(l) as {uuid?: string}).uuid === uuid);
		assert.ok(expected.length > 0);
		assert.deepEqual(run.stdout.trim().split('\n'), expected);
	}
	const unknown = await history(['events', 'no-such-task']);
	assert.equal(unknown.code, 1);
	assert.equal(unknown.stderr, `celerytop: no task no-such-task in ${path}\n`);
});

test('bad input: one line and exit 2; a missing, foreign or newer file: one line and exit 1', async () => {
	const expectations: [string[], number, RegExp][] = [
		[['--since', 'yesterday'], 2, /^celerytop: --since 'yesterday' is neither an age .* nor a date/],
		[['--until', '2026-13-01'], 2, /^celerytop: --until '2026-13-01' is neither/],
		[['--limit', '0'], 2, /^celerytop: --limit needs a whole number of at least 1\n$/],
		[['--state', ','], 2, /^celerytop: --state needs a state/],
		[['bogus'], 2, /^celerytop: unknown history command 'bogus' \(events\)\n$/],
		[['events'], 2, /^celerytop: history events needs a task id/],
		[['events', 'a', 'b'], 2, /^celerytop: unexpected argument 'b'/],
		[['--pattern', 'x'], 2, /^celerytop: --pattern does not apply to "celerytop history"/],
	];
	for (const [args, code, line] of expectations) {
		const run = await history(args);
		assert.equal(run.code, code, `${args.join(' ')}: ${run.stderr}`);
		assert.match(run.stderr, line, args.join(' '));
		assert.equal(run.stderr.split('\n').length, 2, `one line: ${run.stderr}`);
		assert.equal(run.stdout, '');
	}
	const dir = mkdtempSync(join(tmpdir(), 'celerytop-hq-'));
	const missing = join(dir, 'none.sqlite');
	const run = await runCli(['history', '--history', missing], {env, killAfterMs: 20_000});
	assert.equal(run.code, 1);
	assert.equal(run.stderr.split('\n').length, 2);
	assert.ok(run.stderr.includes(missing), run.stderr);
	const foreign = join(dir, 'foreign.sqlite');
	writeFileSync(foreign, 'not a database at all, just text\n');
	const refused = await runCli(['history', '--history', foreign], {env, killAfterMs: 20_000});
	assert.equal(refused.code, 1);
	assert.equal(
		refused.stderr,
		`celerytop: history file ${foreign} is not a SQLite file: left as it is (move it away, or choose another with --history)\n`,
	);
	const newer = join(dir, 'newer.sqlite');
	copyFileSync(path, newer);
	const db = new Database(newer);
	db.pragma('user_version = 99');
	db.close();
	const tooNew = await runCli(['history', '--history', newer], {env, killAfterMs: 20_000});
	assert.equal(tooNew.code, 1);
	assert.match(
		tooNew.stderr,
		/^celerytop: history file .* has schema version 99, newer than this celerytop's \(1\)/,
	);
	const help = await history(['--help']);
	assert.equal(help.code, 0);
	assert.equal(help.stderr, '');
	assert.ok(help.stdout.startsWith('\n  celerytop history: '), help.stdout);
	assert.ok(help.stdout.includes('--since T'));
});

test('EXPLAIN QUERY PLAN: --uuid and --state with --since search an index, never scan the tasks', () => {
	const opened = openReader(path);
	assert.ok(opened.ok);
	const plans = [
		opened.reader.plan({uuid: ids.add, limit: 50}),
		opened.reader.plan({states: ['FAILURE'], since: 0, limit: 50}),
		opened.reader.plan({states: ['FAILURE', 'RETRY'], since: 0, limit: 50}),
		opened.reader.plan({name: 'demo.*', since: 0, limit: 50}),
		opened.reader.plan({since: 0, limit: 50}),
	];
	opened.reader.close();
	for (const plan of plans) {
		const tasks = plan.filter((detail) => / tasks\b/.test(detail));
		assert.ok(tasks.length > 0, plan.join('; '));
		for (const detail of tasks)
			assert.match(detail, /^(SEARCH|SCAN) tasks USING (COVERING )?INDEX/, plan.join('; '));
	}
	assert.match(plans[0]!.join(';'), /SEARCH tasks USING INDEX sqlite_autoindex_tasks_1 \(uuid=\?\)/);
	assert.match(plans[1]!.join(';'), /SEARCH tasks USING INDEX tasks_state \(state=\? AND last_seen>\?\)/);
});
