// The Workers pane's pool facts against a real Celery worker (prefork -c 2) on a private
// redis-server: its own events (worker-online, heartbeats) feed a real Store, the tracker of
// ui/hooks/use-worker-info.ts asks it `stats` + `active_queues` through the real control client once
// it is seen alive, and after pool_grow a refresh shows the grown pool.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {Redis} from 'ioredis';
import {buildConfig} from '../../source/config.js';
import type {ControlService} from '../../source/ports/control.js';
import {decodeEventMessage} from '../../source/protocol/events.js';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {createControlClient, type ControlClient} from '../../source/redis/control-client.js';
import {Store} from '../../source/state/store.js';
import {createWorkerInfoTracker, type WorkerInfoTracker} from '../../source/ui/hooks/use-worker-info.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {requireCelery, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {waitFor} from '../helpers/wait-for.js';

let redis: RedisServer;
let worker: CeleryWorker;
let client: ControlClient;
let subscriber: Redis;
let tracker: WorkerInfoTracker;
let frames: ReturnType<typeof setInterval> | undefined;
const calls: string[] = [];
const pending: CeleryEvent[] = [];
const clock = () => Date.now() / 1000;

before(async () => {
	requireCelery();
	redis = await startRedis();
	const built = buildConfig({broker: redis.url}, {});
	assert.ok(built.ok);
	subscriber = new Redis(redis.url);
	subscriber.on('pmessage', (_pattern: string, _channel: string, message: string) => {
		pending.push(...decodeEventMessage(message).events);
	});
	await subscriber.psubscribe('/0.celeryev/*');
	client = createControlClient({
		connection: built.value.connection,
		transport: built.value.transport,
		readOnly: false,
		display: built.value.brokerDisplay,
	});
	// What the UI gets: the port, here counting what goes out.
	const control: ControlService = {
		call: (method, args, options) => {
			calls.push(method);
			return client.call(method, args, options);
		},
	};
	tracker = createWorkerInfoTracker(control, clock, {notifyMs: 0});
	// The app's frame loop, 10 a second: events into the store, its snapshot's workers observed.
	const store = new Store({now: clock()});
	frames = setInterval(() => {
		const now = clock();
		store.applyBatch(pending.splice(0), now);
		store.flush(now);
		tracker.observe(store.getSnapshot().workers, now);
	}, 100);
	worker = await startWorker({brokerUrl: redis.url, name: 'wi', concurrency: 2});
});

after(async () => {
	if (frames) clearInterval(frames);
	tracker?.close();
	await client?.close();
	await worker?.stop('SIGKILL', 1000);
	subscriber?.disconnect();
	await redis?.stop();
});

test('a worker seen online is asked stats + active_queues once; pool_grow then refresh shows 3', async () => {
	const host = worker.hostname;
	// Its first stats may get no reply within 1 s (a worker just started, a loaded machine): then it is
	// asked again 5 s later.
	await waitFor(() => tracker.info().get(host)?.implementation !== undefined, {
		timeout: 15_000,
		message: () => `no info for ${host}`,
	});
	const first = tracker.info().get(host)!;
	assert.equal(first.implementation, 'prefork');
	assert.equal(first.concurrency, 2);
	assert.equal(first.processes, 2);
	assert.equal(first.maxConcurrency, 2);
	assert.equal(first.prefetch, 8, '-c 2 × the default prefetch multiplier 4');
	assert.deepEqual(first.queues, ['celery']);
	// stats then active_queues, once (twice when the first stats got no reply in time).
	const asked = calls.length;
	assert.ok(asked === 2 || asked === 4, calls.join(' '));
	assert.deepEqual(
		calls,
		Array.from({length: asked}, (_, i) => (i % 2 === 0 ? 'stats' : 'active_queues')),
	);

	// Heartbeats keep coming (every 2 s) and frames keep being observed: no further question.
	await new Promise((resolve) => setTimeout(resolve, 2500));
	assert.equal(calls.length, asked, 'no call per frame or per heartbeat');

	const grown = await client.call('pool_grow', {n: 1}, {destination: [host]});
	assert.deepEqual(grown.replies[host], {ok: 'pool will grow'});
	tracker.refresh(host);
	// The first answer: prefetch is raised at once (3 × 4); the process comes with billiard's pool
	// maintenance a few seconds later, which the settle question (6 s) sees.
	await waitFor(() => tracker.info().get(host)!.prefetch === 12, {timeout: 5000, message: 'prefetch 12'});
	await waitFor(() => tracker.info().get(host)!.concurrency === 3, {
		timeout: 15_000,
		message: () => `concurrency still ${tracker.info().get(host)!.concurrency}`,
	});
	const after = tracker.info().get(host)!;
	assert.equal(after.processes, 3);
	assert.equal(after.maxConcurrency, 2, "pool_grow leaves 'max-concurrency' at the starting -c");
	assert.ok(after.askedAt > first.askedAt);
	assert.deepEqual(
		calls.slice(asked),
		['stats', 'active_queues', 'stats', 'active_queues'],
		'a refresh and its settle question',
	);
});
