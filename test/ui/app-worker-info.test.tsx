// The Workers pane's pool facts in the mounted app (app.tsx wiring useWorkerInfo): the worker seen
// online is asked stats + active_queues once, the pane shows POOL, UTIL, PREFETCH and QUEUES, frames
// ask nothing more, and a pool grow confirmed with `+` asks again and shows the grown pool.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {ControlService, Services} from '../../source/ui/services.js';
import {fakeServices} from '../helpers/fake-services.js';
import {ENTER, TAB} from '../helpers/keys.js';
import {waitFor} from '../helpers/wait-for.js';
import {mountApp} from './mount.js';

const T = 1_795_771_600;

test('the Workers pane shows each worker pool facts, asked once, and again after a pool grow', async () => {
	const calls: string[] = [];
	let processes = [10, 11];
	const control: ControlService = {
		async call(method, args, options) {
			calls.push(method);
			const host = options.destination?.[0] ?? 'w1@vm';
			if (method === 'stats')
				return {
					replies: {
						[host]: {
							pool: {'max-concurrency': 2, processes, writes: {}},
							prefetch_count: processes.length * 4,
						},
					},
					sent: true,
				};
			if (method === 'active_queues')
				return {replies: {[host]: [{name: 'celery'}, {name: 'high'}]}, sent: true};
			if (method === 'pool_grow') {
				processes = [...processes, ...Array.from({length: Number(args['n'])}, (_, i) => 20 + i)];
				return {replies: {[host]: {ok: 'pool will grow'}}, sent: true};
			}
			return {replies: {}, sent: true};
		},
	};
	const base = fakeServices({
		events: [{type: 'worker-heartbeat', hostname: 'w1@vm', timestamp: T, freq: 2, active: 1, processed: 3}],
		now: T + 0.5,
	});
	const services: Services = {...base, control};
	const {r, frame, press} = mountApp(services, {rows: 40});
	await waitFor(() => /w1@vm +online +1\/2 prefork 2 +8 celery,high/.test(frame()), {message: frame});
	assert.deepEqual(calls, ['stats', 'active_queues']);
	for (let i = 1; i <= 10; i++) base.setNow(T + 0.5 + i / 10); // frames
	await new Promise((resolve) => setTimeout(resolve, 50));
	assert.deepEqual(calls, ['stats', 'active_queues'], 'no question per frame');

	await press(TAB + TAB, (f) => f.includes('shut down'), 'workers pane focused');
	await press('+', (f) => f.includes('Grow the pool of w1@vm'), 'grow prompt');
	await press(ENTER, (f) => f.includes('Grow the pool by 1 process?'), 'confirmation');
	r.stdin.write('y');
	await waitFor(() => /w1@vm +online +1\/3 prefork 3 +12 celery,high/.test(frame()), {message: frame});
	assert.deepEqual(calls.slice(-3), ['pool_grow', 'stats', 'active_queues']);
	r.unmount();
});
