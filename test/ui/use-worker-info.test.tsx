// When the Workers pane's pool facts are asked (ui/hooks/use-worker-info.ts), with a fake control
// service whose replies the test releases: once per worker coming online (first seen, back after
// offline or expiry, restarted), again on refresh and after the settle delay, never per frame, one
// question per worker at a time, at most `parallel` workers at once.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {Text} from 'ink';
import {render} from 'ink-testing-library';
import type {ControlService} from '../../source/ports/control.js';
import type {Worker} from '../../source/state/types.js';
import {applyWorkerEvent, createWorker} from '../../source/state/worker.js';
import type {Store} from '../../source/state/store.js';
import {runEffect, type RunnerDeps} from '../../source/ui/effect-runner.js';
import {createWorkerInfoTracker, useWorkerInfo} from '../../source/ui/hooks/use-worker-info.js';
import {RedisJobs} from '../../source/ui/redis/jobs.js';
import {waitFor} from '../helpers/wait-for.js';

const T = 1_795_771_600;

type Call = {method: string; host: string; release: (reply?: unknown) => void};

/** A control service that answers only when the test releases a call (or at once with `auto`). */
function fakeControl(auto = false) {
	const calls: Call[] = [];
	const open = new Set<Call>();
	let maxOpen = 0;
	const openPerHost = new Map<string, number>();
	let maxPerHost = 0;
	const reply = (method: string, host: string): unknown =>
		method === 'stats'
			? {pool: {'max-concurrency': 2, processes: [1, 2], writes: {}}, prefetch_count: 8}
			: [{name: 'celery'}];
	const control: ControlService = {
		call(method, _args, options) {
			const host = options.destination?.[0] ?? '';
			assert.deepEqual(options.destination, [host], 'one worker per question');
			assert.equal(options.expected, 1);
			return new Promise((resolve) => {
				const call: Call = {
					method,
					host,
					release: (value = reply(method, host)) => {
						open.delete(call);
						openPerHost.set(host, openPerHost.get(host)! - 1);
						resolve({replies: value === undefined ? {} : {[host]: value}, sent: true});
					},
				};
				calls.push(call);
				open.add(call);
				openPerHost.set(host, (openPerHost.get(host) ?? 0) + 1);
				maxOpen = Math.max(maxOpen, open.size);
				maxPerHost = Math.max(maxPerHost, openPerHost.get(host)!);
				if (auto) queueMicrotask(() => call.release());
			});
		},
	};
	return {
		control,
		calls,
		open,
		maxOpen: () => maxOpen,
		maxPerHost: () => maxPerHost,
		/** Answer every open call, and the ones those answers lead to, until none is left. */
		async drain() {
			for (let round = 0; round < 10_000 && open.size > 0; round++) {
				for (const call of [...open]) call.release();
				await new Promise((resolve) => setImmediate(resolve));
			}
		},
	};
}

function worker(hostname: string, now: number, pid = 100): Worker {
	const w = createWorker(hostname, now);
	applyWorkerEvent(w, {type: 'worker-online', hostname, timestamp: now, freq: 2, pid}, now);
	return w;
}

function beat(w: Worker, now: number, type = 'worker-heartbeat', pid = w.pid): void {
	applyWorkerEvent(w, {type, hostname: w.hostname, timestamp: now, freq: 2, pid}, now);
}

const methods = (calls: readonly Call[]) => calls.map((c) => `${c.method} ${c.host}`);
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('a worker seen alive is asked stats then active_queues once; frames and heartbeats ask nothing', async () => {
	const fake = fakeControl();
	const tracker = createWorkerInfoTracker(fake.control, () => T, {notifyMs: 0});
	const w1 = worker('w1@vm', T);
	tracker.observe([w1], T);
	assert.deepEqual(methods(fake.calls), ['stats w1@vm'], 'active_queues waits for the stats reply');
	await fake.drain();
	assert.deepEqual(methods(fake.calls), ['stats w1@vm', 'active_queues w1@vm']);
	const info = tracker.info().get('w1@vm');
	assert.deepEqual(
		[info?.implementation, info?.concurrency, info?.prefetch, info?.queues],
		['prefork', 2, 8, ['celery']],
	);
	assert.equal(info?.askedAt, T);
	for (let frame = 1; frame <= 600; frame++) {
		const now = T + frame / 10;
		if (frame % 20 === 0) beat(w1, now);
		tracker.observe([w1], now);
	}
	await fake.drain();
	assert.equal(fake.calls.length, 2, '600 frames and 30 heartbeats later');
	tracker.close();
});

test('asked again after worker-offline → online, after its heartbeats expired, and after a restart', async () => {
	const fake = fakeControl(true);
	const tracker = createWorkerInfoTracker(fake.control, () => T, {notifyMs: 0});
	const w1 = worker('w1@vm', T);
	tracker.observe([w1], T);
	await fake.drain();
	assert.equal(fake.calls.length, 2);

	beat(w1, T + 1, 'worker-offline');
	tracker.observe([w1], T + 1);
	tracker.observe([w1], T + 2);
	assert.equal(fake.calls.length, 2, 'offline: nothing asked');
	assert.ok(tracker.info().has('w1@vm'), 'the last info stays while offline');
	beat(w1, T + 3, 'worker-online');
	tracker.observe([w1], T + 3);
	await fake.drain();
	assert.deepEqual(methods(fake.calls.slice(2)), ['stats w1@vm', 'active_queues w1@vm']);

	// No heartbeat for freq × 2 = 4 s: no longer alive; the next heartbeat brings it back.
	tracker.observe([w1], T + 8);
	beat(w1, T + 9);
	tracker.observe([w1], T + 9);
	await fake.drain();
	assert.equal(fake.calls.length, 6);

	// Offline and online again between two frames: the new pid tells.
	beat(w1, T + 10, 'worker-offline');
	beat(w1, T + 10.5, 'worker-online', 200);
	tracker.observe([w1], T + 10.6);
	await fake.drain();
	assert.equal(fake.calls.length, 8);
	tracker.observe([w1], T + 10.7);
	await fake.drain();
	assert.equal(fake.calls.length, 8);
	tracker.close();
});

test('refresh asks now and again after the settle delay; one question per worker at a time', async () => {
	const fake = fakeControl();
	const tracker = createWorkerInfoTracker(fake.control, () => T, {notifyMs: 0, settleMs: 30});
	const w1 = worker('w1@vm', T);
	tracker.observe([w1], T);
	// A refresh while the first question is open waits for it, then asks again.
	tracker.refresh('w1@vm');
	tracker.refresh('w1@vm');
	assert.equal(fake.open.size, 1);
	await fake.drain();
	assert.deepEqual(methods(fake.calls), [
		'stats w1@vm',
		'active_queues w1@vm',
		'stats w1@vm',
		'active_queues w1@vm',
	]);
	await waitFor(() => fake.open.size === 1, {timeout: 1000, message: 'the settle question'});
	await fake.drain();
	assert.equal(fake.calls.length, 6, 'two refreshes share one settle question');
	assert.equal(fake.maxPerHost(), 1);
	await new Promise((resolve) => setTimeout(resolve, 60));
	assert.equal(fake.calls.length, 6);
	tracker.close();
});

test('1000 workers coming online are asked 4 at a time, each once', async () => {
	const fake = fakeControl();
	const tracker = createWorkerInfoTracker(fake.control, () => T, {notifyMs: 0});
	const workers = Array.from({length: 1000}, (_, i) => worker(`w${i}@vm`, T, 1000 + i));
	tracker.observe(workers, T);
	assert.equal(fake.open.size, 4);
	assert.equal(tracker.inFlight(), 4);
	for (let frame = 1; frame < 50; frame++) tracker.observe(workers, T + frame / 10); // frames meanwhile
	await fake.drain();
	assert.equal(fake.calls.length, 2000);
	assert.equal(new Set(methods(fake.calls)).size, 2000, 'each worker asked each question once');
	assert.equal(fake.maxOpen(), 4);
	assert.equal(fake.maxPerHost(), 1);
	assert.equal(tracker.info().size, 1000);
	tracker.close();
});

test('no reply or a failing call: an entry with nothing known, no retry within the retry delay; a worker gone is forgotten', async () => {
	const failing: ControlService = {
		call: async (method) => {
			if (method === 'stats') throw new Error('connection lost');
			return {replies: {}, sent: true};
		},
	};
	let count = 0;
	const counting: ControlService = {call: (...args) => (count++, failing.call(...args))};
	const tracker = createWorkerInfoTracker(counting, () => T, {notifyMs: 0});
	const w1 = worker('w1@vm', T);
	const w2 = worker('w2@vm', T);
	tracker.observe([w1, w2], T);
	await waitFor(() => tracker.info().size === 2, {timeout: 1000});
	assert.equal(tracker.info().get('w1@vm')?.concurrency, undefined);
	assert.equal(tracker.info().get('w1@vm')?.queues, undefined);
	for (let frame = 1; frame < 20; frame++) tracker.observe([w1, w2], T + frame / 10);
	await tick();
	assert.equal(count, 4);
	tracker.observe([w2], T + 2);
	assert.deepEqual([...tracker.info().keys()], ['w2@vm']);
	tracker.close();
});

test('an online worker whose stats got no reply is asked again after retryMs, 2 × and 3 × that, then no more', async () => {
	let stats = 0;
	const silent: ControlService = {
		call: async (method) => {
			if (method === 'stats') stats++;
			return {replies: {}, sent: true}; // no reply within the time limit
		},
	};
	const tracker = createWorkerInfoTracker(silent, () => T, {notifyMs: 0, retryMs: 20});
	const w1 = worker('w1@vm', T);
	tracker.observe([w1], T);
	await waitFor(() => stats === 3, {timeout: 2000, message: () => `${stats} stats questions`});
	await new Promise((resolve) => setTimeout(resolve, 200)); // 20 + 40 ms passed long ago: no 4th
	assert.equal(stats, 3, `asked ${stats} times: MAX_MISSES (3) in all`);
	// A reply at last (it came back online): the misses start again from zero.
	tracker.close();
	let answered = 0;
	const late: ControlService = {
		call: async (method, _args, options) => {
			const host = options.destination![0]!;
			if (method === 'stats' && ++answered === 1) return {replies: {}, sent: true};
			return {
				replies: {[host]: method === 'stats' ? {pool: {'max-concurrency': 3}} : [{name: 'q'}]},
				sent: true,
			};
		},
	};
	const second = createWorkerInfoTracker(late, () => T, {notifyMs: 0, retryMs: 20});
	second.observe([w1], T);
	await waitFor(() => second.info().get('w1@vm')?.concurrency === 3, {timeout: 2000});
	assert.equal(answered, 2, 'the retry got the answer');
	second.close();
});

test('listeners hear of answers at most every notifyMs, with a new map each time', async () => {
	const fake = fakeControl(true);
	const tracker = createWorkerInfoTracker(fake.control, () => T, {notifyMs: 20});
	let told = 0;
	tracker.subscribe(() => told++);
	const before = tracker.info();
	tracker.observe(
		Array.from({length: 8}, (_, i) => worker(`w${i}@vm`, T, i + 1)),
		T,
	);
	await fake.drain();
	await waitFor(() => tracker.info().size === 8, {timeout: 1000});
	assert.notEqual(tracker.info(), before);
	assert.ok(told >= 1 && told <= 2, `told ${told} times for 8 answers`);
	const same = tracker.info();
	assert.equal(tracker.info(), same, 'the same map until something changes');
	tracker.close();
});

function Probe(props: {
	workers: readonly Worker[];
	now: number;
	control: ControlService | undefined;
	onRefresh?: (refresh: (hostname: string) => void) => void;
}) {
	const {info, refresh} = useWorkerInfo(props.workers, props.now, props.control, () => T, {notifyMs: 0});
	props.onRefresh?.(refresh);
	const w = info.get('w1@vm');
	return (
		<Text>{`known ${info.size} concurrency ${w?.concurrency ?? '-'} queues ${w?.queues?.join(',') ?? '-'}`}</Text>
	);
}

test('the hook: no control → empty; with control → the map, once per online, re-rendered frames ask nothing', async () => {
	const w1 = worker('w1@vm', T);
	const none = render(<Probe workers={[w1]} now={T} control={undefined} />);
	assert.equal(none.lastFrame(), 'known 0 concurrency - queues -');
	none.unmount();

	const fake = fakeControl(true);
	let refresh: ((hostname: string) => void) | undefined;
	const r = render(<Probe workers={[w1]} now={T} control={fake.control} onRefresh={(f) => (refresh = f)} />);
	await waitFor(() => r.lastFrame() === 'known 1 concurrency 2 queues celery', {
		timeout: 2000,
		message: () => r.lastFrame() ?? '',
	});
	for (let frame = 1; frame <= 30; frame++) {
		r.rerender(<Probe workers={[w1]} now={T + frame / 10} control={fake.control} />);
		await tick();
	}
	assert.equal(fake.calls.length, 2, '30 frames re-rendered');
	refresh!('w1@vm');
	await fake.drain();
	assert.equal(fake.calls.length, 4);
	r.unmount();
	await new Promise((resolve) => setTimeout(resolve, 20));
	assert.equal(fake.open.size, 0);
});

test('the effect runner tells workerChanged after a pool or consumer change replied, not after others', async () => {
	const changed: string[] = [];
	const dispatched: unknown[] = [];
	const control: ControlService = {
		call: async () => ({replies: {'w1@vm': {ok: 'pool will grow'}}, sent: true}),
	};
	const deps: RunnerDeps = {
		services: {
			store: {} as Store,
			clock: () => T,
			brokerDisplay: 'redis://127.0.0.1:6390/0',
			readOnly: false,
			control,
		},
		jobs: new RedisJobs(),
		exit: () => undefined,
		dispatch: (change) => void dispatched.push(change),
		workerChanged: (hostname) => void changed.push(hostname),
	};
	const act = (id: string, params: Record<string, string>) =>
		runEffect({type: 'control', action: {id, target: 'w1@vm', label: 'w1@vm', params}, alive: 1}, deps);
	act('worker.poolGrow', {n: '1'});
	act('worker.addConsumer', {queue: 'high'});
	act('worker.rateLimit', {spec: 'app.add 10/m'});
	await waitFor(() => dispatched.length === 3, {timeout: 1000});
	assert.deepEqual(changed, ['w1@vm', 'w1@vm']);
});
