// The real built binary in a pseudo-terminal, against a private redis-server and a real Celery
// worker: read the screen, press keys, resize, quit.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {requireCelery, sendTasks, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {runInTerminal, type Screen} from '../helpers/screen.js';
import {ENTER, ESCAPE, TAB} from '../helpers/keys.js';

let redis: RedisServer;
let worker: CeleryWorker;
let screen: Screen;

before(async () => {
	requireCelery();
	redis = await startRedis({password: 's3cr3t-pty'});
	worker = await startWorker({brokerUrl: redis.url, name: 'ptyw'});
	screen = runInTerminal(['-b', redis.url], {cols: 130, rows: 36});
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

test('Tab, ? help, and the footer follow the keymap', async () => {
	screen.write(TAB);
	await screen.waitForText(/detail of the event's task/);
	screen.write('?');
	await screen.waitForText(/Help — every key/);
	screen.write('q');
	await screen.waitForText(/Workers/);
});

test('a terminal too small shows one line instead of crashing, and the screen comes back', async () => {
	screen.resize(40, 10);
	await screen.waitForText(/Terminal too small \(40x10\)/);
	screen.resize(130, 36);
	await screen.waitForText(/Workers/);
});

test('q quits with code 0 and leaves the alternate screen', async () => {
	screen.write('q');
	const code = await screen.exited;
	assert.equal(code, 0);
	assert.ok(screen.raw().includes('\u001B[?1049l'), 'alternate screen left');
});
