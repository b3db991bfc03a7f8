// `celerytop record` against a real Redis (with a password) and a real Celery worker: the merged task
// rows and every event land in the default file (0600, no password anywhere); a second writer is
// refused naming the first one's pid; kill -9 twenty times during a fast stream never damages the file
// and loses at most the last second.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {randomUUID} from 'node:crypto';
import Database from 'better-sqlite3';
import {Redis} from 'ioredis';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {requireCelery, sendTasks, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {hermeticEnv} from '../helpers/hermetic-env.js';
import {CLI, runCli} from '../helpers/run-cli.js';
import {rawEnvelope} from '../helpers/fixtures.js';
import {waitFor} from '../helpers/wait-for.js';
import {EVENT_SELECT, restoreEvent, type EventRow} from '../../source/history/event-body.js';

const PASSWORD = 'hist0ry-pa55-never-stored';
let redis: RedisServer;
let worker: CeleryWorker;

type Child = {
	readonly child: ChildProcess;
	out: string;
	err: string;
	readonly exited: Promise<number | null>;
};

function start(args: string[], env: Record<string, string>): Child {
	const child = spawn(process.execPath, [CLI, ...args], {stdio: ['ignore', 'pipe', 'pipe'], env});
	const captured: Child = {
		child,
		out: '',
		err: '',
		exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
	};
	child.stdout!.on('data', (d: Buffer) => (captured.out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (captured.err += d.toString()));
	return captured;
}

const recording = (c: Child) =>
	waitFor(() => /recording /.test(c.err), {timeout: 20_000, message: () => `recording: ${c.err}`});

before(async () => {
	requireCelery();
	redis = await startRedis({password: PASSWORD});
	worker = await startWorker({brokerUrl: redis.url, name: 'w1', pool: 'solo'});
});

after(async () => {
	await worker?.stop();
	await redis?.stop();
});

test('record: real tasks from a real worker, merged rows and every event, file 0600 without the password', async () => {
	const env = hermeticEnv();
	const rec = start(['record', '-b', redis.url], env);
	const events = start(['events', '--json', '-b', redis.url], hermeticEnv());
	await recording(rec);
	await waitFor(() => /listening/.test(events.err), {timeout: 20_000, message: () => events.err});
	const [ok, bad] = await sendTasks(redis.url, [{task: 'demo.add', args: [2, 3]}, {task: 'demo.fail'}]);
	await waitFor(
		() => rec.out.includes(`SUCCESS   demo.add  ${ok}`) && rec.out.includes(`FAILURE   demo.fail  ${bad}`),
		{
			timeout: 20_000,
			message: () => `state lines: ${rec.out}`,
		},
	);
	const json = () =>
		events.out
			.split('\n')
			.filter(Boolean)
			.map((l) => JSON.parse(l) as Record<string, unknown>);
	await waitFor(() => json().filter((e) => e['uuid'] === ok || e['uuid'] === bad).length >= 6, {
		message: () => events.out,
	});
	// The state lines: one per change of the merged state, in Celery's order, ending at SUCCESS.
	const states = rec.out
		.split('\n')
		.filter((l) => l.includes(ok!))
		.map((l) => l.split(/\s+/)[1]!);
	const order = ['PENDING', 'RECEIVED', 'STARTED', 'SUCCESS'];
	assert.equal(states.at(-1), 'SUCCESS', rec.out);
	assert.deepEqual(
		states.map((s) => order.indexOf(s)),
		states.map((s) => order.indexOf(s)).sort((x, y) => x - y),
		rec.out,
	);
	assert.equal(new Set(states).size, states.length, `each change once: ${rec.out}`);
	rec.child.kill('SIGTERM');
	events.child.kill('SIGTERM');
	assert.equal(await rec.exited, 0, rec.err);
	await events.exited;
	assert.match(rec.err, /recorded \d+ event\(s\), \d+ task\(s\) into /);
	assert.doesNotMatch(rec.err + rec.out, new RegExp(PASSWORD));

	const dir = join(env['XDG_STATE_HOME']!, 'celerytop');
	const path = join(dir, `history-127.0.0.1-${redis.port}-0.sqlite`);
	assert.ok(existsSync(path), `${path}: ${readdirSync(dir).join(', ')}`);
	assert.equal(statSync(path).mode & 0o777, 0o600);
	assert.equal(statSync(dir).mode & 0o777, 0o700);
	for (const name of readdirSync(dir)) {
		assert.doesNotMatch(name, new RegExp(PASSWORD));
		assert.equal(readFileSync(join(dir, name)).includes(PASSWORD), false, `${name} holds the password`);
	}
	const db = new Database(path, {readonly: true});
	const task = (uuid: string) =>
		db
			.prepare(
				'SELECT name, state, worker, exception, runtime, started, succeeded, failed FROM tasks WHERE uuid = ?',
			)
			.get(uuid) as Record<string, unknown>;
	const okRow = task(ok!);
	assert.equal(okRow['name'], 'demo.add');
	assert.equal(okRow['state'], 'SUCCESS');
	assert.equal(okRow['worker'], worker.hostname);
	assert.equal(typeof okRow['runtime'], 'number');
	assert.equal(typeof okRow['started'], 'number');
	assert.equal(typeof okRow['succeeded'], 'number');
	const badRow = task(bad!);
	assert.equal(badRow['state'], 'FAILURE');
	assert.equal(badRow['name'], 'demo.fail');
	assert.match(String(badRow['exception']), /\w/);
	assert.equal(typeof badRow['failed'], 'number');
	// Every event of the two tasks, as `events --json` printed them.
	const stored = (
		db.prepare(`${EVENT_SELECT} WHERE t.uuid IN (?, ?) ORDER BY e.id`).all(ok, bad) as EventRow[]
	).map(restoreEvent);
	const printed = json().filter((e) => e['uuid'] === ok || e['uuid'] === bad);
	assert.deepEqual(stored, printed);
	assert.equal(
		db.prepare("SELECT value FROM meta WHERE key = 'broker'").pluck().get(),
		`127.0.0.1:${redis.port}/0`,
	);
	const workers = db.prepare('SELECT hostname FROM workers').pluck().all();
	assert.ok(workers.includes(worker.hostname), String(workers));
	db.close();
});

test('a second writer on the same file is refused, naming the pid that holds it', async () => {
	const path = join(mkdtempSync(join(tmpdir(), 'celerytop-hist-')), 'h.sqlite');
	const first = start(['record', '-b', redis.url, '--history', path], hermeticEnv());
	await recording(first);
	const second = await runCli(['record', '-b', redis.url, '--history', path], {killAfterMs: 20_000});
	assert.equal(second.code, 1);
	const lines = second.stderr.trim().split('\n');
	assert.equal(lines.length, 1, second.stderr);
	assert.match(lines[0]!, new RegExp(`is being written by pid ${first.child.pid} `));
	first.child.kill('SIGTERM');
	assert.equal(await first.exited, 0, first.err);
	// Once the first is gone the file is free again.
	const third = await runCli(['record', '-b', redis.url, '--history', path, '--duration', '0.5'], {
		killAfterMs: 20_000,
	});
	assert.equal(third.code, 0, third.stderr);
});

test('kill -9 twenty times while recording a fast stream: integrity ok, at most the last second lost', async () => {
	const path = join(mkdtempSync(join(tmpdir(), 'celerytop-hist-')), 'h.sqlite');
	const publisher = new Redis({
		host: '127.0.0.1',
		port: redis.port,
		password: PASSWORD,
		lazyConnect: true,
		commandTimeout: 5_000,
	});
	await publisher.connect();
	const published: {uuid: string; at: number}[] = [];
	let clock = 0;
	let publishing = true;
	const loop = (async () => {
		while (publishing) {
			const pipeline = publisher.pipeline();
			const at = Date.now();
			for (let i = 0; i < 50; i++) {
				const uuid = randomUUID();
				const body = JSON.stringify({
					hostname: 'w1@bench',
					utcoffset: 0,
					pid: 4242,
					clock: ++clock,
					uuid,
					name: 'demo.add',
					args: '(2, 3)',
					kwargs: '{}',
					root_id: uuid,
					parent_id: null,
					retries: 0,
					eta: null,
					expires: null,
					timestamp: at / 1000,
					type: 'task-received',
				});
				pipeline.publish('/0.celeryev/task.received', rawEnvelope(body));
				published.push({uuid, at});
			}
			await pipeline.exec();
			await new Promise((resolve) => setTimeout(resolve, 10)); // ~5,000 events/s
		}
	})();
	try {
		for (let round = 0; round < 20; round++) {
			const rec = start(['record', '-b', redis.url, '--history', path], hermeticEnv());
			await recording(rec);
			const from = Date.now();
			await new Promise((resolve) => setTimeout(resolve, 1_300 + (round % 5) * 100));
			const killedAt = Date.now();
			rec.child.kill('SIGKILL');
			await rec.exited;
			const db = new Database(path);
			assert.equal(db.pragma('integrity_check', {simple: true}), 'ok', `round ${round}`);
			const expected = published.filter((p) => p.at > from + 50 && p.at < killedAt - 1_000);
			assert.ok(expected.length > 500, `round ${round}: ${expected.length} events in the window`);
			const has = db
				.prepare('SELECT 1 FROM tasks t JOIN events e ON e.task_id = t.id WHERE t.uuid = ?')
				.pluck();
			const missing = expected.filter((p) => has.get(p.uuid) === undefined);
			db.close();
			assert.equal(missing.length, 0, `round ${round}: ${missing.length} of ${expected.length} lost`);
		}
	} finally {
		publishing = false;
		await loop;
		publisher.disconnect();
	}
	const db = new Database(path, {readonly: true});
	const gaps = db.prepare("SELECT count(*) FROM gaps WHERE reason = 'not recording'").pluck().get() as number;
	db.close();
	assert.equal(gaps, 19, 'each restart after a kill notes the time not recorded');
});

test('a file that cannot grow (ulimit -f: the disk is full) stops the recording with one line, the file intact', async () => {
	const path = join(mkdtempSync(join(tmpdir(), 'celerytop-hist-')), 'h.sqlite');
	// bash's ulimit -f is in KiB; node ignores SIGXFSZ, so a write past it fails with EFBIG.
	const child = spawn(
		'bash',
		[
			'-c',
			`ulimit -f 300; exec "$0" "$@"`,
			process.execPath,
			CLI,
			'record',
			'-b',
			redis.url,
			'--history',
			path,
		],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
			env: hermeticEnv(),
		},
	);
	const rec: Child = {
		child,
		out: '',
		err: '',
		exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
	};
	child.stdout!.on('data', (d: Buffer) => (rec.out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (rec.err += d.toString()));
	await recording(rec);
	const publisher = new Redis({
		host: '127.0.0.1',
		port: redis.port,
		password: PASSWORD,
		commandTimeout: 5_000,
	});
	try {
		const big = `(${'x'.repeat(2_000)},)`;
		for (let i = 0; i < 100 && child.exitCode === null; i++) {
			const pipeline = publisher.pipeline();
			for (let j = 0; j < 100; j++) {
				const uuid = randomUUID();
				const body = JSON.stringify({
					hostname: 'w1@bench',
					uuid,
					name: 'demo.add',
					args: big,
					kwargs: '{}',
					timestamp: Date.now() / 1000,
					type: 'task-received',
				});
				pipeline.publish('/0.celeryev/task.received', rawEnvelope(body));
			}
			await pipeline.exec();
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	} finally {
		publisher.disconnect();
	}
	assert.equal(await rec.exited, 1, rec.err);
	const stopped = rec.err.split('\n').filter((l) => /writing stopped/.test(l));
	assert.equal(stopped.length, 1, rec.err);
	assert.match(stopped[0]!, /^celerytop: history: writing stopped: .*(SQLITE_FULL|SQLITE_IOERR)/);
	const db = new Database(path);
	assert.equal(db.pragma('integrity_check', {simple: true}), 'ok');
	db.close();
});
