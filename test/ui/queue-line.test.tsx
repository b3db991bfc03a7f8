// The queue line with a scripted queueDepths: the line it draws from the reads (trend included), a
// poller that never overlaps (the next read waits for the answer, then the interval), reads only
// while active and none after unmount, an error or even a rejection as one line, a longer wait after
// errors, and no line without Redis services.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {render} from 'ink-testing-library';
import type {QueueDepths, RedisServices} from '../../source/ports/inspector.js';
import {QueueLineView} from '../../source/ui/components/queue-line.js';
import {useQueueDepth, type QueueDepthOptions} from '../../source/ui/hooks/use-queue-depth.js';
import {ServicesProvider, type Services} from '../../source/ui/services.js';
import {fakeServices} from '../helpers/fake-services.js';
import {waitFor} from '../helpers/wait-for.js';
import {fakeRedis} from './fake-redis.js';

const INTERVAL = 40;

/** The app's wiring of the line: the hook's state drawn by the view (nothing without Redis services). */
function QueueLine({
	width,
	active = true,
	...options
}: QueueDepthOptions & {width: number; active?: boolean}) {
	const state = useQueueDepth(active, options);
	return state ? <QueueLineView state={state} width={width} /> : null;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Script = {
	calls: Array<{db: number; start: number; end?: number}>;
	redis: RedisServices;
	inFlight: () => number;
};

/** A queueDepths that answers `answers` in turn (the last one again), after `delayMs`. */
function scripted(answers: ReadonlyArray<QueueDepths | Error>, delayMs = 0): Script {
	const calls: Script['calls'] = [];
	let open = 0;
	let maxOpen = 0;
	const redis: RedisServices = {
		...fakeRedis(),
		db: 3,
		async queueDepths(db) {
			const call: Script['calls'][number] = {db, start: Date.now()};
			calls.push(call);
			open++;
			maxOpen = Math.max(maxOpen, open);
			await sleep(delayMs);
			open--;
			call.end = Date.now();
			const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
			if (answer instanceof Error) throw answer;
			return answer;
		},
	};
	return {calls, redis, inFlight: () => maxOpen};
}

/** Services whose clock moves 2 s at every read answered. */
function servicesWith(redis: RedisServices | undefined): Services {
	const base = fakeServices();
	let now = 1_795_771_600;
	return {...base, redis, clock: () => (now += 2)};
}

const depths = (queues: Record<string, number>): QueueDepths => ({
	ok: true,
	queues: Object.entries(queues).map(([queue, messages]) => ({queue, messages})),
});

function mount(services: Services, props: {width?: number; active?: boolean; intervalMs?: number} = {}) {
	const tree = (active: boolean) => (
		<ServicesProvider value={services}>
			<QueueLine width={props.width ?? 80} active={active} intervalMs={props.intervalMs ?? INTERVAL} />
		</ServicesProvider>
	);
	const r = render(tree(props.active ?? true));
	return {r, frame: () => r.lastFrame() ?? '', setActive: (active: boolean) => r.rerender(tree(active))};
}

test('the line shows each read, biggest first, with the trend once two reads came', async () => {
	const script = scripted([
		depths({celery: 100, emails: 40}),
		depths({celery: 124, emails: 34}),
		depths({celery: 124, emails: 34}),
	]);
	// Reads 300 ms apart: each line stays long enough to be seen.
	const {r, frame} = mount(servicesWith(script.redis), {intervalMs: 300});
	try {
		await waitFor(() => frame() === 'queues celery 100 · emails 40', {message: frame});
		await waitFor(() => frame() === 'queues celery 124 +12/s · emails 34 \u22123/s', {message: frame});
		await waitFor(() => frame() === 'queues celery 124 +6/s · emails 34 \u22122/s', {message: frame});
		assert.ok(
			script.calls.every((call) => call.db === 3),
			'the broker db of the services',
		);
	} finally {
		r.unmount();
	}
});

test('reads never overlap: the next starts an interval after the last answered', async () => {
	const script = scripted([depths({celery: 1})], 60);
	const {r} = mount(servicesWith(script.redis));
	try {
		await waitFor(() => script.calls.length >= 4, {timeout: 3000});
	} finally {
		r.unmount();
	}
	assert.equal(script.inFlight(), 1);
	for (let i = 1; i < script.calls.length; i++) {
		const gap = script.calls[i]!.start - script.calls[i - 1]!.end!;
		assert.ok(gap >= INTERVAL - 5, `read ${i} started ${gap} ms after the previous answer`);
	}
});

test('reads only while active, and none after unmount', async () => {
	const script = scripted([depths({celery: 1})]);
	const {r, frame, setActive} = mount(servicesWith(script.redis), {active: false});
	await sleep(INTERVAL * 4);
	assert.equal(script.calls.length, 0);
	assert.equal(frame(), 'queues reading…');
	setActive(true);
	await waitFor(() => script.calls.length >= 2);
	setActive(false);
	await sleep(INTERVAL * 2);
	const paused = script.calls.length;
	await sleep(INTERVAL * 4);
	assert.equal(script.calls.length, paused, 'no read while the Celery screen is hidden');
	assert.equal(frame(), 'queues celery 1 =', 'the last line stays');
	setActive(true);
	await waitFor(() => script.calls.length > paused);
	r.unmount();
	await sleep(INTERVAL * 2);
	const unmounted = script.calls.length;
	await sleep(INTERVAL * 4);
	assert.equal(script.calls.length, unmounted, 'no read after unmount');
});

test('an error is one line, a rejection too; it waits longer after errors and mends on the next answer', async () => {
	const script = scripted([
		{ok: false, error: 'db 3 does not exist on 127.0.0.1:6390 (it has 1: 0)'},
		new Error('boom\n    at somewhere (file.ts:1:1)'),
		depths({celery: 5}),
	]);
	const {r, frame} = mount(servicesWith(script.redis), {width: 120});
	try {
		await waitFor(() => frame() === 'queues db 3 does not exist on 127.0.0.1:6390 (it has 1: 0)', {
			message: frame,
		});
		await waitFor(() => frame() === 'queues boom', {message: frame});
		await waitFor(() => frame() === 'queues celery 5', {message: frame});
	} finally {
		r.unmount();
	}
	const gap = (i: number) => script.calls[i]!.start - script.calls[i - 1]!.end!;
	assert.ok(gap(1) >= 2 * INTERVAL - 5, `after one error: ${gap(1)} ms`);
	assert.ok(gap(2) >= 4 * INTERVAL - 5, `after two errors: ${gap(2)} ms`);
});

test('without Redis services there is no line', () => {
	const {r, frame} = mount(servicesWith(undefined));
	assert.equal(frame(), '');
	r.unmount();
});
