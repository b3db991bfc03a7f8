// The real binary at 80×24 (the size every terminal opens at) against a real worker: the focused pane
// gets the room, the workers fold into one line and open on focus, the footer fits, and a running
// task shows its time so far, ticking.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {requireCelery, sendTasks, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {runInTerminal, type Screen} from '../helpers/screen.js';
import {SHIFT_TAB, TAB} from '../helpers/keys.js';

let redis: RedisServer;
let worker: CeleryWorker;
let screen: Screen;

before(async () => {
	requireCelery();
	redis = await startRedis();
	worker = await startWorker({brokerUrl: redis.url, name: 'smallw', concurrency: 2});
	screen = runInTerminal(['-b', redis.url], {cols: 80, rows: 24});
});

after(async () => {
	screen?.kill();
	await worker?.stop('SIGKILL', 1000);
	await redis?.stop();
});

/** The rows of a bordered pane whose title matches, between its title line and its bottom border. */
function paneRows(lines: readonly string[], title: RegExp): string[] {
	const start = lines.findIndex((l) => title.test(l));
	if (start === -1) return [];
	const end = lines.findIndex((l, i) => i > start && l.startsWith('╰'));
	return lines.slice(start + 2, end).filter((l) => /^│ \S/.test(l));
}

test('at 80×24 the tasks pane shows ten tasks and the workers fold into one line', async () => {
	await screen.waitForText(new RegExp(`Workers 1/1 .*● ${worker.hostname.replace('.', '\\.')}`));
	await sendTasks(
		redis.url,
		Array.from({length: 14}, (_, i) => ({task: 'demo.add', args: [i, 1]})),
	);
	await screen.waitForText(/Tasks\s.*\d+\/14/);
	const lines = screen.lines();
	const tasks = paneRows(lines, /^│ Tasks\b/);
	assert.ok(tasks.length >= 10, `${tasks.length} task rows:\n${lines.join('\n')}`);
	assert.ok(!lines.some((l) => /^│ Workers\b/.test(l)), 'the workers pane is folded');
	assert.ok(
		lines.every((l) => [...l].length <= 80),
		'nothing wider than the screen',
	);
	const footer = lines.findLast((l) => l.trim() !== '') ?? '';
	assert.match(footer, /q\/\^C quit {2}\? more$/, `the footer fits and ends with quit and ? more: ${footer}`);
	assert.ok(!footer.includes('…'), 'no hint is cut in the middle');
});

test('focusing the workers pane opens it; leaving it folds it again', async () => {
	screen.write(SHIFT_TAB);
	await screen.waitForText(/^│ Workers\b/m);
	await screen.waitForText(new RegExp(`${worker.hostname.replace('.', '\\.')}\\s+online`));
	assert.match(screen.text(), /S shut down/, 'the footer shows the workers pane keys');
	screen.write(TAB);
	await screen.waitForText(/^Workers 1\/1 \(S-Tab opens\)/m);
});

test('a running task shows its time so far, ticking', async () => {
	const [id] = await sendTasks(redis.url, [{task: 'demo.sleep', args: [30]}]);
	// RUNTIME follows STATE: a running task's time so far, then the worker, received and args.
	const row = (s: string) => new RegExp(`${id!.slice(0, 8)} .*STARTED +(\\d+)s `).exec(s);
	await screen.waitForText(new RegExp(`${id!.slice(0, 8)} .*STARTED +\\d+s `));
	const first = Number(row(screen.text())![1]);
	await screen.waitForText((s) => Number(row(s)?.[1] ?? -1) >= first + 2);
	assert.ok(Number(row(screen.text())![1]) >= first + 2, 'the elapsed time went up while it ran');
});

test('at 60×20, the smallest size: every line fits, the header keeps its name and count, the lists fold', async () => {
	const small = runInTerminal(['-b', redis.url], {cols: 60, rows: 20});
	try {
		await small.waitForText(/● connected/);
		await sendTasks(
			redis.url,
			Array.from({length: 8}, (_, i) => ({task: 'demo.add', args: [i, 2]})),
		);
		await small.waitForText(/Tasks · following newest +1\/8 │/);
		await small.waitForText(/^Events \d+ \(Tab opens\): /m);
		const lines = small.lines();
		assert.ok(
			lines.every((l) => [...l].length <= 60),
			lines.join('\n'),
		);
		assert.match(
			lines[0]!,
			/^celerytop ● connected · redis:\/\/127\..*events \d+/,
			'the state first, then the URL (cut), then the count',
		);
		assert.ok(paneRows(lines, /^│ Tasks\b/).length >= 5, lines.join('\n'));
		assert.match(lines.findLast((l) => l.trim() !== '') ?? '', /\? more$/);
	} finally {
		small.kill();
	}
});
