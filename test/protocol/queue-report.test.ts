// Queue reports from captured messages: length over the priority sub-lists, the next messages in the
// order a worker takes them, unacked age against the visibility timeout, ETA-beyond-timeout warnings.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildQueueReports, type QueueRaw} from '../../source/protocol/queue-report.js';
import {readJsonLines} from '../helpers/fixtures.js';

type MessageLine = {key: string; field?: string; data?: string; note: string; args?: string[]};
const lines = readJsonLines<MessageLine>('task-messages.jsonl');
const byNote = (text: string) => lines.find((l) => l.note.includes(text))!.data!;
const plain = lines
	.filter((l) => l.note === 'task=app.add priority=0' && l.key === 'celery')
	.map((l) => l.data!);
const p5 = byNote('priority=5');
const p9 = byNote('priority=9');
const withEta = byNote('countdown=30'); // eta 2026-11-27T09:26:51.542645Z
const eta = Date.UTC(2026, 10, 27, 9, 26, 51) / 1000 + 0.542645;
const unackedLine = lines.find((l) => l.key === 'unacked')!;
const takenAt = 1795771596.630832;

const celery: QueueRaw = {
	queue: 'celery',
	bound: true,
	lists: [
		{key: 'celery\x06\x169', priority: 9, length: 1, tail: [p9]},
		// LRANGE celery -3 -1: head … tail; the tail (last) is taken first.
		{key: 'celery', priority: 0, length: 7, tail: [withEta, plain[1]!, plain[0]!]},
		{key: 'celery\x06\x163', priority: 3, length: 1, tail: [p5]},
		{key: 'celery\x06\x166', priority: 6, length: 0, tail: []},
	],
};

test('length is summed over the priority lists; next messages come tail first, base list first', () => {
	const [report] = buildQueueReports([celery], [], {now: eta - 60});
	assert.equal(report!.messages, 9);
	assert.deepEqual(report!.byPriority, {'0': 7, '3': 1, '6': 0, '9': 1});
	assert.deepEqual(
		report!.next.map((m) => [m.position, m.priority, m.task?.id.slice(0, 8), m.task?.argsRepr]),
		[
			[1, 0, '09fae383', '(1, 1)'],
			[2, 0, '76c96a5f', '(2, 3)'],
			[3, 0, '9f4fb14b', '()'],
			[4, 3, '8ce041fa', '(7, 8)'],
			[5, 9, 'b2e78452', '(9, 9)'],
		],
	);
	assert.deepEqual(report!.warnings, []);
	assert.equal(buildQueueReports([celery], [], {now: 0, next: 2})[0]!.next.length, 2);
});

test('unacked messages: age and countdown to redelivery against the visibility timeout', () => {
	const entries = [
		{tag: unackedLine.field!, value: unackedLine.data!, takenAt},
		{tag: 'orphan-tag', value: undefined, takenAt: takenAt - 10},
	];
	const reports = buildQueueReports([celery], entries, {now: takenAt + 100, visibilityTimeout: 3600});
	const report = reports.find((r) => r.queue === 'celery')!;
	assert.equal(report.unacked, 1);
	const [u] = report.unackedMessages;
	assert.equal(u!.task?.id, '76c96a5f-3ac8-4c5d-8197-632e73766355');
	assert.ok(Math.abs(u!.ageSeconds! - 100) < 1e-6);
	assert.ok(Math.abs(u!.redeliveryInSeconds! - 3500) < 1e-6);
	const unknown = reports.find((r) => r.queue === '?')!;
	assert.equal(unknown.unackedMessages[0]!.error, 'missing-from-unacked');

	const late = buildQueueReports([celery], entries.slice(0, 1), {
		now: takenAt + 4000,
		visibilityTimeout: 3600,
	});
	assert.ok(late[0]!.unackedMessages[0]!.redeliveryInSeconds! < 0);
	assert.match(late[0]!.warnings.join('\n'), /1 unacked message\(s\) are past the visibility timeout/);
});

test('an ETA beyond the visibility timeout is flagged: the task would run twice', () => {
	const [queued] = buildQueueReports([celery], [], {now: eta - 4000, visibilityTimeout: 3600});
	assert.deepEqual(
		queued!.next.filter((m) => m.etaBeyondVisibility).map((m) => m.task?.name),
		['app.kw'],
	);
	assert.match(queued!.warnings[0]!, /1 task\(s\) have an ETA beyond the visibility timeout \(3600 s\)/);
	assert.equal(
		buildQueueReports([celery], [], {now: eta - 4000, visibilityTimeout: 7200})[0]!.warnings.length,
		0,
	);

	// Held in unacked: compared with the moment it was taken.
	const held = JSON.stringify([JSON.parse(withEta), '', 'celery']);
	const [report] = buildQueueReports([], [{tag: 't', value: held, takenAt: eta - 4000}], {now: eta - 3990});
	assert.equal(report!.queue, 'celery');
	assert.equal(report!.unackedMessages[0]!.etaBeyondVisibility, true);
});

test('unbound queues with messages are named; queues known only from unacked appear with 0 messages', () => {
	const other: QueueRaw = {
		queue: 'other',
		bound: false,
		lists: [{key: 'other', priority: 0, length: 1, tail: [byNote('task=app.add priority=0')]}],
	};
	const reports = buildQueueReports([other], [{tag: unackedLine.field!, value: unackedLine.data!, takenAt}], {
		now: takenAt,
	});
	assert.deepEqual(
		reports.map((r) => [r.queue, r.messages, r.unacked, r.bound]),
		[
			['celery', 0, 1, false],
			['other', 1, 0, false],
		],
	);
	assert.match(reports.find((r) => r.queue === 'other')!.warnings[0]!, /no _kombu.binding/);
	const broken = buildQueueReports(
		[{queue: 'q', bound: true, lists: [{key: 'q', priority: 0, length: 1, tail: ['garbage']}]}],
		[],
		{now: 0},
	);
	assert.equal(broken[0]!.next[0]!.error, 'not-json');
});
