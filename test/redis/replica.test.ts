// --replica: a real primary and a real `redis-server --replicaof` replica. The read-only load (the event
// subscription, SCANs, INFO) lands on the replica; control and MONITOR stay on the primary; errors are
// one line without the replica's password. The built CLI runs as a child (npm test builds it first).
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {Redis} from 'ioredis';
import {buildConfig, type Config} from '../../source/config.js';
import {replicaState, replicaWarning} from '../../source/redis/replica.js';
import {createRedisInspector} from '../../source/redis/inspector.js';
import {clock, startSession} from '../../source/redis/session.js';
import {freePort, startRedis, startReplica, type RedisServer} from '../helpers/redis-server.js';
import {readJsonLines, type PubSubLine} from '../helpers/fixtures.js';
import {waitFor} from '../helpers/wait-for.js';
import {mountApp} from '../ui/mount.js';
import {hermeticEnv} from '../helpers/hermetic-env.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const PRIMARY_PASSWORD = 'primary-pw-never-shown';
const REPLICA_PASSWORD = 'replica-pw-never-shown';
const SECRETS = new RegExp(`${PRIMARY_PASSWORD}|${REPLICA_PASSWORD}`);

let primary: RedisServer;
let replica: RedisServer;
let broker: string;
let replicaUrl: string;
let writer: Redis;

const heartbeat = readJsonLines<PubSubLine>('events-pubsub.jsonl').find(
	(l) => l.channel === '/0.celeryev/worker.heartbeat',
)!;

type Run = {code: number | null; stdout: string; stderr: string};

/** The built CLI as a child; `during` runs once it printed `ready` on stderr (when given). */
function cli(args: string[], during?: {ready: RegExp; run: () => Promise<void>}): Promise<Run> {
	const child = spawn(process.execPath, [CLI, ...args], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: hermeticEnv(),
	});
	const run: Run = {code: null, stdout: '', stderr: ''};
	child.stdout.on('data', (d: Buffer) => (run.stdout += d.toString()));
	child.stderr.on('data', (d: Buffer) => (run.stderr += d.toString()));
	const exited = new Promise<Run>((resolve) => child.on('close', (code) => resolve({...run, code})));
	if (!during) return exited;
	return (async () => {
		try {
			await waitFor(() => during.ready.test(run.stderr), {message: () => run.stderr});
			await during.run();
		} catch (error) {
			child.kill('SIGKILL');
			throw error;
		}
		return exited;
	})();
}

/** INFO commandstats `cmdstat_<name>` calls on a server (0 when never called). */
async function calls(server: RedisServer, name: string): Promise<number> {
	const match = new RegExp(`^cmdstat_${name}:calls=(\\d+)`, 'm').exec(
		await server.cli('INFO', 'commandstats'),
	);
	return Number(match?.[1] ?? 0);
}

function assertOneLine(run: Run, pattern: RegExp) {
	const lines = run.stderr.trim().split('\n');
	assert.equal(lines.length, 1, `one line on stderr, got:\n${run.stderr}`);
	assert.match(lines[0]!, pattern);
	assert.doesNotMatch(run.stderr + run.stdout, SECRETS);
}

before(async () => {
	primary = await startRedis({password: PRIMARY_PASSWORD});
	replica = await startReplica(primary, {password: REPLICA_PASSWORD});
	broker = primary.url;
	replicaUrl = `redis://:${REPLICA_PASSWORD}@${replica.host}:${replica.port}`; // no db: the broker's
	writer = new Redis({host: primary.host, port: primary.port, password: PRIMARY_PASSWORD});
});

after(async () => {
	writer?.disconnect();
	await replica?.stop();
	await primary?.stop();
});

test('events --replica: the subscriber is on the replica and receives what is PUBLISHed on the primary', async () => {
	const run = await cli(['events', '--json', '--duration', '3', '-b', broker, '--replica', replicaUrl], {
		ready: /listening/,
		run: async () => {
			const onReplica = await replica.cli('CLIENT', 'LIST');
			assert.match(onReplica, /name=celerytop-events .*psub=1 /, 'the subscriber is on the replica');
			const onPrimary = await primary.cli('CLIENT', 'LIST');
			assert.doesNotMatch(onPrimary, /psub=[1-9]/, 'no pattern subscriber on the primary');
			assert.doesNotMatch(onPrimary, /celerytop-events/);
			assert.equal(
				await writer.publish(heartbeat.channel, heartbeat.data),
				0,
				'nobody listens on the primary',
			);
		},
	});
	assert.equal(run.code, 0, run.stderr);
	const events = run.stdout
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l) as {type: string; hostname: string});
	assert.deepEqual(
		events.map((e) => [e.type, e.hostname]),
		[['worker-heartbeat', 'w1@vm']],
	);
	assert.match(
		run.stderr,
		new RegExp(
			`listening on /0\\.celeryev/\\* at replica redis://:\\*\\*\\*@127\\.0\\.0\\.1:${replica.port} \\(broker redis://:\\*\\*\\*@127\\.0\\.0\\.1:${primary.port}/0\\)`,
		),
	);
	assert.doesNotMatch(run.stderr, /warning/, 'a connected replica of the broker: no warning');
	assert.doesNotMatch(run.stderr, SECRETS);
});

test('redis memory / keys / info / queues --replica read the replica: the SCANs run there, not on the primary', async () => {
	const p = writer.pipeline();
	for (let i = 0; i < 120; i++) p.set(`mirrored:${i}`, 'x'.repeat(100));
	p.lpush('celery', 'not a task message');
	p.sadd('_kombu.binding.celery', 'celery\x06\x16\x06\x16celery');
	await p.exec();
	assert.equal(await writer.call('WAIT', '1', '5000'), 1, 'the replica has the writes');
	const before = {primary: await calls(primary, 'scan'), replica: await calls(replica, 'scan')};

	const memory = await cli(['redis', 'memory', '--json', '-b', broker, '--replica', replicaUrl]);
	assert.equal(memory.code, 0, memory.stderr);
	const report = JSON.parse(memory.stdout) as {keys: number; families: Array<{family: string; keys: number}>};
	assert.equal(report.families.find((f) => f.family === 'mirrored')?.keys, 120);
	const keys = await cli([
		'redis',
		'keys',
		'--json',
		'--pattern',
		'mirrored:1*',
		'-b',
		broker,
		'--replica',
		replicaUrl,
	]);
	assert.equal(keys.code, 0, keys.stderr);
	assert.equal(keys.stdout.trim().split('\n').length, 31, 'mirrored:1, 10–19, 100–119');

	const after = {primary: await calls(primary, 'scan'), replica: await calls(replica, 'scan')};
	assert.equal(after.primary, before.primary, 'no SCAN on the primary');
	assert.ok(after.replica > before.replica, 'the SCANs ran on the replica');
	assert.doesNotMatch(memory.stderr + keys.stderr, SECRETS);

	const dbsizeBefore = {primary: await calls(primary, 'dbsize'), replica: await calls(replica, 'dbsize')};
	const info = await cli(['redis', 'info', '--json', '-b', broker, '--replica', replicaUrl]);
	assert.equal(info.code, 0, info.stderr);
	const parsed = JSON.parse(info.stdout) as {replication: {role: string}; celerytop: {from: string}};
	assert.equal(parsed.replication.role, 'slave', 'INFO is the replica’s');
	assert.equal(parsed.celerytop.from, `replica 127.0.0.1:${replica.port}`);
	const text = await cli(['redis', 'info', '-b', broker, '--replica', replicaUrl]);
	assert.match(
		text.stdout,
		new RegExp(`^from +replica 127\\.0\\.0\\.1:${replica.port} \\(master link up\\)$`, 'm'),
	);
	assert.equal(await calls(primary, 'dbsize'), dbsizeBefore.primary, 'no DBSIZE on the primary');
	assert.equal(await calls(replica, 'dbsize'), dbsizeBefore.replica + 2);

	const llen = await calls(primary, 'llen');
	const queues = await cli(['queues', '--json', '-b', broker, '--replica', replicaUrl]);
	assert.equal(queues.code, 0, queues.stderr);
	assert.equal((JSON.parse(queues.stdout) as Array<{queue: string; messages: number}>)[0]?.messages, 1);
	assert.equal(await calls(primary, 'llen'), llen, 'queue lengths read on the replica');
});

test('control and MONITOR stay on the primary with --replica', async () => {
	const subscriber = new Redis({host: primary.host, port: primary.port, password: PRIMARY_PASSWORD});
	const received: string[] = [];
	subscriber.on('pmessage', (_p: string, channel: string) => received.push(channel));
	await subscriber.psubscribe('*pidbox*');
	try {
		const published = await calls(primary, 'publish');
		const sent = await cli(['control', 'heartbeat', '--no-audit-log', '-b', broker, '--replica', replicaUrl]);
		assert.equal(sent.code, 0, sent.stderr);
		assert.match(sent.stdout, /-> heartbeat sent to all workers/);
		assert.equal(await calls(primary, 'publish'), published + 1, 'PUBLISHed on the primary');
		await waitFor(() => received.length > 0, {message: 'the pidbox message on the primary'});
		assert.deepEqual(received, ['/0.celery.pidbox']);
	} finally {
		subscriber.disconnect();
	}

	const monitor = await cli(['redis', 'monitor', '--duration', '2', '-b', broker, '--replica', replicaUrl], {
		ready: /MONITOR copies/,
		run: async () => {
			assert.match(await primary.cli('CLIENT', 'LIST'), /name=celerytop-monitor /);
			assert.doesNotMatch(await replica.cli('CLIENT', 'LIST'), /celerytop-monitor/);
		},
	});
	assert.equal(monitor.code, 0, monitor.stderr);
	assert.match(
		monitor.stderr,
		/MONITOR runs on the broker redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0, not on the replica/,
	);
	assert.doesNotMatch(monitor.stderr, SECRETS);
});

test('a bad --replica URL exits 2, an unreachable or refusing replica exits 1, each in one line without the password', async () => {
	const bad = await cli(['redis', 'info', '-b', broker, '--replica', `amqp://u:${REPLICA_PASSWORD}@h//`]);
	assert.equal(bad.code, 2);
	assertOneLine(bad, /^celerytop: unsupported --replica scheme 'amqp' in amqp:\/\/u:\*\*\*@h\/\//);
	const sentinel = await cli([
		'events',
		'-b',
		broker,
		'--replica',
		`sentinel://:${REPLICA_PASSWORD}@h:26379`,
	]);
	assert.equal(sentinel.code, 2);
	assertOneLine(sentinel, /not sentinel:\/\//);
	const db = await cli(['events', '-b', broker, '--replica', `redis://:${REPLICA_PASSWORD}@h/x`]);
	assert.equal(db.code, 2);
	assertOneLine(db, /^celerytop: --replica: invalid database number in redis:\/\/:\*\*\*@h\/x$/);

	const port = await freePort();
	const down = `redis://:${REPLICA_PASSWORD}@127.0.0.1:${port}/0`;
	for (const args of [['events', '--json'], ['redis', 'memory'], ['redis', 'info'], ['queues']]) {
		const run = await cli([...args, '-b', broker, '--replica', down]);
		assert.equal(run.code, 1, args.join(' '));
		assertOneLine(
			run,
			new RegExp(
				`^celerytop: cannot connect to replica redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}/0: connection refused at 127\\.0\\.0\\.1:${port}$`,
			),
		);
	}
	const wrong = await cli([
		'redis',
		'keys',
		'-b',
		broker,
		'--replica',
		replicaUrl.replace(REPLICA_PASSWORD, 'nope'),
	]);
	assert.equal(wrong.code, 1);
	assertOneLine(
		wrong,
		/^celerytop: authentication failed for replica redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: wrong user name or password$/,
	);
});

test('a --replica that is a master gets one warning line and is read all the same', async () => {
	const run = await cli(['redis', 'info', '--json', '-b', broker, '--replica', broker]);
	assert.equal(run.code, 0, run.stderr);
	assertOneLine(
		run,
		/^celerytop: warning: --replica redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0 is not a replica \(role:master\); reading from it anyway$/,
	);
	assert.equal((JSON.parse(run.stdout) as {replication: {role: string}}).replication.role, 'master');
});

test('a --replica of another server than the broker gets one warning line', async () => {
	const other = await startRedis();
	try {
		const run = await cli([
			'redis',
			'keys',
			'--pattern',
			'nothing-*',
			'-b',
			other.url,
			'--replica',
			replicaUrl,
		]);
		assert.equal(run.code, 0, run.stderr);
		assertOneLine(
			run,
			/^celerytop: warning: --replica redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ replicates another server than the broker \(its master_replid differs\)/,
		);
	} finally {
		await other.stop();
	}
});

test('replica state: role, link and replication id against the broker', () => {
	const info = (fields: Record<string, string>) => ({replication: fields});
	const broker = info({role: 'master', master_replid: 'aaa'});
	const up = replicaState(info({role: 'slave', master_link_status: 'up', master_replid: 'aaa'}), broker);
	assert.deepEqual(up, {role: 'slave', link: 'up', replid: 'aaa', ofBroker: true});
	assert.equal(replicaWarning(up, 'R'), undefined);
	const other = replicaState(info({role: 'slave', master_link_status: 'up', master_replid: 'bbb'}), broker);
	assert.match(replicaWarning(other, 'R') ?? '', /^--replica R replicates another server than the broker/);
	const down = replicaState(info({role: 'slave', master_link_status: 'down', master_replid: 'ccc'}), broker);
	assert.equal(down.ofBroker, undefined, 'before its first sync a replica has an id of its own');
	assert.match(replicaWarning(down, 'R') ?? '', /master_link_status:down/);
	assert.match(replicaWarning(replicaState(broker, broker), 'R') ?? '', /not a replica \(role:master\)/);
	const refused = replicaState(undefined, undefined);
	assert.equal(replicaWarning(refused, 'R'), undefined, 'INFO refused: nothing to tell');
});

test('the TUI: events via the replica in the header with its link, the overview names the server its INFO is from', async () => {
	const built = buildConfig({broker, replica: replicaUrl, readOnly: true, auditLog: false}, {});
	assert.ok(built.ok);
	const config: Config = built.value;
	const started = await startSession(config);
	assert.ok(started.ok, started.ok ? '' : started.error);
	const {session} = started;
	assert.equal(session.source, `replica 127.0.0.1:${replica.port}`);
	const redis = createRedisInspector(config);
	const frames = setInterval(() => session.store.flush(clock()), 50);
	const {r, frame, press} = mountApp({
		store: session.store,
		clock,
		brokerDisplay: config.brokerDisplay,
		readOnly: true,
		redis,
	});
	Object.defineProperty(r.stdout, 'columns', {value: 160, configurable: true});
	r.stdout.emit('resize');
	try {
		await waitFor(() => frame().includes(`events via replica 127.0.0.1:${replica.port} (link up)`), {
			message: frame,
		});
		assert.doesNotMatch(frame(), SECRETS);
		await writer.publish(heartbeat.channel, heartbeat.data);
		await waitFor(() => /events 1\b/.test(frame()), {message: frame});
		assert.match(await replica.cli('CLIENT', 'LIST'), /name=celerytop-events .*psub=1 /);
		assert.doesNotMatch(await primary.cli('CLIENT', 'LIST'), /psub=[1-9]/);
		await press(
			'2',
			(f) =>
				f.includes(`INFO, CLIENT LIST and SLOWLOG of replica 127.0.0.1:${replica.port} (master link up)`),
			'the overview names the replica',
		);
		assert.match(frame(), /role slave/);
	} finally {
		r.unmount();
		clearInterval(frames);
		await Promise.allSettled([session.stop(), redis.close()]);
	}
});
