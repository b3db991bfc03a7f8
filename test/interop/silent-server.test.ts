// Servers that are not a working Redis: one that accepts TCP and never answers, and an HTTP server.
// Every headless command gives up within --connect-timeout / --command-timeout with one line on stderr
// and a non-zero exit; the TUI draws its frame at once, says it is waiting, and quits on q or Ctrl-C.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {fileURLToPath} from 'node:url';
import {runCli, type Run} from '../helpers/run-cli.js';
import {freePort, startRedis} from '../helpers/redis-server.js';
import {runInTerminal} from '../helpers/screen.js';
import {startHttpServer, startSilentServer, type FakeServer} from '../helpers/silent-server.js';
import {waitFor} from '../helpers/wait-for.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const PASSWORD = 'never-sh0wn-pw';
const LIMITS = ['--connect-timeout', '1', '--command-timeout', '1'];
/** Each command gives up within this (1 s limits, plus node's start-up on a loaded machine). */
const BOUND_MS = 4_000;
/** A command still running after this is a hang: killed, and the test fails. */
const HANG_MS = 20_000;

const COMMANDS: ReadonlyArray<readonly string[]> = [
	['redis', 'info'],
	['redis', 'keys'],
	['redis', 'memory'],
	['queues'],
	['inspect', 'ping', '-t', '1'],
	['control', 'heartbeat'],
	['events', '--json', '--duration', '3'],
	['redis', 'monitor', '--duration', '2'],
];

let silent: FakeServer;
let httpServer: FakeServer;

before(async () => {
	silent = await startSilentServer();
	httpServer = await startHttpServer();
});

after(async () => {
	await silent?.close();
	await httpServer?.close();
});

/** The built CLI (async: the fixture servers live in this process's event loop); a hang is killed. */
const cli = (args: readonly string[]): Promise<Run> => runCli(args, {killAfterMs: HANG_MS});

function assertOneLine(run: Run, pattern: RegExp, what: string): void {
	const lines = run.stderr.trim().split('\n');
	assert.equal(lines.length, 1, `${what}: one line on stderr, got:\n${run.stderr}`);
	assert.match(lines[0]!, pattern, what);
	assert.doesNotMatch(run.stderr, /\n\s+at .*:\d+:\d+/, `${what}: no stack trace`);
	assert.doesNotMatch(run.stderr + run.stdout, new RegExp(PASSWORD), `${what}: no password`);
}

/** Not killed, exit 1 within the bound, and one clean line matching `pattern`. */
function assertFailsFast(run: Run, pattern: RegExp, what: string): void {
	assert.equal(run.signal, null, `${what} hung until killed (stderr: ${run.stderr})`);
	assert.equal(run.code, 1, `${what}: exit code (stderr: ${run.stderr})`);
	assert.ok(run.ms < BOUND_MS, `${what} took ${Math.round(run.ms)} ms`);
	assertOneLine(run, pattern, what);
}

for (const args of COMMANDS) {
	const what = args.join(' ');
	test(`${what}: a server that accepts and never answers gives one line and exit 1 within the limit`, async () => {
		const run = await cli([...args, '-b', silent.url(PASSWORD), ...LIMITS]);
		assertFailsFast(
			run,
			new RegExp(
				`^celerytop: no answer from redis://:\\*\\*\\*@127\\.0\\.0\\.1:${silent.port}/0: 127\\.0\\.0\\.1:${silent.port} accepted the connection but sent nothing within 1 s \\(--connect-timeout\\)$`,
			),
			what,
		);
		assert.equal(run.stdout, '', `${what}: nothing on stdout`);
	});

	test(`${what}: an HTTP server is named as not a Redis server`, async () => {
		const run = await cli([...args, '-b', httpServer.url(PASSWORD), ...LIMITS]);
		assertFailsFast(
			run,
			new RegExp(
				`^celerytop: 127\\.0\\.0\\.1:${httpServer.port} is not a Redis server \\(it answered "HTTP/1\\.1 400 Bad Request"\\)$`,
			),
			what,
		);
	});
}

test('the TUI draws its frame at once while the server is silent, counts, and q quits with 0', async () => {
	const started = performance.now();
	const screen = runInTerminal(['-b', silent.url(PASSWORD), ...LIMITS, '--no-audit-log'], {
		cols: 120,
		rows: 30,
	});
	try {
		const connecting = new RegExp(`connecting to 127\\.0\\.0\\.1:${silent.port} \\(no answer for \\d+s\\)`);
		await screen.waitForText(connecting, 5_000);
		const shown = performance.now() - started;
		assert.ok(shown < 1_500, `the frame took ${Math.round(shown)} ms`);
		assert.match(screen.text(), /Workers/);
		// Past the first 1 s attempt it keeps waiting and the count goes up.
		await screen.waitForText(
			new RegExp(`connecting to 127\\.0\\.0\\.1:${silent.port} \\(no answer for [2-9]s\\)`),
			8_000,
		);
		assert.ok(!screen.raw().includes(PASSWORD), 'the password never reaches the terminal');
		const pressed = performance.now();
		screen.write('q');
		const code = await screen.exited;
		assert.equal(code, 0);
		assert.ok(performance.now() - pressed < 1_500, 'q quits promptly');
		assert.ok(screen.raw().includes('\u001B[?1049l'), 'alternate screen left');
		assert.ok(!screen.raw().endsWith('q'), 'q is not echoed');
	} finally {
		screen.kill('SIGKILL');
	}
});

test('Ctrl-C quits the TUI during its first connection attempt', async () => {
	const screen = runInTerminal(['-b', silent.url(), ...LIMITS, '--no-audit-log'], {
		cols: 120,
		rows: 30,
	});
	try {
		await screen.waitForText(/connecting to 127\.0\.0\.1:\d+ \(no answer for \d+s\)/, 5_000);
		screen.write('\u0003');
		assert.equal(await screen.exited, 0);
		assert.ok(screen.raw().includes('\u001B[?1049l'), 'alternate screen left');
		assert.ok(screen.raw().includes('\u001B[?25h'), 'cursor shown again');
	} finally {
		screen.kill('SIGKILL');
	}
});

test('the TUI against an HTTP server restores the screen, prints one line and exits 1', async () => {
	const screen = runInTerminal(['-b', httpServer.url(PASSWORD), ...LIMITS, '--no-audit-log'], {
		cols: 120,
		rows: 30,
	});
	try {
		const code = await screen.exited;
		assert.equal(code, 1);
		const raw = screen.raw();
		const left = raw.lastIndexOf('\u001B[?1049l');
		const line = raw.indexOf('is not a Redis server');
		assert.ok(line !== -1, `the reason is printed: ${JSON.stringify(raw.slice(-300))}`);
		assert.ok(left === -1 || left < line, 'printed after the screen was restored');
		assert.match(
			raw.slice(line - 40),
			new RegExp(
				`celerytop: 127\\.0\\.0\\.1:${httpServer.port} is not a Redis server \\(it answered "HTTP/1\\.1 400 Bad Request"\\)`,
			),
		);
		assert.ok(!raw.includes(PASSWORD), 'no password');
	} finally {
		screen.kill('SIGKILL');
	}
});

test('the TUI waits for a broker that is not up yet (refused), then connects when it comes', async () => {
	const port = await freePort();
	const screen = runInTerminal(['-b', `redis://127.0.0.1:${port}/0`, ...LIMITS, '--no-audit-log'], {
		cols: 160,
		rows: 30,
	});
	let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
	try {
		await screen.waitForText(
			new RegExp(
				`connecting to 127\\.0\\.0\\.1:${port} \\(\\d+s: connection refused at 127\\.0\\.0\\.1:${port}\\)`,
			),
			5_000,
		);
		redis = await startRedis({port});
		await screen.waitForText(/● connected/, 10_000);
		screen.write('q');
		assert.equal(await screen.exited, 0);
	} finally {
		screen.kill('SIGKILL');
		await redis?.stop();
	}
});

test('the silent server saw our connections (the fixture is reached, not refused)', async () => {
	await waitFor(() => silent.accepted() > 0, {message: 'no connection reached the silent server'});
	assert.ok(silent.received().length > 0, 'the client sent its handshake');
});
