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
	assert.equal(buildConfig({brokerTransportOptions: '[1]'}, {}).ok, false);
});
