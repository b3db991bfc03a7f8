// Pure dialog plans: what each confirmation says for a task in each state, with the clock of the
// moment it opens, and what the log says was sent.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ClusterState} from '../../source/state/cluster.js';
import type {Task, Worker} from '../../source/state/types.js';
import {actionRequest, describeAction} from '../../source/ui/action-request.js';
import {
	offlineCount,
	planTaskAction,
	planWorkerAction,
	rateWords,
	type Facts,
} from '../../source/ui/actions.js';
import {modalKey, openModal, stepText, type Modal, type Step} from '../../source/ui/modal.js';

const T = 1_795_771_600;

function cluster(): {tasks: Record<string, Task>; workers: Worker[]} {
	const state = new ClusterState();
	state.apply({type: 'worker-heartbeat', hostname: 'w1@vm', timestamp: T, freq: 2}, T);
	state.apply({type: 'worker-heartbeat', hostname: 'w2@vm', timestamp: T, freq: 30}, T);
	const events = [
		{type: 'task-received', uuid: 'run', name: 'app.long'},
		{type: 'task-started', uuid: 'run'},
		{type: 'task-received', uuid: 'wait', name: 'app.queued'},
		{type: 'task-received', uuid: 'done', name: 'app.add'},
		{type: 'task-succeeded', uuid: 'done', result: '3'},
		{type: 'task-received', uuid: 'gone', name: 'app.add'},
		{type: 'task-revoked', uuid: 'gone'},
		{type: 'task-received', uuid: 'again', name: 'app.flaky'},
		{type: 'task-started', uuid: 'again'},
		{type: 'task-retried', uuid: 'again', exception: 'E'},
	];
	for (const e of events) state.apply({hostname: 'w1@vm', timestamp: T, ...e}, T);
	const tasks = Object.fromEntries(
		['run', 'wait', 'done', 'gone', 'again'].map((id) => [id, state.tasks.get(id)!]),
	);
	return {tasks, workers: [...state.workers.values()]};
}

function confirmText(step: Step | undefined, params: Record<string, string> = {}) {
	assert.ok(step && step.kind === 'confirm');
	const action = {id: 'x', target: 'x', label: 'x', params};
	return {title: stepText(step.title, action), detail: stepText(step.detail, action), step};
}

test('revoke: what happens depends on the state when the dialog opens', () => {
	const {tasks, workers} = cluster();
	const facts: Facts = {now: T + 1, workers};
	const running = confirmText(planTaskAction('task.revoke', tasks['run']!, facts)!.steps[0]);
	assert.equal(running.title, 'Revoke app.long[run]? Now STARTED on w1@vm');
	assert.match(running.detail, /keeps running: revoke only stops tasks that have not started/);
	assert.equal(
		running.step.kind === 'confirm' && running.step.alternatives?.[0]?.label,
		'terminate with SIGTERM',
	);
	const waiting = confirmText(planTaskAction('task.revoke', tasks['wait']!, facts)!.steps[0]);
	assert.match(waiting.detail, /has not started: the workers \(2 online\) drop it/);
	assert.deepEqual(waiting.step.kind === 'confirm' && waiting.step.alternatives, []);
	assert.match(
		confirmText(planTaskAction('task.revoke', tasks['done']!, facts)!.steps[0]).detail,
		/already ended \(SUCCESS\)/,
	);
	assert.match(
		confirmText(planTaskAction('task.revoke', tasks['gone']!, facts)!.steps[0]).detail,
		/already revoked/,
	);
	assert.match(
		confirmText(planTaskAction('task.revoke', tasks['again']!, facts)!.steps[0]).detail,
		/waits to be retried: the workers \(2 online\) drop the next attempt/,
	);
});

test('t in the revoke dialog of a running task switches to terminate with SIGTERM, which y sends', () => {
	const {tasks, workers} = cluster();
	const planned = planTaskAction('task.revoke', tasks['run']!, {now: T + 1, workers})!;
	const result = modalKey(openModal(planned.action, planned.steps), 't');
	assert.equal(result.kind, 'open');
	const modal = (result as {modal: Modal}).modal;
	assert.equal(modal.action.id, 'task.terminate');
	const {title, detail} = confirmText(modal.steps[0], modal.action.params);
	assert.equal(title, 'Terminate app.long[run] with SIGTERM? Now STARTED on w1@vm');
	assert.match(detail, /its worker sends SIGTERM to the pool process running it/);
	assert.deepEqual(modalKey(modal, 'y'), {
		kind: 'run',
		action: {...planned.action, id: 'task.terminate', params: {signal: 'SIGTERM'}},
	});
	assert.equal(describeAction({...modal.action}), 'terminate app.long[run] with SIGTERM');
});

test('terminate names the signal chosen', () => {
	const {tasks, workers} = cluster();
	const planned = planTaskAction('task.terminate', tasks['run']!, {now: T + 1, workers})!;
	const confirm = confirmText(planned.steps[1], {signal: 'SIGKILL'});
	assert.equal(confirm.title, 'Terminate app.long[run] with SIGKILL? Now STARTED on w1@vm');
	assert.match(confirm.detail, /sends SIGKILL to the pool process running it \(killed at once, no cleanup\)/);
	assert.match(
		confirmText(planTaskAction('task.terminate', tasks['done']!, {now: T + 1, workers})!.steps[1], {
			signal: 'SIGKILL',
		}).detail,
		/no process to signal/,
	);
});

test('offline workers are counted by the clock given (the moment the dialog opens)', () => {
	const {tasks, workers} = cluster();
	assert.equal(offlineCount({now: T + 1, workers}), 0);
	assert.equal(offlineCount({now: T + 4.5, workers}), 1, 'w1 (freq 2) is offline 4 s after its heartbeat');
	const detail = confirmText(
		planTaskAction('task.revoke', tasks['wait']!, {now: T + 4.5, workers})!.steps[0],
	).detail;
	assert.match(detail, /1 worker offline now will never hear it/);
	assert.match(detail, /the workers \(1 online\)/);
});

test('worker dialogs name the amount gathered: processes and pool size, queue, rate, limits, bounds', () => {
	const {workers} = cluster();
	const w1 = workers.find((w) => w.hostname === 'w1@vm')!;
	const facts: Facts = {now: T + 1, workers};
	const text = (id: string, step: number, params: Record<string, string>) =>
		confirmText(planWorkerAction(id, w1, facts)!.steps[step], params);
	assert.equal(
		text('worker.poolGrow', 1, {n: '2', poolSize: '4'}).title,
		'w1@vm: Grow the pool by 2 processes? pool now 4 processes → 6',
	);
	assert.equal(
		text('worker.poolShrink', 1, {n: '1'}).title,
		'w1@vm: Shrink the pool by 1 process? pool size: asking the worker…',
	);
	assert.equal(
		text('worker.poolShrink', 1, {n: '1', poolSize: 'unknown'}).title,
		'w1@vm: Shrink the pool by 1 process? pool size unknown (no stats reply)',
	);
	assert.equal(
		text('worker.cancelConsumer', 1, {queue: 'reports'}).title,
		'Stop w1@vm consuming from the queue reports?',
	);
	assert.equal(
		text('worker.rateLimit', 1, {spec: 'app.add 10/m'}).title,
		'Set the rate limit of app.add to 10/m on w1@vm?',
	);
	assert.equal(
		text('worker.timeLimit', 1, {spec: 'app.add 10'}).title,
		'Set the time limits of app.add on w1@vm: soft 10 s?',
	);
	assert.equal(
		text('worker.autoscale', 1, {bounds: '10,3'}).title,
		'Autoscale w1@vm between 3 and 10 processes?',
	);
	const shutdown = confirmText(planWorkerAction('worker.shutdown', w1, facts)!.steps[0]);
	assert.equal(shutdown.title, 'Shut down 1 worker, w1@vm (online)?');
	assert.match(shutdown.detail, /1 other worker online stay up/);
	assert.equal(
		describeAction({id: 'worker.poolShrink', target: 'w1@vm', label: 'w1@vm', params: {n: '2'}}),
		'shrink the pool of w1@vm by 2',
	);
	assert.equal(
		describeAction({id: 'worker.cancelConsumer', target: 'w1@vm', label: 'w1@vm', params: {queue: 'q'}}),
		'w1@vm stop consuming from q',
	);
});

test('rates in words', () => {
	assert.equal(rateWords('10/m'), 'at most 10 a minute');
	assert.equal(rateWords('100'), 'at most 100 a second');
	assert.equal(rateWords('2/h'), 'at most 2 an hour');
	assert.equal(rateWords('0'), 'no limit (0 removes it)');
	assert.equal(rateWords('fast'), 'rate fast');
});

test('revoke by stamped header: asks for header=value words, confirms for every worker, sends one object', () => {
	const {tasks, workers} = cluster();
	const facts: Facts = {now: T + 1, workers};
	const planned = planTaskAction('task.revokeStamped', tasks['wait']!, facts)!;
	assert.equal(planned.steps[0]!.kind, 'prompt');
	const confirm = planned.steps[1]!;
	assert.equal(confirm.kind, 'confirm');
	const title =
		typeof confirm.title === 'function' ? confirm.title({headers: 'batch=nightly-42'}) : confirm.title;
	assert.equal(title, 'Revoke every task stamped batch=nightly-42 on every worker (2 online)?');
	const sent = {...planned.action, params: {headers: 'batch=a batch=b team=x'}};
	assert.equal(describeAction(sent), 'revoke the tasks stamped batch=a batch=b team=x');
	assert.deepEqual(actionRequest(sent), {
		method: 'revoke_by_stamped_headers',
		args: {headers: {batch: ['a', 'b'], team: 'x'}},
	});
	assert.deepEqual(actionRequest({...sent, params: {headers: 'batch'}}), {
		error: "revoke_by_stamped_headers: expected header=value, got 'batch'",
	});
});
