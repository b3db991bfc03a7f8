// The cursor holds its task: events arriving while it is on a task leave it on that task (and on its
// screen row); "following newest" is a mode the pane title shows, that a move leaves and f returns to;
// a revoke names the task highlighted when c was pressed, whatever arrives while the dialog is open.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {CeleryEvent} from '../../source/protocol/types.js';
import type {ControlService, Services} from '../../source/ui/services.js';
import {keymap} from '../../source/keys/keymap.js';
import {fakeServices, type FakeServices} from '../helpers/fake-services.js';
import {ESCAPE, TAB} from '../helpers/keys.js';
import {waitFor} from '../helpers/wait-for.js';
import {mountApp} from './mount.js';

const T = 1_795_771_600;
const id = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-00000000000${n % 10}`;

function received(n: number, at: number): CeleryEvent {
	return {type: 'task-received', hostname: 'w1@vm', timestamp: at, uuid: id(n), name: `app.t${n}`};
}

const heartbeat: CeleryEvent = {
	type: 'worker-heartbeat',
	hostname: 'w1@vm',
	timestamp: T,
	freq: 2,
	active: 0,
	processed: 0,
	loadavg: [0, 0, 0],
};

function recordingControl() {
	const calls: Array<{method: string; args: Record<string, unknown>}> = [];
	const control: ControlService = {
		async call(method, args) {
			calls.push({method, args});
			return {replies: {'w1@vm': {ok: 'done'}}, sent: true};
		},
	};
	return {calls, control};
}

function setup(count: number, maxTasks?: number) {
	const base = fakeServices({events: [heartbeat], now: T, maxTasks});
	// One event per tick, so the newest task is the one with the highest number.
	for (let n = 1; n <= count; n++) {
		base.setNow(T + n / 100);
		base.push([received(n, T + n / 100)]);
	}
	const {calls, control} = recordingControl();
	const services: Services & Pick<FakeServices, 'push' | 'setNow'> = {
		...base,
		control,
		askWorkerInfo: false,
	};
	return {...mountApp(services, {rows: 40}), services: base, calls};
}

/** The section of the frame between the Tasks pane title and the Events pane title. */
const tasksPane = (frame: string) => frame.slice(frame.indexOf('Tasks'), frame.indexOf('Events'));
const lineOf = (frame: string, text: string) => frame.split('\n').findIndex((l) => l.includes(text));

test('the pane title says "following newest" until a move; f (from the keymap) goes back to it', async () => {
	const follow = keymap.find((b) => b.id === 'cursor.follow' && b.scope === 'tasks');
	assert.ok(follow, 'the follow key is in the one keymap');
	const key = follow.keys[0];
	const {r, frame, press} = setup(3);
	await waitFor(() => frame().includes('app.t3'));
	assert.match(frame(), /Tasks · following newest/);
	assert.match(frame(), new RegExp(`${key} follow newest`), 'the footer shows the follow key');
	await press('j', (f) => /Tasks\s.*2\/3/.test(f) && !/Tasks · following newest/.test(f), 'j leaves it');
	await press('k', (f) => /Tasks\s.*1\/3/.test(f), 'back on row 1 by a move');
	assert.doesNotMatch(frame(), /Tasks · following newest/, 'a move to row 1 holds that row');
	await press(key, (f) => /Tasks · following newest/.test(f), `${key} follows the newest again`);
	// The events pane has its own mode and the same key.
	await press(TAB, (f) => /Events · following newest/.test(f), 'events pane follows too');
	await press('j', (f) => !/Events · following newest/.test(f), 'j leaves it there');
	await press(key, (f) => /Events · following newest/.test(f), `${key} again`);
	r.unmount();
});

test('events arriving while the cursor is on task X keep X highlighted, on its screen row; c names X', async () => {
	// More tasks than the pane shows: rows inserted above scroll the window, not the cursor.
	const {r, frame, press, services, calls} = setup(40);
	await waitFor(() => frame().includes('app.t40'));
	await press('jj', (f) => /Tasks\s.*3\/40/.test(f), 'cursor on row 3');
	const x = id(38); // rows: t40, t39, t38
	const screenRow = lineOf(frame(), x.slice(0, 8));
	assert.ok(screenRow > 0, frame());
	for (let n = 41; n <= 46; n++) {
		services.setNow(T + n);
		services.push([received(n, T + n)]);
		await waitFor(() => new RegExp(`Tasks\\s.*\\d+/${n}\\b`).test(frame()), {message: () => frame()});
	}
	// Six tasks arrived above X: the cursor is on row 9 of 46, still X, and X has not moved on screen.
	await waitFor(() => /Tasks\s.*9\/46/.test(frame()), {message: () => `cursor still on X\n${frame()}`});
	assert.equal(lineOf(frame(), x.slice(0, 8)), screenRow, `X stays on its screen row\n${frame()}`);
	assert.ok(!tasksPane(frame()).includes('app.t46'), 'the new rows are above, out of the window');
	await press('c', (f) => f.includes(`Revoke app.t38[${x}]? Now RECEIVED on w1@vm`), 'the dialog names X');
	// More arrive while the dialog is open: it still names X, and y revokes X.
	services.setNow(T + 47);
	services.push([received(47, T + 47)]);
	await waitFor(() => /Tasks\s.*10\/47/.test(frame()), {message: () => frame()});
	assert.match(frame(), new RegExp(`Revoke app\\.t38\\[${x}\\]\\?`));
	r.stdin.write('y');
	await waitFor(() => calls.length === 1);
	assert.deepEqual(calls[0], {method: 'revoke', args: {task_id: [x]}});
	r.unmount();
});

test('in a list that fits on screen, a held task moves down with the rows inserted above and stays highlighted', async () => {
	const {r, frame, press, services} = setup(3);
	await waitFor(() => frame().includes('app.t3'));
	await press('j', (f) => /Tasks\s.*2\/3/.test(f), 'on t2');
	services.setNow(T + 5);
	services.push([received(4, T + 5), received(5, T + 5)]);
	await waitFor(() => /Tasks\s.*4\/5/.test(frame()), {message: () => `still on t2\n${frame()}`});
	await press('c', (f) => f.includes(`Revoke app.t2[${id(2)}]?`), 'names t2');
	r.unmount();
});

test('on row 1 following the newest, c names the row highlighted then and the cursor holds it', async () => {
	const {r, frame, press, services, calls} = setup(2);
	await waitFor(() => frame().includes('app.t2'));
	await press('c', (f) => f.includes(`Revoke app.t2[${id(2)}]?`), 'names the newest');
	assert.doesNotMatch(frame(), /Tasks · following newest/, 'the cursor now holds that task');
	services.setNow(T + 5);
	services.push([received(3, T + 5)]);
	await waitFor(() => /Tasks\s.*2\/3/.test(frame()), {
		message: () => `held on t2 below the new t3\n${frame()}`,
	});
	await press(ESCAPE, (f) => f.includes('cancelled'), 'cancelled');
	await press('c', (f) => f.includes(`Revoke app.t2[${id(2)}]?`), 'still the held task');
	r.stdin.write('y');
	await waitFor(() => calls.length === 1);
	assert.deepEqual(calls[0]!.args, {task_id: [id(2)]});
	await press('f', (f) => /Tasks · following newest/.test(f) && /Tasks\s.*1\/3/.test(f), 'follow again');
	r.unmount();
});

test('a held task filtered away hands the cursor to the nearest row and says nothing was sent', async () => {
	const {r, frame, press, calls} = setup(5);
	await waitFor(() => frame().includes('app.t5'));
	await press('jj', (f) => /Tasks\s.*3\/5/.test(f), 'on t3');
	await press('/app.t', (f) => f.includes('filter'), 'filter open');
	// "app.t3" no longer matches "app.t4": the cursor moves to the nearest row, t4 (the only one left).
	await press('4', (f) => /nothing was sent/.test(f), 'says so');
	assert.match(frame(), /task 00000003 is filtered out: the cursor is on the nearest row/);
	assert.match(frame(), /Tasks\s.*1\/1/);
	await press('\r', (f) => f.includes('filter: app.t4'), 'filter kept');
	await press(
		'c',
		(f) => f.includes(`Revoke app.t4[${id(4)}]?`),
		'the dialog names the row under the cursor',
	);
	assert.equal(calls.length, 0);
	r.unmount();
});

test('a held task evicted (--max-tasks) hands the cursor to the nearest row, said once', async () => {
	const {r, frame, press, services} = setup(5, 5);
	await waitFor(() => frame().includes('app.t5'));
	await press('G', (f) => /Tasks\s.*5\/5/.test(f), 'on the oldest, t1');
	services.setNow(T + 6);
	services.push([received(6, T + 6)]); // t1 is evicted
	await waitFor(() => frame().includes('task 00000001 is no longer kept (evicted)'), {
		message: () => frame(),
	});
	assert.match(frame(), /the cursor is on the nearest row; nothing was sent/);
	assert.match(frame(), /Tasks\s.*5\/5/, 'on t2, the oldest now');
	services.setNow(T + 7);
	services.push([received(7, T + 7)]); // t2 goes too: the cursor moves on without a new notice
	await waitFor(() => !tasksPane(frame()).includes('app.t2 '), {message: () => frame()});
	services.setNow(T + 8);
	services.push([received(8, T + 8)]); // and t3
	await waitFor(() => !tasksPane(frame()).includes('app.t3 '), {message: () => frame()});
	await press(
		'c',
		(f) => f.includes(`Revoke app.t4[${id(4)}]?`),
		'the dialog names the row under the cursor',
	);
	assert.doesNotMatch(frame(), /task 0000000[23] is no longer kept/);
	r.unmount();
});

test('a worker is held by name: a new worker sorted above it does not take the cursor', async () => {
	const {r, frame, press, services} = setup(1);
	await waitFor(() => frame().includes('w1@vm'));
	await press(TAB + TAB, (f) => f.includes('shut down'), 'workers pane focused');
	services.push([{...heartbeat, hostname: 'a0@vm'} as CeleryEvent]);
	await waitFor(() => frame().includes('a0@vm'));
	await press('S', (f) => f.includes('Shut down 1 worker, w1@vm'), 'still w1@vm');
	r.unmount();
});
