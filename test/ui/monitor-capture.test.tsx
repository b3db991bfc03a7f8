// MONITOR (view 6) keeps what it captured on screen after s stops it, and after leaving the view and
// coming back, until m starts a new capture.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {Services} from '../../source/ui/services.js';
import {fakeServices} from '../helpers/fake-services.js';
import {waitFor} from '../helpers/wait-for.js';
import {fakeRedis, T} from './fake-redis.js';
import {mountApp} from './mount.js';

test('after s the capture stays on screen, stopped, until m starts another', async () => {
	const redis = fakeRedis();
	const services: Services = {...fakeServices({now: T}), redis};
	const {r, frame, press} = mountApp(services, {rows: 30});
	await press('6', (f) => f.includes('MONITOR is off'), 'the view');
	await press('m', (f) => f.includes('MONITOR running'), 'started');
	const tap = redis.monitors[0]!;
	tap.push({time: T, db: 0, client: '127.0.0.1:5555', command: 'SET', args: ['probe', '1']});
	tap.push({time: T + 1, db: 0, client: '127.0.0.1:5555', command: 'LPUSH', args: ['celery', 'x']});
	await press('', (f) => f.includes('SET "probe" "1"') && f.includes('LPUSH "celery"'), 'live commands');

	await press('s', (f) => f.includes('MONITOR stopped · 2 commands seen'), 'stopped');
	assert.ok(tap.stopped, 'the tap itself is stopped');
	assert.match(frame(), /this capture stays until m starts a new one/);
	assert.match(frame(), /SET "probe" "1"/, 'the capture is still on screen');
	assert.match(frame(), /LPUSH\s+1/, 'and its per-command counts');

	// Leaving the view and coming back: still there.
	await press('1', (f) => f.includes('Workers'), 'Celery view');
	await press('6', (f) => f.includes('MONITOR copies every command'), 'back to MONITOR');
	assert.match(frame(), /SET "probe" "1"/);
	assert.equal(redis.monitors.length, 1, 'nothing restarted by coming back');

	await press('m', (f) => f.includes('MONITOR running'), 'a new capture');
	assert.equal(redis.monitors.length, 2);
	await waitFor(() => !frame().includes('SET "probe"'), {
		message: () => `the old capture is gone\n${frame()}`,
	});
	redis.monitors[1]!.push({time: T + 5, db: 0, client: '127.0.0.1:5556', command: 'GET', args: ['new']});
	await press('', (f) => f.includes('GET "new"') && f.includes('1 command seen'), 'the new one shows');
	r.unmount();
});
