// Real redis-server + real Celery workers (-E): what `celerytop events --json` prints and what the
// state holds, through success, failure, retry, a warm shutdown and a kill -9.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {buildConfig} from '../../source/config.js';
import {startSession, type Session} from '../../source/redis/session.js';
import {isAlive} from '../../source/state/worker.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {requireCelery, sendTasks, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {waitFor} from '../helpers/wait-for.js';
import {hermeticEnv} from '../helpers/hermetic-env.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

let redis: RedisServer;
let w1: CeleryWorker;
let w2: CeleryWorker;
let session: Session;
let cli: ChildProcess;
let cliOut = '';
let cliErr = '';

type Line = Record<string, unknown> & {type: string; hostname: string};
const printed = (): Line[] =>
	cliOut
		.split('\n')
		.filter((l) => l.trim() !== '')
		.map((l) => JSON.parse(l) as Line);

before(async () => {
	requireCelery();
	redis = await startRedis();
	const config = buildConfig({broker: redis.url}, {});
	assert.ok(config.ok);
	const started = await startSession(config.value);
	assert.ok(started.ok, started.ok ? '' : started.error);
	session = started.session;
	cli = spawn(process.execPath, [CLI, 'events', '--json', '-b', redis.url], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: hermeticEnv(),
	});
	cli.stdout!.on('data', (d: Buffer) => (cliOut += d.toString()));
	cli.stderr!.on('data', (d: Buffer) => (cliErr += d.toString()));
	await waitFor(() => cliErr.includes('listening on /0.celeryev/*'), {
		message: () => `events --json did not start: ${cliErr}`,
	});
	[w1, w2] = await Promise.all([
		startWorker({brokerUrl: redis.url, name: 'w1'}),
		startWorker({brokerUrl: redis.url, name: 'w2', pool: 'solo'}),
	]);
});

after(async () => {
	cli?.kill('SIGINT');
	await session?.stop();
	await Promise.allSettled([w1?.stop('SIGKILL', 1000), w2?.stop('SIGKILL', 1000)]);
	await redis?.stop();
});

test('both workers come online with their heartbeat fields', async () => {
	await waitFor(
		() => [w1, w2].every((w) => session.store.cluster.workers.get(w.hostname)?.heartbeats.length),
		{message: 'heartbeats from both workers'},
	);
	const worker = session.store.cluster.workers.get(w1.hostname)!;
	assert.ok(isAlive(worker, Date.now() / 1000));
	assert.equal(worker.swIdent, 'py-celery');
	assert.match(worker.swVer ?? '', /^5\./);
	assert.equal(worker.freq, 2);
	assert.equal(worker.loadavg?.length, 3);
	await waitFor(() => printed().some((e) => e.type === 'worker-heartbeat' && e.hostname === w2.hostname));
	assert.ok(printed().some((e) => e.type === 'worker-online' || e.type === 'worker-heartbeat'));
});

test('success, failure and retry end in the right state, in the JSON lines and in the state', async () => {
	const [ok, bad, retry] = await sendTasks(redis.url, [
		{task: 'demo.add', args: [2, 3]},
		{task: 'demo.fail'},
		{task: 'demo.retrying'},
	]);
	const task = (id: string) => session.store.cluster.tasks.get(id!);
	await waitFor(() => task(ok!)?.state === 'SUCCESS' && task(bad!)?.state === 'FAILURE', {
		message: 'success and failure',
	});
	await waitFor(() => task(retry!)?.state === 'FAILURE', {
		timeout: 20_000,
		message: () => `retry ends failed: ${JSON.stringify(task(retry!))}`,
	});

	assert.equal(task(ok!)!.name, 'demo.add');
	assert.equal(task(ok!)!.args, '[2, 3]'); // repr of the list send_tasks.py passes
	assert.equal(task(ok!)!.result, '5');
	assert.ok(task(ok!)!.runtime! >= 0);
	// Celery 5.2 on Python 3.11 reports `ExceptionWithTraceback()` from some pools (docs/WIRE.md §4.3);
	// the traceback always names the real error.
	assert.match(task(bad!)!.exception ?? '', /ValueError\('boom'\)|ExceptionWithTraceback\(\)/);
	assert.match(task(bad!)!.traceback ?? '', /Traceback[\s\S]*ValueError/);
	assert.equal(task(retry!)!.retries, 2);
	assert.ok(task(retry!)!.retried !== undefined, 'the retried stage was seen');

	await waitFor(() => printed().some((e) => e.type === 'task-failed' && e['uuid'] === retry), {
		message: 'CLI printed the final failure',
	});
	const lines = printed();
	const ofOk = lines.filter((e) => e['uuid'] === ok).map((e) => e.type);
	for (const type of ['task-sent', 'task-received', 'task-started', 'task-succeeded'])
		assert.ok(ofOk.includes(type), `${type} printed`);
	const succeeded = lines.find((e) => e['uuid'] === ok && e.type === 'task-succeeded')!;
	assert.equal(succeeded['result'], '5', 'fields as Celery sends them');
	assert.equal(typeof succeeded['timestamp'], 'number');
	assert.equal(typeof succeeded['clock'], 'number');
	assert.ok(
		lines.filter((e) => e['uuid'] === retry && e.type === 'task-retried').length === 2,
		'two retries printed',
	);
});

test("a task that raises Reject after it started ends REJECTED (Celery's own State leaves it STARTED)", async () => {
	const [id] = await sendTasks(redis.url, [{task: 'demo.reject'}]);
	const task = () => session.store.cluster.tasks.get(id!);
	await waitFor(() => printed().some((e) => e.type === 'task-rejected' && e['uuid'] === id), {
		message: 'the worker sent task-rejected',
	});
	const types = printed()
		.filter((e) => e['uuid'] === id)
		.map((e) => e.type);
	assert.ok(types.indexOf('task-started') < types.indexOf('task-rejected'), types.join(' '));
	await waitFor(() => task()?.state === 'REJECTED', {message: () => JSON.stringify(task())});
	assert.equal(task()!.name, 'demo.reject');
});

test('a warm shutdown (SIGTERM) sends worker-offline and the worker shows offline', async () => {
	await w1.stop('SIGTERM');
	await waitFor(() => printed().some((e) => e.type === 'worker-offline' && e.hostname === w1.hostname), {
		message: 'worker-offline printed',
	});
	const worker = session.store.cluster.workers.get(w1.hostname)!;
	assert.equal(isAlive(worker, Date.now() / 1000), false);
	assert.ok(worker.offlineAt !== undefined);
});

test('a killed worker (kill -9) turns offline by heartbeat expiry (2 × freq)', async () => {
	const hostname = w2.hostname;
	await waitFor(() => isAlive(session.store.cluster.workers.get(hostname)!, Date.now() / 1000));
	await w2.kill9();
	const killedAt = Date.now() / 1000;
	await waitFor(() => !isAlive(session.store.cluster.workers.get(hostname)!, Date.now() / 1000), {
		timeout: 8000,
		message: 'offline by expiry',
	});
	const worker = session.store.cluster.workers.get(hostname)!;
	const last = worker.heartbeats.at(-1)!;
	assert.ok(last <= killedAt + 0.5, 'no heartbeat after the kill');
	assert.equal(worker.offlineAt, undefined, 'no worker-offline was sent');
	assert.ok(Date.now() / 1000 >= last + 2 * worker.freq - 0.05, 'offline only after 2 × freq');
	assert.ok(!printed().some((e) => e.type === 'worker-offline' && e.hostname === hostname));
});

test('a worker that comes back under the same name turns online again', async () => {
	const hostname = w2.hostname;
	assert.equal(
		isAlive(session.store.cluster.workers.get(hostname)!, Date.now() / 1000),
		false,
		'offline first',
	);
	w2 = await startWorker({brokerUrl: redis.url, name: 'w2', pool: 'solo'});
	assert.equal(w2.hostname, hostname);
	await waitFor(() => isAlive(session.store.cluster.workers.get(hostname)!, Date.now() / 1000), {
		message: 'online again',
	});
	assert.equal(session.store.cluster.workers.size, 2, 'the same entry, not a second one');
});

test('events --json stops at --duration and exits 0', async () => {
	const child = spawn(process.execPath, [CLI, 'events', '--json', '--duration', '1', '-b', redis.url], {
		stdio: 'pipe',
		env: hermeticEnv(),
	});
	const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
	assert.equal(code, 0);
});
