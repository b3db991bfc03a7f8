// A queue's priority lists follow the transport's priority_steps (kombu's _q_for_pri), for every
// reader and writer of queues: view 4, purge, the queue line and the control client's reply lists.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {DEFAULT_SEP, priorityQueueKeys, priorityStepsOf} from '../../source/protocol/channels.js';

test('default steps 0, 3, 6, 9; custom steps when the transport sets them; the base list first', () => {
	const sep = DEFAULT_SEP;
	assert.deepEqual(priorityQueueKeys('celery', {}), [
		'celery',
		`celery${sep}3`,
		`celery${sep}6`,
		`celery${sep}9`,
	]);
	assert.deepEqual(priorityQueueKeys('q', {priority_steps: [0, 5], sep: ':'}), ['q', 'q:5']);
	assert.deepEqual(priorityQueueKeys('q', {priority_steps: [9, 1, 1]}), ['q', `q${sep}1`, `q${sep}9`]);
	assert.deepEqual(priorityStepsOf({priority_steps: [0, 'x']}), [0, 3, 6, 9], 'not integers: the default');
});
