// The main screen of the real binary against real workers, at 200×50 and 120×40 (80×24 is
// tui-small-pty.test.ts): the workers' pools and queues, queue depth, sort, stuck and lost tasks, and
// a revoke of marked tasks with one confirmation and one line of replies, written to the audit log.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {requireCelery, sendTasks, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {runInTerminal, type Screen} from '../helpers/screen.js';

let redis: RedisServer;
let steady: CeleryWorker;
let doomed: CeleryWorker;
const screens: Screen[] = [];
const audit = join(mkdtempSync(join(tmpdir(), 'celerytop-screen-')), 'audit.jsonl');

function open(cols: number, rows: number): Screen {
	const screen = runInTerminal(['-b', redis.url, '--stuck-after', '3s'], {
		cols,
		rows,
		env: {CELERYTOP_AUDIT_LOG: audit},
	});
	screens.push(screen);
	return screen;
}

const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The line of a task's row (by its first 8 characters), or undefined. */
function rowOf(screen: Screen, id: string): string | undefined {
	return screen.lines().find((line) => line.includes(id.slice(0, 8)));
}

before(async () => {
	requireCelery();
	redis = await startRedis();
	steady = await startWorker({brokerUrl: redis.url, name: 'steady', concurrency: 2});
	doomed = await startWorker({brokerUrl: redis.url, name: 'doomed', concurrency: 1, queues: ['doomedq']});
});

after(async () => {
	for (const screen of screens) screen.kill();
	await steady?.stop('SIGKILL', 1000);
	await doomed?.stop('SIGKILL', 1000);
	await redis?.stop();
});

test('200×50: each worker with its pool, utilisation, prefetch and queues; queue depth above the panes', async () => {
	const screen = open(200, 50);
	await screen.waitForText(
		new RegExp(`${esc(steady.hostname)}\\s+online\\s+\\S*\\s*prefork 2\\s+8\\s+celery`),
	);
	await screen.waitForText(
		new RegExp(`${esc(doomed.hostname)}\\s+online\\s+\\S*\\s*prefork 1\\s+4\\s+doomedq`),
	);
	assert.match(screen.text(), /WORKER\s+STATUS\s+UTIL\s+POOL\s+PREFETCH\s+QUEUES/);
	// Nobody consumes 'parked': its messages wait, and the line above the panes counts them.
	await sendTasks(
		redis.url,
		Array.from({length: 3}, (_, i) => ({task: 'demo.add', args: [i, 1], queue: 'parked'})),
	);
	await screen.waitForText(/^queues parked 3\b/m);
	assert.ok(
		screen.lines().every((line) => [...line].length <= 200),
		'nothing wider than the screen',
	);
});

test('120×40: sort by runtime puts the running task on top; past --stuck-after it is STUCK and counted', async () => {
	const screen = open(120, 40);
	await screen.waitForText(/● connected/);
	const [sleeper] = await sendTasks(redis.url, [{task: 'demo.sleep', args: [60]}]);
	await sendTasks(
		redis.url,
		Array.from({length: 5}, (_, i) => ({task: 'demo.add', args: [i, 2]})),
	);
	await screen.waitForText((s) => /STARTED/.test(rowOf(screen, sleeper!) ?? '') && s.includes('SUCCESS'));
	// > steps through the columns: last event, id, name, state, worker, received, runtime.
	for (let i = 0; i < 6; i++) screen.write('>');
	await screen.waitForText(/Tasks · sort RUNTIME ↓/);
	await screen.waitForText(() => {
		const rows = screen.lines().filter((line) => /^│ [0-9a-f]{8} /.test(line));
		return rows[0]?.includes(sleeper!.slice(0, 8)) ?? false;
	});
	await screen.waitForText(/⚠ 1 stuck/);
	assert.match(rowOf(screen, sleeper!) ?? '', /STUCK/);
	screen.write('!');
	await screen.waitForText(/Tasks · stuck and lost only · sort RUNTIME ↓/);
	const rows = screen.lines().filter((line) => /^│ [0-9a-f]{8} /.test(line));
	assert.equal(rows.length, 1, screen.text());
	assert.match(rows[0]!, new RegExp(`${sleeper!.slice(0, 8)} .*demo\\.sleep\\s+STUCK`));
	screen.write('!');
	await screen.waitForText(/Tasks · sort RUNTIME ↓/);
});

test('120×40: a worker killed while running a task: the task is LOST and counted, its worker offline', async () => {
	const screen = open(120, 40);
	await screen.waitForText(/● connected/);
	const [orphan] = await sendTasks(redis.url, [{task: 'demo.sleep', args: [60], queue: 'doomedq'}]);
	await screen.waitForText(() => /STARTED|STUCK/.test(rowOf(screen, orphan!) ?? ''));
	await doomed.kill9(); // no worker-offline: its heartbeats stop
	await screen.waitForText(/⚠ 1 lost/);
	assert.match(rowOf(screen, orphan!) ?? '', new RegExp(`${orphan!.slice(0, 8)} .*demo\\.sleep\\s+LOST`));
	screen.write('!');
	await screen.waitForText(/Tasks · stuck and lost only/);
	assert.match(rowOf(screen, orphan!) ?? '', /LOST/, 'the lost task is among them');
});

test('120×40: marked tasks are revoked together: one confirmation lists them, one line of replies, audited', async () => {
	const screen = open(120, 40);
	await screen.waitForText(/● connected/);
	const ids = await sendTasks(
		redis.url,
		Array.from({length: 2}, (_, i) => ({task: 'demo.add', args: [i, 9], queue: 'parked'})),
	);
	// Sent, never received (nobody consumes 'parked'): the two newest rows, PENDING.
	await screen.waitForText(() => ids.every((id) => /PENDING/.test(rowOf(screen, id) ?? '')));
	screen.write(' ');
	screen.write(' ');
	await screen.waitForText(/Tasks · 2 marked/);
	screen.write('c');
	await screen.waitForText(/Revoke 2 marked tasks\? Now PENDING ×2 · demo\.add ×2/);
	assert.match(screen.text(), new RegExp(`${ids[0]!.slice(0, 8)}|${ids[1]!.slice(0, 8)}`));
	screen.write('y');
	await screen.waitForText(
		new RegExp(`revoke 2 marked tasks: OK from 1 worker \\(${esc(steady.hostname)}\\)`),
	);
	await screen.waitForText(() => ids.every((id) => /REVOKED|revoke sent/.test(rowOf(screen, id) ?? '')));
	const records = readFileSync(audit, 'utf8')
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line) as Record<string, unknown>);
	const revoke = records.findLast((record) => record['method'] === 'revoke')!;
	assert.deepEqual(
		[...((revoke['arguments'] ?? revoke['args']) as {task_id: string[]}).task_id].sort(),
		[...ids].sort(),
		'exactly the confirmed ids were sent',
	);
});

test('120×40: a task first seen mid-flight is named by its worker (query_task), not left as "?"', async () => {
	const mid = await startWorker({brokerUrl: redis.url, name: 'mid', concurrency: 1, queues: ['midq']});
	try {
		// One process: the first task runs, the second waits prefetched; both task-received are sent now.
		const [first, second] = await sendTasks(redis.url, [
			{task: 'demo.sleep', args: [4], queue: 'midq'},
			{task: 'demo.sleep', args: [30], queue: 'midq'},
		]);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		// Listening from now on: the second's task-started comes with no name, the first's end too.
		const screen = open(120, 40);
		await screen.waitForText(() => /SUCCESS/.test(rowOf(screen, first!) ?? ''), 20_000);
		await screen.waitForText(
			() => new RegExp(`${second!.slice(0, 8)} demo\\.sleep\\s+STARTED`).test(rowOf(screen, second!) ?? ''),
			10_000,
		);
		assert.match(rowOf(screen, first!) ?? '', /\? \(seen mid-flight\)/, 'ended before any question: no name');
	} finally {
		await mid.stop('SIGKILL', 1000);
	}
});
