// `celery events --dump` lines: timestamps, field order and Python-like values as Celery prints them.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {formatDumpLine, formatUtcTimestamp} from '../../source/present/event-dump.js';
import {encodeEnvelope} from '../../source/protocol/envelope.js';
import {decodeEventMessage} from '../../source/protocol/events.js';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {eventMessages} from '../helpers/fixtures.js';

describe('formatDumpLine', () => {
	const options = {
		headers: {hostname: 'w1@vm'},
		deliveryInfo: {exchange: 'celeryev', routing_key: 'task.multi'},
		deliveryMode: 1 as const,
		deliveryTag: 't',
	};

	test('formats timestamps like Python str(datetime.utcfromtimestamp(ts))', () => {
		assert.equal(formatUtcTimestamp(1795771581.5382602), '2026-11-27 09:26:21.538260');
		assert.equal(formatUtcTimestamp(1795771581), '2026-11-27 09:26:21');
		assert.equal(formatUtcTimestamp(1795771581.9999997), '2026-11-27 09:26:22');
		assert.equal(formatUtcTimestamp(0.000001), '1970-01-01 00:00:00.000001');
	});

	test('task-sent as celery events --dump prints it (name, uuid, args, kwargs, then sorted fields)', () => {
		const {message} = eventMessages()[0]!;
		const [event] = decodeEventMessage(message.data).events;
		assert.equal(
			formatDumpLine(event!),
			'gen6677@vm [2026-11-27 09:26:21.538260] task sent: app.add(76c96a5f-3ac8-4c5d-8197-632e73766355) args=(2, 3) kwargs={} ' +
				'clock=1, eta=None, exchange=, expires=None, parent_id=None, pid=6677, queue=celery, retries=0, root_id=76c96a5f-3ac8-4c5d-8197-632e73766355, routing_key=celery, utcoffset=0',
		);
	});

	test('worker events use the human names and print lists like Python', () => {
		const event = {
			hostname: 'w1@vm',
			utcoffset: 0,
			pid: 7163,
			clock: 16,
			freq: 2.0,
			active: 0,
			processed: 4,
			loadavg: [0.52, 0.29, 0.12],
			sw_ident: 'py-celery',
			sw_ver: '5.2.6',
			sw_sys: 'Linux',
			timestamp: 1795771598.6308126,
			type: 'worker-heartbeat',
		};
		assert.equal(
			formatDumpLine(event),
			'w1@vm [2026-11-27 09:26:38.630813] heartbeat: active=0, clock=16, freq=2, loadavg=[0.52, 0.29, 0.12], pid=7163, processed=4, sw_ident=py-celery, sw_sys=Linux, sw_ver=5.2.6, utcoffset=0',
		);
		assert.match(formatDumpLine({...event, type: 'worker-offline'}), /^w1@vm \[[^\]]+\] shutdown: /);
		assert.match(formatDumpLine({...event, type: 'worker-online'}), /^w1@vm \[[^\]]+\] started: /);
	});

	test('other task events print the uuid, or name(uuid) when the caller knows the name', () => {
		const event: CeleryEvent = {
			hostname: 'w2@vm',
			uuid: 'u-1',
			result: "'ok'",
			runtime: 0.5,
			timestamp: 1795771581.5,
			type: 'task-succeeded',
		};
		assert.equal(
			formatDumpLine(event),
			"w2@vm [2026-11-27 09:26:21.500000] task succeeded: u-1 result='ok', runtime=0.5",
		);
		assert.equal(
			formatDumpLine(event, 'app.add'),
			"w2@vm [2026-11-27 09:26:21.500000] task succeeded: app.add(u-1) result='ok', runtime=0.5",
		);
	});

	test('terminal escapes and newlines in any field come out as inert visible text', () => {
		const hostile: CeleryEvent = {
			hostname: 'evil\u001b]0;pwned\u0007@vm',
			uuid: 'u\u001b[2J',
			name: 'app.\u009b31m',
			args: '(1,)\n',
			kwargs: '{}',
			traceback: 'Traceback\r\n  line\t1',
			timestamp: 1,
			type: 'task-received',
		};
		const line = formatDumpLine(hostile);
		assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f]/);
		assert.ok(line.includes('evil\\x1b]0;pwned\\x07@vm'));
		assert.ok(line.includes('u\\x1b[2J'));
		assert.ok(line.includes('app.\\x9b31m'));
		assert.ok(line.includes('args=(1,)\\n'));
		assert.ok(line.includes('traceback=Traceback\\r\\n  line\\t1'));
	});

	test('works on events decoded from an encoded envelope (no field is assumed)', () => {
		const [event] = decodeEventMessage(
			encodeEnvelope([{type: 'task-started', hostname: 'w1@vm', timestamp: 2, uuid: 'x'}], options),
		).events;
		assert.equal(
			formatDumpLine(event!),
			'w1@vm [1970-01-01 00:00:02] task started x ' /* no fields: no colon, as Celery */,
		);
	});

	test('the dump line prints JSON args like Python (quotes as Python chooses them)', () => {
		const event = {
			type: 'task-received',
			hostname: 'w1@vm',
			timestamp: 0,
			uuid: 'u',
			name: 'app.x',
			args: ["it's", 1],
			kwargs: {k: null},
		};
		assert.equal(
			formatDumpLine(event),
			`w1@vm [1970-01-01 00:00:00] task received app.x(u) args=["it's", 1] kwargs={'k': None} `,
		);
	});
});
