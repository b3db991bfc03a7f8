// Records the today-stack fixtures in test/fixtures/ from real servers and workers of the Debian 13
// tree (run after `npm run test:today` has built it):
//   CELERYTOP_TEST_ROOT=.cache/trixie node --import tsx scripts/record-today-fixtures.ts
// Writes redis-info-<major.minor>.txt (Redis) and valkey-info-<major.minor>.txt (Valkey), then, against
// Redis, events-pubsub-<celery major.minor>.jsonl (every message on /0.celeryev/* while a prefork and a
// gevent worker run tasks that succeed, fail, retry, are revoked by id and by stamped header, then stop),
// task-messages-<v>.jsonl (queued task messages as the broker holds them) and result-backend-<v>.jsonl
// (result keys, without and with result_extended, and under a global_keyprefix).
import {writeFileSync} from 'node:fs';
import {Redis} from 'ioredis';
import {spawnSync} from 'node:child_process';
import {systemCommand, TEST_ROOT} from '../demo/cluster.mjs';
import {celeryVersion, sendTasks, startWorker} from '../test/helpers/celery-worker.js';
import {startRedis} from '../test/helpers/redis-server.js';
import {waitFor} from '../test/helpers/wait-for.js';

const OUT = new URL('../test/fixtures/', import.meta.url);
const write = (name: string, text: string) => {
	writeFileSync(new URL(name, OUT), text);
	process.stderr.write(`wrote test/fixtures/${name}\n`);
};
const majorMinor = (version: string) => version.split('.').slice(0, 2).join('.');

if (!TEST_ROOT) throw new Error('set CELERYTOP_TEST_ROOT to the Debian 13 tree (.cache/trixie)');

async function recordInfo(kind: 'redis' | 'valkey') {
	process.env['CELERYTOP_TEST_SERVER'] = kind;
	const [file, args] = systemCommand(`${kind}-server`, ['--version']);
	const version = /v=(\S+)/.exec(spawnSync(file, args, {encoding: 'utf8'}).stdout)![1]!;
	// startRedis reads the server kind when cluster.mjs loads: run INFO through a child of that kind.
	const child = spawnSync(
		process.execPath,
		[
			'--import',
			'tsx',
			'-e',
			`import {startRedis} from './test/helpers/redis-server.ts';
			const r = await startRedis(); await r.cli('SET', 'k', 'v'); await r.cli('SETEX', 'e', '600', 'v');
			process.stdout.write(await r.cli('INFO')); await r.stop(); process.exit(0);`,
		],
		{encoding: 'utf8', env: {...process.env, CELERYTOP_TEST_SERVER: kind}},
	);
	if (child.status !== 0) throw new Error(child.stderr);
	write(`${kind}-info-${majorMinor(version)}.txt`, child.stdout.replace(/\r\n/g, '\n') + '\n');
}

async function recordCelery() {
	const version = majorMinor(celeryVersion());
	const redis = await startRedis();
	const db = new Redis(redis.url);
	const sub = new Redis(redis.url);
	const lines: string[] = [];
	sub.on('pmessage', (_pattern: string, channel: string, data: string) => {
		lines.push(JSON.stringify({t: Date.now() / 1000, channel, data}));
	});
	await sub.psubscribe('/0.celeryev/*');
	const seen = (type: string, uuid?: string) =>
		lines.some((line) => {
			const {data} = JSON.parse(line) as {data: string};
			const envelope = JSON.parse(data) as {body: string};
			const body = JSON.parse(Buffer.from(envelope.body, 'base64').toString('utf8')) as
				Record<string, unknown> | Array<Record<string, unknown>>;
			return (Array.isArray(body) ? body : [body]).some(
				(e) => e['type'] === type && (uuid === undefined || e['uuid'] === uuid),
			);
		});

	// Task messages as queued, before any worker takes them.
	const queuedIds = await sendTasks(redis.url, [
		{task: 'demo.add', args: [1, 2]},
		{task: 'demo.add', args: [3, 4], priority: 5},
		{task: 'demo.sleep', args: [0.1], stamps: {batch: 'nightly-42'}},
	]);
	const messages: string[] = [];
	for (const key of (await db.keys('celery*')).sort()) {
		if ((await db.type(key)) !== 'list') continue;
		for (const data of await db.lrange(key, 0, -1)) messages.push(JSON.stringify({key, data}));
	}
	write(`task-messages-${version}.jsonl`, messages.join('\n') + '\n');

	const prefork = await startWorker({brokerUrl: redis.url, name: 'prefork', concurrency: 2});
	const gevent = await startWorker({brokerUrl: redis.url, name: 'gevent', pool: 'gevent', concurrency: 4});
	await waitFor(() => queuedIds.every((id) => seen('task-succeeded', id)), {timeout: 20_000});
	const [ok, bad, retry, held, stamped, long] = await sendTasks(redis.url, [
		{task: 'demo.add', args: [2, 3]},
		{task: 'demo.fail'},
		{task: 'demo.retrying'},
		{task: 'demo.add', args: [5, 6], countdown: 3},
		{task: 'demo.add', args: [7, 8], countdown: 3, stamps: {batch: 'b-1'}},
		{task: 'demo.sleep', args: [30]},
	]);
	await waitFor(
		() => seen('task-received', held) && seen('task-received', stamped) && seen('task-started', long),
	);
	await publishControl(redis.url, 'revoke', {task_id: [held]});
	await publishControl(redis.url, 'revoke_by_stamped_headers', {headers: {batch: 'b-1'}});
	await publishControl(redis.url, 'revoke', {task_id: [long], terminate: true, signal: 'SIGKILL'});
	await waitFor(
		() =>
			seen('task-succeeded', ok) &&
			seen('task-failed', bad) &&
			seen('task-failed', retry) &&
			seen('task-revoked', held) &&
			seen('task-revoked', stamped) &&
			seen('task-revoked', long),
		{timeout: 30_000, message: 'all task outcomes'},
	);
	await waitFor(() => seen('worker-heartbeat'));
	await Promise.all([prefork.stop('SIGTERM'), gevent.stop('SIGTERM')]);
	await waitFor(() => lines.filter((l) => l.includes('worker.offline')).length >= 2);
	write(`events-pubsub-${version}.jsonl`, lines.join('\n') + '\n');

	// Results: plain, result_extended, and under a global_keyprefix (results and broker both prefixed).
	const results: string[] = [];
	const keep = async (key: string, kind: string) => {
		const data = await db.get(key);
		if (data !== null) results.push(JSON.stringify({key, ttl_seconds: await db.ttl(key), data, kind}));
	};
	for (const id of [ok, bad, held]) await keep(`celery-task-meta-${id}`, 'plain');
	const extended = await startWorker({
		brokerUrl: redis.url,
		name: 'extended',
		extraEnv: {CELERYTOP_RESULT_EXTENDED: '1'},
	});
	const [extOk, extBad] = await sendTasks(
		redis.url,
		[{task: 'demo.add', args: [2, 3]}, {task: 'demo.fail'}],
		{
			extraEnv: {CELERYTOP_RESULT_EXTENDED: '1'},
		},
	);
	await waitFor(
		async () => (await db.exists(`celery-task-meta-${extOk}`, `celery-task-meta-${extBad}`)) === 2,
	);
	for (const id of [extOk, extBad]) await keep(`celery-task-meta-${id}`, 'extended');
	await extended.stop('SIGTERM');
	const prefixEnv = {CELERYTOP_KEYPREFIX: 'pfx:'};
	const prefixed = await startWorker({brokerUrl: redis.url, name: 'prefixed', extraEnv: prefixEnv});
	const [pfxOk] = await sendTasks(redis.url, [{task: 'demo.add', args: [1, 1]}], {extraEnv: prefixEnv});
	const candidates = [`pfx:celery-task-meta-${pfxOk}`, `celery-task-meta-${pfxOk}`];
	await waitFor(async () => (await db.exists(...candidates)) >= 1);
	for (const key of candidates) await keep(key, 'global_keyprefix pfx:');
	await prefixed.stop('SIGTERM');
	write(`result-backend-${version}.jsonl`, results.join('\n') + '\n');

	sub.disconnect();
	db.disconnect();
	await redis.stop();
}

/** A control call published as Celery's CLI does (no reply awaited): enough for the recording. */
async function publishControl(url: string, method: string, args: Record<string, unknown>) {
	const [file, argv] = systemCommand('/usr/bin/python3', [
		'-c',
		`import json, sys
from celery import Celery
app = Celery(broker=sys.argv[1])
app.control.broadcast(sys.argv[2], arguments=json.loads(sys.argv[3]))`,
		url,
		method,
		JSON.stringify(args),
	]);
	const run = spawnSync(file, argv, {encoding: 'utf8'});
	if (run.status !== 0) throw new Error(`${method}: ${run.stderr}`);
}

await recordInfo('redis');
await recordInfo('valkey');
process.env['CELERYTOP_TEST_SERVER'] = 'redis';
await recordCelery();
process.exit(0);
