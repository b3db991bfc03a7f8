// The dialog shows its whole text: the rows it asks the layout for fit its title and detail as Ink
// wraps them, at the narrowest supported width too.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {render} from 'ink-testing-library';
import {ClusterState} from '../../source/state/cluster.js';
import {planTaskAction} from '../../source/ui/actions.js';
import {Dialog, dialogRows, wrappedLines} from '../../source/ui/components/dialog.js';
import {openModal} from '../../source/ui/modal.js';

const T = 1_795_771_600;

test('wrappedLines counts lines as words wrap, long words cut, up to a cap', () => {
	assert.equal(wrappedLines('', 10, 3), 0);
	assert.equal(wrappedLines('one two', 10, 3), 1);
	assert.equal(wrappedLines('one two three', 10, 3), 2);
	assert.equal(wrappedLines('x'.repeat(25), 10, 5), 3);
	assert.equal(wrappedLines('a b c d e f g h i j k l', 3, 2), 2, 'capped');
});

test('a revoke of a running task, with an offline worker and long names, is whole at 60 and 80 columns', () => {
	const host = 'celery@worker-production-17.eu-west.example.com';
	const state = new ClusterState();
	state.apply({type: 'worker-heartbeat', hostname: 'gone@vm', timestamp: T, freq: 2}, T);
	state.apply(
		{
			type: 'task-received',
			hostname: host,
			timestamp: T,
			uuid: 'aaaaaaaa-1111-4000-8000-000000000001',
			name: 'reports.tasks.build_monthly_report',
		},
		T,
	);
	state.apply(
		{type: 'task-started', hostname: host, timestamp: T, uuid: 'aaaaaaaa-1111-4000-8000-000000000001'},
		T,
	);
	const task = state.tasks.get('aaaaaaaa-1111-4000-8000-000000000001')!;
	const facts = {now: T + 10, workers: [...state.workers.values()]};
	for (const id of ['task.revoke', 'task.terminate']) {
		const planned = planTaskAction(id, task, facts)!;
		let modal = openModal(planned.action, planned.steps);
		if (id === 'task.terminate')
			modal = openModal({...planned.action, params: {signal: 'SIGKILL'}}, planned.steps.slice(1));
		for (const width of [60, 80]) {
			const r = render(<Dialog modal={modal} width={width} />);
			const lines = (r.lastFrame() ?? '').split('\n');
			r.unmount();
			assert.equal(
				lines.length,
				dialogRows(modal, width),
				`${id} at ${width}: rows as laid out\n${lines.join('\n')}`,
			);
			const text = lines.map((l) => l.slice(1, -1).trim()).join(' ');
			assert.match(
				text,
				/worker memory only\)\./,
				`${id} at ${width}: the warning is whole\n${lines.join('\n')}`,
			);
		}
	}
});
