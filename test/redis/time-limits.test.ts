// Time limits of every connection, against a private redis-server made to stall (CLIENT PAUSE holds
// every client's commands, new connections' handshakes included) and against fixtures that accept and
// never answer, or answer HTTP: each failure comes within its limit as one clear, password-free line.
// Connections that wait by design (the event subscriber, BRPOP) are not cut by the command limit.
import assert from 'node:assert/strict';
import {after, before, beforeEach, test} from 'node:test';
import {Redis} from 'ioredis';
import {buildConfig, type Config, type Connection} from '../../source/config.js';
import {connectAlive, createRedis} from '../../source/redis/clients.js';
import {describeConnectionError, isTransient} from '../../source/redis/connection-errors.js';
import {probe} from '../../source/redis/probe.js';
import {answeredText, NoAnswerError, NotRedisError} from '../../source/redis/time-limits.js';
import {createControlClient} from '../../source/redis/control-client.js';
import {ControlConnectionError} from '../../source/redis/control-replies.js';
import {startMonitor} from '../../source/redis/monitor-tap.js';
import {RespConnection} from '../../source/redis/resp-connection.js';
import {startSession} from '../../source/redis/session.js';
import {StatsPoller} from '../../source/redis/stats-poller.js';
import {startHttpServer, startSilentServer, type FakeServer} from '../helpers/silent-server.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait-for.js';

const PASSWORD = 'tl-s3cret-pw';
let server: RedisServer;
let admin: Redis;
let silent: FakeServer;
let httpServer: FakeServer;

/** The Config the CLI would build from these flags (seconds). */
function configFor(url: string, connectTimeout = 1, commandTimeout = 1): Config {
	const built = buildConfig({broker: url, connectTimeout, commandTimeout, auditLog: false}, {});
	assert.ok(built.ok, built.ok ? '' : built.error);
	return built.value;
}

const connectionFor = (url: string, connectTimeout = 1, commandTimeout = 1): Connection =>
	configFor(url, connectTimeout, commandTimeout).connection;

/** Hold every client's commands on the server for `ms` (sent on its own connection, not paused itself). */
async function pause(ms: number): Promise<void> {
	await admin.client('PAUSE', ms, 'ALL');
}

async function elapsed<T>(run: () => Promise<T>): Promise<{ms: number; value: T}> {
	const started = performance.now();
	const value = await run();
	return {ms: performance.now() - started, value};
}

before(async () => {
	[server, silent, httpServer] = await Promise.all([
		startRedis({password: PASSWORD}),
		startSilentServer(),
		startHttpServer(),
	]);
	admin = new Redis({host: server.host, port: server.port, password: PASSWORD, lazyConnect: true});
	await admin.connect();
});

// Each test starts on a server that answers again (a pause from the last test has ended).
beforeEach(async () => {
	await waitFor(
		async () => {
			const probeClient = new Redis({
				host: server.host,
				port: server.port,
				password: PASSWORD,
				lazyConnect: true,
				commandTimeout: 200,
				retryStrategy: () => null,
			});
			probeClient.on('error', () => {});
			try {
				await probeClient.connect();
				return (await probeClient.ping()) === 'PONG';
			} catch {
				return false;
			} finally {
				probeClient.disconnect();
			}
		},
		{timeout: 10_000, message: 'the server answers again'},
	);
});

after(async () => {
	admin?.disconnect();
	await Promise.all([server?.stop(), silent?.close(), httpServer?.close()]);
});

test('a command over --command-timeout fails with a clear line within the limit', async () => {
	const connection = connectionFor(server.url, 5, 1);
	const redis = createRedis(connection, 'stats');
	try {
		await connectAlive(redis, 5_000);
		await pause(3_000);
		const {ms, value: error} = await elapsed(() =>
			redis.get('some-key').then(
				() => undefined,
				(e) => e,
			),
		);
		assert.ok(error, 'the GET fails');
		assert.ok(ms < 2_000, `failed after ${Math.round(ms)} ms (limit 1 s, pause 3 s)`);
		assert.equal(
			describeConnectionError(error, 'redis://:***@here/0', connection),
			'no answer from redis://:***@here/0: a reply did not come within 1 s (--command-timeout)',
		);
		assert.ok(isTransient(error));
	} finally {
		redis.disconnect();
	}
});

test('the handshake is timed by --connect-timeout, not by the (shorter) command limit', async () => {
	// A server that takes 1.5 s to answer AUTH is slow, not silent: with 5 s to connect it is used.
	const connection = connectionFor(server.url, 5, 0.5);
	const redis = createRedis(connection, 'stats');
	try {
		await pause(1_500);
		const {ms} = await elapsed(() => connectAlive(redis, 5_000));
		assert.ok(ms >= 1_000, `connected after ${Math.round(ms)} ms, during the pause?`);
		assert.equal(await redis.ping(), 'PONG');
	} finally {
		redis.disconnect();
	}
});

test('a handshake over --connect-timeout fails as "sent nothing", and the probe says it may mend', async () => {
	const connection = connectionFor(server.url, 0.5, 5);
	await pause(3_000);
	const {ms, value: result} = await elapsed(() => probe(connection, 'redis://:***@here/0'));
	assert.ok(ms < 1_500, `the probe took ${Math.round(ms)} ms (limit 0.5 s)`);
	assert.deepEqual(result, {
		ok: false,
		error: `no answer from redis://:***@here/0: 127.0.0.1:${server.port} accepted the connection but sent nothing within 0.5 s (--connect-timeout)`,
		transient: true,
		silent: true,
	});
});

test('the lean RESP connection: a batch without a reply byte for --command-timeout fails, and closes', async () => {
	const connection = connectionFor(server.url, 5, 1);
	const pipe = await RespConnection.open(connection, 'redis://:***@here/0');
	try {
		assert.deepEqual(await pipe.send([['SET', 'k', 'v'], ['DBSIZE']]), ['OK', 1]);
		await pause(3_000);
		const {ms, value: error} = await elapsed(() =>
			pipe.send([['DBSIZE']]).then(
				() => undefined,
				(e) => e,
			),
		);
		assert.ok(error instanceof NoAnswerError, String(error));
		assert.ok(ms < 2_000, `failed after ${Math.round(ms)} ms`);
		assert.match(
			describeConnectionError(error, 'redis://:***@here/0', connection),
			/a reply did not come within 1 s \(--command-timeout\)$/,
		);
		// Its place in the reply stream is lost: the connection is not used again.
		await assert.rejects(pipe.send([['PING']]));
	} finally {
		pipe.close();
		await admin.del('k');
	}
});

test('the stats poller names a poll that hit the command limit, and backs off', async () => {
	const connection = connectionFor(server.url, 5, 1);
	const redis = createRedis(connection, 'stats');
	try {
		await connectAlive(redis, 5_000);
		const poller = new StatsPoller(redis, {intervalMs: 1000});
		await poller.tick();
		assert.equal(poller.getSnapshot().status, 'ok');
		await pause(3_000);
		const {ms} = await elapsed(() => poller.tick());
		assert.ok(ms < 2_000, `the poll took ${Math.round(ms)} ms`);
		const snapshot = poller.getSnapshot();
		assert.equal(snapshot.status, 'error');
		assert.equal(snapshot.error, 'no answer within 1 s (--command-timeout)');
		assert.equal(snapshot.consecutiveErrors, 1);
	} finally {
		redis.disconnect();
	}
});

test('control: a call the server does not answer fails in one line, and close() does not wait on it', async () => {
	const connection = connectionFor(server.url, 5, 1);
	const client = createControlClient({
		connection,
		transport: {},
		readOnly: false,
		display: 'redis://:***@here/0',
	});
	let closed = false;
	try {
		await client.call('ping', {}, {timeout: 0.2}); // connected, nobody listening: no replies
		await pause(3_000);
		const {ms, value: error} = await elapsed(() =>
			client.call('ping', {}, {timeout: 0.2}).then(
				() => undefined,
				(e) => e,
			),
		);
		assert.ok(error instanceof ControlConnectionError, String(error));
		assert.equal(
			error.message,
			'no answer from redis://:***@here/0: a reply did not come within 1 s (--command-timeout)',
		);
		assert.ok(ms < 2_000, `the call failed after ${Math.round(ms)} ms`);
		const closing = await elapsed(() => client.close());
		closed = true;
		assert.ok(closing.ms < 500, `close() took ${Math.round(closing.ms)} ms`);
	} finally {
		if (!closed) await client.close();
	}
});

test('control: BRPOP waits its whole -t although that is longer than the command limit', async () => {
	const connection = connectionFor(server.url, 5, 0.5);
	// A "worker" that receives the request and never replies: BRPOP runs until the timeout.
	const worker = new Redis({host: server.host, port: server.port, password: PASSWORD});
	await worker.psubscribe('/0.celery.pidbox');
	const client = createControlClient({connection, transport: {}, readOnly: false});
	try {
		const {ms, value: result} = await elapsed(() => client.call('ping', {}, {timeout: 1.5}));
		assert.equal(result.receivers, 1);
		assert.deepEqual(result.replies, {});
		assert.ok(ms >= 1_400, `gave up after ${Math.round(ms)} ms`);
	} finally {
		await client.close();
		worker.disconnect();
	}
});

test('the event subscriber is not cut by the command limit: quiet for longer, still connected', async () => {
	const config = configFor(server.url, 5, 0.5);
	const started = await startSession(config);
	assert.ok(started.ok, started.ok ? '' : started.error);
	const {session} = started;
	try {
		const before = session.store.cluster.malformedTotal;
		await new Promise((resolve) => setTimeout(resolve, 1_500)); // three command limits of silence
		assert.equal(await admin.publish('/0.celeryev/worker.heartbeat', 'not json'), 1);
		await waitFor(() => session.feed.received() === 1, {message: 'the message reached the feed'});
		session.store.flush(Date.now() / 1000);
		assert.equal(session.store.getSnapshot().connection.status, 'connected');
		await waitFor(() => session.store.cluster.malformedTotal === before + 1);
	} finally {
		await session.stop();
	}
});

test('the event subscriber notices a stopped server, says so, and reconnects when it resumes', async () => {
	const config = configFor(server.url, 1, 0.5);
	const statuses: string[] = [];
	const started = await startSession(config, {
		onConnection: (status, error) => statuses.push(error ? `${status}: ${error}` : status),
	});
	assert.ok(started.ok, started.ok ? '' : started.error);
	const {session} = started;
	const status = () => {
		session.store.flush(Date.now() / 1000);
		return session.store.getSnapshot().connection;
	};
	process.kill(server.pid, 'SIGSTOP');
	let stopped = true;
	try {
		// A stopped server still has its port: only a PING left unanswered tells it from a quiet one.
		const {ms} = await elapsed(() =>
			waitFor(() => status().status !== 'connected', {
				timeout: 5_000,
				message: () => `still ${JSON.stringify(status())}`,
			}),
		);
		assert.ok(ms < 3_000, `noticed after ${Math.round(ms)} ms (PING every 1 s, 0.5 s to answer)`);
		assert.ok(
			statuses.some((s) =>
				s.includes(
					`error: no answer from ${config.brokerDisplay}: a reply did not come within 0.5 s (--command-timeout)`,
				),
			),
			statuses.join('\n'),
		);
		process.kill(server.pid, 'SIGCONT');
		stopped = false;
		await waitFor(() => status().status === 'connected', {
			timeout: 10_000,
			message: () => `after SIGCONT: ${JSON.stringify(status())}\n${statuses.join('\n')}`,
		});
		assert.equal(status().gaps.length, 1, 'the time without events is recorded as a gap');
		assert.equal(await admin.publish('/0.celeryev/worker.heartbeat', 'not json'), 1);
		await waitFor(() => session.feed.received() === 1, {message: 'resubscribed: the message came'});
	} finally {
		if (stopped) process.kill(server.pid, 'SIGCONT');
		await session.stop();
	}
});

test('fixtures: a silent server fails each kind of connection within the connect limit', async () => {
	const connection = connectionFor(silent.url(PASSWORD), 0.5, 5);
	const display = 'redis://:***@silent/0';
	const line = `no answer from ${display}: 127.0.0.1:${silent.port} accepted the connection but sent nothing within 0.5 s (--connect-timeout)`;
	const scan = await elapsed(() =>
		RespConnection.open(connection, display).then(
			() => undefined,
			(e) => e,
		),
	);
	assert.equal((scan.value as Error).message, line);
	const monitor = await elapsed(() =>
		startMonitor(connection, {display}).then(
			() => undefined,
			(e) => e,
		),
	);
	assert.equal((monitor.value as Error).message, line);
	const probed = await elapsed(() => probe(connection, display));
	assert.equal(probed.value.ok ? '' : probed.value.error, line);
	const events = await elapsed(() => startSession(configFor(silent.url(PASSWORD), 0.5, 5)));
	assert.ok(!events.value.ok);
	for (const [what, ms] of [
		['scan', scan.ms],
		['monitor', monitor.ms],
		['probe', probed.ms],
		['session', events.ms],
	] as const)
		assert.ok(ms < 1_500, `${what} took ${Math.round(ms)} ms (limit 0.5 s)`);
});

test('fixtures: an HTTP server is named as not a Redis server by each kind of connection', async () => {
	const connection = connectionFor(httpServer.url(PASSWORD), 2, 2);
	const line = `127.0.0.1:${httpServer.port} is not a Redis server (it answered "HTTP/1.1 400 Bad Request")`;
	await assert.rejects(RespConnection.open(connection, 'x'), {message: line});
	await assert.rejects(startMonitor(connection, {display: 'x'}), {message: line});
	const probed = await probe(connection, 'x');
	assert.deepEqual(probed, {ok: false, error: line, transient: false, silent: false});
	const redis = createRedis(connection, 'scan');
	try {
		await assert.rejects(connectAlive(redis, 2_000), (error: unknown) => {
			assert.equal(describeConnectionError(error, 'x', connection), line);
			return true;
		});
	} finally {
		redis.disconnect();
	}
});

test('what a server answered is shown inert, cut, and without the password', () => {
	assert.equal(
		answeredText(Buffer.from('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n')),
		'HTTP/1.1 400 Bad Request',
	);
	assert.equal(answeredText(Buffer.from('\u001B[31mred\u0007 bell\n')), '\\x1b[31mred\\x07 bell');
	assert.equal(answeredText(Buffer.from('x'.repeat(100))), `${'x'.repeat(60)}…`);
	const connection = connectionFor(`redis://:${PASSWORD}@10.0.0.1:8080/0`);
	const echoed = new NotRedisError(answeredText(Buffer.from(`ERR? AUTH ${PASSWORD}\r\n`)));
	assert.equal(
		describeConnectionError(echoed, 'd', connection),
		'10.0.0.1:8080 is not a Redis server (it answered "ERR? AUTH ***")',
	);
	// ioredis' own parser error, when nothing was kept: the byte it named.
	assert.equal(
		describeConnectionError(new Error('Unknown RESP type 72 "H". Please report this.'), 'd', connection),
		'10.0.0.1:8080 is not a Redis server (it answered "H")',
	);
	assert.equal(
		describeConnectionError(new NoAnswerError('connect', 1000), 'd', connection),
		'cannot connect to d: 10.0.0.1:8080 did not accept the connection within 1 s (--connect-timeout)',
	);
	assert.equal(isTransient(echoed), false);
	assert.equal(isTransient(Object.assign(new Error('connect ECONNREFUSED'), {code: 'ECONNREFUSED'})), true);
	assert.equal(isTransient(new Error('WRONGPASS invalid username-password pair')), false);
	assert.equal(isTransient(new Error('LOADING Redis is loading the dataset in memory')), true);
});
