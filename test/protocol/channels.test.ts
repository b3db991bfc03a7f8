import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	bindingMember,
	eventChannelPattern,
	escapeGlob,
	pidboxChannel,
	priorityQueueKeys,
	publishChannel,
	parseTransportOptions,
	replyBindingKey,
	replyQueueKey,
	replyQueueName,
} from '../../source/protocol/channels.js';
import type {TransportOptions} from '../../source/protocol/types.js';
import {readJsonLines, type PubSubLine} from '../helpers/fixtures.js';

/** Redis glob matching for what our patterns use: '*', '?' and backslash escapes. */
function globMatches(pattern: string, text: string): boolean {
	let source = '^';
	for (let i = 0; i < pattern.length; i++) {
		const char = pattern[i]!;
		if (char === '\\') source += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
		else if (char === '*') source += '[\\s\\S]*';
		else if (char === '?') source += '[\\s\\S]';
		else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
	}
	return new RegExp(source + '$').test(text);
}

// The docs/WIRE.md §3.3 table: one row per broker variant that was captured.
const variants: Array<{
	name: string;
	db: number;
	options: TransportOptions;
	pattern: string;
	pidbox: string;
	heartbeat: string;
}> = [
	{
		name: 'default, db 0',
		db: 0,
		options: {},
		pattern: '/0.celeryev/*',
		pidbox: '/0.celery.pidbox',
		heartbeat: '/0.celeryev/worker.heartbeat',
	},
	{
		name: 'URL /3',
		db: 3,
		options: {},
		pattern: '/3.celeryev/*',
		pidbox: '/3.celery.pidbox',
		heartbeat: '/3.celeryev/worker.heartbeat',
	},
	{
		name: 'fanout_patterns=false',
		db: 4,
		options: {fanout_patterns: false},
		pattern: '/4.celeryev',
		pidbox: '/4.celery.pidbox',
		heartbeat: '/4.celeryev',
	},
	{
		name: 'fanout_prefix=false',
		db: 5,
		options: {fanout_prefix: false},
		pattern: 'celeryev/*',
		pidbox: 'celery.pidbox',
		heartbeat: 'celeryev/worker.heartbeat',
	},
	{
		name: 'global_keyprefix pfx:',
		db: 6,
		options: {global_keyprefix: 'pfx:'},
		pattern: 'pfx:/6.celeryev/*',
		pidbox: 'pfx:/6.celery.pidbox',
		heartbeat: 'pfx:/6.celeryev/worker.heartbeat',
	},
	{
		name: 'password URL /7',
		db: 7,
		options: {},
		pattern: '/7.celeryev/*',
		pidbox: '/7.celery.pidbox',
		heartbeat: '/7.celeryev/worker.heartbeat',
	},
	{
		name: 'user:password URL /8',
		db: 8,
		options: {},
		pattern: '/8.celeryev/*',
		pidbox: '/8.celery.pidbox',
		heartbeat: '/8.celeryev/worker.heartbeat',
	},
	{
		name: 'custom fanout_prefix (not captured)',
		db: 2,
		options: {fanout_prefix: '/x{db}.'},
		pattern: '/x2.celeryev/*',
		pidbox: '/x2.celery.pidbox',
		heartbeat: '/x2.celeryev/worker.heartbeat',
	},
];

describe('channel names per variant (docs/WIRE.md §3.3)', () => {
	for (const variant of variants) {
		test(variant.name, () => {
			assert.equal(eventChannelPattern(variant.db, variant.options), variant.pattern);
			assert.equal(pidboxChannel(variant.db, variant.options), variant.pidbox);
			assert.equal(
				publishChannel(variant.db, variant.options, 'celeryev', 'worker.heartbeat'),
				variant.heartbeat,
			);
			assert.ok(globMatches(variant.pattern, variant.heartbeat));
		});
	}

	test("every message of the variants capture was published on publishChannel(db, options, exchange, routing key) of exactly one variant, and that variant's pattern matches it", () => {
		const lines = readJsonLines<PubSubLine>('events-pubsub-variants.jsonl');
		for (const line of lines) {
			const info = JSON.parse(line.data).properties.delivery_info as {exchange: string; routing_key: string};
			const owners = variants.filter(
				(v) => publishChannel(v.db, v.options, info.exchange, info.routing_key) === line.channel,
			);
			assert.equal(owners.length, 1, line.channel);
			if (info.exchange === 'celeryev') {
				assert.ok(
					globMatches(eventChannelPattern(owners[0]!.db, owners[0]!.options), line.channel),
					line.channel,
				);
				for (const other of variants.filter((v) => v !== owners[0] && v.db !== 0)) {
					assert.ok(
						!globMatches(eventChannelPattern(other.db, other.options), line.channel),
						`${other.name} must not see ${line.channel}`,
					);
				}
			}
		}
	});

	test('the PSUBSCRIBE patterns workers used in each captured variant', () => {
		const monitor = readJsonLines<{
			variant: string;
			db: number;
			transport_options: TransportOptions;
			args: string[];
		}>('variants-monitor.jsonl');
		const subscribes = monitor.filter((line) => line.args[0] === 'PSUBSCRIBE');
		assert.ok(subscribes.length >= 8);
		for (const line of subscribes) {
			const pattern = line.args[1]!;
			const events = eventChannelPattern(line.db, line.transport_options);
			const gossip =
				line.transport_options.fanout_patterns === false ? events : events.replace(/\*$/, 'worker.*');
			assert.ok(
				pattern === pidboxChannel(line.db, line.transport_options) || pattern === gossip,
				`${line.variant}: ${pattern}`,
			);
		}
	});

	test('names that global_keyprefix changes and the ones it does not (vgkp capture)', () => {
		const monitor = readJsonLines<{
			variant: string;
			db: number;
			transport_options: TransportOptions;
			args: string[];
		}>('variants-monitor.jsonl');
		const options = {global_keyprefix: 'pfx:'};
		const sadd = monitor.find(
			(line) => line.variant === 'vgkp' && line.args[0] === 'SADD' && line.args[1]!.includes('reply'),
		)!;
		const oid = sadd.args[2]!.split('\x06\x16')[0]!;
		assert.equal(sadd.args[1], replyBindingKey(options));
		assert.equal(sadd.args[2], bindingMember(oid, '', replyQueueName(oid)));
		const brpop = monitor.find(
			(line) => line.variant === 'vgkp' && line.args[0] === 'BRPOP' && line.args[1]!.includes(oid),
		)!;
		assert.deepEqual(brpop.args.slice(1, 5), priorityQueueKeys(replyQueueKey(oid, options), options));
	});
});

describe('control names (docs/WIRE.md §5.1)', () => {
	test('reply queue, binding key and member with the defaults', () => {
		const oid = '1dcec21c-c82b-3960-8ba9-505cb19b8638';
		assert.equal(replyQueueName(oid), '1dcec21c-c82b-3960-8ba9-505cb19b8638.reply.celery.pidbox');
		assert.equal(replyQueueKey(oid, {}), replyQueueName(oid));
		assert.equal(replyBindingKey({}), '_kombu.binding.reply.celery.pidbox');
		assert.equal(
			bindingMember(oid, '', replyQueueName(oid)),
			'1dcec21c-c82b-3960-8ba9-505cb19b8638\x06\x16\x06\x161dcec21c-c82b-3960-8ba9-505cb19b8638.reply.celery.pidbox',
		);
		assert.equal(bindingMember('celery', '', 'celery', '|'), 'celery||celery');
	});

	test('a custom control exchange and event exchange', () => {
		assert.equal(pidboxChannel(1, {}, 'myapp'), '/1.myapp.pidbox');
		assert.equal(replyQueueName('o', 'myapp'), 'o.reply.myapp.pidbox');
		assert.equal(replyBindingKey({global_keyprefix: 'k:'}, 'myapp'), 'k:_kombu.binding.reply.myapp.pidbox');
		assert.equal(eventChannelPattern(1, {}, 'myev'), '/1.myev/*');
	});

	test('priority lists use the configured sep', () => {
		assert.deepEqual(priorityQueueKeys('celery', {}), [
			'celery',
			'celery\x06\x163',
			'celery\x06\x166',
			'celery\x06\x169',
		]);
		assert.deepEqual(priorityQueueKeys('q', {sep: ':'}), ['q', 'q:3', 'q:6', 'q:9']);
	});

	test('glob characters in configured prefixes are escaped in the PSUBSCRIBE pattern', () => {
		assert.equal(escapeGlob('a*b?[c]\\'), 'a\\*b\\?\\[c\\]\\\\');
		const pattern = eventChannelPattern(0, {global_keyprefix: 'app[1]*'});
		assert.equal(pattern, 'app\\[1\\]\\*/0.celeryev/*');
		assert.ok(globMatches(pattern, 'app[1]*/0.celeryev/task.multi'));
		assert.ok(!globMatches(pattern, 'app1x/0.celeryev/task.multi'));
	});
});

describe('parseTransportOptions', () => {
	test('accepts the options of every captured variant and keeps unknown options', () => {
		for (const json of [
			'{}',
			'{"fanout_patterns": false}',
			'{"fanout_prefix": false}',
			'{"fanout_prefix": "/x."}',
			'{"global_keyprefix": "pfx:"}',
			'{"sep": "|", "visibility_timeout": 3600}',
		]) {
			const result = parseTransportOptions(json);
			assert.ok(result.ok, json);
			assert.deepEqual(result.options, JSON.parse(json));
		}
	});

	const bad: Array<[string, RegExp]> = [
		['not json', /not JSON/],
		['[]', /JSON object/],
		['null', /JSON object/],
		['{"fanout_prefix": 1}', /fanout_prefix must be a boolean or a string/],
		['{"fanout_patterns": "no"}', /fanout_patterns must be a boolean/],
		['{"global_keyprefix": false}', /global_keyprefix must be a string/],
		['{"sep": ""}', /sep must be a non-empty string/],
	];
	for (const [json, message] of bad) {
		test(`rejects ${json}`, () => {
			const result = parseTransportOptions(json);
			assert.equal(result.ok, false);
			assert.match((result as {error: string}).error, message);
		});
	}
});
