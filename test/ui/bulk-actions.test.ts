// Marks and the actions on the marked set, as reducers: Space marks the task under the cursor and
// moves down, M marks every task shown, U unmarks; c and T then open one confirmation that names the
// marked tasks as they are now, and the request names exactly their ids. Sort keys keep the cursor's task.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {actionRequest} from '../../source/ui/action-request.js';
import {reduceKey, reduceKeys} from '../../source/ui/reduce.js';
import {stepText} from '../../source/ui/modal.js';
import {clusterSnapshot, contextOf, UUID_A, UUID_B, UUID_C, uiIn} from './reduce-context.js';

const ctx = contextOf(clusterSnapshot());
const celery = uiIn('celery');

test('Space marks the task under the cursor and moves down; Space again unmarks; M marks all shown, U none', () => {
	const one = reduceKey(celery, ' ', ctx).state;
	assert.deepEqual([...one.marked], [UUID_C]);
	assert.equal(one.selection.tasks.key, UUID_B, 'the cursor moved down');
	const two = reduceKey(one, ' ', ctx).state;
	assert.deepEqual([...two.marked].sort(), [UUID_B, UUID_C]);
	// The cursor is on A now: up to B, Space unmarks it.
	const back = reduceKeys(two, ['k', ' '], ctx).state;
	assert.deepEqual([...back.marked], [UUID_C], 'B unmarked');
	const all = reduceKey(celery, 'M', ctx).state;
	assert.deepEqual([...all.marked].sort(), [UUID_A, UUID_B, UUID_C]);
	assert.equal(reduceKey(all, 'U', ctx).state.marked.size, 0);
});

test('c with tasks marked: one confirmation naming their count, states and names; y sends one revoke of exactly those ids', () => {
	const marked = reduceKeys(celery, [' ', ' '], ctx).state;
	const asked = reduceKey(marked, 'c', ctx);
	const modal = asked.state.modal!;
	assert.ok(modal, 'a confirmation opened');
	const step = modal.steps[modal.index]!;
	assert.equal(step.kind, 'confirm');
	assert.equal(stepText(step.title, modal.action), 'Revoke 2 marked tasks? Now RECEIVED ×2 · app.add ×2');
	assert.match(
		stepText(step.detail, modal.action),
		/One revoke to every worker \(2 online\): aaaaaaaa aaaaaaaa\./,
	);
	const request = actionRequest(modal.action);
	assert.ok(!('error' in request));
	assert.deepEqual([...(request.args['task_id'] as string[])].sort(), [UUID_B, UUID_C]);
	const sent = reduceKey(asked.state, 'y', ctx);
	assert.deepEqual(
		sent.effects.map((e) => e.type),
		['control'],
	);
	assert.equal(sent.state.marked.size, 2, 'the marks stay until U: the operator may terminate them next');
});

test('T with tasks marked: choose the signal, then confirm; the request terminates exactly those ids', () => {
	const marked = reduceKey(celery, 'M', ctx).state;
	let state = reduceKey(marked, 'T', ctx).state;
	assert.equal(state.modal?.steps[0]?.kind, 'choice');
	state = reduceKeys(state, ['right', 'enter'], ctx).state; // SIGKILL
	const step = state.modal!.steps[state.modal!.index]!;
	assert.match(stepText(step.title, state.modal!.action), /^Terminate with SIGKILL 3 marked tasks\?/);
	const request = actionRequest(state.modal!.action);
	assert.ok(!('error' in request));
	assert.deepEqual(request.args, {task_id: [UUID_C, UUID_B, UUID_A], terminate: true, signal: 'SIGKILL'});
});

test('a hostile id with commas or quotes stays one id', () => {
	const hostile = 'a,b"c\n';
	const request = actionRequest({
		id: 'task.revoke',
		target: hostile,
		label: '1 marked task',
		params: {ids: JSON.stringify([hostile])},
	});
	assert.ok(!('error' in request));
	assert.deepEqual(request.args['task_id'], [hostile]);
});

test('< > I change the Tasks sort; the cursor keeps holding its task', () => {
	const held = reduceKey(celery, 'j', ctx).state;
	const sorted = reduceKeys(held, ['>', '>'], ctx).state;
	assert.deepEqual(sorted.taskSort, {column: 'name', descending: false});
	assert.equal(sorted.selection.tasks.key, held.selection.tasks.key);
	assert.deepEqual(reduceKey(sorted, 'I', ctx).state.taskSort, {column: 'name', descending: true});
	assert.deepEqual(reduceKey(celery, '<', ctx).state.taskSort, {column: 'runtime', descending: true});
	const workers = reduceKeys(uiIn('celery', 'workers'), ['>'], ctx).state;
	assert.deepEqual(workers.workerSort, {column: 'status', descending: false});
	assert.equal(reduceKey(celery, '!', ctx).state.stuckOnly, true);
});
