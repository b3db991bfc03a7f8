import {test} from 'node:test';
import assert from 'node:assert/strict';
import {render} from 'ink-testing-library';
import {App} from '../../source/ui/app.js';
import {ServicesProvider, type Services} from '../../source/ui/services.js';
import {keymap} from '../../source/keys/keymap.js';
import {fakeServices, servicesFromCapture} from '../helpers/fake-services.js';
import {ARROW_DOWN, ENTER, ESCAPE, TAB} from '../helpers/keys.js';
import {waitFor} from '../helpers/wait-for.js';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {mountApp} from './mount.js';

function mount(services: Services) {
	return render(
		<ServicesProvider value={services}>
			<App />
		</ServicesProvider>,
	);
}

const frame = (r: ReturnType<typeof mount>) => r.lastFrame() ?? '';

async function type(
	r: ReturnType<typeof mount>,
	keys: string,
	until: (frame: string) => boolean,
	message: string,
) {
	r.stdin.write(keys);
	await waitFor(() => until(frame(r)), {timeout: 3000, message: () => `${message}\n${frame(r)}`});
}

test('the main screen shows workers, tasks and the event stream from the captured session', async () => {
	const services = servicesFromCapture();
	const {r} = mountApp(services, {rows: 40}); // tall enough for the workers pane to stay open
	await waitFor(() => /WORKER\s+STATUS/.test(frame(r)), {message: 'first frame, the workers pane open'});
	const f = frame(r);
	assert.match(f, /celerytop/);
	assert.match(f, /redis:\/\/:\*\*\*@127\.0\.0\.1:6390\/0/, 'broker shown with the password redacted');
	assert.match(f, /w1@vm\s+(online|offline)/);
	assert.match(f, /Tasks/);
	assert.match(f, /Events/);
	assert.match(f, /SUCCESS \d+/, 'counts per state in the header');
	assert.match(f, /q\/\^C quit/, 'footer generated from the keymap');
	r.unmount();
});

test('j/arrows move the selection and Enter opens the task detail with its traceback', async () => {
	const uuid = 'aaaaaaaa-0000-4000-8000-000000000001';
	const other = 'bbbbbbbb-0000-4000-8000-000000000002';
	const t = 1_795_771_600;
	const events: CeleryEvent[] = [
		{
			type: 'task-received',
			hostname: 'w1@vm',
			timestamp: t,
			uuid,
			name: 'app.fail',
			args: '(1,)',
			kwargs: '{}',
		},
		{type: 'task-started', hostname: 'w1@vm', timestamp: t + 1, uuid},
		{
			type: 'task-failed',
			hostname: 'w1@vm',
			timestamp: t + 2,
			uuid,
			exception: "ValueError('boom')",
			traceback: 'Traceback (most recent call last):\n  File "x.py"\nValueError: boom',
		},
		{
			type: 'task-received',
			hostname: 'w2@vm',
			timestamp: t + 3,
			uuid: other,
			name: 'app.add',
			args: '(2, 3)',
			kwargs: '{}',
		},
	];
	const services = fakeServices({events, now: t + 3});
	const r = mount(services);
	await waitFor(() => frame(r).includes('app.add'), {message: 'tasks shown'});
	// Newest first: app.add is row 1, app.fail row 2.
	await type(r, ARROW_DOWN, (f) => /2\/2/.test(f), 'cursor on row 2');
	await type(r, ENTER, (f) => f.includes(`Task ${uuid}`), 'detail opens');
	const f = frame(r);
	assert.match(f, /name\s+app\.fail/);
	assert.match(f, /state\s+FAILURE/);
	assert.match(f, /exception\s+ValueError\('boom'\)/);
	assert.match(f, /task-started/, 'timeline lists the events');
	await type(r, 'G', (f) => f.includes('Traceback (most recent call last)'), 'the traceback is at the end');
	assert.match(frame(r), /ValueError: boom/);
	await type(r, ESCAPE, (f) => f.includes('Workers'), 'Esc goes back');
	r.unmount();
});

test('several keys in one chunk ("jjj") each move the cursor', async () => {
	const t = 1_795_771_600;
	const events: CeleryEvent[] = Array.from({length: 6}, (_, i) => ({
		type: 'task-received',
		hostname: 'w1@vm',
		timestamp: t + i,
		uuid: `cccccccc-0000-4000-8000-00000000000${i}`,
		name: `app.t${i}`,
	}));
	const r = mount(fakeServices({events, now: t + 6}));
	await waitFor(() => frame(r).includes('app.t5'));
	await type(r, 'jjj', (f) => /4\/6/.test(f), 'three rows down');
	await type(r, 'G', (f) => /6\/6/.test(f), 'G goes to the last row');
	await type(r, 'g', (f) => /1\/6/.test(f), 'g goes to the first row');
	r.unmount();
});

test('/ filters tasks by name, id, state or worker; Esc clears', async () => {
	const services = servicesFromCapture();
	const r = mount(services);
	await waitFor(() => frame(r).includes('Tasks'));
	const total = services.store.getSnapshot().allTasks().length;
	const failures = services.store
		.getSnapshot()
		.allTasks()
		.filter((t) => t.state === 'FAILURE').length;
	assert.ok(failures > 0 && failures < total, 'the capture has some failures among other tasks');
	await type(r, '/', (f) => f.includes('filter (name, id, state, worker)'), 'filter box opens');
	await type(r, 'FAILURE', (f) => new RegExp(`1/${failures} \\(of ${total}\\)`).test(f), 'only failures');
	await type(r, ENTER, (f) => f.includes('filter: FAILURE'), 'filter kept after Enter');
	assert.doesNotMatch(frame(r).split('Events')[0]!.split('Tasks')[1]!, /SUCCESS/);
	await type(r, ESCAPE, (f) => new RegExp(`1/${total}\\b`).test(f), 'Esc clears the filter');
	r.unmount();
});

test('p pauses the view while events keep being collected, p again resumes', async () => {
	const t = 1_795_771_600;
	const services = fakeServices({
		now: t,
		events: [
			{
				type: 'task-received',
				hostname: 'w1@vm',
				timestamp: t,
				uuid: 'dddddddd-0000-4000-8000-000000000001',
				name: 'app.first',
			},
		],
	});
	const r = mount(services);
	await waitFor(() => frame(r).includes('app.first'));
	await type(r, 'p', (f) => f.includes('PAUSED'), 'paused');
	services.push([
		{
			type: 'task-received',
			hostname: 'w1@vm',
			timestamp: t + 1,
			uuid: 'dddddddd-0000-4000-8000-000000000002',
			name: 'app.second',
		},
	]);
	assert.equal(services.store.cluster.tasks.size, 2, 'the store still collects');
	assert.doesNotMatch(frame(r), /app\.second/, 'the paused view does not move');
	await type(r, 'p', (f) => f.includes('app.second') && !f.includes('PAUSED'), 'resumed');
	r.unmount();
});

test('paused: the header says so on its first line and its counters keep counting while the rows stay still', async () => {
	const t = 1_795_771_600;
	const received = (n: number, name: string): CeleryEvent => ({
		type: 'task-received',
		hostname: 'w1@vm',
		timestamp: t + n,
		uuid: `eeeeeeee-0000-4000-8000-00000000000${n}`,
		name,
	});
	const services = fakeServices({now: t, events: [received(1, 'app.first')]});
	const {r, frame: f, press} = mountApp(services);
	await waitFor(() => f().includes('app.first') && /events 1\b/.test(f()), {message: () => f()});
	await press('p', (x) => x.includes('PAUSED'), 'paused');
	const header = () => f().split('\n')[0]!;
	assert.match(
		header(),
		/^celerytop +⏸ PAUSED +p resumes/,
		'first on the line: 80 columns cannot cut it off',
	);
	services.setNow(t + 1);
	services.push([received(2, 'app.second'), received(3, 'app.third')]);
	await waitFor(() => /events 3\b/.test(header()), {message: () => `the event count moves\n${f()}`});
	assert.match(f(), /tasks 3\//, 'the task count moves too');
	assert.match(f(), /RECEIVED 3/, 'and the counts by state');
	assert.doesNotMatch(f(), /app\.second|app\.third/, 'the rows stay as they were');
	await press('p', (x) => x.includes('app.third') && !x.includes('PAUSED'), 'resumed');
	r.unmount();
});

test('Tab moves the focus between panes and the footer follows the focused pane', async () => {
	const r = mount(servicesFromCapture());
	await waitFor(() => frame(r).includes('task detail'), {message: 'tasks pane focused first'});
	await type(r, TAB, (f) => f.includes('detail of the event'), 'events pane focused');
	await type(
		r,
		TAB,
		(f) => !f.includes('task detail') && !f.includes('detail of the event'),
		'workers pane focused',
	);
	r.unmount();
});

test('? shows every binding of the keymap', async () => {
	const r = mount(fakeServices());
	await waitFor(() => frame(r).includes('Workers'));
	await type(r, '?', (f) => f.includes('Help'), 'help opens');
	// The help scrolls: collect every page until the last line is on screen.
	let seen = frame(r);
	const position = () => /(\d+)-(\d+) of (\d+)/.exec(frame(r));
	while (position() && position()![2] !== position()![3]) {
		const before = position()![1];
		r.stdin.write(' ');
		await waitFor(() => position()?.[1] !== before, {message: () => `the help pages on\n${frame(r)}`});
		seen += frame(r);
	}
	for (const binding of keymap) assert.ok(seen.includes(binding.label), `help lists "${binding.label}"`);
	r.unmount();
});

test('a worker that stops sending heartbeats turns offline at last heartbeat + 2 × freq', async () => {
	const t = 1_795_771_600;
	const services = fakeServices({
		now: t,
		events: [
			{
				type: 'worker-heartbeat',
				hostname: 'celery@w1',
				timestamp: t,
				freq: 2.0,
				active: 0,
				processed: 3,
				loadavg: [0.1, 0.2, 0.3],
				sw_ver: '5.2.6',
			},
		],
	});
	const {r} = mountApp(services, {rows: 40}); // the workers pane open, not folded
	await waitFor(() => /celery@w1\s+online/.test(frame(r)), {message: 'online first'});
	services.setNow(t + 3.9);
	await waitFor(() => /celery@w1\s+online/.test(frame(r)));
	services.setNow(t + 4.1);
	await waitFor(() => /celery@w1\s+offline/.test(frame(r)), {
		message: () => `offline after 4 s\n${frame(r)}`,
	});
	r.unmount();
});

test('malformed messages are counted by reason in the header', async () => {
	const services = fakeServices();
	services.store.recordMalformed('not-json', 3);
	services.store.recordMalformed('bad-base64');
	services.setNow(services.clock() + 1);
	const r = mount(services);
	await waitFor(() => frame(r).includes('malformed 4'), {message: () => frame(r)});
	assert.match(frame(r), /not-json 3/);
	r.unmount();
});

test('escape sequences inside task fields are shown inert', async () => {
	const t = 1_795_771_600;
	const evil = 'app.\u001B[2J\u001B]0;pwned\u0007evil';
	const r = mount(
		fakeServices({
			now: t,
			events: [
				{
					type: 'task-received',
					hostname: 'w1@vm',
					timestamp: t,
					uuid: 'eeeeeeee-0000-4000-8000-000000000001',
					name: evil,
				},
			],
		}),
	);
	await waitFor(() => frame(r).includes('evil'));
	assert.ok(!frame(r).includes('\u001B[2J'), 'no live clear-screen sequence');
	assert.ok(!frame(r).includes('\u001B]0;'), 'no live title sequence');
	r.unmount();
});

test('keys typed right after / in the same chunk go into the filter', async () => {
	const services = servicesFromCapture();
	const r = mount(services);
	await waitFor(() => frame(r).includes('Tasks'));
	await type(r, '/FAILURE\r', (f) => f.includes('filter: FAILURE'), 'filter typed ahead and kept');
	r.unmount();
});
