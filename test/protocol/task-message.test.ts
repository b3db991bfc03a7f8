// Decoding what Celery stores: every captured queued message (fixtures/task-messages.jsonl), the
// unacked hash value, and every result-backend write (fixtures/result-backend.jsonl).
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	decodeChordMember,
	decodeGroupResult,
	decodeTaskMessage,
	decodeTaskResult,
	decodeUnackedValue,
	looksLikeKombuMessage,
	parseIsoTime,
} from '../../source/protocol/task-message.js';
import {readJsonLines, rawEnvelope} from '../helpers/fixtures.js';

type MessageLine = {
	source: string;
	key: string;
	field?: string;
	data?: string;
	decoded_body?: unknown[];
	note: string;
};
type ResultLine = {command: string; key: string; data?: string; kind: string | null};

const messages = readJsonLines<MessageLine>('task-messages.jsonl');
const queued = messages.filter((m) => m.key !== 'unacked' && m.key !== 'unacked_index');

describe('queued task messages', () => {
	test('every captured message decodes: name, id, args/kwargs from the body, priority', () => {
		assert.equal(queued.length, 16);
		for (const line of queued) {
			const decoded = decodeTaskMessage(line.data!);
			assert.ok(decoded.ok, line.note);
			const envelope = JSON.parse(line.data!) as {
				headers: Record<string, unknown>;
				properties: Record<string, unknown>;
			};
			assert.equal(decoded.value.id, envelope.headers['id']);
			assert.equal(decoded.value.name, envelope.headers['task']);
			assert.deepEqual(decoded.value.args, line.decoded_body![0]);
			assert.deepEqual(decoded.value.kwargs, line.decoded_body![1]);
			assert.equal(decoded.value.argsRepr, envelope.headers['argsrepr']);
			assert.equal(decoded.value.priority, envelope.properties['priority']);
			assert.equal(decoded.value.deliveryTag, envelope.properties['delivery_tag']);
			assert.equal(decoded.value.routingKey, line.key.replace(/\x06\x16\d$/, ''));
		}
	});

	test('ETA, expires, retries, group, redelivered', () => {
		const byNote = (text: string) => {
			const line = queued.find((m) => m.note.includes(text));
			assert.ok(line, text);
			const decoded = decodeTaskMessage(line.data!);
			assert.ok(decoded.ok);
			return decoded.value;
		};
		const eta = byNote('countdown=30');
		assert.equal(eta.eta, Date.UTC(2026, 10, 27, 9, 26, 51) / 1000 + 0.542645);
		assert.equal(eta.kwargsRepr, "{'a': 5, 'b': 'héllo ✓'}");
		const retry = byNote('retry re-publish');
		assert.equal(retry.retries, 1);
		assert.equal(retry.parentId, retry.id);
		assert.equal(byNote('group member').groupId, '4acc05ae-5185-46e4-a411-675120c87267');
		assert.equal(byNote('restored on warm shutdown').redelivered, true);
		assert.equal(
			byNote('task=app.add priority=0').expires,
			Date.UTC(2026, 10, 27, 9, 26, 22) / 1000 + 0.547149,
		);
		assert.equal(byNote('task=app.add priority=9').priority, 9);
	});

	test('Celery 5.5 queued messages: same fields, stamps in the headers, priority sub-list', () => {
		const today = readJsonLines<{key: string; data: string}>('task-messages-5.5.jsonl');
		const decoded = today.map((m) => {
			const d = decodeTaskMessage(m.data);
			assert.ok(d.ok, m.key);
			return {key: m.key, ...d.value};
		});
		const stamped = decoded.find((m) => m.name === 'demo.sleep')!;
		assert.deepEqual(stamped.stamps, [['batch', '"nightly-42"']]);
		assert.equal(stamped.argsRepr, '[0.1]');
		const plain = decoded.find((m) => m.argsRepr === '[1, 2]')!;
		assert.deepEqual(plain.stamps, [], '5.5 sends stamped_headers: null and stamps: {} when unstamped');
		const high = decoded.find((m) => m.argsRepr === '[3, 4]')!;
		assert.equal(high.priority, 5);
		assert.equal(high.key, 'celery\x06\x163', 'priority 5 waits in the 3 sub-list');
		assert.equal(plain.key, 'celery');
		for (const m of decoded) {
			assert.equal(m.routingKey, 'celery');
			assert.equal(m.retries, 0);
			assert.equal(m.rootId, m.id);
		}
	});

	test('protocol 1 bodies and broken messages', () => {
		const v1 = decodeTaskMessage(
			rawEnvelope(JSON.stringify({task: 'old.add', id: 'i1', args: [1], kwargs: {}, eta: null, retries: 2}), {
				headers: {},
			}),
		);
		assert.ok(v1.ok);
		assert.deepEqual(
			[v1.value.name, v1.value.id, v1.value.argsRepr, v1.value.retries],
			['old.add', 'i1', '[1]', 2],
		);
		assert.deepEqual(decodeTaskMessage('nope'), {ok: false, error: 'not-json'});
		assert.deepEqual(decodeTaskMessage(rawEnvelope('[[], {}, {}]', {headers: {}})), {
			ok: false,
			error: 'not-a-task',
		});
		const pickle = JSON.stringify({
			body: 'gAN9cQAu',
			'content-type': 'application/x-python-serialize',
			properties: {body_encoding: 'base64'},
		});
		assert.deepEqual(decodeTaskMessage(pickle), {ok: false, error: 'unsupported-serializer'});
		assert.equal(looksLikeKombuMessage(pickle), true);
		assert.equal(looksLikeKombuMessage(queued[0]!.data!), true);
		assert.equal(looksLikeKombuMessage('{"body": 1}'), false);
		assert.equal(looksLikeKombuMessage('plain text'), false);
	});

	test('an unacked hash value is [envelope, exchange, routing_key]', () => {
		const line = messages.find((m) => m.key === 'unacked')!;
		const decoded = decodeUnackedValue(line.data!);
		assert.ok(decoded.ok);
		assert.equal(decoded.value.routingKey, 'celery');
		assert.equal(decoded.value.exchange, '');
		assert.equal(decoded.value.message.id, '76c96a5f-3ac8-4c5d-8197-632e73766355');
		assert.equal(decoded.value.message.deliveryTag, line.field);
		assert.deepEqual(decodeUnackedValue('[1, 2]'), {ok: false, error: 'bad-unacked'});
	});
});

describe('result backend', () => {
	const results = readJsonLines<ResultLine>('result-backend.jsonl');

	test('every celery-task-meta write decodes with its status, summary and UTC date_done', () => {
		const metas = results.filter((r) => r.command === 'SETEX' && r.key.startsWith('celery-task-meta-'));
		assert.equal(metas.length, 10);
		for (const line of metas) {
			const decoded = decodeTaskResult(line.data!);
			assert.ok(decoded.ok, line.kind ?? '');
			assert.equal(decoded.value.status, line.kind!.split(/[/+]/)[0]);
			assert.equal(decoded.value.taskId, line.key.slice('celery-task-meta-'.length));
		}
		const failure = decodeTaskResult(metas.find((r) => r.kind === 'FAILURE')!.data!);
		assert.ok(failure.ok);
		assert.equal(failure.value.summary, 'ValueError: boom');
		assert.match(failure.value.traceback!, /raise ValueError\('boom'\)/);
		const success = decodeTaskResult(metas[0]!.data!);
		assert.ok(success.ok);
		assert.equal(success.value.summary, '5');
		assert.equal(success.value.dateDone, Date.UTC(2026, 10, 27, 9, 26, 36) / 1000 + 0.634949);
		const revoked = decodeTaskResult(metas.find((r) => r.kind === 'REVOKED/terminated')!.data!);
		assert.ok(revoked.ok);
		assert.equal(revoked.value.summary, 'TaskRevokedError: terminated');
		const chained = decodeTaskResult(metas.find((r) => r.kind === 'SUCCESS+children')!.data!);
		assert.ok(chained.ok);
		assert.deepEqual(chained.value.children, ['9c76692d-e75e-4319-becf-4d2696706977']);
		const child = decodeTaskResult(metas.find((r) => r.kind === 'SUCCESS+parent')!.data!);
		assert.ok(child.ok);
		assert.equal(child.value.parentId, '489149f5-eef3-4ab4-93ed-03ce41a984ff');
	});

	test('Celery 5.5 results: date_done carries +00:00, result_extended adds the request, prefixed keys', () => {
		const today = readJsonLines<ResultLine>('result-backend-5.5.jsonl');
		assert.equal(today.length, 6);
		for (const line of today) {
			const decoded = decodeTaskResult(line.data!);
			assert.ok(decoded.ok, line.key);
			assert.ok(line.key.endsWith(`celery-task-meta-${decoded.value.taskId}`));
			// 5.5 writes an aware time ('…+00:00'), 5.2 a naive UTC one: both read as the same instant.
			const written = JSON.parse(line.data!) as {date_done: string};
			assert.match(written.date_done, /\+00:00$/);
			const micros = Number(/\.(\d{6})/.exec(written.date_done)![1]) / 1e6;
			assert.ok(
				Math.abs(decoded.value.dateDone! - (Math.floor(Date.parse(written.date_done) / 1000) + micros)) <
					1e-6,
			);
			assert.equal(decoded.value.extended === undefined, line.kind !== 'extended', String(line.kind));
		}
		const extended = today.filter((l) => l.kind === 'extended').map((l) => decodeTaskResult(l.data!));
		const [ok, failed] = extended.map((d) => (assert.ok(d.ok), d.value));
		assert.deepEqual(ok!.extended, {
			name: 'demo.add',
			args: '[2,3]',
			kwargs: '{}',
			worker: ok!.extended!.worker,
			retries: 0,
			queue: 'celery',
			stamps: [],
		});
		assert.match(ok!.extended!.worker!, /^extended@/);
		assert.equal(failed!.extended!.name, 'demo.fail');
		assert.equal(failed!.summary, 'ValueError: boom');
		// result_extended with stamps (Celery 5.3+): stamped_headers and a field per stamp.
		const stamped = decodeTaskResult(
			JSON.stringify({
				...(JSON.parse(today.find((l) => l.kind === 'extended')!.data!) as object),
				stamped_headers: ['batch'],
				batch: 'nightly-42',
			}),
		);
		assert.ok(stamped.ok);
		assert.deepEqual(stamped.value.extended!.stamps, [['batch', '"nightly-42"']]);
	});

	test('group results and chord bookkeeping', () => {
		const group = decodeGroupResult(
			results.find((r) => r.key === 'celery-taskset-meta-4acc05ae-5185-46e4-a411-675120c87267')!.data!,
		);
		assert.ok(group.ok);
		assert.equal(group.value.groupId, '4acc05ae-5185-46e4-a411-675120c87267');
		assert.deepEqual(group.value.children, [
			'f86a3ff4-53c5-48b4-a0c7-d982a032c883',
			'b06bcd17-95b0-4b14-b449-f8021d0aef2a',
			'404c6b9e-f1cb-4121-a90c-08eb858f9152',
		]);
		const zadd = results.find((r) => r.kind === 'chord-ZADD') as ResultLine & {args: string[]};
		const member = decodeChordMember(zadd.args[3]!);
		assert.ok(member.ok);
		assert.deepEqual(member.value, {
			taskId: '71b0dd72-92e2-4b59-bbb2-88b2e32ab5af',
			state: 'SUCCESS',
			result: 2,
		});
		assert.equal(decodeTaskResult('{"result": 1}').ok, false);
		assert.equal(decodeGroupResult('3').ok, false);
	});

	test('ISO times: an offset is applied, no offset means UTC, garbage is undefined', () => {
		assert.equal(parseIsoTime('2026-11-27T09:26:36'), Date.UTC(2026, 10, 27, 9, 26, 36) / 1000);
		assert.equal(parseIsoTime('2026-11-27T11:26:36+02:00'), Date.UTC(2026, 10, 27, 9, 26, 36) / 1000);
		assert.equal(parseIsoTime('2026-11-27T04:26:36.5-05:00'), Date.UTC(2026, 10, 27, 9, 26, 36) / 1000 + 0.5);
		assert.equal(parseIsoTime('2026-11-27T09:26:36Z'), Date.UTC(2026, 10, 27, 9, 26, 36) / 1000);
		assert.equal(parseIsoTime(1_700_000_000.5), 1_700_000_000.5);
		assert.equal(parseIsoTime('yesterday'), undefined);
		assert.equal(parseIsoTime(null), undefined);
	});
});
