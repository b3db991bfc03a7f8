import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	MAX_ARGS_TEXT,
	argsText,
	decodeEventMessage,
	parseEvent,
	pythonRepr,
} from '../../source/protocol/events.js';
import {eventMessages, rawEnvelope, readJson, readJsonLines, type PubSubLine} from '../helpers/fixtures.js';

const heartbeat = {hostname: 'w1@vm', timestamp: 1795771598.6308126, type: 'worker-heartbeat', freq: 2.0};

describe('decodeEventMessage on the capture', () => {
	test('every message on an event channel gives exactly the captured events, in order, with no error', () => {
		let total = 0;
		let batches = 0;
		for (const {message, decoded} of eventMessages()) {
			const result = decodeEventMessage(message.data);
			assert.deepEqual(result.errors, [], `line ${decoded.line}`);
			assert.deepEqual(result.events, decoded.events, `line ${decoded.line}`);
			total += result.events.length;
			if (decoded.body_is_array) batches++;
		}
		assert.equal(total, 182); // Celery's own State counted 182 events over the same capture
		assert.ok(batches > 50, 'task.multi arrays are covered');
	});

	test('every event message of the variants capture (db 3/4/5/6/7/8 and gevent) decodes', () => {
		const lines = readJsonLines<PubSubLine>('events-pubsub-variants.jsonl').filter((line) =>
			line.channel.includes('celeryev'),
		);
		assert.ok(lines.length >= 50);
		const types = new Set<string>();
		for (const line of lines) {
			const result = decodeEventMessage(line.data);
			assert.deepEqual(result.errors, [], line.channel);
			assert.ok(result.events.length >= 1, line.channel);
			for (const event of result.events) types.add(event.type);
		}
		for (const type of [
			'worker-online',
			'worker-heartbeat',
			'worker-offline',
			'task-sent',
			'task-received',
			'task-started',
			'task-succeeded',
			'task-failed',
		]) {
			assert.ok(types.has(type), type);
		}
	});

	test('messages that are not events (result notifications) are rejected, not thrown', () => {
		const notification = readJsonLines<PubSubLine>('events-pubsub.jsonl').find((line) =>
			line.channel.startsWith('celery-task-meta-'),
		)!;
		assert.deepEqual(decodeEventMessage(notification.data), {events: [], errors: ['bad-envelope']});
	});
});

describe('decodeEventMessage on malformed input', () => {
	const cases: Array<[string, string, {events: number; errors: string[]}]> = [
		['not JSON', 'hello', {events: 0, errors: ['not-json']}],
		['bad base64', rawEnvelope('{}', {body: '%%%%'}), {events: 0, errors: ['bad-base64']}],
		[
			'invalid UTF-8 bytes',
			rawEnvelope('{}', {body: Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString('base64')}),
			{events: 0, errors: ['bad-utf8']},
		],
		[
			'pickle content-type',
			rawEnvelope('{}', {'content-type': 'application/x-python-serialize'}),
			{events: 0, errors: ['unsupported-serializer']},
		],
		['a body that is not JSON', rawEnvelope('[{"type": "task-sent"'), {events: 0, errors: ['body-not-json']}],
		['a number payload', rawEnvelope('42'), {events: 0, errors: ['not-an-event']}],
		['an empty task.multi array', rawEnvelope('[]'), {events: 0, errors: []}],
		['no type', rawEnvelope('{"hostname": "w1@vm", "timestamp": 1}'), {events: 0, errors: ['missing-type']}],
		[
			'no hostname',
			rawEnvelope('{"type": "worker-heartbeat", "timestamp": 1}'),
			{events: 0, errors: ['missing-hostname']},
		],
		[
			'a string timestamp',
			rawEnvelope('{"type": "worker-heartbeat", "hostname": "w1@vm", "timestamp": "x"}'),
			{events: 0, errors: ['bad-timestamp']},
		],
		[
			'no timestamp',
			rawEnvelope('{"type": "worker-heartbeat", "hostname": "w1@vm"}'),
			{events: 0, errors: ['bad-timestamp']},
		],
		[
			'a negative timestamp',
			rawEnvelope('{"type": "worker-heartbeat", "hostname": "w1@vm", "timestamp": -1}'),
			{events: 0, errors: ['bad-timestamp']},
		],
		[
			'a task event with no uuid',
			rawEnvelope('{"type": "task-started", "hostname": "w1@vm", "timestamp": 1}'),
			{events: 0, errors: ['missing-uuid']},
		],
		[
			'a task event with a numeric uuid',
			rawEnvelope('{"type": "task-started", "hostname": "w1@vm", "timestamp": 1, "uuid": 7}'),
			{events: 0, errors: ['missing-uuid']},
		],
		[
			'an array with bad items among good ones',
			rawEnvelope(
				JSON.stringify([
					{type: 'task-started', hostname: 'w1@vm', timestamp: 1, uuid: 'a'},
					'oops',
					{type: 'task-started', hostname: 'w1@vm', timestamp: 'x', uuid: 'b'},
					{type: 'task-succeeded', hostname: 'w1@vm', timestamp: 2, uuid: 'a'},
					null,
					{type: 'task-failed', hostname: 'w1@vm', timestamp: 3},
				]),
			),
			{events: 2, errors: ['not-an-event', 'bad-timestamp', 'not-an-event', 'missing-uuid']},
		],
	];
	for (const [name, raw, expected] of cases) {
		test(name, () => {
			const result = decodeEventMessage(raw);
			assert.equal(result.events.length, expected.events);
			assert.deepEqual(result.errors, expected.errors);
		});
	}

	test('the good items of a mixed array are kept in wire order, untouched', () => {
		const good = [
			{type: 'task-started', hostname: 'w1@vm', timestamp: 1, uuid: 'a', extra: {nested: [1]}},
			{type: 'task-succeeded', hostname: 'w1@vm', timestamp: 2, uuid: 'a', result: '3', runtime: 0.1},
		];
		const result = decodeEventMessage(rawEnvelope(JSON.stringify([good[0], 5, good[1]])));
		assert.deepEqual(result.events, good);
	});

	test('never throws, whatever the text', () => {
		const samples = [
			'',
			'{',
			'"x"',
			'null',
			'[]',
			'{"body": null}',
			'{"body": "", "content-type": "application/json", "properties": {"body_encoding": "base64"}}',
			'\u0000\uffff',
			'{"__proto__": {"body": "e30="}}',
		];
		let seed = 7;
		for (let i = 0; i < 300; i++) {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			const base = rawEnvelope(JSON.stringify([heartbeat]));
			const position = seed % base.length;
			samples.push(base.slice(0, position) + String.fromCharCode(seed % 128) + base.slice(position + 1));
		}
		for (const raw of samples) {
			const result = decodeEventMessage(raw);
			// Each message gives its event or a counted reason: nothing is lost silently.
			assert.ok(result.events.length + result.errors.length >= 1, JSON.stringify(raw));
			for (const event of result.events) assert.ok(parseEvent(event).ok);
		}
	});
});

describe('parseEvent', () => {
	test('keeps the very object and every field, including unknown ones', () => {
		const value = {...heartbeat, custom: 'x', loadavg: [0.1, 0.2, 0.3]};
		const result = parseEvent(value);
		assert.ok(result.ok);
		assert.equal(result.event, value);
	});

	test('accepts a custom event type and worker events without uuid', () => {
		assert.ok(parseEvent({type: 'myapp-thing', hostname: 'h', timestamp: 0}).ok);
		assert.ok(parseEvent({type: 'worker-offline', hostname: 'h', timestamp: 5}).ok);
	});

	test('rejects NaN and Infinity timestamps passed in directly', () => {
		assert.deepEqual(parseEvent({...heartbeat, timestamp: Number.NaN}), {ok: false, reason: 'bad-timestamp'});
		assert.deepEqual(parseEvent({...heartbeat, timestamp: Number.POSITIVE_INFINITY}), {
			ok: false,
			reason: 'bad-timestamp',
		});
		assert.deepEqual(parseEvent([heartbeat]), {ok: false, reason: 'not-an-event'});
	});
});

describe('pythonRepr and argsText (args/kwargs sent as JSON values)', () => {
	// Python's own repr() of each value, written by test/fixtures/make-celery-expected.py.
	const table = readJson<{python_repr: Array<{value: unknown; repr: string}>}>(
		'celery-state-expected.json',
	).python_repr;

	test("gives Python's repr() for every value of the table", () => {
		assert.ok(table.length >= 30);
		for (const {value, repr} of table) assert.equal(pythonRepr(value), repr, JSON.stringify(value));
	});

	test('long values are cut at MAX_ARGS_TEXT characters, ending in …', () => {
		const big = Array.from({length: 50_000}, (_, i) => `item-${i}`);
		const text = argsText(big);
		assert.equal(text.length, MAX_ARGS_TEXT);
		assert.ok(text.startsWith("['item-0', 'item-1', "));
		assert.ok(text.endsWith('…'));
		assert.equal(argsText({s: 'x'.repeat(MAX_ARGS_TEXT * 2)}).length, MAX_ARGS_TEXT);
		// Just under the bound: whole.
		const fits = ['y'.repeat(MAX_ARGS_TEXT - 4)];
		assert.equal(argsText(fits), `['${fits[0]}']`);
	});

	test('deeply nested values stay bounded (parseEvent refuses deeper events)', () => {
		let value: unknown = 1;
		for (let i = 0; i < 200; i++) value = [value];
		const text = pythonRepr(value);
		assert.ok(text.length < 200 * 2, text.length.toString());
		assert.ok(text.includes('...'));
	});
});
