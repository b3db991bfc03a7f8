import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {
	DEFAULT_FREQ,
	applyWorkerEvent,
	createWorker,
	heartbeatAge,
	heartbeatExpires,
	isAlive,
	noteTaskActivity,
} from '../../source/state/worker.js';
import {capturedEvents, readJsonLines} from '../helpers/fixtures.js';

const captured = capturedEvents();
const firstOf = (type: string, hostname: string) =>
	captured.find(({event}) => event.type === type && event.hostname === hostname)!;

describe('worker liveness', () => {
	test('reproduces offline-detection.jsonl: alive flips at last heartbeat receipt + 2 × freq', () => {
		type Row = {
			kind: string;
			t: number;
			alive?: string;
			expires?: string;
			freq?: string;
			ts?: string;
			recv?: string;
		};
		const rows = readJsonLines<Row>('offline-detection.jsonl');
		const worker = createWorker('w6@vm', 0);
		let polls = 0;
		let flips = 0;
		let wasAlive = true;
		for (const row of rows) {
			if (row.kind === 'event') {
				const event = {
					type: 'worker-heartbeat',
					hostname: 'w6@vm',
					timestamp: Number(row.ts),
					freq: Number(row.freq),
				};
				applyWorkerEvent(worker, event, Number(row.recv));
			} else if (row.kind === 'poll') {
				polls++;
				const alive = isAlive(worker, row.t);
				assert.equal(alive, row.alive === 'True', `poll at ${row.t}`);
				assert.ok(Math.abs(heartbeatExpires(worker)! - Number(row.expires)) < 1e-6, `expires at ${row.t}`);
				if (wasAlive && !alive) flips++;
				wasAlive = alive;
			}
		}
		assert.equal(polls, 27);
		assert.equal(flips, 1);
		// The exact boundary: last receipt 1795771893.632 + 4.0.
		assert.equal(isAlive(worker, 1795771897.632 - 0.001), true);
		assert.equal(isAlive(worker, 1795771897.632), false);
		assert.ok(Math.abs(heartbeatAge(worker, 1795771898.632)! - 5) < 1e-6, 'age 5 s after the last heartbeat');
	});

	test('a freq:5 heartbeat (answer to the heartbeat broadcast) widens the window to 10 s', () => {
		const online = firstOf('worker-online', 'w1@vm').event;
		const broadcast = captured.find(
			({event}) => event.type === 'worker-heartbeat' && event['freq'] === 5,
		)!.event;
		assert.equal(broadcast.hostname, 'w1@vm');
		assert.equal('active' in broadcast, false);
		const worker = createWorker('w1@vm', 1000);
		applyWorkerEvent(worker, online, 1000);
		assert.equal(worker.freq, 2);
		assert.equal(isAlive(worker, 1004.5), false);
		applyWorkerEvent(worker, broadcast, 1001);
		assert.equal(worker.freq, 5);
		assert.equal(isAlive(worker, 1010.5), true);
		assert.equal(isAlive(worker, 1011), false);
		// Fields absent from the broadcast heartbeat keep their values.
		assert.equal(worker.processed, online['processed']);
		assert.deepEqual(worker.loadavg, online['loadavg']);
	});

	test('worker-offline (captured) clears heartbeats: offline at once, until the next heartbeat', () => {
		const offline = captured.find(({event}) => event.type === 'worker-offline')!.event;
		const worker = createWorker(offline.hostname, 0);
		applyWorkerEvent(worker, {...offline, type: 'worker-heartbeat'}, 10);
		assert.equal(isAlive(worker, 10.5), true);
		applyWorkerEvent(worker, offline, 11);
		assert.equal(isAlive(worker, 11), false);
		assert.deepEqual(worker.heartbeats, []);
		assert.equal(worker.offlineAt, 11);
		assert.equal(heartbeatAge(worker, 12), undefined);
		applyWorkerEvent(worker, {...offline, type: 'worker-online'}, 20);
		assert.equal(isAlive(worker, 20), true);
		assert.equal(worker.offlineAt, undefined);
	});

	test('keeps the receive times of the last 4 heartbeats, ascending', () => {
		const worker = createWorker('w', 0);
		const beat: CeleryEvent = {type: 'worker-heartbeat', hostname: 'w', timestamp: 1, freq: 2};
		for (const now of [10, 12, 14, 11, 16, 18]) applyWorkerEvent(worker, beat, now);
		assert.deepEqual(worker.heartbeats, [12, 14, 16, 18]);
		const unordered = createWorker('u', 0);
		for (const now of [10, 12, 11]) applyWorkerEvent(unordered, beat, now);
		assert.deepEqual(unordered.heartbeats, [10, 11, 12]);
	});

	test('a worker first seen through a task event gets freq 60: alive for 120 s after it', () => {
		const started = firstOf('task-started', 'w1@vm').event;
		const worker = createWorker('w1@vm', 500);
		assert.equal(worker.freq, DEFAULT_FREQ);
		assert.equal(isAlive(worker, 500), false); // no heartbeat yet
		noteTaskActivity(worker, started, 500);
		assert.deepEqual(worker.heartbeats, [500]); // our receive time, not the sender's timestamp
		assert.equal(isAlive(worker, 619.9), true);
		assert.equal(isAlive(worker, 620), false);
	});

	test('a task event after worker-offline does not bring the worker back (Celery: it does)', () => {
		// docs/STATE.md: the pool's last task events can arrive after the worker's worker-offline.
		const offline = captured.find(({event}) => event.type === 'worker-offline')!.event;
		const succeeded = firstOf('task-succeeded', offline.hostname).event;
		const worker = createWorker(offline.hostname, 0);
		applyWorkerEvent(worker, {...offline, type: 'worker-online'}, 10);
		applyWorkerEvent(worker, offline, 11);
		noteTaskActivity(worker, succeeded, 11.2);
		assert.equal(isAlive(worker, 11.5), false);
		assert.deepEqual(worker.heartbeats, []);
		assert.equal(worker.offlineAt, 11);
		assert.equal(worker.lastSeen, 11.2);
		// A restart says worker-online; from then on task events count as heartbeats again.
		applyWorkerEvent(worker, {...offline, type: 'worker-online'}, 30);
		noteTaskActivity(worker, succeeded, 31);
		assert.deepEqual(worker.heartbeats, [30, 31]);
		assert.equal(isAlive(worker, 31 + worker.freq * 2 - 0.001), true);
	});

	test('worker fields from the capture, and mistyped fields are ignored', () => {
		const online = firstOf('worker-online', 'w1@vm').event;
		const worker = createWorker('w1@vm', 0);
		applyWorkerEvent(worker, online, 1);
		assert.equal(worker.pid, online['pid']);
		assert.equal(worker.swIdent, 'py-celery');
		assert.equal(worker.swVer, '5.2.6');
		assert.equal(worker.swSys, 'Linux');
		assert.equal(worker.clock, online['clock']);
		assert.equal(worker.utcoffset, 0);
		assert.equal(worker.active, 0);
		const hostile = {
			type: 'worker-heartbeat',
			hostname: 'w1@vm',
			timestamp: 2,
			freq: -1,
			pid: '1',
			active: null,
			processed: 'x',
			loadavg: ['a'],
			sw_ident: 3,
			sw_ver: {},
			sw_sys: [],
			clock: '9',
			utcoffset: 'UTC',
		};
		applyWorkerEvent(worker, hostile as CeleryEvent, 2);
		assert.equal(worker.freq, 2);
		assert.equal(worker.pid, online['pid']);
		assert.equal(worker.active, 0);
		assert.deepEqual(worker.loadavg, online['loadavg']);
		assert.equal(worker.swIdent, 'py-celery');
		assert.equal(worker.clock, online['clock']);
		applyWorkerEvent(worker, {...hostile, freq: 0} as CeleryEvent, 3);
		assert.equal(worker.freq, 2);
		assert.equal(worker.lastSeen, 3);
	});
});
