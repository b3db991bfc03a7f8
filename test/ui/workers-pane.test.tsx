// The Workers pane with the workers' pool facts (panes/workers.tsx): POOL, UTIL, PREFETCH and QUEUES
// from WorkerInfo, columns dropped by priority as the pane narrows (every line fits), an offline
// worker without utilisation, and the folded line's active/concurrency.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {render} from 'ink-testing-library';
import {workerInfoFrom, type WorkerInfo} from '../../source/present/worker-info.js';
import type {Worker} from '../../source/state/types.js';
import {applyWorkerEvent, createWorker} from '../../source/state/worker.js';
import {layoutColumns} from '../../source/ui/components/table.js';
import {WorkersLine, WorkersPane, workerColumns} from '../../source/ui/panes/workers.js';

/** The headers the table shows at an inner width, for these workers' texts. */
const shown = (width: number, workerInfo = info) =>
	layoutColumns(workerColumns(T + 1.5, workerInfo), width, workers).columns.map((c) => c.header);

const T = 1_795_771_600;

function worker(hostname: string, active: number, offline = false): Worker {
	const w = createWorker(hostname, T);
	applyWorkerEvent(
		w,
		{
			type: 'worker-heartbeat',
			hostname,
			timestamp: T,
			freq: 2,
			active,
			processed: 1234,
			loadavg: [0.5, 0.25, 0.1],
			sw_ver: '5.2.6',
		},
		T,
	);
	if (offline) applyWorkerEvent(w, {type: 'worker-offline', hostname, timestamp: T + 1}, T + 1);
	return w;
}

const STATS = {pool: {'max-concurrency': 4, processes: [1, 2, 3, 4], writes: {}}, prefetch_count: 16};
const workers = [worker('w1@vm', 2), worker('w2@vm', 4), worker('gone@vm', 1, true)];
const info = new Map<string, WorkerInfo>([
	['w1@vm', workerInfoFrom(STATS, [{name: 'celery'}, {name: 'high'}], T)],
	['w2@vm', workerInfoFrom({...STATS, prefetch_count: 0}, [{name: 'celery'}], T)],
	['gone@vm', workerInfoFrom(STATS, [{name: 'celery'}], T)],
]);

function pane(width: number, workerInfo?: ReadonlyMap<string, WorkerInfo>): string[] {
	const r = render(
		<WorkersPane
			rows={workers}
			selected={-1}
			offset={0}
			width={width}
			height={8}
			focused={false}
			now={T + 1.5}
			workerInfo={workerInfo}
		/>,
	);
	const lines = (r.lastFrame() ?? '').split('\n');
	r.unmount();
	return lines;
}

const row = (lines: string[], host: string) => lines.find((line) => line.includes(host)) ?? '';

test('at 80 columns: WORKER STATUS UTIL POOL PREFETCH QUEUES HEARTBEAT, each line fits', () => {
	const lines = pane(80, info);
	for (const line of lines) assert.ok([...line].length <= 80, `${[...line].length}: ${line}`);
	const header = lines.find((line) => line.includes('WORKER'))!;
	const order = ['WORKER', 'STATUS', 'UTIL', 'POOL', 'PREFETCH', 'QUEUES', 'HEARTBEAT'];
	const at = order.map((name) => header.indexOf(name));
	assert.ok(
		at.every((i, k) => i >= 0 && (k === 0 || i > at[k - 1]!)),
		header,
	);
	for (const dropped of ['PROCESSED', 'LOAD', 'VERSION']) assert.ok(!header.includes(dropped), header);
	assert.match(row(lines, 'w1@vm'), /w1@vm +online +2\/4 prefork 4 +16 celery,high +1s/);
	assert.match(row(lines, 'w2@vm'), /online +4\/4 prefork 4 +no limit celery /);
	// Offline: no utilisation (it runs nothing), its last known pool.
	assert.match(row(lines, 'gone@vm'), /gone@vm +offline {9}prefork 4 +16 celery +-/);
});

test('at 200 columns every column shows; at 60 the lowest-priority ones go first', () => {
	const wide = shown(196);
	assert.deepEqual(wide, [
		'WORKER',
		'STATUS',
		'UTIL',
		'POOL',
		'PREFETCH',
		'QUEUES',
		'PROCESSED',
		'LOAD',
		'HEARTBEAT',
		'VERSION',
	]);
	assert.deepEqual(shown(56), ['WORKER', 'STATUS', 'UTIL', 'POOL', 'HEARTBEAT']);
	assert.deepEqual(shown(20), ['WORKER', 'STATUS']);
	const lines = pane(60, info);
	for (const line of lines) assert.ok([...line].length <= 60, line);
	assert.match(
		row(lines, 'w1@vm'),
		/w1@vm +online +2\/4 prefork 4 +1s +│/,
		'sized from the names: the room left stays at the right',
	);
});

test('QUEUES and POOL are as wide as their texts; QUEUES at most 24', () => {
	const widthOf = (workerInfo: ReadonlyMap<string, WorkerInfo>, header: string) => {
		const laid = layoutColumns(workerColumns(T + 1.5, workerInfo), 196, workers);
		return laid.widths[laid.columns.findIndex((c) => c.header === header)];
	};
	const many = new Map(info);
	many.set(
		'w1@vm',
		workerInfoFrom(
			STATS,
			Array.from({length: 10}, (_, i) => ({name: `queue-${i}`})),
			T,
		),
	);
	assert.equal(widthOf(many, 'QUEUES'), 24);
	assert.equal(widthOf(info, 'QUEUES'), 'celery,high'.length);
	assert.equal(widthOf(info, 'POOL'), 'prefork 4'.length);
});

test('before any reply: UTIL shows the active count, the pool cells are empty', () => {
	const lines = pane(80);
	assert.match(row(lines, 'w1@vm'), /w1@vm +online +2 {13}/);
	assert.ok(!row(lines, 'w1@vm').includes('prefork'));
});

test('the folded line: active/concurrency when known, "N active" before', () => {
	const folded = (workerInfo?: ReadonlyMap<string, WorkerInfo>) => {
		const r = render(
			<WorkersLine workers={workers} online={2} now={T + 1.5} width={100} workerInfo={workerInfo} />,
		);
		const frame = r.lastFrame() ?? '';
		r.unmount();
		return frame;
	};
	assert.match(folded(info), /● w1@vm 2\/4 {2}● w2@vm 4\/4 {2}○ gone@vm/);
	assert.match(folded(), /● w1@vm 2 active {2}● w2@vm 4 active/);
});
