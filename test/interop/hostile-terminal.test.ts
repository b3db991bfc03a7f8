// Terminal injection through a real Celery worker: escape sequences in args, kwargs, results,
// tracebacks and the worker's hostname reach the real binary in a pseudo-terminal, `events --dump`
// and `events --json`, and are never live there.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {requireCelery, sendTasks, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {runInTerminal, type Screen} from '../helpers/screen.js';
import {waitFor} from '../helpers/wait-for.js';
import {ENTER} from '../helpers/keys.js';
import {hermeticEnv} from '../helpers/hermetic-env.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Each injected sequence with a marker, so it is told apart from the UI's own escapes. */
const CLEAR = '\x1b[2JCLR';
const TITLE = '\x1b]0;pwned\x07';
const MOVE = '\x1b[5;5HMOVE';
const C1 = '\x9b31mCSI';
const BELL = '\x07BEL';
const INJECTED = [CLEAR, TITLE, MOVE, C1];
const PAYLOAD = `x${CLEAR}${TITLE}${MOVE}${C1}${BELL}y`;

let redis: RedisServer;
let worker: CeleryWorker;
let screen: Screen;
let title = '';
const spawned: ChildProcess[] = [];
const outputs = {dump: '', json: ''};

before(async () => {
	requireCelery();
	redis = await startRedis();
	for (const format of ['dump', 'json'] as const) {
		const child = spawn(process.execPath, [CLI, 'events', `--${format}`, '-b', redis.url], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: hermeticEnv(),
		});
		child.stdout!.on('data', (d: Buffer) => (outputs[format] += d.toString()));
		spawned.push(child);
	}
	screen = runInTerminal(['-b', redis.url], {cols: 200, rows: 40});
	screen.terminal.onTitleChange((value) => (title = value));
	// A hostname with a live title sequence and a clear-screen in it (Celery accepts any -n text).
	worker = await startWorker({
		brokerUrl: redis.url,
		name: `evil\x1b]0;pwned\x07\x1b[2JCLR@host`,
		pool: 'solo',
	});
});

after(async () => {
	screen?.kill();
	for (const child of spawned) child.kill('SIGINT');
	await worker?.stop('SIGKILL', 1000);
	await redis?.stop();
});

function assertInert(raw: string, where: string): void {
	for (const sequence of INJECTED) {
		assert.ok(!raw.includes(sequence), `${where}: ${JSON.stringify(sequence)} reached the output live`);
	}
	assert.ok(!raw.includes('\x9b'), `${where}: a C1 CSI reached the output`);
	assert.ok(!raw.includes('\x07BEL'), `${where}: a BEL reached the output`);
}

test('the worker hostname carries real escape sequences on the wire', () => {
	assert.ok(worker.hostname.includes('\x1b]0;pwned\x07'), JSON.stringify(worker.hostname));
});

test('args, kwargs, results, tracebacks and hostnames with escapes are shown inert in the TUI', async () => {
	const [echoId, boomId] = await sendTasks(redis.url, [
		{task: 'demo.echo', args: [PAYLOAD], kwargs: {[`k${CLEAR}`]: PAYLOAD}},
		{task: 'demo.explode', args: [PAYLOAD]},
	]);
	await screen.waitForText(new RegExp(`${echoId!.slice(0, 8)}.*demo\\.echo.*SUCCESS`));
	await screen.waitForText(new RegExp(`${boomId!.slice(0, 8)}.*demo\\.explode.*FAILURE`));
	// the hostname shows as visible escape text in the Workers pane
	await screen.waitForText(/evil\\x1b\]0;pwned\\x07\\x1b\[2JCLR@host/);
	// the traceback carries the message raw (Celery does not repr it): open the failed task's detail
	screen.write('g');
	await screen.waitForText(/Tasks\s.*1\/2/s);
	screen.write(ENTER);
	await screen.waitForText(/Task [0-9a-f-]{36}/);
	await screen.waitForText(/RuntimeError: x\\x1b\[2JCLR\\x1b\]0;pwned\\x07/);
	assertInert(screen.raw(), 'TUI');
	assert.notEqual(title, 'pwned', 'the terminal title was never set by a task');
	// the screen was never cleared by the payload: the header is still there
	assert.match(screen.text(), /Task [0-9a-f-]{36}/);
});

test('events --dump prints them escaped and events --json JSON-escaped', async () => {
	await waitFor(() => outputs.dump.includes('task failed') && outputs.json.includes('"task-failed"'), {
		timeout: 15_000,
		message: () => `dump:\n${outputs.dump}\njson:\n${outputs.json}`,
	});
	assertInert(outputs.dump, 'events --dump');
	assertInert(outputs.json, 'events --json');
	assert.match(outputs.dump, /evil\\x1b\]0;pwned\\x07\\x1b\[2JCLR@host/);
	assert.match(outputs.dump, /RuntimeError: x\\x1b\[2JCLR/);
	// JSON keeps the exact text, with control characters as \u escapes
	assert.ok(outputs.json.includes('\\u001b[2JCLR'));
	assert.ok(outputs.json.includes('\\u009b31mCSI'), 'C1 controls are \\u-escaped too');
	const failed = outputs.json
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as Record<string, unknown>)
		.find((event) => event['type'] === 'task-failed')!;
	assert.ok(String(failed['traceback']).includes(`RuntimeError: ${PAYLOAD}`));
	assert.equal(failed['hostname'], worker.hostname);
});
