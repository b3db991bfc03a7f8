// The CLI contract scripts depend on: exit codes, one-line errors, redaction, headless output.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {Redis} from 'ioredis';
import {freePort, startRedis, type RedisServer} from '../helpers/redis-server.js';
import {readJsonLines, type PubSubLine} from '../helpers/fixtures.js';
import {waitFor} from '../helpers/wait-for.js';
import {hermeticEnv} from '../helpers/hermetic-env.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const PASSWORD = 'pa55-w0rd-never-shown';
let redis: RedisServer;

function run(args: string[], env: Record<string, string | undefined> = {}) {
	const result = spawnSync(process.execPath, [CLI, ...args], {
		encoding: 'utf8',
		env: hermeticEnv(env),
		timeout: 20_000,
	});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

const heartbeat = readJsonLines<PubSubLine>('events-pubsub.jsonl').find(
	(l) => l.channel === '/0.celeryev/worker.heartbeat',
)!;

/** A child whose stdout and stderr are collected as text. */
function spawnCaptured(file: string, args: string[]) {
	const child = spawn(file, args, {stdio: ['ignore', 'pipe', 'pipe'], env: hermeticEnv()});
	const captured = {child, out: '', err: ''};
	child.stdout.on('data', (d: Buffer) => (captured.out += d.toString()));
	child.stderr.on('data', (d: Buffer) => (captured.err += d.toString()));
	return captured;
}

function assertOneLineError(result: {stderr: string; stdout: string}, pattern: RegExp) {
	const lines = result.stderr.trim().split('\n');
	assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
	assert.match(lines[0]!, pattern);
	assert.doesNotMatch(result.stderr, /at .*\.js:\d+/, 'no stack trace');
}

before(async () => {
	redis = await startRedis({password: PASSWORD});
});

after(async () => {
	await redis?.stop();
});

test('--help and --version', () => {
	const help = run(['--help']);
	assert.equal(help.code, 0);
	assert.match(help.stdout, /celerytop events --json/);
	assert.match(help.stdout, /--broker-transport-options/);
	assert.match(help.stdout, /--replica URL .*read-only load/);
	assert.match(help.stdout, /MONITOR stay on the broker/);
	assert.match(help.stdout, /--connect-timeout SECONDS +give up on a server/);
	assert.match(help.stdout, /--command-timeout SECONDS +give up on a reply/);
	assert.match(
		help.stdout,
		/--max-events N +the TUI: events the Events pane keeps, oldest dropped \(default 10000: about 4 MB\)/,
	);
	assert.equal(run(['-h']).stdout, help.stdout, '-h is --help');
	const version = run(['--version']);
	assert.equal(version.code, 0);
	assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
});

test('usage errors exit 2 with one line', () => {
	assertOneLineError(run(['--bogus']), /unknown option --bogus/);
	assert.equal(run(['--bogus']).code, 2);
	const scheme = run(['-b', 'amqp://guest:secretpw@localhost//']);
	assert.equal(scheme.code, 2);
	assertOneLineError(scheme, /unsupported broker scheme 'amqp'/);
	assert.doesNotMatch(scheme.stderr, /secretpw/);
	assert.equal(run(['-b', 'redis://localhost/notadb']).code, 2);
	assert.equal(run(['--max-tasks', '0']).code, 2);
	for (const bad of ['0', '-5', '2.5', '2000000']) {
		const events = run(['--max-events', bad]);
		assert.equal(events.code, 2, `--max-events ${bad}`);
		assertOneLineError(events, /^celerytop: --max-events must be /);
	}
	assertOneLineError(run(['--max-events', 'lots']), /^celerytop: --max-events needs a number/);
	assert.equal(run(['--broker-transport-options', '{"fanout_patterns": "yes"}']).code, 2);
	assert.equal(run(['events', '--json', '--dump']).code, 2);
	assert.equal(run(['nonsense']).code, 2);
	// Options are checked against the subcommand: --sample measures `redis memory`, not `redis info`.
	const sample = run(['redis', 'info', '--sample', '5']);
	assert.equal(sample.code, 2);
	assertOneLineError(sample, /^celerytop: --sample does not apply to "celerytop redis info"/);
	assertOneLineError(run(['--fps', '5', 'events']), /^celerytop: --fps does not apply to "celerytop events"/);
	assertOneLineError(run(['redis']), /^celerytop: missing redis command \(info, memory, keys, monitor/);
	assertOneLineError(run(['queues', 'extra']), /^celerytop: unexpected argument 'extra'/);
	assert.equal(run(['--connect-timeout', 'soon']).code, 2);
	// A cast (shutdown, heartbeat) waits for no reply: a timeout has nothing to bound.
	assertOneLineError(
		run(['control', 'shutdown', '-t', '1']),
		/^celerytop: --timeout does not apply to "celerytop control shutdown"/,
	);
});

test('an unreachable server exits 1 with one line naming it', async () => {
	const port = await freePort();
	const result = run(['events', '--json', '-b', `redis://:${PASSWORD}@127.0.0.1:${port}/0`]);
	assert.equal(result.code, 1);
	assertOneLineError(result, new RegExp(`connection refused at 127\\.0\\.0\\.1:${port}`));
	assert.doesNotMatch(result.stderr + result.stdout, new RegExp(PASSWORD));
});

test('a refused password exits 1 and never prints the password', () => {
	const wrong = run(['events', '--json', '-b', `redis://:not-the-${PASSWORD}@127.0.0.1:${redis.port}/0`]);
	assert.equal(wrong.code, 1);
	assertOneLineError(wrong, /authentication failed for redis:\/\/:\*\*\*@127\.0\.0\.1/);
	assert.doesNotMatch(wrong.stderr, new RegExp(PASSWORD));
	const none = run(['events', '--json', '-b', `redis://127.0.0.1:${redis.port}/0`]);
	assert.equal(none.code, 1);
	assertOneLineError(none, /authentication required/);
});

test('the broker comes from CELERY_BROKER_URL when no flag is given', () => {
	const result = run(['events', '--json', '--duration', '0.3'], {
		CELERY_BROKER_URL: `redis://:${PASSWORD}@127.0.0.1:${redis.port}/0`,
	});
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stderr, /listening on \/0\.celeryev\/\* at redis:\/\/:\*\*\*@127\.0\.0\.1/);
	assert.doesNotMatch(result.stderr, new RegExp(PASSWORD));
});

test('with stdout not a terminal, celerytop alone prints dump lines', async () => {
	const run = spawnCaptured(process.execPath, [CLI, '-b', `redis://:${PASSWORD}@127.0.0.1:${redis.port}/0`]);
	const {child} = run;
	const publisher = new Redis({port: redis.port, host: '127.0.0.1', password: PASSWORD});
	try {
		await waitFor(() => run.err.includes('listening'), {message: () => run.err});
		await publisher.publish(heartbeat.channel, heartbeat.data);
		await waitFor(() => run.out.includes('\n'), {message: 'a dump line'});
		assert.match(run.out, /^w1@vm \[2026-11-2\d \d\d:\d\d:\d\d\.\d{6}\] heartbeat: /);
		assert.match(run.out, /sw_ver=5\.2\.6/);
	} finally {
		publisher.disconnect();
		child.kill('SIGINT');
	}
	const code = await new Promise((resolve) => child.on('exit', resolve));
	assert.equal(code, 0);
});

test('control commands are appended to the audit log, with the broker redacted; --no-audit-log writes nothing', async () => {
	const {mkdtempSync, readFileSync, existsSync} = await import('node:fs');
	const {tmpdir} = await import('node:os');
	const dir = mkdtempSync(`${tmpdir()}/celerytop-audit-`);
	const file = `${dir}/audit.jsonl`;
	const broker = `redis://:${PASSWORD}@127.0.0.1:${redis.port}/0`;
	const sent = run([
		'control',
		'rate_limit',
		'demo.add',
		'10/m',
		'-d',
		'nobody@x',
		'-t',
		'0.2',
		'-b',
		broker,
		'--audit-log-file',
		file,
	]);
	assert.equal(sent.code, 1, 'no worker replied');
	const entries = readFileSync(file, 'utf8')
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l) as Record<string, unknown>);
	assert.equal(entries.length, 1);
	assert.equal(entries[0]!['method'], 'rate_limit');
	assert.deepEqual(entries[0]!['arguments'], {task_name: 'demo.add', rate_limit: '10/m'});
	assert.deepEqual(entries[0]!['destination'], ['nobody@x']);
	assert.equal(entries[0]!['sent'], true);
	assert.deepEqual(entries[0]!['replies'], {});
	assert.match(String(entries[0]!['broker']), /^redis:\/\/:\*\*\*@127\.0\.0\.1/);
	assert.match(String(entries[0]!['time']), /^\d{4}-\d\d-\d\dT/);
	assert.doesNotMatch(readFileSync(file, 'utf8'), new RegExp(PASSWORD));
	run(['inspect', 'ping', '-t', '0.2', '-b', broker, '--audit-log-file', file]);
	assert.equal(
		readFileSync(file, 'utf8').trim().split('\n').length,
		1,
		'inspect queries are not control commands',
	);
	const off = `${dir}/off.jsonl`;
	run([
		'control',
		'rate_limit',
		'demo.add',
		'10/m',
		'-t',
		'0.2',
		'-b',
		broker,
		'--audit-log-file',
		off,
		'--no-audit-log',
	]);
	assert.equal(existsSync(off), false);
});

test('a reader that goes away (events --json | head -1) ends celerytop quietly with code 0', async () => {
	const broker = `redis://:${PASSWORD}@127.0.0.1:${redis.port}/0`;
	const run = spawnCaptured('bash', [
		'-c',
		`"${process.execPath}" "${CLI}" events --json -b "${broker}" | head -1; echo "status \${PIPESTATUS[0]}" >&2`,
	]);
	const publisher = new Redis({port: redis.port, host: '127.0.0.1', password: PASSWORD});
	try {
		await waitFor(() => run.err.includes('listening'), {message: () => run.err});
		// head exits after the first line; the next write finds the pipe closed.
		for (let i = 0; i < 3 && !run.err.includes('status'); i++) {
			await publisher.publish(heartbeat.channel, heartbeat.data);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		await waitFor(() => run.err.includes('status'), {timeout: 5000, message: () => run.err});
	} finally {
		publisher.disconnect();
	}
	assert.equal(run.out.trim().split('\n').length, 1);
	assert.equal(JSON.parse(run.out).type, 'worker-heartbeat');
	assert.match(run.err, /status 0/);
	assert.doesNotMatch(run.err, /EPIPE|Error|at .*\.js/);
});
