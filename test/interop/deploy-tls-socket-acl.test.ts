// Locked-down deployments against real redis-servers started here: TLS with CA verification and client
// certificates (openssl makes the certificates), a Unix socket with a real Celery worker, ACL users.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {freePort, startRedis, type RedisServer} from '../helpers/redis-server.js';
import {requireCelery, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {makeCertificates, type Certificates} from '../helpers/tls.js';
import {captured, CLI, publishHeartbeat, redisCli, runCli, watchEvents} from '../helpers/deploy.js';
import {waitFor} from '../helpers/wait-for.js';

const PASSWORD = 'Tls-s3cret-Pw9';
const ACL_PASSWORD = 'Acl-s3cret-Pw7';
let certs: Certificates;
let tlsServer: RedisServer; // plain port for the test itself, TLS port for celerytop, clients optional
let mtlsServer: RedisServer; // TLS port requires a client certificate
let tlsPort: number;
let mtlsPort: number;
let socketServer: RedisServer;
let socketPath: string;
let worker: CeleryWorker | undefined;

// The minimal ACL documented in the README ("Locked-down Redis").
const MINIMAL_ACL = [
	'~*',
	'&*',
	'+@connection',
	'+@read',
	'+info',
	'+dbsize',
	'+psubscribe',
	'+publish',
	'+sadd',
	'+srem',
	'+del',
	'+multi',
	'+exec',
	'+brpop',
	'+memory|usage',
	'+client|list',
	'+client|setname',
	'+slowlog|get',
	'+config|get',
	'+monitor',
];

before(async () => {
	assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
	certs = makeCertificates();
	const tlsArgs = (port: number, auth: string) => [
		'--tls-port',
		String(port),
		'--tls-cert-file',
		certs.serverCert,
		'--tls-key-file',
		certs.serverKey,
		'--tls-ca-cert-file',
		certs.ca,
		'--tls-auth-clients',
		auth,
	];
	tlsPort = await freePort();
	tlsServer = await startRedis({password: PASSWORD, args: tlsArgs(tlsPort, 'no')});
	mtlsPort = await freePort();
	mtlsServer = await startRedis({password: PASSWORD, args: tlsArgs(mtlsPort, 'yes')});
	socketPath = join(mkdtempSync(join(tmpdir(), 'celerytop-sock-')), 'redis.sock');
	socketServer = await startRedis({args: ['--unixsocket', socketPath, '--unixsocketperm', '700']});
});

after(async () => {
	await worker?.stop();
	await tlsServer?.stop();
	await mtlsServer?.stop();
	await socketServer?.stop();
	// Secrets never leak: not in any output of any run in this file.
	const all = captured.join('\n');
	assert.ok(all.length > 0);
	for (const secret of [PASSWORD, ACL_PASSWORD]) assert.ok(!all.includes(secret), `${secret} leaked`);
});

const plain = (server: RedisServer) => ['-h', '127.0.0.1', '-p', String(server.port), '-a', PASSWORD];

async function eventsArrive(
	broker: string,
	publish: (hostname: string) => void,
	hostname: string,
): Promise<void> {
	const watch = watchEvents(['-b', broker]);
	try {
		await waitFor(() => /listening on/.test(watch.stderr()) || watch.child.exitCode !== null, {
			message: () => watch.stderr(),
		});
		await waitFor(
			() => {
				publish(hostname);
				return watch.lines().some((e) => e['hostname'] === hostname && e['type'] === 'worker-heartbeat');
			},
			{interval: 100, message: () => `no heartbeat from ${hostname}; stderr: ${watch.stderr()}`},
		);
	} finally {
		await watch.stop();
	}
}

test('rediss:// with ssl_cert_reqs=CERT_REQUIRED and ssl_ca_certs: events, inspect and redis info', async () => {
	const broker = `rediss://:${PASSWORD}@127.0.0.1:${tlsPort}/0?ssl_cert_reqs=CERT_REQUIRED&ssl_ca_certs=${certs.ca}`;
	await eventsArrive(broker, (h) => publishHeartbeat(plain(tlsServer), h), 'tls1@host');
	const info = await runCli(['redis', 'info', '--json', '-b', broker]);
	assert.equal(info.code, 0, info.stderr);
	assert.equal(
		(JSON.parse(info.stdout) as {server: {redis_version: string}}).server.redis_version.length > 0,
		true,
	);
	const ping = await runCli(['inspect', 'ping', '-t', '0.3', '-b', broker]);
	assert.equal(ping.code, 1, ping.stderr); // connected, published, no worker answered
	assert.doesNotMatch(ping.stderr, /TLS|connect/i);
	// Lower-case spelling, the same as kombu accepts.
	const lower = await runCli(['redis', 'info', '--json', '-b', broker.replace('CERT_REQUIRED', 'required')]);
	assert.equal(lower.code, 0, lower.stderr);
	// CERT_NONE: no verification, no CA needed.
	const none = await runCli([
		'redis',
		'info',
		'--json',
		'-b',
		`rediss://:${PASSWORD}@127.0.0.1:${tlsPort}/0?ssl_cert_reqs=CERT_NONE`,
	]);
	assert.equal(none.code, 0, none.stderr);
	// The redis info view's raw socket scanner (keys) goes through TLS too.
	redisCli(plain(tlsServer), 'SET', 'tls-key', 'v');
	const keys = await runCli(['redis', 'keys', '--json', '-b', broker]);
	assert.equal(keys.code, 0, keys.stderr);
	assert.match(keys.stdout, /"tls-key"/);
});

test('rediss:// with a CA that did not sign the server: one clear line, exit 1', async () => {
	const broker = `rediss://:${PASSWORD}@127.0.0.1:${tlsPort}/0?ssl_cert_reqs=CERT_REQUIRED&ssl_ca_certs=${certs.otherCa}`;
	for (const args of [
		['redis', 'info', '--json'],
		['events', '--json', '--duration', '1'],
		['inspect', 'ping'],
	]) {
		const run = await runCli([...args, '-b', broker]);
		assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
		const lines = run.stderr.trim().split('\n');
		assert.equal(lines.length, 1, run.stderr);
		assert.match(
			lines[0]!,
			/^celerytop: TLS error connecting to rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0.*not signed by a CA in ssl_ca_certs$/,
		);
		assert.equal(run.stdout, '');
	}
	// No CA at all: the system store does not know our test CA either.
	const noCa = await runCli([
		'redis',
		'info',
		'-b',
		`rediss://:${PASSWORD}@127.0.0.1:${tlsPort}/0?ssl_cert_reqs=CERT_REQUIRED`,
	]);
	assert.equal(noCa.code, 1);
	assert.match(noCa.stderr, /TLS error/);
	// A file that cannot be read: a usage error before connecting.
	const missing = await runCli([
		'redis',
		'info',
		'-b',
		`rediss://127.0.0.1:${tlsPort}/0?ssl_cert_reqs=required&ssl_ca_certs=/nonexistent/ca.pem`,
	]);
	assert.equal(missing.code, 2);
	assert.equal(missing.stderr.trim(), 'celerytop: cannot read the TLS CA file /nonexistent/ca.pem: ENOENT');
	const badReqs = await runCli([
		'redis',
		'info',
		'-b',
		`rediss://127.0.0.1:${tlsPort}/0?ssl_cert_reqs=maybe`,
	]);
	assert.equal(badReqs.code, 2);
	assert.match(badReqs.stderr, /invalid ssl_cert_reqs 'maybe'/);
});

test('rediss:// to a server with --tls-auth-clients yes: ssl_certfile/ssl_keyfile work, without them a clear error', async () => {
	const base = `rediss://:${PASSWORD}@127.0.0.1:${mtlsPort}/0?ssl_cert_reqs=CERT_REQUIRED&ssl_ca_certs=${certs.ca}`;
	const broker = `${base}&ssl_certfile=${certs.clientCert}&ssl_keyfile=${certs.clientKey}`;
	await eventsArrive(broker, (h) => publishHeartbeat(plain(mtlsServer), h), 'mtls1@host');
	const info = await runCli(['redis', 'info', '--json', '-b', broker]);
	assert.equal(info.code, 0, info.stderr);
	const monitor = await runCli(['redis', 'monitor', '--duration', '0.3', '-b', broker]);
	assert.equal(monitor.code, 0, monitor.stderr);
	const without = await runCli(['redis', 'info', '-b', base]);
	assert.equal(without.code, 1);
	assert.equal(without.stderr.trim().split('\n').length, 1, without.stderr);
	assert.match(without.stderr, /^celerytop: (TLS error|cannot connect)/);
	const half = await runCli(['redis', 'info', '-b', `${base}&ssl_certfile=${certs.clientCert}`]);
	assert.equal(half.code, 2);
	assert.match(half.stderr, /needs both ssl_certfile and ssl_keyfile/);
});

test('unix:// and redis+socket://?virtual_host=N with a real Celery worker on the same socket', async () => {
	requireCelery();
	const sock = ['-s', socketPath];
	await eventsArrive(`unix://${socketPath}`, (h) => publishHeartbeat(sock, h), 'sock0@host');
	await eventsArrive(
		`redis+socket://${socketPath}?virtual_host=3`,
		(h) => publishHeartbeat(sock, h, 3),
		'sock3@host',
	);
	const info = await runCli(['redis', 'info', '--json', '-b', `unix://${socketPath}`]);
	assert.equal(info.code, 0, info.stderr);
	// Celery's own spelling of the socket URL, for the worker and for celerytop.
	const broker = `redis+socket://${socketPath}?virtual_host=2`;
	worker = await startWorker({brokerUrl: broker, name: 'sockw', concurrency: 1, pool: 'solo'});
	const ping = await runCli(['inspect', 'ping', '--json', '-b', broker]);
	assert.equal(ping.code, 0, ping.stderr);
	assert.match(Object.keys(JSON.parse(ping.stdout) as object).join(), /^sockw@/);
	const watch = watchEvents(['-b', broker]);
	try {
		await waitFor(
			() =>
				watch
					.lines()
					.some((e) => e['type'] === 'worker-heartbeat' && String(e['hostname']).startsWith('sockw@')),
			{
				timeout: 8_000,
				message: () => watch.stderr(),
			},
		);
	} finally {
		await watch.stop();
	}
	const gone = await runCli(['redis', 'info', '-b', `unix://${socketPath}.missing`]);
	assert.equal(gone.code, 1);
	assert.match(gone.stderr, /no socket at/);
});

test('ACL users: the minimal profile runs everything; a missing permission degrades that one feature', async () => {
	const admin = plain(tlsServer);
	redisCli(admin, 'ACL', 'SETUSER', 'ct', 'reset', 'on', `>${ACL_PASSWORD}`, ...MINIMAL_ACL);
	redisCli(admin, 'ACL', 'SETUSER', 'ctnopub', 'reset', 'on', `>${ACL_PASSWORD}`, ...MINIMAL_ACL, '-publish');
	redisCli(
		admin,
		'ACL',
		'SETUSER',
		'ctnomon',
		'reset',
		'on',
		`>${ACL_PASSWORD}`,
		...MINIMAL_ACL,
		'-monitor',
		'-info',
	);
	redisCli(admin, 'LPUSH', 'celery', '{"x": 1}');
	const url = (user: string) => `redis://${user}:${ACL_PASSWORD}@127.0.0.1:${tlsServer.port}/0`;
	await eventsArrive(url('ct'), (h) => publishHeartbeat(admin, h), 'acl1@host');
	for (const args of [
		['redis', 'info', '--json'],
		['redis', 'memory', '--json'],
		['redis', 'keys', '--json'],
		['queues', '--json'],
		['redis', 'monitor', '--duration', '0.3'],
	]) {
		const run = await runCli([...args, '-b', url('ct')]);
		assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
		assert.doesNotMatch(run.stderr, /NOPERM/);
	}
	const ping = await runCli(['inspect', 'ping', '-t', '0.3', '-b', url('ct')]);
	assert.equal(ping.code, 1);
	assert.doesNotMatch(ping.stderr, /NOPERM|permission/);
	// Without +publish: inspect says why in one line; the event feed still works.
	const noPub = await runCli(['inspect', 'ping', '-b', url('ctnopub')]);
	assert.equal(noPub.code, 1);
	assert.match(
		noPub.stderr.trim(),
		/^celerytop: permission denied on redis:\/\/ctnopub:\*\*\*@127\.0\.0\.1:\d+\/0: NOPERM .*'publish'/,
	);
	await eventsArrive(url('ctnopub'), (h) => publishHeartbeat(admin, h), 'acl2@host');
	// Without +monitor and +info: MONITOR and INFO are refused clearly, the feed, keys and queues still work,
	// and nothing (no library warning) is printed around them.
	const noMon = await runCli(['redis', 'monitor', '--duration', '0.3', '-b', url('ctnomon')]);
	assert.equal(noMon.code, 1);
	assert.match(noMon.stderr, /NOPERM .*'monitor'/);
	const noInfo = await runCli(['redis', 'info', '-b', url('ctnomon')]);
	assert.equal(noInfo.code, 1);
	assert.equal(noInfo.stderr.trim().split('\n').length, 1, noInfo.stderr);
	assert.match(noInfo.stderr, /NOPERM .*'info'/);
	const keys = await runCli(['redis', 'keys', '--json', '-b', url('ctnomon')]);
	assert.equal(keys.code, 0, keys.stderr);
	assert.match(keys.stdout, /"celery"/);
	const watch = watchEvents(['--duration', '1', '-b', url('ctnomon')]);
	await waitFor(() => watch.child.exitCode !== null, {message: 'events --duration 1 did not end'});
	await watch.stop();
	assert.equal(watch.child.exitCode, 0, watch.stderr());
	assert.doesNotMatch(watch.stderr(), /ready check|NOPERM/i);
});
