import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	KNOWN_STATES,
	READY_STATES,
	isLate,
	isReady,
	precedence,
	stateForEventType,
} from '../../source/protocol/task-states.js';

describe('task states (celery/states.py)', () => {
	test('event types map to states; other task-x give the custom state X', () => {
		const table: Array<[string, string]> = [
			['task-sent', 'PENDING'],
			['task-received', 'RECEIVED'],
			['task-started', 'STARTED'],
			['task-succeeded', 'SUCCESS'],
			['task-failed', 'FAILURE'],
			['task-retried', 'RETRY'],
			['task-revoked', 'REVOKED'],
			['task-rejected', 'REJECTED'],
			['task-progress', 'PROGRESS'],
			['task-cancelled', 'CANCELLED'],
		];
		for (const [type, state] of table) assert.equal(stateForEventType(type), state, type);
	});

	test('precedence ranks as PRECEDENCE in celery/states.py, custom states at 2', () => {
		assert.deepEqual(
			[
				'SUCCESS',
				'FAILURE',
				'PROGRESS',
				'REVOKED',
				'STARTED',
				'RECEIVED',
				'REJECTED',
				'RETRY',
				'PENDING',
			].map(precedence),
			[0, 1, 2, 3, 4, 5, 6, 7, 8],
		);
		assert.deepEqual(KNOWN_STATES.map(precedence), [0, 1, 3, 4, 5, 6, 7, 8]);
	});

	test('ready states are SUCCESS, FAILURE, REVOKED only', () => {
		assert.deepEqual([...READY_STATES].sort(), ['FAILURE', 'REVOKED', 'SUCCESS']);
		assert.equal(isReady('REJECTED'), false);
		assert.equal(isReady('RETRY'), false);
		assert.equal(isReady('SUCCESS'), true);
	});

	test('isLate: a less final state is late, RETRY on either side never is', () => {
		assert.equal(isLate('STARTED', 'SUCCESS'), true);
		assert.equal(isLate('RECEIVED', 'STARTED'), true);
		assert.equal(isLate('PENDING', 'STARTED'), true);
		assert.equal(isLate('SUCCESS', 'STARTED'), false);
		assert.equal(isLate('SUCCESS', 'REVOKED'), false); // REVOKED can still become SUCCESS
		assert.equal(isLate('REVOKED', 'SUCCESS'), true);
		assert.equal(isLate('STARTED', 'STARTED'), false); // equal rank is not late
		assert.equal(isLate('RETRY', 'SUCCESS'), false);
		assert.equal(isLate('STARTED', 'RETRY'), false);
		assert.equal(isLate('PENDING', 'RETRY'), false);
		assert.equal(isLate('PROGRESS', 'STARTED'), false);
		assert.equal(isLate('STARTED', 'PROGRESS'), true);
	});
});
