// Redis cuts a slow subscriber off (`client-output-buffer-limit pubsub`, lowered here with CONFIG SET):
// celerytop notices, reconnects, says that events were lost and when, and carries on with new events.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, execFileSync, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {Redis} from 'ioredis';
import {buildConfig} from '../../source/config.js';
import {decodeEventMessage} from '../../source/protocol/events.js';
import {startSession} from '../../source/redis/session.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {readJsonLines, type PubSubLine} from '../helpers/fixtures.js';
import {waitFor} from '../helpers/wait-for.js';
import {hermeticEnv} from '../helpers/hermetic-env.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const CHANNEL = '/0.celeryev/task.received';
const BURST = 4_000;
const PAD = 'P'.repeat(4_000); // ~5.5 kB per message: a 22 MB burst against a 256 kB hard limit

let server: RedisServer;
let admin: Redis;

const captured = readJsonLines<PubSubLine>('events-pubsub.jsonl').filter((l) =>
	l.channel.includes('celeryev'),
);
const template = captured.find((line) => decodeEventMessage(line.data).events[0]?.type === 'task-received')!;
const envelope = JSON.parse(template.data) as Record<string, unknown>;
const baseEvent = decodeEventMessage(template.data).events[0]!;

/** A valid task-received envelope with its own uuid. */
function message(uuid: string, pad = ''): string {
	const body = Buffer.from(JSON.stringify({...baseEvent, uuid, args: `('${pad}',)`}), 'utf8').toString(
		'base64',
	);
	return JSON.stringify({...envelope, body});
}

async function publishBurst(prefix: string): Promise<void> {
	const pipeline = admin.pipeline();
	for (let i = 0; i < BURST; i++) pipeline.publish(CHANNEL, message(`${prefix}-${i}`, PAD));
	await pipeline.exec();
}

/** Ids of the pub/sub clients connected now (Redis 7.0 has no disconnection counter in INFO). */
async function subscriberIds(): Promise<string[]> {
	const list = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
	return [...list.matchAll(/^id=(\d+) /gm)].map((m) => m[1]!);
}

before(async () => {
	server = await startRedis();
	admin = new Redis({host: server.host, port: server.port, lazyConnect: true});
	await admin.connect();
	await admin.config('SET', 'client-output-buffer-limit', 'pubsub 256kb 128kb 1');
});

after(async () => {
	admin?.disconnect();
	await server?.stop();
});

test('events --json: a subscriber cut off for a full output buffer reports the loss and the window, then resumes', async () => {
	const child: ChildProcess = spawn(process.execPath, [CLI, 'events', '--json', '-b', server.url], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: hermeticEnv(),
	});
	let out = '';
	let err = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
	try {
		await waitFor(() => err.includes('listening on /0.celeryev/*'), {message: () => `no start: ${err}`});
		await admin.publish(CHANNEL, message('before-burst'));
		await waitFor(() => out.includes('"before-burst"'), {message: () => `first event never printed: ${out}`});

		// Stop reading its stdout: the pipe fills, its (synchronous) stdout writes block, its event loop
		// stops, and it no longer reads its Redis socket: the slow subscriber.
		child.stdout!.pause();
		const [subscriber] = await subscriberIds();
		assert.ok(subscriber !== undefined);
		const burstStarted = Date.now();
		await publishBurst('burst');
		await waitFor(async () => !(await subscriberIds()).includes(subscriber), {
			message: 'Redis never cut the subscriber off',
		});
		child.stdout!.resume();

		await waitFor(() => /events lost between \S+ and \S+ \(\d+\.\d s\)/.test(err), {
			timeout: 15_000,
			message: () => `no loss reported on stderr:\n${err}`,
		});
		assert.match(err, /celerytop: reconnecting/);
		assert.match(err, /celerytop: connected/);
		const [, from, to] = /events lost between (\S+) and (\S+)/.exec(err)!;
		const fromMs = Date.parse(from!);
		const toMs = Date.parse(to!);
		assert.ok(fromMs <= toMs);
		// roughly when: the window starts after the burst began (the cut is noticed once unblocked)
		assert.ok(fromMs >= burstStarted - 1_000 && toMs <= Date.now(), `${from} .. ${to}`);

		// events published after the reconnect arrive
		await waitFor(
			async () => {
				await admin.publish(CHANNEL, message('after-reconnect'));
				return out.includes('"after-reconnect"');
			},
			{interval: 200, message: () => `nothing after the reconnect; stderr:\n${err}`},
		);
		const printed = out.split('\n').filter((line) => line.includes('"burst-')).length;
		assert.ok(printed < BURST, `all ${BURST} burst events printed: nothing was lost?`);
		for (const line of out.split('\n').filter(Boolean)) JSON.parse(line); // every line whole
	} finally {
		child.kill('SIGINT');
		await new Promise((resolve) => child.once('close', resolve));
	}
});

test('the store of a session records the gap when Redis cuts its subscriber off', async () => {
	const config = buildConfig({broker: server.url}, {});
	assert.ok(config.ok);
	const started = await startSession(config.value);
	assert.ok(started.ok, started.ok ? '' : started.error);
	const {session} = started;
	try {
		const store = session.store;
		await admin.publish(CHANNEL, message('s-before'));
		await waitFor(() => store.cluster.tasks.has('s-before'));
		const [subscriber] = await subscriberIds();
		assert.ok(subscriber !== undefined);
		// Publish the burst from another process while this one is blocked in execFileSync: this
		// process reads nothing meanwhile, exactly like a subscriber that fell behind.
		const script = `
			const {Redis} = await import('ioredis');
			const r = new Redis({host: ${JSON.stringify(server.host)}, port: ${server.port}});
			const p = r.pipeline();
			const m = ${JSON.stringify(message('s-burst', PAD))};
			for (let i = 0; i < ${BURST}; i++) p.publish(${JSON.stringify(CHANNEL)}, m);
			await p.exec();
			const limit = Date.now() + 10000;
			for (;;) {
				const list = await r.client('LIST', 'TYPE', 'pubsub');
				if (!list.includes('id=${subscriber} ') || Date.now() > limit) break;
			}
			r.disconnect();`;
		execFileSync(process.execPath, ['--input-type=module', '-e', script], {cwd: process.cwd()});
		assert.ok(!(await subscriberIds()).includes(subscriber), 'Redis cut the subscriber off');

		await waitFor(
			() => {
				store.flush(Date.now() / 1000);
				const gaps = store.getSnapshot().connection.gaps;
				return (
					store.getSnapshot().connection.status === 'connected' &&
					gaps.length === 1 &&
					gaps[0]!.to !== undefined
				);
			},
			{timeout: 15_000, message: () => JSON.stringify(store.getSnapshot().connection)},
		);
		const gap = store.getSnapshot().connection.gaps[0]!;
		assert.ok(gap.from <= gap.to! && gap.to! <= Date.now() / 1000);
		await waitFor(
			async () => {
				await admin.publish(CHANNEL, message('s-after'));
				return store.cluster.tasks.has('s-after');
			},
			{interval: 200, message: 'no event after the reconnect'},
		);
	} finally {
		await session.stop();
	}
});
