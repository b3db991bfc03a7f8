// The real built TUI in a pseudo-terminal, a private redis-server, a real Celery worker and a real
// producer publishing tasks all along: the cursor holds a running task while new tasks arrive above
// it (the highlighted row, read from the terminal's cells, stays that task), c opens a dialog naming
// it and saying it keeps running, t switches to terminate, and y really terminates it.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {requireCelery, sendTasks, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {runInTerminal, type Screen} from '../helpers/screen.js';
import {waitFor} from '../helpers/wait-for.js';
import {startProducer, type TrackedChild} from '../../demo/cluster.mjs';

let redis: RedisServer;
let worker: CeleryWorker;
let screen: Screen;
let producer: TrackedChild | undefined;

before(async () => {
	requireCelery();
	redis = await startRedis();
	worker = await startWorker({brokerUrl: redis.url, name: 'cursorw', concurrency: 3});
	screen = runInTerminal(['-b', redis.url, '--no-audit-log'], {cols: 130, rows: 40});
});

after(async () => {
	screen?.kill();
	await producer?.stop('SIGKILL', 1000);
	await worker?.stop('SIGKILL', 1000);
	await redis?.stop();
});

/** The text of the rows drawn in inverse video (the focused pane's cursor). */
async function highlighted(): Promise<string[]> {
	await new Promise<void>((resolve) => screen.terminal.write('', resolve));
	const buffer = screen.terminal.buffer.active;
	const rows: string[] = [];
	for (let y = 0; y < screen.terminal.rows; y++) {
		const line = buffer.getLine(buffer.viewportY + y);
		// Column 2 is the first cell inside a pane's border and padding.
		if (line?.getCell(2)?.isInverse()) rows.push(line.translateToString(true));
	}
	return rows;
}

/** The cursor's position in the Tasks pane title: [row, of]. */
function tasksPosition(): [number, number] | undefined {
	const match = /│ Tasks\b.*?(\d+)\/(\d+)/.exec(screen.text());
	return match ? [Number(match[1]), Number(match[2])] : undefined;
}

test('the revoke dialog names the highlighted task while new tasks keep arriving', async () => {
	await screen.waitForText(new RegExp(`${worker.hostname.replace('.', '\\.')}\\s+online`));
	const [long] = await sendTasks(redis.url, [{task: 'demo.sleep', args: [120]}]);
	const short = long!.slice(0, 8);
	await screen.waitForText(new RegExp(`${short}.*demo\\.sleep.*STARTED`));
	assert.match(screen.text(), /Tasks · following newest/);

	screen.write('g'); // hold the row: the running task, the only one so far
	await screen.waitForText(/│ Tasks {3,}.*1\/1/); // the title no longer says "following newest"
	producer = startProducer({brokerUrl: redis.url, rate: 8});

	// New tasks arrive above it: the cursor moves down the list with it and stays on it.
	await waitFor(() => (tasksPosition()?.[0] ?? 0) >= 6, {
		timeout: 30_000,
		message: () => `tasks arrived above the held one\n${screen.text()}`,
	});
	const rows = await highlighted();
	assert.equal(rows.length, 1, `one highlighted row\n${screen.text()}`);
	assert.match(rows[0]!, new RegExp(`${short}.*demo\\.sleep.*STARTED`), screen.text());

	screen.write('c');
	await screen.waitForText(
		new RegExp(`Revoke demo\\.sleep\\[${long}\\]\\? Now STARTED on ${worker.hostname}`),
	);
	assert.match(screen.text(), /keeps running: revoke only stops tasks/);
	assert.match(screen.text(), /t terminate with SIGTERM/);
	// While the dialog is open, more tasks arrive: it still names the same task, still highlighted.
	const at = tasksPosition()![1];
	await waitFor(() => (tasksPosition()?.[1] ?? 0) > at, {
		timeout: 30_000,
		message: () => `more tasks while the dialog is open\n${screen.text()}`,
	});
	assert.match(screen.text(), new RegExp(`Revoke demo\\.sleep\\[${long}\\]\\?`));
	assert.match((await highlighted()).join('\n'), new RegExp(short));

	screen.write('t');
	await screen.waitForText(new RegExp(`Terminate demo\\.sleep\\[${long}\\] with SIGTERM\\?`));
	screen.write('y');
	await screen.waitForText(new RegExp(`${short}.*demo\\.sleep.*REVOKED`), 30_000);
	assert.match(
		(await highlighted()).join('\n'),
		new RegExp(`${short}.*REVOKED`),
		'the cursor is still on it',
	);

	screen.write('f');
	await screen.waitForText(/Tasks · following newest/);
	await screen.waitForText(/│ Tasks\s.*\b1\/\d+/);
});
