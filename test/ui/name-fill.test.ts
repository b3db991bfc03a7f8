// A running task first seen mid-flight gets its name from its worker's query_task reply: asked once
// per task, one call per worker with all its unnamed ids, a name from the events never replaced.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {ControlService} from '../../source/ports/control.js';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {Store} from '../../source/state/store.js';
import {createNameFill, nameInReply} from '../../source/ui/hooks/use-name-fill.js';
import {waitFor} from '../helpers/wait-for.js';

const T = 1_795_771_600;

test('the name in a query_task reply; anything else is no name', () => {
	assert.equal(nameInReply({a: ['active', {id: 'a', name: 'demo.sleep'}]}, 'a'), 'demo.sleep');
	for (const reply of [
		undefined,
		null,
		'x',
		{},
		{a: 'active'},
		{a: ['active']},
		{a: ['active', {name: 5}]},
		{a: ['active', {name: ''}]},
	])
		assert.equal(nameInReply(reply, 'a'), undefined, JSON.stringify(reply));
	assert.equal(nameInReply({a: ['active', {name: 'x'.repeat(300)}]}, 'a'), undefined, 'not a task name');
});

test('asked once per task, one call per worker with its unnamed running ids; the store shows the name', async () => {
	const store = new Store({now: T});
	const started = (uuid: string, hostname: string): CeleryEvent => ({
		type: 'task-started',
		hostname,
		timestamp: T,
		uuid,
	});
	store.applyBatch(
		[
			started('a', 'w1@vm'),
			started('b', 'w1@vm'),
			started('c', 'w2@vm'),
			{type: 'task-received', hostname: 'w2@vm', timestamp: T, uuid: 'd', name: 'known'},
			started('d', 'w2@vm'),
		],
		T,
	);
	store.flush(T);
	const calls: Array<{host: string; ids: unknown}> = [];
	const control: ControlService = {
		call: async (method, args, options) => {
			assert.equal(method, 'query_task');
			const host = options.destination![0]!;
			calls.push({host, ids: args['ids']});
			const ids = args['ids'] as string[];
			return {
				replies: {
					[host]: Object.fromEntries(
						ids.filter((id) => id !== 'b').map((id) => [id, ['active', {id, name: `n.${id}`}]]),
					),
				},
				sent: true,
			};
		},
	};
	const fill = createNameFill(control, store);
	fill.observe(store.getSnapshot().running);
	assert.deepEqual(
		calls.map((c) => [c.host, c.ids]),
		[
			['w1@vm', ['a', 'b']],
			['w2@vm', ['c']],
		],
	);
	await waitFor(() => store.cluster.tasks.get('c')?.name === 'n.c', {timeout: 1000});
	assert.equal(store.cluster.tasks.get('a')?.name, 'n.a');
	assert.equal(store.cluster.tasks.get('b')?.name, undefined, 'the worker did not know it');
	assert.equal(store.cluster.tasks.get('d')?.name, 'known');
	assert.equal(store.flush(T + 0.1), true, 'a name learnt is published');
	fill.observe(store.getSnapshot().running);
	fill.observe(store.getSnapshot().running);
	assert.equal(calls.length, 2, 'b is not asked again');
	assert.equal(store.nameTask('d', 'other'), false, 'a name from the events is never replaced');
	fill.close();
});
