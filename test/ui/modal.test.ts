import {test} from 'node:test';
import assert from 'node:assert/strict';
import {modalKey, openModal, stepText, type Modal, type ModalResult} from '../../source/ui/modal.js';

const action = {id: 'task.terminate', target: 'abc', label: 'task abc', params: {}};

function open(result: ModalResult): Modal {
	assert.equal(result.kind, 'open');
	return (result as {modal: Modal}).modal;
}

test('choice, then confirmation, then run with the values gathered', () => {
	let modal = openModal(action, [
		{kind: 'choice', param: 'signal', title: 'signal?', options: ['SIGTERM', 'SIGKILL', 'SIGINT']},
		{kind: 'confirm', title: 'Terminate task abc?'},
	]);
	modal = open(modalKey(modal, 'j'));
	assert.equal(modal.index, 1);
	modal = open(modalKey(modal, 'enter'));
	assert.equal(modal.steps[0]!.kind, 'confirm');
	assert.equal(open(modalKey(modal, 'x')), modal, 'other keys do nothing on a confirmation');
	const run = modalKey(modal, 'y');
	assert.deepEqual(run, {kind: 'run', action: {...action, params: {signal: 'SIGKILL'}}});
});

test('a prompt edits text; Esc or n cancels; nothing runs without y', () => {
	let modal = openModal(action, [
		{kind: 'prompt', param: 'rate', title: 'rate?', hint: '10/m', initial: '5/'},
	]);
	for (const key of ['m', 'x', 'backspace']) modal = open(modalKey(modal, key));
	assert.equal(modal.text, '5/m');
	assert.deepEqual(modalKey(modal, 'enter'), {kind: 'run', action: {...action, params: {rate: '5/m'}}});
	assert.deepEqual(modalKey(modal, 'escape'), {kind: 'cancel'});
	const confirm = openModal(action, [{kind: 'confirm', title: 'sure?'}]);
	assert.deepEqual(modalKey(confirm, 'n'), {kind: 'cancel'});
	assert.deepEqual(modalKey(confirm, 'enter').kind, 'open', 'Enter does not confirm a dangerous action');
});

test('a typed confirmation runs only on exactly the expected text; anything else cancels with the reason', () => {
	const flush = {id: 'redis.flushdb', target: '3', label: 'FLUSHDB db 3', params: {db: '3'}};
	let modal = openModal(flush, [{kind: 'typed', param: 'typed', title: 'Type 3', expected: '3'}]);
	assert.equal(open(modalKey(modal, 'y')).text, 'y', 'y is only a letter here');
	modal = open(modalKey(open(modalKey(modal, 'y')), 'backspace'));
	modal = open(modalKey(modal, '3'));
	assert.deepEqual(modalKey(modal, 'enter'), {
		kind: 'run',
		action: {...flush, params: {db: '3', typed: '3'}},
	});
	const wrong = open(modalKey(openModal(flush, modal.steps), '0'));
	const result = modalKey(wrong, 'enter');
	assert.equal(result.kind, 'cancel');
	assert.match((result as {reason: string}).reason, /typed "0", not "3"; nothing was done/);
});

test('a confirmation offers another action on its key; titles can name the values gathered', () => {
	const revoke = {id: 'task.revoke', target: 'abc', label: 'task abc', params: {}};
	const terminate = {...revoke, id: 'task.terminate', params: {signal: 'SIGTERM'}};
	const modal = openModal(revoke, [
		{
			kind: 'confirm',
			title: 'Revoke task abc?',
			alternatives: [
				{
					key: 't',
					label: 'terminate with SIGTERM',
					action: terminate,
					steps: [{kind: 'confirm', title: (p) => `Terminate task abc with ${p['signal']}?`}],
				},
			],
		},
	]);
	const switched = open(modalKey(modal, 't'));
	assert.equal(switched.action, terminate);
	assert.equal(stepText(switched.steps[0]!.title, switched.action), 'Terminate task abc with SIGTERM?');
	assert.deepEqual(modalKey(switched, 'y'), {kind: 'run', action: terminate});
	assert.deepEqual(modalKey(modal, 'y'), {kind: 'run', action: revoke}, 'y still does the first');
	assert.equal(open(modalKey(modal, 'x')), modal, 'a key offered nowhere does nothing');
	assert.equal(stepText(undefined, revoke), '');
});
