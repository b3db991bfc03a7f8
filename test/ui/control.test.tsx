// Control actions from keys: dialogs name their target, nothing is sent without a yes, replies are
// shown, --read-only disables them. The control service is a recording fake here; the real one is
// tested against real workers in test/interop/control.test.ts.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {ControlService, Services} from '../../source/ui/services.js';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {fakeServices} from '../helpers/fake-services.js';
import {ENTER, TAB} from '../helpers/keys.js';
import {waitFor} from '../helpers/wait-for.js';
import {mountApp} from './mount.js';

type Call = {method: string; args: Record<string, unknown>; destination?: readonly string[]};
const T = 1_795_771_600;
const UUID = 'aaaaaaaa-1111-4000-8000-000000000001';

function recordingControl(reply: (call: Call) => Record<string, unknown>): ControlService & {calls: Call[]} {
	const calls: Call[] = [];
	return {
		calls,
		async call(method, args, options) {
			const call = {method, args, destination: options.destination};
			calls.push(call);
			return {replies: reply(call), sent: true};
		},
	};
}

function setup(readOnly = false) {
	const events: CeleryEvent[] = [
		{
			type: 'worker-heartbeat',
			hostname: 'w1@vm',
			timestamp: T,
			freq: 2,
			active: 1,
			processed: 3,
			loadavg: [0, 0, 0],
		},
		{
			type: 'task-received',
			hostname: 'w1@vm',
			timestamp: T,
			uuid: UUID,
			name: 'app.long',
			args: '(600,)',
			kwargs: '{}',
		},
		{type: 'task-started', hostname: 'w1@vm', timestamp: T + 0.1, uuid: UUID},
	];
	const base = fakeServices({events, now: T + 0.5, readOnly});
	const control = recordingControl(({method}) =>
		method === 'stats'
			? {
					'w1@vm': {
						pid: 42,
						clock: '17',
						uptime: 12,
						pool: {'max-concurrency': 2, processes: [10, 11]},
						total: {'app.long': 3},
					},
				}
			: {'w1@vm': {ok: method === 'revoke' ? `tasks ${UUID} flagged as revoked` : 'pool will shrink'}},
	);
	const services: Services = {...base, control, askWorkerInfo: false};
	return {...mountApp(services), control, services: base};
}

test('c asks to confirm a revoke naming the task; n sends nothing; y sends it and marks the task', async () => {
	const {r, frame, press, control, services} = setup();
	await waitFor(() => frame().includes('app.long'));
	await press('c', (f) => f.includes(`Revoke app.long[${UUID}]?`), 'confirmation names the task');
	await press('n', (f) => f.includes('cancelled'), 'n cancels');
	assert.equal(control.calls.length, 0, 'nothing sent without a yes');
	await press('c', (f) => f.includes('Revoke app.long'), 'asked again');
	r.stdin.write('y');
	await waitFor(() => control.calls.length === 1);
	assert.deepEqual(control.calls[0], {method: 'revoke', args: {task_id: [UUID]}, destination: undefined});
	services.setNow(T + 1.5); // the next frame shows the mark
	await waitFor(() => frame().includes('revoke sent'), {message: () => frame()});
	await waitFor(() => frame().includes('w1@vm: OK tasks'), {message: () => `reply shown\n${frame()}`});
	r.unmount();
});

test('T terminates with a chosen signal after a confirmation', async () => {
	const {r, frame, press, control} = setup();
	await waitFor(() => frame().includes('app.long'));
	await press('T', (f) => f.includes('which signal'), 'signal choice');
	await press('j', (f) => /SIGKILL/.test(f), 'second signal highlighted');
	await press(
		ENTER,
		(f) =>
			f.includes(`Terminate app.long[${UUID}] with SIGKILL?`) &&
			f.includes('sends SIGKILL to the pool process running it') &&
			f.includes('y terminate'),
		'confirmation names the signal',
	);
	r.stdin.write('y');
	await waitFor(() => control.calls.length === 1);
	assert.deepEqual(control.calls[0]!.args, {task_id: [UUID], terminate: true, signal: 'SIGKILL'});
	r.unmount();
});

test('on a worker: Enter shows stats, a asks for active tasks; - shrinks the pool after a prompt and a yes', async () => {
	const {r, frame, press, control} = setup();
	await waitFor(() => frame().includes('w1@vm'));
	await press(TAB + TAB, (f) => f.includes('shrink pool'), 'workers pane focused');
	await press(
		ENTER,
		(f) => f.includes('Inspect w1@vm — stats') && f.includes('max-concurrency'),
		'stats shown',
	);
	assert.deepEqual(control.calls.at(-1), {method: 'stats', args: {}, destination: ['w1@vm']});
	await press('a', (f) => f.includes('active tasks'), 'active asked');
	assert.equal(control.calls.at(-1)!.method, 'active');
	await press('q', (f) => f.includes('Workers'), 'back');
	await press('-', (f) => f.includes('Shrink the pool of w1@vm (online, 1 active) by how many'), 'prompt');
	await press(ENTER, (f) => f.includes('w1@vm: Shrink the pool by 1 process?'), 'confirmation');
	r.stdin.write('y');
	await waitFor(() => control.calls.at(-1)?.method === 'pool_shrink');
	assert.deepEqual(control.calls.at(-1), {method: 'pool_shrink', args: {n: 1}, destination: ['w1@vm']});
	r.unmount();
});

test('under --read-only control keys say they are disabled and send nothing; inspect still works', async () => {
	const {r, frame, press, control} = setup(true);
	await waitFor(() => frame().includes('app.long'));
	assert.match(frame(), /read-only/);
	await press('c', (f) => f.includes('disabled by --read-only'), 'revoke refused');
	await press('T', (f) => f.includes('task terminate is disabled'), 'terminate refused');
	assert.equal(control.calls.length, 0);
	await press(TAB + TAB + ENTER, (f) => f.includes('Inspect w1@vm'), 'inspect allowed');
	assert.equal(control.calls.at(-1)!.method, 'stats');
	r.unmount();
});

test('S shuts a worker down after a yes; its going offline is logged as the confirmation', async () => {
	const {r, frame, press, control, services} = setup();
	await waitFor(() => frame().includes('w1@vm'));
	await press(TAB + TAB, (f) => f.includes('shut down'), 'workers pane focused');
	await press(
		'S',
		(f) => f.includes('Shut down 1 worker, w1@vm (online, 1 active)?'),
		'confirmation names the worker',
	);
	r.stdin.write('y');
	await waitFor(() => control.calls.at(-1)?.method === 'shutdown');
	assert.deepEqual(control.calls.at(-1)!.destination, ['w1@vm']);
	await waitFor(() => frame().includes('shutdown sent to w1@vm'), {message: () => frame()});
	services.push([{type: 'worker-offline', hostname: 'w1@vm', timestamp: T + 1, freq: 2}]);
	await waitFor(() => frame().includes('w1@vm went offline: shutdown confirmed'), {message: () => frame()});
	r.unmount();
});

test('H on a task asks for stamped headers, confirms for every worker, and sends revoke_by_stamped_headers', async () => {
	const {r, frame, press, control} = setup();
	await waitFor(() => frame().includes('app.long'));
	await press('H', (f) => f.includes('Revoke the tasks stamped with, on every worker (1 online)'), 'prompt');
	await press('batch=nightly-42', (f) => f.includes('batch=nightly-42'), 'typed');
	await press(
		ENTER,
		(f) => f.includes('Revoke every task stamped batch=nightly-42 on every worker (1 online)?'),
		'confirmation',
	);
	assert.equal(control.calls.length, 0, 'nothing sent before the yes');
	r.stdin.write('y');
	await waitFor(() => control.calls.length === 1);
	assert.deepEqual(control.calls[0], {
		method: 'revoke_by_stamped_headers',
		args: {headers: {batch: 'nightly-42'}},
		destination: undefined,
	});
	r.unmount();
});
