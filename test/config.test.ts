import {test} from 'node:test';
import assert from 'node:assert/strict';
import {buildConfig, parseBrokerUrl, redactUrl, scrub} from '../source/config.js';

test('broker URLs parse as Celery reads them', () => {
	const cases: Array<[string, Partial<ReturnType<typeof parseBrokerUrl> & {value: object}>['value']]> = [
		[
			'redis://localhost:6379/0',
			{host: 'localhost', port: 6379, db: 0, password: undefined, username: undefined, tls: false},
		],
		['redis://127.0.0.1:6390/3', {host: '127.0.0.1', port: 6390, db: 3}],
		['redis://:s3cret@host/7', {host: 'host', port: 6379, db: 7, password: 's3cret', username: undefined}],
		['redis://default:s3cret@host:1/8', {db: 8, password: 's3cret', username: 'default'}],
		['redis://h', {host: 'h', db: 0}],
		['rediss://h:6380/1', {tls: true, port: 6380, db: 1}],
		['redis+socket:///run/redis.sock?virtual_host=2', {path: '/run/redis.sock', db: 2}],
		['unix:///run/redis.sock', {path: '/run/redis.sock', db: 0}],
		['redis://:p%40ss@h/0', {password: 'p@ss'}],
	];
	for (const [url, expected] of cases) {
		const parsed = parseBrokerUrl(url);
		assert.ok(parsed.ok, url);
		for (const [key, value] of Object.entries(expected!))
			assert.deepEqual((parsed.value as Record<string, unknown>)[key], value, `${url} ${key}`);
	}
	for (const bad of ['nonsense', 'amqp://h//', 'redis://h/x', 'redis://h/-1'])
		assert.equal(parseBrokerUrl(bad).ok, false, bad);
});

test('passwords are redacted from URLs and scrubbed from messages', () => {
	assert.equal(redactUrl('redis://:s3cret@host:6379/0'), 'redis://:***@host:6379/0');
	assert.equal(redactUrl('redis://user:s3cret@host/0'), 'redis://user:***@host/0');
	assert.equal(redactUrl('redis://host:6379/0'), 'redis://host:6379/0');
	assert.equal(scrub('WRONGPASS s3cret nope', 's3cret'), 'WRONGPASS *** nope');
	const error = parseBrokerUrl('redis://:s3cret@host/notanumber');
	assert.ok(!error.ok && !error.error.includes('s3cret'));
});

test('config: flag, then CELERY_BROKER_URL, then the default; caps and transport options', () => {
	const fromEnv = buildConfig({}, {CELERY_BROKER_URL: 'redis://:pw@e:1/2'});
	assert.ok(fromEnv.ok);
	assert.equal(fromEnv.value.brokerDisplay, 'redis://:***@e:1/2');
	assert.equal(fromEnv.value.connection.db, 2);
	const flag = buildConfig({broker: 'redis://f/4'}, {CELERY_BROKER_URL: 'redis://e/2'});
	assert.ok(flag.ok && flag.value.connection.host === 'f');
	const plain = buildConfig({}, {});
	assert.ok(
		plain.ok && plain.value.brokerUrl === 'redis://localhost:6379/0' && plain.value.maxTasks === 10_000,
	);
	const transport = buildConfig(
		{brokerTransportOptions: '{"fanout_prefix": false, "global_keyprefix": "x:"}'},
		{},
	);
	assert.ok(transport.ok && transport.value.transport.global_keyprefix === 'x:');
	assert.equal(buildConfig({maxTasks: -1}, {}).ok, false);
	assert.ok(plain.ok && plain.value.maxEvents === 10_000, 'the Events pane keeps 10,000 events by default');
	const events = buildConfig({maxEvents: 200}, {});
	assert.ok(events.ok && events.value.maxEvents === 200);
	for (const bad of [0, -1, 2.5, 1_000_001]) {
		const built = buildConfig({maxEvents: bad}, {});
		assert.ok(!built.ok && /^--max-events must be /.test(built.error), `--max-events ${bad}`);
	}
	assert.equal(buildConfig({brokerTransportOptions: '[1]'}, {}).ok, false);
	// --stuck-after: a duration in s, m or h (a bare number is seconds); unset, the per-name default.
	assert.ok(plain.ok && plain.value.stuckAfter === undefined);
	for (const [text, seconds] of [['90', 90], ['90s', 90], ['5m', 300], ['1.5h', 5400]] as const) {
		const built = buildConfig({stuckAfter: text}, {});
		assert.ok(built.ok && built.value.stuckAfter === seconds, `--stuck-after ${text}`);
	}
	for (const bad of ['0', 'abc', '-5m', '5d', '8h x', '200h']) {
		const built = buildConfig({stuckAfter: bad}, {});
		assert.ok(!built.ok && /^--stuck-after must be a duration/.test(built.error), `--stuck-after ${bad}`);
	}
});

test('--replica: the broker URL syntax without sentinel; the db is the broker’s unless the URL names one', () => {
	const replicaOf = (broker: string, replica: string) => {
		const built = buildConfig({broker, replica}, {});
		assert.ok(built.ok, built.ok ? '' : built.error);
		return built.value.replica!;
	};
	const plain = replicaOf('redis://:pw@primary:6379/3', 'redis://:s3cret@10.0.0.7:6390');
	assert.deepEqual(
		[plain.connection.host, plain.connection.port, plain.connection.db, plain.connection.password],
		['10.0.0.7', 6390, 3, 's3cret'],
	);
	assert.equal(plain.display, 'redis://:***@10.0.0.7:6390');
	assert.equal(plain.address, '10.0.0.7:6390');
	assert.equal(replicaOf('redis://p/3', 'redis://r:1/').connection.db, 3, 'a bare / names no db');
	assert.equal(replicaOf('redis://p/3', 'redis://r:1/5').connection.db, 5);
	assert.equal(replicaOf('redis://p/3', 'redis://r:1/0').connection.db, 0);
	const socket = replicaOf('redis://p/4', 'unix:///run/replica.sock');
	assert.deepEqual(
		[socket.connection.path, socket.connection.db, socket.address],
		['/run/replica.sock', 4, '/run/replica.sock'],
	);
	assert.equal(replicaOf('redis://p/4', 'redis+socket:///run/r.sock?virtual_host=2').connection.db, 2);
	const tls = replicaOf('redis://p/1', 'rediss://user:pw@r:6380?ssl_cert_reqs=CERT_NONE');
	assert.deepEqual(
		[tls.connection.tls, tls.connection.tlsOptions?.verify, tls.connection.username],
		[true, false, 'user'],
	);
	assert.equal(replicaOf('redis://p', 'redis://[::1]:6390').address, '[::1]:6390');
	const none = buildConfig({broker: 'redis://p'}, {});
	assert.ok(none.ok && none.value.replica === undefined);

	for (const [replica, message] of [
		['sentinel://:s3cret@s1:26379;sentinel://s2:26379', /not sentinel:\/\//],
		['amqp://guest:s3cret@h//', /^unsupported --replica scheme 'amqp'/],
		['redis://:s3cret@h/x', /^--replica: invalid database number in redis:\/\/:\*\*\*@h\/x$/],
		['redis://:s3cret@h:99999999/0', /^invalid --replica URL: redis:\/\/:\*\*\*@h:99999999\/0$/],
	] as const) {
		const built = buildConfig({broker: 'redis://p', replica}, {});
		assert.ok(!built.ok, replica);
		assert.match(built.error, message);
		assert.doesNotMatch(built.error, /s3cret/);
	}
	// --tls-* apply to a rediss:// replica too (the files are read at start).
	const files = buildConfig({broker: 'redis://p', replica: 'rediss://r', tlsCa: '/nonexistent/ca.pem'}, {});
	assert.ok(!files.ok && /cannot read the TLS CA file \/nonexistent\/ca\.pem/.test(files.error));
	assert.equal(buildConfig({broker: 'redis://p', replica: 'redis://r', tlsCa: '/x'}, {}).ok, false);
});
