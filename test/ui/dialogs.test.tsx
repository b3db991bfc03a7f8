// Confirmations say what will happen, with the state at the moment they open: a revoke of a running
// task says it keeps running and offers terminate (naming its signal); every control dialog names its
// target and amount; the offline-workers warning uses the clock now, not the last frame's.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {CeleryEvent} from '../../source/protocol/types.js';
import type {ControlService, Services} from '../../source/ui/services.js';
import {fakeServices} from '../helpers/fake-services.js';
import {ENTER, TAB} from '../helpers/keys.js';
import {waitFor} from '../helpers/wait-for.js';
import {mountApp} from './mount.js';

type Call = {method: string; args: Record<string, unknown>; destination?: readonly string[]};
const T = 1_795_771_600;
const RUNNING = 'aaaaaaaa-1111-4000-8000-000000000001';
const WAITING = 'bbbbbbbb-2222-4000-8000-000000000002';
const DONE = 'cccccccc-3333-4000-8000-000000000003';

function heartbeat(hostname: string, freq: number, at = T): CeleryEvent {
	return {
		type: 'worker-heartbeat',
		hostname,
		timestamp: at,
		freq,
		active: 1,
		processed: 3,
		loadavg: [0, 0, 0],
	};
}

const TASKS: CeleryEvent[] = [
	{type: 'task-received', hostname: 'w1@vm', timestamp: T, uuid: DONE, name: 'app.add', args: '(1, 2)'},
	{type: 'task-succeeded', hostname: 'w1@vm', timestamp: T + 0.1, uuid: DONE, runtime: 0.1, result: '3'},
	{type: 'task-received', hostname: 'w1@vm', timestamp: T + 0.2, uuid: WAITING, name: 'app.queued'},
	{type: 'task-received', hostname: 'w1@vm', timestamp: T + 0.3, uuid: RUNNING, name: 'app.long'},
	{type: 'task-started', hostname: 'w1@vm', timestamp: T + 0.4, uuid: RUNNING},
];

function setup(options: {workers?: CeleryEvent[]; clock?: () => number; hold?: boolean} = {}) {
	const base = fakeServices({
		events: [...(options.workers ?? [heartbeat('w1@vm', 60)]), ...TASKS],
		now: T + 0.5,
	});
	const calls: Call[] = [];
	// With `hold`, replies wait for release(): the line saying what was sent stays on screen.
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	const control: ControlService = {
		async call(method, args, opts) {
			calls.push({method, args, destination: opts.destination});
			if (method === 'stats')
				return {replies: {'w1@vm': {pool: {'max-concurrency': 2, processes: [10, 11]}}}, sent: true};
			if (options.hold) await held;
			return {replies: {'w1@vm': {ok: 'done'}}, sent: true};
		},
	};
	const services: Services = {...base, control, askWorkerInfo: false, clock: options.clock ?? base.clock};
	return {...mountApp(services, {rows: 40}), calls, services: base, release};
}

/** The dialog's text as one line (its box lines joined, the wrapping undone). */
function dialog(frame: string): string {
	return frame
		.split('\n')
		.filter((line) => line.startsWith('║'))
		.map((line) => line.slice(1, -1).trim())
		.join(' ')
		.replace(/\s+/g, ' ');
}

/** Put the tasks cursor on the row of `uuid` (newest first: RUNNING, WAITING, DONE). */
async function onTask(press: ReturnType<typeof setup>['press'], uuid: string) {
	const row = [RUNNING, WAITING, DONE].indexOf(uuid) + 1;
	await press('g' + 'j'.repeat(row - 1), (f) => new RegExp(`Tasks\\s.*${row}/3`).test(f), `row ${row}`);
}

test('revoke of a STARTED task says it keeps running and offers terminate with its signal', async () => {
	const {r, frame, press, calls} = setup();
	await waitFor(() => frame().includes('app.long'));
	await onTask(press, RUNNING);
	await press('c', (f) => f.includes(`Revoke app.long[${RUNNING}]? Now STARTED on w1@vm`), 'names it');
	assert.match(dialog(frame()), /keeps running: revoke only stops tasks that have not started/);
	assert.match(dialog(frame()), /y revoke anyway t terminate with SIGTERM n\/Esc no/);
	await press(
		't',
		(f) => f.includes(`Terminate app.long[${RUNNING}] with SIGTERM? Now STARTED on w1@vm`),
		'switched to terminate, naming the signal',
	);
	assert.match(dialog(frame()), /its worker sends SIGTERM to the pool process running it/);
	r.stdin.write('y');
	await waitFor(() => calls.some((c) => c.method === 'revoke'));
	assert.deepEqual(calls.at(-1)!.args, {task_id: [RUNNING], terminate: true, signal: 'SIGTERM'});
	r.unmount();
});

test('revoke of a task not started says workers drop it; of a finished one that nothing changes', async () => {
	const {r, frame, press} = setup();
	await waitFor(() => frame().includes('app.queued'));
	await onTask(press, WAITING);
	await press('c', (f) => f.includes(`Revoke app.queued[${WAITING}]? Now RECEIVED on w1@vm`), 'waiting');
	assert.match(dialog(frame()), /It has not started: the workers \(1 online\) drop it/);
	assert.doesNotMatch(frame(), /t terminate/, 'no terminate offered: nothing runs');
	await press('n', (f) => f.includes('cancelled'), 'no');
	await onTask(press, DONE);
	await press('c', (f) => f.includes(`Revoke app.add[${DONE}]? Now SUCCESS on w1@vm`), 'done');
	assert.match(dialog(frame()), /already ended \(SUCCESS\): revoking changes nothing for this run/);
	await press('n', (f) => f.includes('cancelled'), 'no');
	await onTask(press, RUNNING);
	await press('T', (f) => f.includes('which signal'), 'terminate asks the signal');
	await press('jj' + ENTER, (f) => f.includes(`Terminate app.long[${RUNNING}] with SIGINT?`), 'names it');
	r.unmount();
});

test('the offline warning counts workers offline by the clock now, not the last frame', async () => {
	// w2 sent one heartbeat (freq 2) at T; the last frame was drawn at T + 0.5, when it was alive.
	let now = T + 0.5;
	const {r, frame, press} = setup({
		workers: [heartbeat('w1@vm', 60), heartbeat('w2@vm', 2)],
		clock: () => now,
	});
	await waitFor(() => /w2@vm\s+online/.test(frame()));
	await onTask(press, WAITING);
	await press('c', (f) => f.includes('Revoke app.queued'), 'dialog');
	assert.doesNotMatch(dialog(frame()), /offline now/);
	await press('n', (f) => f.includes('cancelled'), 'no');
	now = T + 4.5; // no new frame yet: the screen still says online
	assert.match(frame(), /w2@vm\s+online/);
	await press('c', (f) => f.includes('Revoke app.queued'), 'dialog again');
	assert.match(dialog(frame()), /1 worker offline now will never hear it/);
	assert.match(dialog(frame()), /the workers \(1 online\)/);
	r.unmount();
});

test('each worker dialog names its target and amount: pool size, queue, rate, limits, shutdown', async () => {
	const {r, frame, press, calls} = setup({workers: [heartbeat('w1@vm', 60), heartbeat('w2@vm', 60)]});
	await waitFor(() => frame().includes('w2@vm'));
	await press(TAB + TAB, (f) => f.includes('shut down'), 'workers pane focused');
	await press('g', (f) => /Workers\s.*1\/2/.test(f), 'on w1@vm');

	await press('+', (f) => f.includes('pool now 2 processes'), 'the pool size asked of the worker');
	assert.deepEqual(calls.at(-1), {method: 'stats', args: {}, destination: ['w1@vm']});
	assert.match(frame(), /Grow the pool of w1@vm \(online, 1 active\) by how many processes\?/);
	await press(
		'\u007F3' + ENTER,
		(f) => f.includes('w1@vm: Grow the pool by 3 processes? pool now 2 processes → 5'),
		'grow',
	);
	r.stdin.write('y');
	await waitFor(() => calls.at(-1)?.method === 'pool_grow');
	assert.deepEqual(calls.at(-1), {method: 'pool_grow', args: {n: 3}, destination: ['w1@vm']});

	await press('-', (f) => f.includes('Shrink the pool of w1@vm'), 'shrink prompt');
	await press(
		ENTER,
		(f) => f.includes('w1@vm: Shrink the pool by 1 process? pool now 2 processes → 1'),
		'shrink',
	);
	await press('n', (f) => f.includes('cancelled'), 'no');

	await press('C', (f) => f.includes('Queue w1@vm (online, 1 active) stops consuming from'), 'queue prompt');
	await press(
		'reports' + ENTER,
		(f) => f.includes('Stop w1@vm consuming from the queue reports?'),
		'names the queue',
	);
	assert.match(dialog(frame()), /Its messages stay in reports for other workers/);
	await press('n', (f) => f.includes('cancelled'), 'no');

	await press('l', (f) => f.includes('Rate limit on w1@vm'), 'rate prompt');
	await press(
		'app.add 10/m' + ENTER,
		(f) => f.includes('Set the rate limit of app.add to 10/m on w1@vm?') && f.includes('at most 10 a minute'),
		'names the rate',
	);
	await press('n', (f) => f.includes('cancelled'), 'no');

	await press('L', (f) => f.includes('Time limits on w1@vm'), 'time limit prompt');
	await press(
		'app.add 10 20' + ENTER,
		(f) => f.includes('Set the time limits of app.add on w1@vm: soft 10 s, hard 20 s?'),
		'limits',
	);
	await press('n', (f) => f.includes('cancelled'), 'no');

	await press('a', (f) => f.includes('Autoscale w1@vm'), 'autoscale prompt');
	await press('10,3' + ENTER, (f) => f.includes('Autoscale w1@vm between 3 and 10 processes?'), 'bounds');
	await press('n', (f) => f.includes('cancelled'), 'no');

	await press('S', (f) => f.includes('Shut down 1 worker, w1@vm (online, 1 active)?'), 'which and how many');
	assert.match(dialog(frame()), /1 other worker online stay up/);
	await press('n', (f) => f.includes('cancelled'), 'no');
	r.unmount();
});

test('the task rate limit names the rate and how many workers get it', async () => {
	const {r, frame, press, calls, release} = setup({hold: true});
	await waitFor(() => frame().includes('app.long'));
	await onTask(press, RUNNING);
	await press('l', (f) => f.includes('Rate limit for app.long on every worker (1 online)'), 'prompt');
	await press(
		'5/s' + ENTER,
		(f) => f.includes('Set the rate limit of app.long to 5/s on every worker (1 online)?'),
		'names the rate',
	);
	assert.match(dialog(frame()), /at most 5 a second app\.long tasks/);
	r.stdin.write('y');
	await waitFor(() => calls.at(-1)?.method === 'rate_limit');
	assert.deepEqual(calls.at(-1)!.args, {task_name: 'app.long', rate_limit: '5/s'});
	await waitFor(() => frame().includes('rate limit app.long to 5/s on every worker: sent'), {
		message: () => frame(),
	});
	release();
	await waitFor(() => frame().includes('rate_limit: w1@vm: OK done'), {message: () => frame()});
	r.unmount();
});
