// `celerytop redis info|memory|keys|monitor` and `celerytop queues` as scripts see them: JSON shapes,
// readable text, exit codes, one-line errors without the password.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import type {Redis} from 'ioredis';
import {runCommand} from '../helpers/redis-command.js';
import {freePort, SERVER_KIND, type RedisServer} from '../helpers/redis-server.js';
import {memoryUsage, type Seeded, startSeededRedis, stopSeededRedis} from '../helpers/seed-keyspace.js';
import {waitFor} from '../helpers/wait-for.js';

let server: RedisServer;
let redis: Redis;
let seeded: Seeded;

before(async () => {
	({server, redis, seeded} = await startSeededRedis());
});

after(() => stopSeededRedis({server, redis}));

type Family = {
	family: string;
	kind: string;
	keys: number;
	bytes: number;
	withoutTtl: number;
	biggest: Array<{key: string; bytes: number}>;
};

test('redis memory --json: one document with every family', async () => {
	const run = await runCommand(server.url, ['memory'], {json: true});
	assert.equal(run.code, 0, run.stderr);
	const report = JSON.parse(run.stdout) as {
		db: number;
		keys: number;
		bytes: number;
		sampled: boolean;
		families: Family[];
	};
	assert.deepEqual([report.db, report.sampled, report.keys], [0, false, Number(await redis.dbsize())]);
	const session = report.families.find((f) => f.family === 'session')!;
	assert.deepEqual([session.kind, session.keys, session.withoutTtl], ['app', 200, 0]);
	assert.equal(session.bytes, await memoryUsage(redis, seeded.get('app:session')!));
	assert.equal(session.biggest.length, 5);
	assert.deepEqual(Object.keys(session.biggest[0]!).slice(0, 2), ['key', 'bytes']);
	assert.equal(report.families.find((f) => f.kind === 'celery-results')!.withoutTtl, 2);
	assert.equal(
		report.bytes,
		report.families.reduce((sum, f) => sum + f.bytes, 0),
	);
	assert.equal(run.stdout.trim().split('\n').length, 1);
});

test('redis memory (text) and --sample', async () => {
	const text = await runCommand(server.url, ['memory']);
	assert.equal(text.code, 0);
	assert.match(text.stdout, /^db 0: \d+ keys, .*exact \(MEMORY USAGE of every key\)/);
	assert.match(text.stdout, /\nFAMILY +KIND +KEYS +BYTES/);
	assert.match(text.stdout, /\nsession +app +200 /);
	assert.match(text.stdout, /warning: 2 of 32 celery-task-meta-\* keys have no TTL/);
	const sampled = JSON.parse((await runCommand(server.url, ['memory'], {json: true, sample: 30})).stdout) as {
		sampled: boolean;
		keys: number;
	};
	assert.deepEqual([sampled.sampled, sampled.keys], [true, Number(await redis.dbsize())]);
});

test('redis keys --pattern --json: JSON lines {key, type, ttl, bytes}', async () => {
	const run = await runCommand(server.url, ['keys'], {json: true, pattern: 'session:1*'});
	assert.equal(run.code, 0, run.stderr);
	const lines = run.stdout
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l) as Record<string, unknown>);
	assert.equal(lines.length, 111);
	for (const line of lines) {
		assert.deepEqual(Object.keys(line), ['key', 'type', 'ttl', 'bytes']);
		assert.equal(line['type'], 'string');
		assert.ok(typeof line['bytes'] === 'number' && (line['ttl'] as number) > 0);
	}
	const text = await runCommand(server.url, ['keys'], {pattern: 'celery'});
	assert.match(text.stdout, /^ +\d+(\.\d)? KB +none +list +celery\n$/);
});

test('redis info --json: the INFO sections plus our figures', async () => {
	const run = await runCommand(server.url, ['info'], {json: true});
	assert.equal(run.code, 0, run.stderr);
	const info = JSON.parse(run.stdout) as {
		server: {redis_version: string};
		keyspace: {db0: {keys: number}};
		celerytop: {dbsize: number; warnings: unknown[]};
	};
	assert.match(info.server.redis_version, /^\d+\.\d+/);
	assert.equal(info.keyspace.db0.keys, info.celerytop.dbsize);
	const text = await runCommand(server.url, ['info']);
	// The server line names the server that answered (redis, or valkey in the today lane).
	assert.match(text.stdout, new RegExp(`^server +${SERVER_KIND} \\d`, 'm'));
	assert.match(text.stdout, /^memory +.* \(no maxmemory\)/m);
});

test('queues --json: messages summed over priorities, unacked counted', async () => {
	const run = await runCommand(server.url, ['queues'], {json: true});
	assert.equal(run.code, 0, run.stderr);
	const queues = JSON.parse(run.stdout) as Array<{
		queue: string;
		messages: number;
		unacked: number;
		bound: boolean;
		next: Array<{task: string}>;
	}>;
	const celery = queues.find((q) => q.queue === 'celery')!;
	assert.deepEqual([celery.messages, celery.unacked, celery.bound], [7, 1, true]);
	assert.equal(celery.next[0]!.task, 'app.add');
	assert.deepEqual(queues.map((q) => q.queue).sort(), ['celery', 'lost']);
	const text = await runCommand(server.url, ['queues']);
	assert.match(text.stdout, /^celery +7 +p0:5 p3:2 +1 /m);
	assert.match(text.stdout, /warning: no _kombu\.binding\.\* names queue 'lost'/);
});

test('redis monitor --duration --json shows a command issued meanwhile', async () => {
	const running = runCommand(server.url, ['monitor'], {json: true, duration: 3});
	await waitFor(async () => /celerytop-monitor/.test(String(await redis.client('LIST'))), {
		message: 'MONITOR started',
	});
	await redis.set('seen-by-monitor', '1');
	const run = await running;
	assert.equal(run.code, 0, run.stderr);
	assert.match(run.stderr, /MONITOR copies every command/);
	const records = run.stdout
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l) as {command: string; args: string[]; db: number});
	assert.ok(records.some((r) => r.command === 'SET' && r.args[0] === 'seen-by-monitor' && r.db === 0));
});

test('usage errors exit 2, connection errors exit 1, in one line without the password', async () => {
	const unknown = await runCommand(server.url, ['frobnicate']);
	assert.deepEqual([unknown.code, unknown.stdout], [2, '']);
	assert.equal(
		unknown.stderr,
		"celerytop: unknown redis command 'frobnicate' (info, memory, keys, monitor)\n",
	);
	assert.equal((await runCommand(server.url, ['memory'], {sample: 0})).code, 2);
	assert.equal((await runCommand(server.url, ['keys', 'extra'])).code, 2);
	const port = await freePort();
	for (const args of [['memory'], ['monitor'], ['queues']]) {
		const run = await runCommand(`redis://:hunter2-secret@127.0.0.1:${port}/0`, args);
		assert.equal(run.code, 1, args.join(' '));
		assert.equal(run.stderr.trim().split('\n').length, 1);
		assert.match(
			run.stderr,
			/^celerytop: cannot connect to redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0: connection refused/,
		);
		assert.doesNotMatch(run.stderr, /hunter2/);
	}
});

test('a user whose ACL refuses MEMORY USAGE gets one clear line from redis memory, exit 1', async () => {
	await redis.call('ACL', 'SETUSER', 'nomem', 'on', '>nomem-pw', '~*', '&*', '+@all', '-memory');
	const broker = server.url.replace('redis://', 'redis://nomem:nomem-pw@');
	const run = await runCommand(broker, ['memory']);
	assert.equal(run.code, 1);
	const lines = run.stderr.trim().split('\n');
	assert.equal(lines.length, 1, run.stderr);
	assert.match(lines[0]!, /MEMORY USAGE refused by the server \(NOPERM\).*grant \+memory\|usage/);
	assert.doesNotMatch(run.stderr, /nomem-pw/);
	const info = await runCommand(broker, ['info']);
	assert.equal(info.code, 0, 'the rest keeps working');
});

test('a db the server does not have: one line naming it and the range, exit 1, nothing from db 0', async () => {
	const missing = `db 99 does not exist on 127.0.0.1:${server.port} (it has 16: 0-15)`;
	const atDb99 = server.url.replace(/\/\d*$/, '') + '/99';
	for (const [broker, args, options] of [
		[atDb99, ['queues'], {}],
		[atDb99, ['queues'], {json: true}],
		[atDb99, ['info'], {}],
		[atDb99, ['memory'], {}],
		[atDb99, ['keys'], {}],
		[atDb99, ['monitor'], {duration: 1}],
		[server.url, ['keys'], {db: 99}],
		[server.url, ['info'], {db: 99, json: true}],
		[server.url, ['queues'], {db: 99}],
	] as const) {
		const run = await runCommand(broker, [...args], options);
		const what = `${broker} ${args.join(' ')} ${JSON.stringify(options)}`;
		assert.equal(run.code, 1, what);
		assert.equal(run.stdout, '', what);
		assert.equal(run.stderr, `celerytop: ${missing}\n`, what);
	}
	// db 15 exists (and is empty): the same commands work there.
	const empty = await runCommand(server.url, ['queues'], {db: 15});
	assert.equal(empty.code, 0, empty.stderr);
	assert.match(empty.stdout, /^db 15: 0 queue\(s\)/);
});
