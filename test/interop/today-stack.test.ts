// What differs between the Celery/Redis versions celerytop supports, against the real ones: runs in
// the default lane (Debian 12: Celery 5.2, Redis 7.0) and in the today lane (npm run test:today:
// Celery 5.5 with Redis 8 and with Valkey 8), each expecting what its own versions do. The server and
// the workers are checked to be the ones the lane names; then a gevent pool, revoke_by_stamped_headers
// (5.3+; a 5.2 worker's refusal is explained), result_extended and a global_keyprefix (which 5.3+ also
// puts in front of results).
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {after, before, describe, test} from 'node:test';
import {Redis} from 'ioredis';
import {systemCommand} from '../../demo/cluster.mjs';
import {buildConfig} from '../../source/config.js';
import {replyStatus} from '../../source/present/control-format.js';
import {describeKeyValue} from '../../source/present/key-detail.js';
import {decodeEventMessage} from '../../source/protocol/events.js';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {createControlClient} from '../../source/redis/control-client.js';
import {readKeyDetail} from '../../source/redis/key-detail.js';
import {memoryReport} from '../../source/redis/memory.js';
import {readQueues} from '../../source/redis/queues.js';
import {startSession, type Session} from '../../source/redis/session.js';
import {
	celeryAtLeast,
	celeryVersion,
	requireCelery,
	sendTasks,
	SERVER_KIND,
	startWorker,
	type CeleryWorker,
} from '../helpers/celery-worker.js';
import {runCli} from '../helpers/run-cli.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait-for.js';

let redis: RedisServer;
let db: Redis;
let sub: Redis;
const events: CeleryEvent[] = [];
const workers: CeleryWorker[] = [];

before(async () => {
	requireCelery();
	redis = await startRedis();
	db = new Redis(redis.url);
	sub = new Redis(redis.url);
	sub.on('pmessage', (_pattern: string, _channel: string, message: string) => {
		events.push(...decodeEventMessage(message).events);
	});
	await sub.psubscribe('/0.celeryev/*', 'pfx:/0.celeryev/*');
});

after(async () => {
	await Promise.allSettled(workers.map((w) => w.stop('SIGKILL', 1000)));
	sub?.disconnect();
	db?.disconnect();
	await redis?.stop();
});

async function worker(opts: Parameters<typeof startWorker>[0]): Promise<CeleryWorker> {
	const started = await startWorker(opts);
	workers.push(started);
	return started;
}

const eventOf = (type: string, uuid: string) => events.find((e) => e.type === type && e['uuid'] === uuid);

const celerytop = (args: string[]) => runCli([...args, '-b', redis.url]);

function controlClient() {
	const config = buildConfig({broker: redis.url}, {});
	assert.ok(config.ok);
	return createControlClient({
		connection: config.value.connection,
		transport: config.value.transport,
		readOnly: false,
		display: config.value.brokerDisplay,
	});
}

/** The server's version as its binary prints it (`… v=8.0.2 …`): the one this lane runs. */
function serverBinaryVersion(): string {
	const [file, args] = systemCommand(`${SERVER_KIND}-server`, ['--version']);
	const printed = spawnSync(file, args, {encoding: 'utf8'}).stdout;
	return /v=(\S+)/.exec(printed)![1]!;
}

describe('the lane runs the servers and the Celery it names', () => {
	test('celerytop redis info names the server and its own version', async () => {
		const {code, stdout} = await celerytop(['redis', 'info']);
		assert.equal(code, 0);
		const version = serverBinaryVersion().replace(/\./g, '\\.');
		const server = new RegExp(`^server\\s+${SERVER_KIND} ${version} `, 'm');
		assert.match(stdout, server);
		if (SERVER_KIND === 'valkey') assert.match(stdout, /\(redis 7\.2\.\d+ compatible\) standalone/);
	});

	test('a worker says the Celery version of the Python that runs it', async () => {
		const w = await worker({brokerUrl: redis.url, name: 'version'});
		await waitFor(() => events.some((e) => e.type === 'worker-online' && e.hostname === w.hostname));
		const online = events.find((e) => e.type === 'worker-online' && e.hostname === w.hostname)!;
		assert.equal(online['sw_ver'], celeryVersion());
		await w.stop('SIGTERM');
	});
});

describe('a gevent pool worker', () => {
	let w: CeleryWorker;
	let session: Session;

	before(async () => {
		const config = buildConfig({broker: redis.url}, {});
		assert.ok(config.ok);
		const started = await startSession(config.value);
		assert.ok(started.ok, started.ok ? '' : started.error);
		session = started.session;
		w = await worker({
			brokerUrl: redis.url,
			name: 'green',
			pool: 'gevent',
			concurrency: 5,
			queues: ['green'],
		});
	});

	after(async () => {
		await session?.stop();
	});

	test('comes online, heartbeats, and its tasks end in the right state', async () => {
		await waitFor(() => (session.store.cluster.workers.get(w.hostname)?.heartbeats.length ?? 0) > 0, {
			message: 'gevent worker heartbeat',
		});
		const [ok, bad] = await sendTasks(redis.url, [
			{task: 'demo.add', args: [20, 22], queue: 'green'},
			{task: 'demo.fail', queue: 'green'},
		]);
		const task = (id: string) => session.store.cluster.tasks.get(id);
		await waitFor(() => task(ok!)?.state === 'SUCCESS' && task(bad!)?.state === 'FAILURE', {
			message: () => `states: ${task(ok!)?.state} ${task(bad!)?.state}`,
		});
		assert.equal(task(ok!)!.result, '42');
		assert.equal(task(ok!)!.worker, w.hostname);
		assert.match(task(bad!)!.traceback ?? '', /ValueError/);
	});

	test('inspect stats gives the greenlet limit; active lists the running task', async () => {
		const client = controlClient();
		try {
			const stats = await client.call('stats', {}, {destination: [w.hostname]});
			const pool = (stats.replies[w.hostname] as {pool: Record<string, unknown>}).pool;
			assert.equal(pool['max-concurrency'], 5);
			const [slow] = await sendTasks(redis.url, [{task: 'demo.sleep', args: [30], queue: 'green'}]);
			await waitFor(() => eventOf('task-started', slow!) !== undefined);
			const active = await client.call('active', {}, {destination: [w.hostname]});
			const running = active.replies[w.hostname] as Array<{id: string; name: string; worker_pid: number}>;
			assert.deepEqual(
				running.map((r) => [r.id, r.name]),
				[[slow, 'demo.sleep']],
			);
			// 5.5 names the greenlet (its id()) as the task's pid; 5.2 the worker process itself.
			if (celeryAtLeast('5.3')) assert.notEqual(running[0]!.worker_pid, w.pid);
			else assert.equal(running[0]!.worker_pid, w.pid);

			// revoke with terminate: 5.5's gevent pool kills the greenlet; 5.2's cannot terminate.
			const revoke = await client.call(
				'revoke',
				{task_id: [slow!], terminate: true, signal: 'SIGKILL'},
				{destination: [w.hostname]},
			);
			if (celeryAtLeast('5.3')) {
				assert.deepEqual(revoke.replies[w.hostname], {ok: `terminate: ${slow}`});
				await waitFor(() => eventOf('task-revoked', slow!) !== undefined, {timeout: 10_000});
				assert.equal(eventOf('task-revoked', slow!)!['terminated'], true);
			} else {
				assert.equal(replyStatus(revoke.replies[w.hostname]), 'ERROR');
				const still = await client.call('active', {}, {destination: [w.hostname]});
				assert.equal((still.replies[w.hostname] as unknown[]).length, 1, 'the task runs on');
			}
		} finally {
			await client.close();
		}
	});
});

describe('revoke_by_stamped_headers', () => {
	let w: CeleryWorker;
	before(async () => {
		w = await worker({brokerUrl: redis.url, name: 'stamps', concurrency: 2, queues: ['stamps']});
	});

	test(
		celeryAtLeast('5.3')
			? 'revokes the tasks stamped with a header (5.3+), with terminate the running one'
			: 'a Celery 5.2 worker does not know it: the reply says it needs 5.3',
		async () => {
			if (!celeryAtLeast('5.3')) {
				const {code, stdout} = await celerytop(['control', 'revoke_by_stamped_headers', 'batch=b-1']);
				assert.equal(code, 0);
				assert.match(
					stdout,
					new RegExp(
						`->  ${w.hostname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ERROR\\n {8}KeyError\\('revoke_by_stamped_headers'\\): this worker's Celery does not know revoke_by_stamped_headers \\(it needs Celery 5\\.3 or later\\)`,
					),
				);
				return;
			}
			const [held, other, spared] = await sendTasks(redis.url, [
				{task: 'demo.add', args: [1, 1], countdown: 3, queue: 'stamps', stamps: {batch: 'b-1'}},
				{task: 'demo.add', args: [2, 2], countdown: 3, queue: 'stamps', stamps: {batch: 'b-2'}},
				{task: 'demo.add', args: [3, 3], countdown: 3, queue: 'stamps'},
			]);
			await waitFor(() => [held, other, spared].every((id) => eventOf('task-received', id!) !== undefined));
			const {code, stdout} = await celerytop([
				'control',
				'revoke_by_stamped_headers',
				'batch=b-1',
				'batch=b-2',
			]);
			assert.equal(code, 0);
			assert.match(
				stdout,
				/: OK\n {8}headers \{'batch': \['b-1', 'b-2'\]\} flagged as revoked, but not terminated/,
			);
			await waitFor(() => !!eventOf('task-revoked', held!) && !!eventOf('task-revoked', other!), {
				timeout: 10_000,
				message: 'both stamped tasks revoked',
			});
			await waitFor(() => eventOf('task-succeeded', spared!) !== undefined, {timeout: 10_000});
			assert.equal(eventOf('task-started', held!), undefined);
			assert.equal(eventOf('task-revoked', held!)!['terminated'], false);

			// terminate: the running stamped task is killed with the signal given.
			const [long] = await sendTasks(redis.url, [
				{task: 'demo.sleep', args: [30], queue: 'stamps', stamps: {run: 'long'}},
			]);
			await waitFor(() => eventOf('task-started', long!) !== undefined);
			const client = controlClient();
			try {
				const reply = await client.call(
					'revoke_by_stamped_headers',
					{headers: {run: 'long'}, terminate: true, signal: 'SIGKILL'},
					{destination: [w.hostname]},
				);
				assert.deepEqual(reply.replies[w.hostname], {
					ok: "headers defaultdict(<class 'set'>, {'run': {'long'}}) revoked",
				});
			} finally {
				await client.close();
			}
			await waitFor(() => eventOf('task-revoked', long!) !== undefined, {timeout: 10_000});
			assert.equal(eventOf('task-revoked', long!)!['terminated'], true);
			assert.equal(eventOf('task-revoked', long!)!['signum'], 9);
		},
	);
});

describe('results with and without result_extended, under a global_keyprefix', () => {
	const prefixEnv = {CELERYTOP_KEYPREFIX: 'pfx:', CELERYTOP_RESULT_EXTENDED: '1'};
	// 5.3+ prefixes results when result_backend_transport_options has the prefix; 5.2 never does.
	const resultKey = (id: string) => `${celeryAtLeast('5.3') ? 'pfx:' : ''}celery-task-meta-${id}`;
	const transport = {global_keyprefix: 'pfx:'};
	let ids: string[] = [];

	test('queued under the prefix: celerytop reads the queue through the prefix', async () => {
		ids = await sendTasks(
			redis.url,
			[
				{task: 'demo.add', args: [4, 5]},
				{task: 'demo.add', args: [6, 7], priority: 9},
			],
			{extraEnv: prefixEnv},
		);
		assert.equal(await db.llen('pfx:celery'), 1);
		const {queues} = await readQueues(db, {transport});
		const celery = queues.find((q) => q.queue === 'celery')!;
		assert.equal(celery.messages, 2);
		assert.deepEqual(celery.byPriority, {'0': 1, '3': 0, '6': 0, '9': 1});
	});

	test('events, states and the extended results of a prefixed worker', async () => {
		const config = buildConfig({broker: redis.url, brokerTransportOptions: JSON.stringify(transport)}, {});
		assert.ok(config.ok, config.ok ? '' : config.error);
		const started = await startSession(config.value);
		assert.ok(started.ok, started.ok ? '' : started.error);
		const session = started.session;
		try {
			const w = await worker({brokerUrl: redis.url, name: 'prefixed', extraEnv: prefixEnv});
			const task = (id: string) => session.store.cluster.tasks.get(id);
			await waitFor(() => ids.every((id) => task(id)?.state === 'SUCCESS'), {
				message: () => `prefixed tasks: ${ids.map((id) => task(id)?.state).join(' ')}`,
			});
			assert.equal(task(ids[0]!)!.worker, w.hostname);
			await waitFor(async () => (await db.exists(...ids.map(resultKey))) === ids.length, {
				message: `results at ${ids.map(resultKey).join(', ')}`,
			});
			const detail = describeKeyValue(await readKeyDetail(db, resultKey(ids[0]!)), {
				now: Date.now() / 1000,
				prefix: 'pfx:',
			});
			assert.equal(detail.family.kind, 'celery-results');
			const items = Object.fromEntries(detail.items.map((l) => [l.label, l.value]));
			assert.equal(items['status'], 'SUCCESS');
			assert.equal(items['name'], 'demo.add');
			assert.equal(items['args'], '[4,5]');
			assert.equal(items['worker'], w.hostname);
			const report = await memoryReport(db, {db: 0, transport});
			const results = report.families.find((f) => f.kind === 'celery-results');
			assert.ok(results && results.keys >= 2, JSON.stringify(report.families.map((f) => [f.kind, f.family])));
			assert.ok(
				!report.families.some((f) => f.kind === 'app' && f.family === 'pfx'),
				'no result left as an app key',
			);
		} finally {
			await session.stop();
		}
	});

	test('without result_extended a result has no request fields', async () => {
		const w = await worker({brokerUrl: redis.url, name: 'plain', queues: ['plain']});
		const [id] = await sendTasks(redis.url, [{task: 'demo.add', args: [1, 2], queue: 'plain'}]);
		const key = `celery-task-meta-${id}`;
		await waitFor(async () => (await db.exists(key)) === 1, {message: key});
		const detail = describeKeyValue(await readKeyDetail(db, key), {now: Date.now() / 1000});
		const labels = detail.items.map((l) => l.label);
		assert.ok(labels.includes('status') && !labels.includes('worker') && !labels.includes('name'));
		await w.stop('SIGTERM');
	});
});

describe('unacked messages restored on a warm shutdown', () => {
	test('kombu 5.5 puts a priority message back in its priority sub-list, 5.2 in the base list', async () => {
		const w = await worker({brokerUrl: redis.url, name: 'restore', concurrency: 1, queues: ['restore']});
		const [id] = await sendTasks(redis.url, [
			{task: 'demo.add', args: [1, 2], countdown: 120, priority: 9, queue: 'restore'},
		]);
		await waitFor(async () => (await db.hlen('unacked')) > 0, {message: 'the ETA task is held unacked'});
		const before = (await readQueues(db)).queues.find((q) => q.queue === 'restore')!;
		assert.equal(before.messages, 0);
		assert.ok(before.unacked >= 1);
		await w.stop('SIGTERM');
		const sub9 = 'restore\x06\x169';
		const [base, high] = [await db.llen('restore'), await db.llen(sub9)];
		// Celery 5.5 ships kombu 5.5; 5.2 ships kombu 5.2.
		assert.deepEqual([base, high], celeryAtLeast('5.5') ? [0, 1] : [1, 0]);
		const after = (await readQueues(db)).queues.find((q) => q.queue === 'restore')!;
		assert.equal(after.messages, 1, 'the queue view counts it wherever it went');
		assert.deepEqual(
			after.byPriority,
			celeryAtLeast('5.5') ? {'0': 0, '3': 0, '6': 0, '9': 1} : {'0': 1, '3': 0, '6': 0, '9': 0},
		);
		assert.equal(after.next[0]?.task?.id, id);
	});
});
