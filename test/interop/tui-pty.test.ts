// The real built binary in a pseudo-terminal, against a private redis-server and a real Celery
// worker: read the screen, press keys, resize, quit.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {requireCelery, sendTasks, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {runInTerminal, type Screen} from '../helpers/screen.js';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {ENTER, ESCAPE, TAB} from '../helpers/keys.js';

let redis: RedisServer;
let worker: CeleryWorker;
let screen: Screen;
const auditFile = `${mkdtempSync(`${tmpdir()}/celerytop-pty-`)}/audit.jsonl`;

before(async () => {
	requireCelery();
	redis = await startRedis({password: 's3cr3t-pty'});
	worker = await startWorker({brokerUrl: redis.url, name: 'ptyw'});
	screen = runInTerminal(['-b', redis.url, '--audit-log-file', auditFile], {cols: 130, rows: 36});
});

after(async () => {
	screen?.kill();
	await worker?.stop('SIGKILL', 1000);
	await redis?.stop();
});

test('the TUI shows the live worker, with the password redacted', async () => {
	await screen.waitForText(new RegExp(`${worker.hostname.replace('.', '\\.')}\\s+online`));
	const text = screen.text();
	assert.match(text, /● connected/);
	assert.ok(!screen.raw().includes('s3cr3t-pty'), 'the password never reaches the terminal');
	assert.match(text, /redis:\/\/:\*\*\*@127\.0\.0\.1/);
	// Redraws leave nothing behind: one header, no line of an earlier frame (Ink's incremental mode did).
	const lines = screen.lines();
	assert.equal(lines.filter((l) => l.startsWith('celerytop ')).length, 1, text);
	assert.equal(lines.filter((l) => /^│ Workers\b/.test(l) || /^\s*Workers\b/.test(l)).length, 1, text);
	assert.ok(!/connecting to|no answer for|no worker heard from yet/.test(text), text);
});

test('tasks sent to the worker appear with their final state', async () => {
	const [ok, bad] = await sendTasks(redis.url, [{task: 'demo.add', args: [40, 2]}, {task: 'demo.fail'}]);
	await screen.waitForText(new RegExp(`${ok!.slice(0, 8)}.*demo\\.add.*SUCCESS`));
	await screen.waitForText(new RegExp(`${bad!.slice(0, 8)}.*demo\\.fail.*FAILURE`));
	await screen.waitForText(/task-succeeded/);
});

test('Enter opens the detail of the selected task and Esc comes back', async () => {
	screen.write('g');
	await screen.waitForText(/Tasks\s.*1\/2/s);
	screen.write(ENTER);
	await screen.waitForText(/Task [0-9a-f-]{36}/);
	await screen.waitForText(/Timeline \(arrival order\)/);
	screen.write(ESCAPE);
	await screen.waitForText(/Workers/);
});

test('c revokes the selected task after a confirmation; the worker replies and the audit log records it', async () => {
	const [long] = await sendTasks(redis.url, [{task: 'demo.sleep', args: [30]}]);
	await screen.waitForText(new RegExp(`${long!.slice(0, 8)}.*demo\\.sleep.*STARTED`));
	screen.write('g');
	await screen.waitForText(/Tasks\s.*1\/3/s);
	screen.write('c');
	await screen.waitForText(new RegExp(`Revoke demo\\.sleep\\[${long}\\]\\?`));
	screen.write('y');
	await screen.waitForText(/OK tasks .* flagged as revoked/);
	const entry = JSON.parse(readFileSync(auditFile, 'utf8').trim().split('\n').at(-1)!) as Record<
		string,
		unknown
	>;
	assert.equal(entry['method'], 'revoke');
	assert.deepEqual(entry['arguments'], {task_id: [long]});
	assert.ok(Object.keys(entry['replies'] as object).includes(worker.hostname));
	assert.ok(!readFileSync(auditFile, 'utf8').includes('s3cr3t-pty'), 'no password in the audit log');
});

test('Tab, ? help, and the footer follow the keymap', async () => {
	screen.write(TAB);
	await screen.waitForText(/detail of the event's task/);
	screen.write('?');
	await screen.waitForText(/Help — every key/);
	screen.write('q');
	await screen.waitForText(/Workers/);
});

test('a terminal too small says so, whole, on the screen it has, and the screen comes back', async () => {
	screen.resize(40, 10);
	await screen.waitForText(/Terminal too small \(40x10\)/);
	// The message wraps to the width it has: its last words are on screen, not cut off.
	assert.match(screen.text(), /60x20\./);
	assert.match(screen.text(), /q quits\./);
	screen.resize(130, 36);
	await screen.waitForText(/Workers/);
});

test('a resize storm (60 resizes, tiny to large) never crashes and the screen settles', async () => {
	const sizes: Array<[number, number]> = [
		[20, 5],
		[200, 60],
		[61, 20],
		[59, 19],
		[1, 1],
		[130, 36],
	];
	for (let i = 0; i < 60; i++) screen.resize(...sizes[i % sizes.length]!);
	screen.resize(130, 36);
	await screen.waitForText(/Workers/);
	await screen.waitForText(/● connected/);
});

test('q quits with code 0 and leaves the alternate screen', async () => {
	screen.write('q');
	const code = await screen.exited;
	assert.equal(code, 0);
	assert.ok(screen.raw().includes('\u001B[?1049l'), 'alternate screen left');
});

for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
	test(`${signal} ends the TUI and restores the terminal`, async () => {
		const other = runInTerminal(['-b', redis.url, '--no-audit-log'], {cols: 100, rows: 30});
		try {
			await other.waitForText(/Workers/);
			other.kill(signal);
			await other.exited;
			assert.ok(other.raw().includes('\u001B[?1049l'), 'alternate screen left');
			assert.ok(other.raw().includes('\u001B[?25h'), 'cursor shown again');
		} finally {
			other.kill('SIGKILL');
		}
	});
}
