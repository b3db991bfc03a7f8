// Celery's sentinel:// broker URL against Debian's redis-sentinel: one master, one replica, one sentinel on
// loopback. celerytop finds the master through the sentinel, and follows a failover while `events --json` runs.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {
	masterPort,
	requireSentinel,
	sentinelCommand,
	startSentinel,
	type Sentinel,
} from '../helpers/sentinel.js';
import {captured, CLI, publishHeartbeat, redisCli, runCli, watchEvents} from '../helpers/deploy.js';
import {waitFor} from '../helpers/wait-for.js';

const PASSWORD = 'Sentinel-s3cret-Pw5';
const NAME = 'mymaster';
let master: RedisServer;
let replica: RedisServer;
let sentinel: Sentinel;
let broker: string;
const transport = JSON.stringify({master_name: NAME});

before(async () => {
	assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
	requireSentinel();
	master = await startRedis({password: PASSWORD, args: ['--masterauth', PASSWORD]});
	replica = await startRedis({
		password: PASSWORD,
		args: ['--masterauth', PASSWORD, '--replicaof', '127.0.0.1', String(master.port)],
	});
	await waitFor(() => /master_link_status:up/.test(redisCli(auth(replica), 'INFO', 'replication')), {
		message: 'replica did not sync',
	});
	sentinel = await startSentinel(NAME, master.port, PASSWORD);
	// Sentinel must know the replica before it can fail over to it.
	await waitFor(() => /\d/.test(sentinelCommand(sentinel.port, 'SENTINEL', 'REPLICAS', NAME)), {
		message: () => `sentinel did not discover the replica:\n${sentinel.output()}`,
	});
	// Celery's form: several sentinel:// URLs joined by ';' (the first one here is down).
	broker = `sentinel://:${PASSWORD}@127.0.0.1:1/0;sentinel://:${PASSWORD}@127.0.0.1:${sentinel.port}/0`;
});

after(async () => {
	await sentinel?.stop();
	await replica?.stop();
	await master?.stop();
	const all = captured.join('\n');
	assert.ok(all.length > 0);
	assert.ok(!all.includes(PASSWORD), 'the password leaked into captured output');
});

function auth(server: RedisServer | number): string[] {
	const port = typeof server === 'number' ? server : server.port;
	return ['-h', '127.0.0.1', '-p', String(port), '-a', PASSWORD];
}

test('sentinel:// needs master_name; then redis info, keys, inspect reach the master', async () => {
	const missing = await runCli(['redis', 'info', '-b', broker]);
	assert.equal(missing.code, 2);
	assert.match(
		missing.stderr,
		/needs the master's name: --broker-transport-options '\{"master_name": "mymaster"\}'/,
	);

	const info = await runCli([
		'redis',
		'info',
		'--json',
		'--broker-transport-options',
		transport,
		'-b',
		broker,
	]);
	assert.equal(info.code, 0, info.stderr);
	const parsed = JSON.parse(info.stdout) as {replication: {role: string}; server: {tcp_port: number}};
	assert.equal(parsed.replication.role, 'master');
	assert.equal(Number(parsed.server.tcp_port), master.port);

	redisCli(auth(master), 'SET', 'via-sentinel', '1');
	const keys = await runCli([
		'redis',
		'keys',
		'--json',
		'--broker-transport-options',
		transport,
		'-b',
		broker,
	]);
	assert.equal(keys.code, 0, keys.stderr);
	assert.match(keys.stdout, /"via-sentinel"/);

	const ping = await runCli([
		'inspect',
		'ping',
		'-t',
		'0.3',
		'--broker-transport-options',
		transport,
		'-b',
		broker,
	]);
	assert.equal(ping.code, 1, ping.stderr); // reached the master and published; no worker to answer
	assert.doesNotMatch(ping.stderr, /connect|sentinel/i);

	const unknown = await runCli([
		'redis',
		'info',
		'--broker-transport-options',
		JSON.stringify({master_name: 'nosuch'}),
		'-b',
		broker,
	]);
	assert.equal(unknown.code, 1);
	assert.equal(unknown.stderr.trim().split('\n').length, 1, unknown.stderr);
	assert.match(unknown.stderr, /^celerytop: cannot connect to sentinel:\/\/:\*\*\*@/);
});

test('events --json through sentinel follows a failover to the new master', async () => {
	const watch = watchEvents(['--broker-transport-options', transport, '-b', broker]);
	try {
		await waitFor(() => /listening on/.test(watch.stderr()), {message: () => watch.stderr()});
		const arrived = (hostname: string) => watch.lines().some((e) => e['hostname'] === hostname);
		const first = masterPort(sentinel.port, NAME);
		await waitFor(
			() => {
				publishHeartbeat(auth(first), 'before@host');
				return arrived('before@host');
			},
			{interval: 100, message: () => watch.stderr()},
		);

		assert.equal(sentinelCommand(sentinel.port, 'SENTINEL', 'FAILOVER', NAME), 'OK');
		await waitFor(() => masterPort(sentinel.port, NAME) !== first, {
			timeout: 15_000,
			message: () => `no failover:\n${sentinel.output()}`,
		});
		const second = masterPort(sentinel.port, NAME);
		assert.equal(second, replica.port);
		await waitFor(() => /role:master/.test(redisCli(auth(second), 'INFO', 'replication')), {
			message: 'the replica was not promoted',
		});
		// celerytop's subscriber moved to the new master (not just fed by replication through the old one).
		await waitFor(
			() =>
				/name=celerytop-events .*cmd=psubscribe|name=celerytop-events/.test(
					redisCli(auth(second), 'CLIENT', 'LIST'),
				),
			{
				timeout: 15_000,
				message: () => `no celerytop-events client on the new master; stderr: ${watch.stderr()}`,
			},
		);
		await waitFor(
			() => {
				publishHeartbeat(auth(second), 'after@host');
				return arrived('after@host');
			},
			{interval: 100, timeout: 15_000, message: () => watch.stderr()},
		);
		assert.ok(watch.child.exitCode === null, 'events --json kept running');
	} finally {
		await watch.stop();
	}
});
