import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {decodeBase64Strict, decodeEnvelope, encodeEnvelope} from '../../source/protocol/envelope.js';
import {eventMessages, rawEnvelope, readJsonLines, type PubSubLine} from '../helpers/fixtures.js';

describe('decodeEnvelope', () => {
	test('every captured event envelope gives the captured headers, properties and payload', () => {
		const pairs = eventMessages();
		assert.ok(pairs.length > 150, `expected the full capture, got ${pairs.length}`);
		for (const {message, decoded} of pairs) {
			const result = decodeEnvelope(message.data);
			assert.ok(result.ok, `line ${decoded.line}`);
			assert.deepEqual(result.headers, decoded.envelope!.headers, `headers of line ${decoded.line}`);
			assert.deepEqual(result.properties, decoded.envelope!.properties, `properties of line ${decoded.line}`);
			const events = Array.isArray(result.payload) ? result.payload : [result.payload];
			assert.deepEqual(events, decoded.events, `payload of line ${decoded.line}`);
			assert.equal(
				Array.isArray(result.payload),
				decoded.body_is_array,
				`body_is_array of line ${decoded.line}`,
			);
		}
	});

	test('control requests on the pidbox channel decode too (same envelope)', () => {
		const requests = readJsonLines<PubSubLine>('events-pubsub.jsonl').filter((line) =>
			line.channel.endsWith('.celery.pidbox'),
		);
		assert.ok(requests.length > 10);
		for (const request of requests) {
			const result = decodeEnvelope(request.data);
			assert.ok(result.ok);
			assert.equal(typeof (result.payload as {method: unknown}).method, 'string');
			assert.equal(result.properties['delivery_mode'], 2);
		}
	});

	test('a body without body_encoding is the payload text itself (the minimal envelope workers accept)', () => {
		const raw = JSON.stringify({
			body: '{"method":"ping","arguments":{}}',
			'content-type': 'application/json',
			headers: {},
			properties: {},
		});
		const result = decodeEnvelope(raw);
		assert.deepEqual(result, {
			ok: true,
			payload: {method: 'ping', arguments: {}},
			headers: {},
			properties: {},
		});
	});

	test('non-ASCII text escaped by Python and raw UTF-8 both decode', () => {
		const escaped = decodeEnvelope(rawEnvelope('{"kwargs": "{\'b\': \'h\\u00e9llo \\u2713\'}"}'));
		const utf8 = decodeEnvelope(rawEnvelope('{"kwargs": "{\'b\': \'héllo ✓\'}"}'));
		assert.ok(escaped.ok && utf8.ok);
		assert.deepEqual(escaped.payload, {kwargs: "{'b': 'héllo ✓'}"});
		assert.deepEqual(utf8.payload, escaped.payload);
	});

	const invalidUtf8Body = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]).toString(
		'base64',
	);
	const malformed: Array<[string, string, string]> = [
		['text that is not JSON', 'not-json', '{"body": "eyJ9'],
		['empty text', 'not-json', ''],
		['a JSON array', 'bad-envelope', '[1, 2]'],
		['JSON null', 'bad-envelope', 'null'],
		['no body', 'bad-envelope', JSON.stringify({'content-type': 'application/json', properties: {}})],
		['a numeric body', 'bad-envelope', JSON.stringify({body: 42, 'content-type': 'application/json'})],
		['a body with characters outside base64', 'bad-base64', rawEnvelope('{}', {body: 'eyJ9!!!='})],
		['a body with URL-safe base64 characters', 'bad-base64', rawEnvelope('{}', {body: 'e-J_'})],
		['a body with "=" in the middle', 'bad-base64', rawEnvelope('{}', {body: 'ey=9e30='})],
		['a body whose length is not a multiple of 4', 'bad-base64', rawEnvelope('{}', {body: 'e30'})],
		['bytes that are not UTF-8', 'bad-utf8', rawEnvelope('{}', {body: invalidUtf8Body})],
		[
			'a pickle content-type',
			'unsupported-serializer',
			rawEnvelope('{}', {'content-type': 'application/x-python-serialize'}),
		],
		[
			'a msgpack content-type',
			'unsupported-serializer',
			rawEnvelope('{}', {'content-type': 'application/x-msgpack'}),
		],
		['no content-type', 'unsupported-serializer', rawEnvelope('{}', {'content-type': undefined})],
		['a base64 payload that is not JSON', 'body-not-json', rawEnvelope('{"type": ')],
	];
	for (const [name, reason, raw] of malformed) {
		test(`rejects ${name} as ${reason}`, () => {
			assert.deepEqual(decodeEnvelope(raw), {ok: false, reason});
		});
	}
});

describe('decodeBase64Strict', () => {
	test('accepts padded base64 of every length and gives the same bytes as Buffer', () => {
		for (let length = 0; length < 12; length++) {
			const bytes = Buffer.from(Array.from({length}, (_, i) => (i * 37 + 250) % 256));
			const decoded = decodeBase64Strict(bytes.toString('base64'));
			assert.ok(decoded !== undefined, `length ${length}`);
			assert.deepEqual([...decoded], [...bytes]);
		}
	});

	test('rejects whitespace, stray characters and missing padding', () => {
		for (const text of [' e30=', 'e3 0', 'e30', 'e30==', '====', 'ab\ncd==']) {
			assert.equal(decodeBase64Strict(text), undefined, JSON.stringify(text));
		}
	});
});

describe('encodeEnvelope', () => {
	const captured = readJsonLines<PubSubLine>('events-pubsub.jsonl').find(
		(line) => line.channel === '/0.celeryev/worker.heartbeat',
	)!;

	test('produces the exact shape Celery sends: same keys in the same order, base64 body', () => {
		const original = JSON.parse(captured.data);
		const payload = JSON.parse(Buffer.from(original.body, 'base64').toString('utf8'));
		const raw = encodeEnvelope(payload, {
			headers: original.headers,
			deliveryInfo: original.properties.delivery_info,
			deliveryMode: 1,
			deliveryTag: original.properties.delivery_tag,
		});
		const ours = JSON.parse(raw);
		assert.deepEqual(Object.keys(ours), Object.keys(original));
		assert.deepEqual(Object.keys(ours.properties), Object.keys(original.properties));
		assert.deepEqual({...ours, body: undefined}, {...original, body: undefined});
		assert.deepEqual(JSON.parse(Buffer.from(ours.body, 'base64').toString('utf8')), payload);
	});

	test('round-trips through decodeEnvelope, including non-ASCII text', () => {
		const payload = {
			method: 'rate_limit',
			arguments: {task_name: 'app.hé✓', rate_limit: '10/m'},
			destination: ['w1@vm'],
		};
		const raw = encodeEnvelope(payload, {
			headers: {clock: 1, expires: 1795771802.5},
			deliveryInfo: {exchange: 'celery.pidbox', routing_key: ''},
			deliveryMode: 2,
			deliveryTag: 'a1b2',
		});
		const decoded = decodeEnvelope(raw);
		assert.ok(decoded.ok);
		assert.deepEqual(decoded.payload, payload);
		assert.deepEqual(decoded.headers, {clock: 1, expires: 1795771802.5});
		assert.deepEqual(decoded.properties, {
			delivery_mode: 2,
			delivery_info: {exchange: 'celery.pidbox', routing_key: ''},
			priority: 0,
			body_encoding: 'base64',
			delivery_tag: 'a1b2',
		});
		assert.equal(JSON.parse(raw)['content-encoding'], 'utf-8');
		assert.equal(JSON.parse(raw)['content-type'], 'application/json');
	});
});
