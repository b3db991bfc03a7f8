// The filter works by task, not by event text: task-started/succeeded/failed carry only the uuid, so
// an event matches when the task it is about matches (name, state, worker, id). An empty result says
// what matched nothing instead of "waiting for events…".
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {fakeServices} from '../helpers/fake-services.js';
import {ESCAPE} from '../helpers/keys.js';
import {waitFor} from '../helpers/wait-for.js';
import {mountApp} from './mount.js';

const T = 1_795_771_600;
const ADD = 'aaaaaaaa-0000-4000-8000-00000000000a';
const FAIL = 'ffffffff-0000-4000-8000-00000000000f';

const EVENTS: CeleryEvent[] = [
	{type: 'worker-heartbeat', hostname: 'w1@vm', timestamp: T, freq: 60, active: 0, processed: 0},
	{type: 'task-sent', hostname: 'gen1@client', timestamp: T, uuid: ADD, name: 'demo.add', args: '(2, 3)'},
	{type: 'task-received', hostname: 'w1@vm', timestamp: T + 0.1, uuid: ADD, name: 'demo.add', args: '(2, 3)'},
	{type: 'task-started', hostname: 'w1@vm', timestamp: T + 0.2, uuid: ADD},
	{type: 'task-succeeded', hostname: 'w1@vm', timestamp: T + 0.3, uuid: ADD, runtime: 0.1, result: '5'},
	{type: 'task-received', hostname: 'w1@vm', timestamp: T + 0.4, uuid: FAIL, name: 'demo.fail', args: '()'},
	{type: 'task-started', hostname: 'w1@vm', timestamp: T + 0.5, uuid: FAIL},
	{type: 'task-failed', hostname: 'w1@vm', timestamp: T + 0.6, uuid: FAIL, exception: "ValueError('boom')"},
];

/** The event rows: the lines of the Events pane below its header line. */
function eventRows(frame: string): string[] {
	const lines = frame.split('\n');
	const start = lines.findIndex((l) => /│ Events\b/.test(l));
	const rows: string[] = [];
	for (const line of lines.slice(start + 2)) {
		if (line.startsWith('╰')) break;
		if (line.replace(/[│\s]/g, '') !== '') rows.push(line);
	}
	return rows;
}

function setup() {
	return mountApp(fakeServices({events: EVENTS, now: T + 1}), {rows: 40});
}

test('/demo.add shows the whole life of demo.add tasks, task-started and task-succeeded included', async () => {
	const {r, frame, press} = setup();
	await waitFor(() => frame().includes('task-failed'));
	await press('/demo.add\r', (f) => f.includes('filter: demo.add'), 'filter kept');
	await waitFor(() => eventRows(frame()).length === 4, {message: () => frame()});
	const rows = eventRows(frame());
	assert.deepEqual(
		rows.map((l) => /task-[a-z]+/.exec(l)?.[0]),
		['task-succeeded', 'task-started', 'task-received', 'task-sent'],
		frame(),
	);
	assert.ok(
		rows.every((l) => l.includes(ADD.slice(0, 8))),
		'only the demo.add task',
	);
	assert.match(frame(), /Events\s.*1\/4 \(of 8\)/);
	r.unmount();
});

test('/FAILURE shows the events of the failed tasks', async () => {
	const {r, frame, press} = setup();
	await waitFor(() => frame().includes('task-failed'));
	await press('/FAILURE\r', (f) => f.includes('filter: FAILURE'), 'filter kept');
	await waitFor(() => eventRows(frame()).length === 3, {message: () => frame()});
	assert.deepEqual(
		eventRows(frame()).map((l) => /task-[a-z]+/.exec(l)?.[0]),
		['task-failed', 'task-started', 'task-received'],
	);
	assert.doesNotMatch(frame(), /waiting for events/);
	r.unmount();
});

test('/nomatch says no events (and no tasks) match it; Esc brings everything back', async () => {
	const {r, frame, press} = setup();
	await waitFor(() => frame().includes('task-failed'));
	await press('/nomatch', (f) => f.includes('no events match nomatch'), 'says what matched nothing');
	assert.match(frame(), /no tasks match nomatch/);
	assert.doesNotMatch(frame(), /waiting for events/);
	await press(ESCAPE, (f) => eventRows(f).length === 8, 'Esc clears the filter');
	r.unmount();
});

test('the filter follows the task: a task that comes to match brings its events with it', async () => {
	const services = fakeServices({events: EVENTS, now: T + 1});
	const {r, frame, press} = mountApp(services, {rows: 40});
	await waitFor(() => frame().includes('task-failed'));
	await press('/RETRY\r', (f) => f.includes('no tasks match RETRY'), 'nothing in RETRY yet');
	assert.match(frame(), /no events match RETRY/);
	// A new task, first only received (no match), then retried: now every event of it matches.
	const RETRY = 'cccccccc-0000-4000-8000-00000000000c';
	services.setNow(T + 2);
	services.push([
		{type: 'task-received', hostname: 'w1@vm', timestamp: T + 2, uuid: RETRY, name: 'demo.again'},
	]);
	await waitFor(() => /tasks 3\//.test(frame()), {message: () => frame()});
	assert.match(frame(), /no tasks match RETRY/);
	services.setNow(T + 3);
	services.push([
		{type: 'task-started', hostname: 'w1@vm', timestamp: T + 3, uuid: RETRY},
		{type: 'task-retried', hostname: 'w1@vm', timestamp: T + 3.1, uuid: RETRY, exception: 'x'},
	]);
	await waitFor(() => /Tasks\s.*1\/1 \(of 3\)/.test(frame()), {message: () => frame()});
	assert.deepEqual(
		eventRows(frame()).map((l) => /task-[a-z]+/.exec(l)?.[0]),
		['task-retried', 'task-started', 'task-received'],
	);
	r.unmount();
});
