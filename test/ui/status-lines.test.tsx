// The footer's status lines clear after a few seconds; a task first seen mid-flight says why it has
// no name.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {UNNAMED} from '../../source/ui/panes/tasks.js';
import {addLog, hideLog, initialUiState} from '../../source/ui/ui-state.js';
import {fakeServices} from '../helpers/fake-services.js';
import {ENTER} from '../helpers/keys.js';
import {waitFor} from '../helpers/wait-for.js';
import {mountApp} from './mount.js';

test('shown status lines go once their time is up, unless a newer batch came', () => {
	const first = addLog(initialUiState, ['revoke sent…']);
	assert.equal(first.logShown, 1);
	const hidden = hideLog(first, first.log);
	assert.equal(hidden.logShown, 0, 'its own batch goes');
	assert.deepEqual(hidden.log, ['revoke sent…'], 'the log keeps the line');
	const newer = addLog(first, ['w1@vm: OK', 'w2@vm: OK']);
	assert.equal(hideLog(newer, first.log), newer, 'a newer batch stays for its own time');
	assert.equal(hideLog(hidden, hidden.log), hidden, 'nothing shown, nothing changes');
});

test('a task first seen at task-started is named as seen mid-flight; its detail says why', async () => {
	const t = 1_700_000_000;
	const uuid = '5b1f0e3c-1111-4222-8333-944455556666';
	const services = fakeServices({
		events: [{type: 'task-started', hostname: 'w1@vm', timestamp: t, uuid, pid: 42}],
		now: t + 1,
	});
	const {r, frame, press} = mountApp(services);
	await waitFor(() => frame().includes(uuid.slice(0, 8)), {message: () => `the task shows\n${frame()}`});
	assert.match(frame(), new RegExp(`${uuid.slice(0, 8)} ${UNNAMED.replace(/[?()]/g, '\\$&')}\\s+STARTED`));
	await press(ENTER, (f) => f.includes(`Task ${uuid}`), 'its detail opens');
	assert.match(frame(), /name\s+\(unknown: no task-received seen\)/);
	r.unmount();
});
