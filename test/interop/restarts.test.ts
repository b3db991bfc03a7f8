// The broker dies (kill -9) and comes back on the same port, 20 times, while the TUI and
// `events --json` run: neither crashes, both resume, the TUI tells the operator events were lost.
// An inspect in flight when the broker dies fails with one clean line.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {Redis} from 'ioredis';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {readJsonLines, type PubSubLine} from '../helpers/fixtures.js';
import {runInTerminal, type Screen} from '../helpers/screen.js';
import {waitFor} from '../helpers/wait-for.js';
import {hermeticEnv} from '../helpers/hermetic-env.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const heartbeat = readJsonLines<PubSubLine>('events-pubsub.jsonl').find(
	(l) => l.channel === '/0.celeryev/worker.heartbeat',
)!;
let redis: RedisServer;
let screen: Screen;
let events: ChildProcess;
let out = '';
let err = '';

before(async () => {
	redis = await startRedis();
	screen = runInTerminal(['-b', redis.url, '--no-audit-log'], {cols: 120, rows: 30});
	events = spawn(process.execPath, [CLI, 'events', '--json', '-b', redis.url], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: hermeticEnv(),
	});
	events.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	events.stderr!.on('data', (d: Buffer) => (err += d.toString()));
	await waitFor(() => err.includes('listening'), {message: () => err});
	await screen.waitForText(/● connected/);
});

after(async () => {
	screen?.kill('SIGKILL');
	events?.kill('SIGKILL');
	await redis?.stop();
});

async function publish(): Promise<void> {
	const publisher = new Redis({
		host: redis.host,
		port: redis.port,
		lazyConnect: true,
		retryStrategy: () => null,
	});
	await publisher.connect();
	await publisher.publish(heartbeat.channel, heartbeat.data);
	publisher.disconnect();
}

async function subscribers(): Promise<number> {
	const list = await redis.cli('CLIENT', 'LIST').catch(() => '');
	return list.split('\n').filter((l) => l.includes('name=celerytop-events') && l.includes('psub=1')).length;
}

const printed = () => out.split('\n').filter((l) => l.trim() !== '').length;

test('20 broker restarts under the TUI and events --json: both resume, the TUI shows the lost-events gaps', async () => {
	for (let round = 1; round <= 20; round++) {
		await redis.kill9();
		await redis.restart();
		// Both subscribers are back when the server lists two event connections in pattern mode.
		await waitFor(async () => (await subscribers()) === 2, {
			timeout: 15_000,
			message: `round ${round}: both resubscribed`,
		});
		await publish();
		await waitFor(() => printed() >= round, {
			message: () => `round ${round}: events --json printed ${printed()}`,
		});
	}
	await screen.waitForText(/events lost .*\(20 gaps\)/);
	await screen.waitForText(/● connected/);
	assert.equal(events.exitCode, null, 'events --json still running');
	assert.match(err, /reconnecting/);
	const clients = (await redis.cli('CLIENT', 'LIST'))
		.split('\n')
		.filter((l) => l.includes('name=celerytop-events'));
	assert.equal(clients.length, 2, 'one subscriber each, none leaked');
});

test('an inspect in flight when the broker dies fails with one clean line, exit 1', async () => {
	// A silent "worker": subscribed to the pidbox channel, never answering, so the call waits.
	const silent = new Redis({
		host: redis.host,
		port: redis.port,
		lazyConnect: true,
		retryStrategy: () => null,
	});
	silent.on('error', () => {});
	await silent.connect();
	await silent.psubscribe('/0.celery.pidbox');
	const child = spawn(process.execPath, [CLI, 'inspect', 'ping', '-t', '5', '-b', redis.url], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: hermeticEnv(),
	});
	let stderr = '';
	child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
	// Wait until its reply binding is in place, i.e. the call is in flight.
	await waitFor(async () => (await redis.cli('EXISTS', '_kombu.binding.reply.celery.pidbox')) === '1', {
		message: 'call in flight',
	});
	await redis.kill9();
	const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
	silent.disconnect();
	await redis.restart();
	assert.equal(code, 1);
	const lines = stderr.trim().split('\n');
	assert.equal(lines.length, 1, stderr);
	assert.match(lines[0]!, /^celerytop: /);
	assert.doesNotMatch(stderr, /at .*\.js:\d+/);
});
