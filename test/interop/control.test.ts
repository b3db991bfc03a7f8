// The control client and `celerytop control|inspect` against a private redis-server and two real
// Celery workers (prefork -c 2): every control and inspect command, targeting, revocation, --read-only
// under MONITOR, and no reply list or binding member left behind.
import {after, afterEach, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {Redis} from 'ioredis';
import {buildConfig, type Config} from '../../source/config.js';
import {decodeEventMessage} from '../../source/protocol/events.js';
import {decodeEnvelope} from '../../source/protocol/envelope.js';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {
	createControlClient,
	ReadOnlyError,
	ControlUsageError,
	type ControlClient,
} from '../../source/redis/control-client.js';
import {runControlCommand} from '../../source/commands/control.js';
import {DEMO_DIR, pythonCommand, pythonDemoDir} from '../../demo/cluster.mjs';
import {freePort, startRedis, type RedisServer} from '../helpers/redis-server.js';
import {
	celeryAtLeast,
	requireCelery,
	sendTasks,
	startWorker,
	type CeleryWorker,
} from '../helpers/celery-worker.js';
import {waitFor} from '../helpers/wait-for.js';
import {hermeticEnv} from '../helpers/hermetic-env.js';

const BINDING = '_kombu.binding.reply.celery.pidbox';
const CHANNEL = '/0.celery.pidbox';

let redis: RedisServer;
let w1: CeleryWorker;
let w2: CeleryWorker;
let config: Config;
let client: ControlClient;
let db: Redis;
let subscriber: Redis;
let monitorBase: Redis;
let monitor: Redis;
const events: CeleryEvent[] = [];
const monitored: string[][] = [];

before(async () => {
	requireCelery();
	redis = await startRedis();
	const built = buildConfig({broker: redis.url}, {});
	assert.ok(built.ok);
	config = built.value;
	db = new Redis(redis.url);
	subscriber = new Redis(redis.url);
	subscriber.on('pmessage', (_pattern: string, _channel: string, message: string) => {
		events.push(...decodeEventMessage(message).events);
	});
	await subscriber.psubscribe('/0.celeryev/*');
	monitorBase = new Redis(redis.url);
	monitor = await monitorBase.monitor(); // a duplicate connection in MONITOR mode
	monitor.on('monitor', (_time: string, args: string[]) => monitored.push(args));
	[w1, w2] = await Promise.all([
		startWorker({brokerUrl: redis.url, name: 'w1', concurrency: 2}),
		startWorker({brokerUrl: redis.url, name: 'w2', concurrency: 2}),
	]);
	client = createControlClient({
		connection: config.connection,
		transport: config.transport,
		readOnly: false,
		display: config.brokerDisplay,
	});
	// A worker logs "ready." a moment before its mailbox answers (seen once in CI): wait until both do.
	await waitFor(
		async () => Object.keys((await client.call('ping', {}, {expected: 2})).replies).length === 2,
		{
			timeout: 15_000,
			message: 'both workers answer a ping',
		},
	);
});

after(async () => {
	await client?.close();
	await Promise.allSettled([w1?.stop('SIGKILL', 1000), w2?.stop('SIGKILL', 1000)]);
	subscriber?.disconnect();
	monitor?.disconnect();
	monitorBase?.disconnect();
	db?.disconnect();
	await redis?.stop();
});

/** Reply lists and reply-binding members still in Redis (SCAN, never KEYS). */
async function leftovers(): Promise<string[]> {
	const found: string[] = [];
	let cursor = '0';
	do {
		const [next, keys] = await db.scan(cursor, 'MATCH', '*.reply.celery.pidbox*', 'COUNT', 1000);
		cursor = next;
		found.push(...keys);
	} while (cursor !== '0');
	found.push(...(await db.smembers(BINDING)).map((member) => `member ${JSON.stringify(member)}`));
	if ((await db.exists(BINDING)) === 1) found.push(BINDING);
	return found;
}

afterEach(async () => {
	// The round trip cleans up before it resolves; the second DEL (~1 s later) covers a late LPUSH.
	let left: string[] = [];
	await waitFor(async () => (left = await leftovers()).length === 0, {
		timeout: 3000,
		message: () => `reply lists or binding members left: ${left.join(', ')}`,
	});
});

const both = () => ({expected: 2});
const hosts = () => [w1.hostname, w2.hostname].sort();

function eventOf(type: string, uuid: string): CeleryEvent | undefined {
	return events.find((e) => e.type === type && e['uuid'] === uuid);
}

function capture() {
	let out = '';
	let err = '';
	return {
		stdout: {write: (text: string) => (out += text)},
		stderr: {write: (text: string) => (err += text)},
		get out() {
			return out;
		},
		get err() {
			return err;
		},
	};
}

/** Real `celery -A celery_app inspect ...` (Debian's Celery, the host's or the lane's tree), stdout. */
function celeryInspect(...args: string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		const [file, argv] = pythonCommand(['-m', 'celery', '-A', 'celery_app', 'inspect', ...args]);
		const child = spawn(file, argv, {
			cwd: DEMO_DIR,
			env: hermeticEnv({PYTHONPATH: pythonDemoDir(), CELERYTOP_BROKER: redis.url}),
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (err += d.toString()));
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0 ? resolve(out) : reject(new Error(`celery inspect: ${code}\n${err}${out}`)),
		);
	});
}

async function poolSize(hostname: string): Promise<number> {
	const {replies} = await client.call('stats', {}, {destination: [hostname]});
	const stats = replies[hostname] as {pool: {processes: number[]}};
	return stats.pool.processes.length;
}

test('ping gets a reply from each worker, early when the expected count is reached', async () => {
	const quick = await client.call('ping', {}, both());
	assert.deepEqual(Object.keys(quick.replies).sort(), hosts());
	for (const value of Object.values(quick.replies)) assert.deepEqual(value, {ok: 'pong'});
	assert.ok(quick.elapsed < 0.9, `returned after ${quick.elapsed}s`);
	assert.ok(quick.receivers >= 2, 'both workers subscribe to the pidbox channel');

	const full = await client.call('ping', {}, {timeout: 0.5});
	assert.deepEqual(Object.keys(full.replies).sort(), hosts());
	assert.ok(full.elapsed >= 0.45, 'with no expected count it gathers for the whole timeout');
});

test('stats and registered parse', async () => {
	const {replies} = await client.call('stats', {}, both());
	for (const host of hosts()) {
		const stats = replies[host] as {
			pid: number;
			pool: {'max-concurrency': number; processes: number[]};
			broker: {port: number};
		};
		assert.equal(stats.pool['max-concurrency'], 2);
		assert.equal(stats.pool.processes.length, 2);
		assert.equal(stats.broker.port, redis.port);
	}
	assert.equal((replies[w1.hostname] as {pid: number}).pid, w1.pid);
	const registered = await client.call('registered', {taskinfoitems: []}, both());
	for (const host of hosts()) {
		const names = registered.replies[host] as string[];
		assert.ok(names.includes('demo.add'), JSON.stringify(names));
		assert.ok(names.includes('demo.sleep'));
	}
});

test('every inspect method answers with its documented shape', async () => {
	const ask = async (method: string, args: Record<string, unknown> = {}) => {
		const {replies} = await client.call(method, args, both());
		assert.deepEqual(Object.keys(replies).sort(), hosts(), method);
		return replies[w1.hostname];
	};
	assert.ok(Array.isArray(await ask('active')));
	assert.ok(Array.isArray(await ask('reserved')));
	assert.ok(Array.isArray(await ask('scheduled')));
	assert.ok(Array.isArray(await ask('revoked')));
	assert.deepEqual(await ask('query_task', {ids: ['00000000-0000-4000-8000-000000000000']}), {});
	const queues = (await ask('active_queues')) as Array<{name: string}>;
	assert.deepEqual(
		queues.map((q) => q.name),
		['celery'],
	);
	const conf = (await ask('conf', {with_defaults: false})) as Record<string, unknown>;
	assert.equal(conf['broker_url'], redis.url);
	assert.equal(conf['result_expires'], 3600);
	const report = (await ask('report')) as {ok: string};
	assert.match(report.ok, /celery:5\./);
	const clock = (await ask('clock')) as {clock: number};
	assert.ok(Number.isInteger(clock.clock) && clock.clock > 0);
});

test('destination reaches only the named worker; a glob pattern only the matching one', async () => {
	// Wait for the whole timeout (expected 2) to be sure w2 stays silent.
	const named = await client.call('ping', {}, {destination: [w1.hostname], expected: 2, timeout: 0.6});
	assert.deepEqual(Object.keys(named.replies), [w1.hostname]);
	const globbed = await client.call('ping', {}, {pattern: 'w2@*', expected: 2, timeout: 0.6});
	assert.deepEqual(Object.keys(globbed.replies), [w2.hostname]);
	const quick = await client.call('ping', {}, {destination: [w2.hostname]});
	assert.deepEqual(Object.keys(quick.replies), [w2.hostname]);
	assert.ok(quick.elapsed < 0.9, 'a destination sets the expected count');
	const out = capture();
	const code = await runControlCommand('inspect', config, ['ping'], {
		destination: `${w2.hostname}`,
		json: true,
		...out,
	});
	assert.equal(code, 0);
	assert.deepEqual(JSON.parse(out.out), {[w2.hostname]: {ok: 'pong'}});
});

test('revoking a task queued with a countdown keeps it from running', async () => {
	const [id] = await sendTasks(redis.url, [{task: 'demo.add', args: [1, 2], countdown: 2}]);
	await waitFor(() => eventOf('task-received', id!) !== undefined, {
		message: 'task received (held for its ETA)',
	});
	const {replies} = await client.call('revoke', {task_id: [id!]}, both());
	// Celery 5.3 changed the text: it shows the Python set of ids ({'id'}) where 5.2 joined them.
	const text = celeryAtLeast('5.3') ? `tasks {'${id}'} flagged as revoked` : `tasks ${id} flagged as revoked`;
	for (const host of hosts()) assert.deepEqual(replies[host], {ok: text});
	const revoked = await client.call('revoked', {}, both());
	for (const host of hosts()) assert.ok((revoked.replies[host] as string[]).includes(id!));

	await waitFor(() => eventOf('task-revoked', id!) !== undefined, {
		timeout: 10_000,
		message: 'task-revoked event',
	});
	const event = eventOf('task-revoked', id!)!;
	assert.equal(event['terminated'], false);
	assert.equal(event['expired'], false);
	let meta: {status?: string} = {};
	await waitFor(async () => {
		meta = JSON.parse((await db.get(`celery-task-meta-${id}`)) ?? '{}') as {status?: string};
		return meta.status !== undefined;
	});
	assert.equal(meta.status, 'REVOKED');
	assert.equal(eventOf('task-started', id!), undefined, 'never started');
	assert.equal(eventOf('task-succeeded', id!), undefined, 'never succeeded');
});

test('terminate (CLI, SIGTERM) and revoke with terminate (SIGKILL) end running tasks REVOKED', async () => {
	const [a, b] = await sendTasks(redis.url, [
		{task: 'demo.sleep', args: [30]},
		{task: 'demo.sleep', args: [30]},
	]);
	await waitFor(
		() => eventOf('task-started', a!) !== undefined && eventOf('task-started', b!) !== undefined,
		{
			message: 'both long tasks started',
		},
	);

	const out = capture();
	const code = await runControlCommand('control', config, ['terminate', 'SIGTERM', a!], {
		json: false,
		...out,
	});
	assert.equal(code, 0, out.err);
	assert.match(out.out, new RegExp(`->  \\S+: OK\\n        terminate: ${a}\\n`));
	assert.equal(out.err, '');

	const {replies} = await client.call('revoke', {task_id: b!, terminate: true, signal: 'SIGKILL'}, both());
	const texts = Object.values(replies).map((value) => (value as {ok: string}).ok);
	assert.ok(texts.includes(`terminate: ${b}`), JSON.stringify(replies));

	await waitFor(
		() => eventOf('task-revoked', a!) !== undefined && eventOf('task-revoked', b!) !== undefined,
		{
			message: 'task-revoked for both',
		},
	);
	assert.equal(eventOf('task-revoked', a!)!['terminated'], true);
	assert.equal(eventOf('task-revoked', a!)!['signum'], 15);
	assert.equal(eventOf('task-revoked', b!)!['terminated'], true);
	assert.equal(eventOf('task-revoked', b!)!['signum'], 9);
	for (const id of [a!, b!]) {
		let status: string | undefined;
		await waitFor(async () => {
			status = (JSON.parse((await db.get(`celery-task-meta-${id}`)) ?? '{}') as {status?: string}).status;
			return status !== undefined;
		});
		assert.equal(status, 'REVOKED', id);
	}
});

test('a rate limit set through celerytop shows in a real `celery inspect registered`', async () => {
	const out = capture();
	const code = await runControlCommand('control', config, ['rate_limit', 'demo.add', '10/m'], {
		json: false,
		...out,
	});
	assert.equal(code, 0, out.err);
	for (const host of hosts())
		assert.ok(out.out.includes(`->  ${host}: OK\n        new rate limit set successfully\n`));

	const ours = await client.call('registered', {taskinfoitems: ['rate_limit']}, both());
	for (const host of hosts())
		assert.ok((ours.replies[host] as string[]).includes('demo.add [rate_limit=10/m]'));
	const celery = await celeryInspect('registered', '--timeout', '2');
	for (const host of hosts()) assert.match(celery, new RegExp(`->  ${host.replace('.', '\\.')}: OK`));
	assert.equal(celery.match(/\* demo\.add \[rate_limit=10\/m\]/g)?.length, 2, celery);
});

test('time_limit changes the task limits the workers report', async () => {
	const {replies} = await client.call(
		'time_limit',
		{task_name: 'demo.resize_image', soft: 5, hard: 10},
		both(),
	);
	for (const host of hosts()) assert.deepEqual(replies[host], {ok: 'time limits set successfully'});
	const info = await client.call('registered', {taskinfoitems: ['soft_time_limit', 'time_limit']}, both());
	for (const host of hosts())
		assert.ok(
			(info.replies[host] as string[]).includes('demo.resize_image [soft_time_limit=5 time_limit=10]'),
		);
});

test('pool_grow and pool_shrink change the pool size stats reports', async () => {
	await waitFor(async () => (await poolSize(w1.hostname)) === 2, {message: 'w1 back to 2 processes'});
	const grow = await client.call('pool_grow', {n: 1}, {destination: [w1.hostname]});
	assert.deepEqual(grow.replies, {[w1.hostname]: {ok: 'pool will grow'}});
	await waitFor(async () => (await poolSize(w1.hostname)) === 3, {message: 'w1 grows to 3 processes'});
	assert.equal(await poolSize(w2.hostname), 2, 'w2 untouched');
	const shrink = await client.call('pool_shrink', {n: 1}, {destination: [w1.hostname]});
	assert.deepEqual(shrink.replies, {[w1.hostname]: {ok: 'pool will shrink'}});
	await waitFor(async () => (await poolSize(w1.hostname)) === 2, {message: 'w1 shrinks to 2 processes'});
});

test('add_consumer and cancel_consumer change the queues a worker consumes', async () => {
	const queues = async () => {
		const {replies} = await client.call('active_queues', {}, {destination: [w2.hostname]});
		return (replies[w2.hostname] as Array<{name: string}>).map((q) => q.name).sort();
	};
	const add = await client.call('add_consumer', {queue: 'extra'}, {destination: [w2.hostname]});
	assert.deepEqual(add.replies, {[w2.hostname]: {ok: 'add consumer extra'}});
	await waitFor(async () => (await queues()).join() === 'celery,extra', {message: 'w2 consumes extra'});
	const cancel = await client.call('cancel_consumer', {queue: 'extra'}, {destination: [w2.hostname]});
	assert.deepEqual(cancel.replies, {[w2.hostname]: {ok: 'no longer consuming from extra'}});
	await waitFor(async () => (await queues()).join() === 'celery', {message: 'w2 stops consuming extra'});
});

test('the heartbeat cast, events switches on -E workers, autoscale without --autoscale', async () => {
	const since = events.length;
	const cast = await client.call('heartbeat');
	assert.equal(cast.sent, true);
	assert.deepEqual(cast.replies, {});
	await waitFor(
		() =>
			hosts().every((host) =>
				events
					.slice(since)
					.some((e) => e.type === 'worker-heartbeat' && e.hostname === host && e['freq'] === 5),
			),
		{message: 'a freq=5 heartbeat from each worker'},
	);
	// Workers started with -E send every event group, which Celery reports as "already" both ways.
	const off = await client.call('disable_events', {}, both());
	for (const host of hosts()) assert.deepEqual(off.replies[host], {ok: 'task events already disabled'});
	const on = await client.call('enable_events', {}, both());
	for (const host of hosts()) assert.deepEqual(on.replies[host], {ok: 'task events already enabled'});

	const scale = await client.call('autoscale', {max: 3, min: 1}, both());
	for (const host of hosts())
		assert.deepEqual(scale.replies[host], {error: "ValueError('Autoscale not enabled')"});
});

test('enable_events turns task events on in a worker started without -E, disable_events off', async () => {
	const w3 = await startWorker({brokerUrl: redis.url, name: 'w3', events: false, queues: ['w3q']});
	try {
		const only = {destination: [w3.hostname]};
		const status = async (id: string) =>
			(JSON.parse((await db.get(`celery-task-meta-${id}`)) ?? '{}') as {status?: string}).status;
		const fromW3 = (id: string) => events.filter((e) => e['uuid'] === id && e.hostname === w3.hostname);
		const [quiet] = await sendTasks(redis.url, [{task: 'demo.add', args: [1, 1], queue: 'w3q'}]);
		await waitFor(async () => (await status(quiet!)) === 'SUCCESS', {message: 'quiet task done'});

		const on = await client.call('enable_events', {}, only);
		assert.deepEqual(on.replies, {[w3.hostname]: {ok: 'task events enabled'}});
		const [loud] = await sendTasks(redis.url, [{task: 'demo.add', args: [2, 2], queue: 'w3q'}]);
		await waitFor(() => fromW3(loud!).some((e) => e.type === 'task-succeeded'), {
			message: 'task events from w3',
		});
		// Events of one worker arrive in order: had the first task sent any, they would be here by now.
		assert.deepEqual(fromW3(quiet!), []);

		const off = await client.call('disable_events', {}, only);
		assert.deepEqual(off.replies, {[w3.hostname]: {ok: 'task events disabled'}});
	} finally {
		await w3.stop();
	}
});

test('--read-only: no control message is published (MONITOR), inspect still works', async () => {
	const readOnly = createControlClient({
		connection: config.connection,
		transport: config.transport,
		readOnly: true,
	});
	const from = monitored.length;
	try {
		const refused: Array<[string, Record<string, unknown>]> = [
			['revoke', {task_id: ['00000000-0000-4000-8000-000000000001']}],
			['terminate', {signal: 'SIGKILL', task_id: ['00000000-0000-4000-8000-000000000001']}],
			['rate_limit', {task_name: 'demo.add', rate_limit: '1/h'}],
			['pool_shrink', {n: 1}],
			['shutdown', {}],
			['heartbeat', {}],
			['enable_events', {}],
		];
		for (const [method, args] of refused) {
			await assert.rejects(readOnly.call(method, args), ReadOnlyError, method);
		}
		await assert.rejects(readOnly.cast('heartbeat'), ReadOnlyError);
		const roConfig = {...config, readOnly: true};
		const out = capture();
		assert.equal(await runControlCommand('control', roConfig, ['shutdown'], {json: false, ...out}), 2);
		assert.equal(out.err, 'celerytop: control commands are disabled by --read-only\n');
		assert.equal(out.out, '');
		// Validation failures publish nothing either.
		const bad = capture();
		assert.equal(
			await runControlCommand('control', config, ['rate_limit', 'demo.add', '10/x'], {json: false, ...bad}),
			2,
		);
		assert.match(bad.err, /^celerytop: invalid rate limit '10\/x'/);
		await assert.rejects(client.call('pool_grow', {n: 0}), ControlUsageError);

		const ping = await readOnly.call('ping', {}, both());
		assert.deepEqual(Object.keys(ping.replies).sort(), hosts());
		const inspect = capture();
		assert.equal(await runControlCommand('inspect', roConfig, ['clock'], {json: true, ...inspect}), 0);
		assert.deepEqual(Object.keys(JSON.parse(inspect.out) as object).sort(), hosts());
	} finally {
		await readOnly.close();
	}
	// MONITOR is ordered: once the last inspect's PUBLISH shows, everything before it has too.
	const publishes = () =>
		monitored
			.slice(from)
			.filter((args) => args[0]?.toLowerCase() === 'publish' && args[1] === CHANNEL)
			.map((args) => {
				const decoded = decodeEnvelope(args[2]!);
				return decoded.ok ? (decoded.payload as {method: string}).method : '?';
			});
	await waitFor(() => publishes().length === 2, {message: () => `publishes seen: ${publishes().join()}`});
	assert.deepEqual(publishes(), ['ping', 'clock']);
});

test('CLI: human and JSON output, no reply, connection failure', async () => {
	const stats = capture();
	assert.equal(await runControlCommand('inspect', config, ['stats'], {json: false, ...stats}), 0);
	for (const host of hosts()) assert.ok(stats.out.includes(`->  ${host}: OK\n    pid `), stats.out);
	// Celery 5.5 names the pool class in stats (celerytop shows 'prefork'); 5.2 does not.
	assert.match(
		stats.out,
		celeryAtLeast('5.5')
			? /\n {4}pool: prefork max-concurrency 2 {2}processes 2 /
			: /\n {4}pool: max-concurrency 2 {2}processes 2 /,
	);
	assert.match(stats.out, /\n2 nodes online\.\n$/);

	const none = capture();
	const code = await runControlCommand('inspect', config, ['ping'], {
		destination: 'nobody@nowhere',
		timeout: 0.3,
		json: true,
		...none,
	});
	assert.equal(code, 1);
	assert.equal(none.err, 'Error: No nodes replied within time constraint\n');
	assert.equal(none.out, '');

	const port = await freePort();
	const secret = 'sekret-pw-123';
	const down = buildConfig({broker: `redis://:${secret}@127.0.0.1:${port}/0`}, {});
	assert.ok(down.ok);
	const failed = capture();
	assert.equal(await runControlCommand('inspect', down.value, ['ping'], {json: false, ...failed}), 1);
	assert.equal(failed.err.trim().split('\n').length, 1, failed.err);
	assert.match(
		failed.err,
		/^celerytop: cannot connect to redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0: connection refused/,
	);
	assert.ok(!failed.err.includes(secret));
});

test('shutdown takes a worker offline (no reply; worker-offline and the process exits)', async () => {
	const result = await client.call('shutdown', {}, {destination: [w2.hostname]});
	assert.equal(result.sent, true);
	assert.deepEqual(result.replies, {});
	assert.equal(await w2.exited, 0);
	await waitFor(() => events.some((e) => e.type === 'worker-offline' && e.hostname === w2.hostname), {
		message: 'worker-offline from w2',
	});
	const ping = await client.call('ping', {}, {timeout: 0.5});
	assert.deepEqual(Object.keys(ping.replies), [w1.hostname]);

	const out = capture();
	assert.equal(
		await runControlCommand('control', config, ['shutdown'], {destination: w1.hostname, json: false, ...out}),
		0,
	);
	assert.match(
		out.out,
		new RegExp(`^-> shutdown sent to ${w1.hostname.replace('.', '\\.')} .*worker-offline`),
	);
	assert.equal(await w1.exited, 0);
	await waitFor(() => events.some((e) => e.type === 'worker-offline' && e.hostname === w1.hostname));
	const after = capture();
	assert.equal(
		await runControlCommand('inspect', config, ['ping'], {timeout: 0.3, json: false, ...after}),
		1,
	);
	assert.equal(after.err, 'Error: No nodes replied within time constraint\n');
});
