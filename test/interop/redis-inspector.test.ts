// Real Celery against a private redis-server: tasks queued while no worker runs appear decoded in
// the queue view; a worker holding long tasks and ETA tasks leaves unacked messages with their age;
// results written by real tasks appear with their TTL in the memory breakdown and the key detail.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {Redis} from 'ioredis';
import {describeKeyValue} from '../../source/present/key-detail.js';
import {readKeyDetail} from '../../source/redis/key-detail.js';
import {memoryReport} from '../../source/redis/memory.js';
import {readQueues} from '../../source/redis/queues.js';
import {requireCelery, sendTasks, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {runCommand} from '../helpers/redis-command.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait-for.js';

let server: RedisServer;
let redis: Redis;
let worker: CeleryWorker | undefined;
let queuedIds: string[] = [];

before(async () => {
	requireCelery();
	server = await startRedis();
	redis = new Redis({host: server.host, port: server.port, lazyConnect: true});
	await redis.connect();
});

after(async () => {
	await worker?.kill9();
	redis?.disconnect();
	await server?.stop();
});

test('with no worker running, queued tasks appear decoded, in the order a worker will take them', async () => {
	queuedIds = await sendTasks(server.url, [
		{task: 'demo.add', args: [1, 2]},
		{task: 'demo.add', args: [3, 4], priority: 5},
		{task: 'demo.add', args: [5, 6], countdown: 7200},
		{task: 'demo.sleep', args: [1], queue: 'other'},
		{task: 'demo.add', args: [7, 8]},
	]);
	const {queues, visibilityTimeout} = await readQueues(redis);
	assert.equal(visibilityTimeout, 3600);
	const celery = queues.find((q) => q.queue === 'celery')!;
	assert.deepEqual([celery.messages, celery.bound, celery.unacked], [4, true, 0]);
	assert.deepEqual(celery.byPriority, {'0': 3, '3': 1, '6': 0, '9': 0});
	assert.deepEqual(
		celery.next.map((m) => [m.task?.name, m.task?.id, m.task?.argsRepr, m.priority]),
		[
			['demo.add', queuedIds[0], '[1, 2]', 0],
			['demo.add', queuedIds[2], '[5, 6]', 0],
			['demo.add', queuedIds[4], '[7, 8]', 0],
			['demo.add', queuedIds[1], '[3, 4]', 3],
		],
	);
	const eta = celery.next.find((m) => m.task?.id === queuedIds[2])!;
	assert.ok(eta.task!.eta! - Date.now() / 1000 > 7100);
	assert.equal(eta.etaBeyondVisibility, true, 'a 2 h countdown outlives the 1 h visibility timeout');
	assert.match(celery.warnings.join('\n'), /1 task\(s\) have an ETA beyond the visibility timeout/);
	const other = queues.find((q) => q.queue === 'other')!;
	assert.deepEqual(
		[other.messages, other.next[0]?.task?.name, other.next[0]?.task?.id],
		[1, 'demo.sleep', queuedIds[3]],
	);

	const cli = await runCommand(server.url, ['queues'], {json: true});
	const json = JSON.parse(cli.stdout) as Array<{queue: string; messages: number}>;
	assert.deepEqual(json.map((q) => [q.queue, q.messages]).sort(), [
		['celery', 4],
		['other', 1],
	]);
});

test('a worker holding long tasks and prefetched/ETA tasks leaves unacked messages with their age', async () => {
	worker = await startWorker({brokerUrl: server.url, name: 'held', concurrency: 1, events: false});
	const sleeps = await sendTasks(
		server.url,
		[1, 2, 3, 4].map(() => ({task: 'demo.sleep', args: [30]})),
	);
	let held: Awaited<ReturnType<typeof readQueues>> | undefined;
	await waitFor(
		async () => {
			held = await readQueues(redis);
			const celery = held.queues.find((q) => q.queue === 'celery');
			return (celery?.unacked ?? 0) >= 3 && celery!.messages === 0;
		},
		{
			timeout: 30_000,
			message: () => JSON.stringify(held?.queues.map((q) => [q.queue, q.messages, q.unacked])),
		},
	);
	const celery = held!.queues.find((q) => q.queue === 'celery')!;
	assert.equal(held!.unackedTotal, celery.unacked);
	const ids = celery.unackedMessages.map((u) => u.task?.id);
	assert.ok(ids.includes(queuedIds[2]), 'the ETA task is held in unacked');
	assert.ok(
		ids.filter((id) => sleeps.includes(id!)).length >= 2,
		'prefetched long tasks are held in unacked',
	);
	for (const message of celery.unackedMessages) {
		assert.ok(message.ageSeconds! >= 0 && message.ageSeconds! < 60, String(message.ageSeconds));
		assert.ok(Math.abs(message.redeliveryInSeconds! - (3600 - message.ageSeconds!)) < 1e-6);
	}
	const eta = celery.unackedMessages.find((u) => u.task?.id === queuedIds[2])!;
	assert.equal(eta.etaBeyondVisibility, true);
	assert.equal(eta.queue, 'celery');
	// Ages grow with the clock.
	const later = await readQueues(redis, {now: held!.now + 10});
	const again = later.queues
		.find((q) => q.queue === 'celery')!
		.unackedMessages.find((u) => u.tag === eta.tag)!;
	assert.ok(Math.abs(again.ageSeconds! - eta.ageSeconds! - 10) < 1);
});

test('results written by real tasks appear with their TTL', async () => {
	const key = `celery-task-meta-${queuedIds[0]}`;
	await waitFor(async () => (await redis.exists(key)) === 1, {timeout: 20_000, message: `${key} written`});
	const report = await memoryReport(redis, {db: 0});
	const results = report.families.find((f) => f.kind === 'celery-results')!;
	assert.ok(results.keys >= 2, String(results.keys));
	assert.equal(results.withoutTtl, 0);
	assert.equal(results.ttlBuckets['<1h'] + results.ttlBuckets['<1d'], results.keys, 'result_expires=3600');
	assert.ok(report.families.some((f) => f.kind === 'celery-unacked' && f.keys === 2));
	assert.ok(report.families.some((f) => f.kind === 'kombu-bindings'));
	assert.deepEqual(
		report.flags.filter((f) => f.code !== 'huge-key'),
		[],
	);
	const value = await readKeyDetail(redis, key);
	assert.ok(value.ttl > 3500 && value.ttl <= 3600, String(value.ttl));
	const view = describeKeyValue(value, {now: Date.now() / 1000});
	assert.deepEqual(
		view.items.slice(0, 2).map((l) => [l.label, l.value]),
		[
			['status', 'SUCCESS'],
			['result', '3'],
		],
	);
	assert.equal(view.family.kind, 'celery-results');
});
