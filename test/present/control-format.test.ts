// How control and inspect replies read (present/control-format.ts), against the replies and the
// `celery control|inspect` 5.2.6 output captured in fixtures/control-decoded.jsonl.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	formatReplies,
	formatReplyLine,
	formatReplyLines,
	replyStatus,
} from '../../source/present/control-format.js';
import type {CommandKind} from '../../source/protocol/control-commands.js';
import {readJsonLines} from '../helpers/fixtures.js';

type Step = {
	step: string;
	requests: Array<{body: {ticket?: string}}>;
	replies: Array<{list: string; envelope: {headers: {ticket?: string}}; body: Record<string, unknown>}>;
	cli?: {argv: string; out: string};
};

const steps = new Map(readJsonLines<Step>('control-decoded.jsonl').map((step) => [step.step, step]));

function step(name: string): Step {
	const found = steps.get(name);
	assert.ok(found, `fixture step ${name}`);
	return found;
}

function repliesOf(name: string): Record<string, unknown> {
	const replies: Record<string, unknown> = {};
	for (const reply of step(name).replies) Object.assign(replies, reply.body);
	return replies;
}

test('formatReplies prints what `celery inspect|control` printed for text and list replies', () => {
	const cases: Array<[string, CommandKind, string]> = [
		['inspect_ping', 'inspect', 'ping'],
		['inspect_ping_destination', 'inspect', 'ping'],
		['inspect_ping_final', 'inspect', 'ping'],
		['inspect_registered', 'inspect', 'registered'],
		['inspect_revoked', 'inspect', 'revoked'],
		['inspect_revoked_after_terminate', 'inspect', 'revoked'],
		['control_rate_limit', 'control', 'rate_limit'],
		['control_pool_grow', 'control', 'pool_grow'],
		['control_revoke', 'control', 'revoke'],
		['control_terminate', 'control', 'terminate'],
		['control_enable_events', 'control', 'enable_events'],
	];
	for (const [name, kind, method] of cases) {
		assert.equal(formatReplies(kind, method, repliesOf(name)), step(name).cli!.out, name);
	}
	assert.equal(
		formatReplies('control', 'no_such_cmd', {'w1@vm': {error: "KeyError('no_such_cmd')"}}),
		"->  w1@vm: ERROR\n        KeyError('no_such_cmd')\n",
	);
});

test('one-line summaries for a status area', () => {
	assert.equal(formatReplyLine('ping', 'w1@vm', {ok: 'pong'}), '-> w1@vm: OK pong');
	const revoke = repliesOf('control_revoke');
	const [host, value] = Object.entries(revoke)[0]!;
	assert.match(
		formatReplyLine('revoke', host, value),
		/^-> w2@vm: OK tasks a76cf6e5-\S+ flagged as revoked$/,
	);
	assert.equal(
		formatReplyLine('no_such_cmd', 'w1@vm', {error: "KeyError('no_such_cmd')"}),
		"-> w1@vm: error: KeyError('no_such_cmd')",
	);
	assert.equal(replyStatus({error: 'x'}), 'ERROR');
	assert.equal(replyStatus({ok: 'x'}), 'OK');
	assert.equal(formatReplyLine('registered', 'w1@vm', ['a', 'b']), '-> w1@vm: OK 2 items');
	assert.match(
		formatReplyLine('stats', 'w1@vm', repliesOf('inspect_stats')['w1@vm']),
		/^-> w1@vm: OK pid 7163 /,
	);
});

test('readable renderings of structured replies', () => {
	const stats = formatReplyLines('stats', repliesOf('inspect_stats')['w2@vm']);
	assert.equal(stats[0], 'pid 7445  uptime 1m23s  clock 216  prefetch 9');
	assert.ok(
		stats.includes('pool: max-concurrency 2  processes 2 [7448 7449]  max-tasks-per-child N/A  writes 6'),
	);
	// Celery 5.5 adds the pool's class to the pool stats: its short name leads the line.
	const captured = repliesOf('inspect_stats')['w2@vm'] as {pool: Record<string, unknown>};
	const today = {
		...captured,
		pool: {implementation: 'celery.concurrency.prefork:TaskPool', ...captured.pool},
	};
	assert.ok(
		formatReplyLines('stats', today).includes(
			'pool: prefork max-concurrency 2  processes 2 [7448 7449]  max-tasks-per-child N/A  writes 6',
		),
	);
	assert.ok(stats.includes('broker: redis://127.0.0.1:6390/0'));
	assert.ok(stats.includes('tasks done: app.add 1, app.retrying 3, app.sleep 2'));
	assert.ok(stats.some((line) => /^rusage: maxrss 45796 kB {2}utime 0\.45s {2}stime 0\.09s$/.test(line)));

	const active = formatReplyLines('active', repliesOf('inspect_active')['w1@vm'], {now: 1795771680.4485178});
	assert.equal(
		active[0],
		'* 2c7a4e07-3bc7-40d7-8d91-19e1868a61db app.sleep(90)  running 10.0s  pid 7209  queue celery',
	);
	const started = formatReplyLines('active', repliesOf('inspect_active')['w1@vm']);
	assert.match(started[0]!, /started 2026-11-27 09:\d\d:\d\d\.\d+ {2}pid 7209/);
	const reserved = formatReplyLines('reserved', repliesOf('inspect_reserved')['w1@vm']);
	assert.equal(reserved[0], '* ccb8bc11-3ce9-4710-8c0c-dc2c0d613a6f app.sleep(90)  queue celery  not acked');
	const scheduled = formatReplyLines('scheduled', repliesOf('inspect_scheduled')['w2@vm']);
	assert.equal(
		scheduled[0],
		'* a76cf6e5-558c-439a-94e0-ed55cae1a11d app.kw(a=0)  eta 2026-11-27T09:32:50.447009+00:00  priority 6',
	);
	const query = repliesOf('inspect_query_task');
	assert.match(
		formatReplyLines('query_task', query['w2@vm'])[0]!,
		/^\* d8b4c2a5-385e-4dbb-af06-c9da7a8850f7 active {2}app\.sleep\(90\) {2}started .* {2}pid 7449/,
	);
	assert.deepEqual(formatReplyLines('query_task', query['w1@vm']), ['- empty -']);
	assert.deepEqual(formatReplyLines('active_queues', repliesOf('inspect_active_queues')['w1@vm']), [
		'* celery  exchange celery (direct)  routing_key celery',
	]);
	const misc = step('api_misc').replies;
	const conf = misc.find((r) => r.envelope.headers.ticket === step('api_misc').requests[3]!.body.ticket)!;
	const confLines = formatReplyLines('conf', Object.values(conf.body)[0]);
	assert.ok(confLines.includes('broker_url: "redis://127.0.0.1:6390/0"'));
	assert.ok(confLines.includes('result_expires: 300'));
	assert.deepEqual(formatReplyLines('clock', {clock: 389}), ['clock 389']);
	assert.deepEqual(formatReplyLines('revoked', []), ['- empty -']);
	assert.deepEqual(formatReplyLines('report', {ok: 'software -> celery:5.2.6\nplatform -> system:Linux'}), [
		'software -> celery:5.2.6',
		'platform -> system:Linux',
	]);
});

test('worker text never reaches the terminal raw', () => {
	const evil = [
		{
			id: 'x',
			name: 'demo.add',
			args: ['\u001b]0;pwned\u0007'],
			kwargs: {},
			time_start: null,
			acknowledged: false,
			worker_pid: null,
		},
	];
	const text = formatReplies('inspect', 'reserved', {'w1@vm\u001b[2J': evil});
	assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text), JSON.stringify(text));
	assert.match(text, /w1@vm\\x1b\[2J/);
	assert.ok(!formatReplyLine('ping', 'w1', {ok: 'a\u001b[31m'}).includes('\u001b'));
});

test('a worker whose Celery predates the method: the KeyError reply says which Celery it needs', () => {
	const old = {error: "KeyError('revoke_by_stamped_headers')"};
	assert.equal(
		formatReplyLine('revoke_by_stamped_headers', 'w1@vm', old),
		"-> w1@vm: error: KeyError('revoke_by_stamped_headers'): this worker's Celery does not know revoke_by_stamped_headers (it needs Celery 5.3 or later)",
	);
	assert.match(
		formatReplies('control', 'revoke_by_stamped_headers', {'w1@vm': old}),
		/->  w1@vm: ERROR\n {8}KeyError\('revoke_by_stamped_headers'\): this worker's Celery does not know/,
	);
	// Another error text, or a method every supported Celery knows, is shown as the worker sent it.
	assert.equal(
		formatReplyLine('revoke_by_stamped_headers', 'w1@vm', {error: 'ValueError()'}),
		'-> w1@vm: error: ValueError()',
	);
	assert.equal(
		formatReplyLine('revoke', 'w1@vm', {error: "KeyError('revoke')"}),
		"-> w1@vm: error: KeyError('revoke')",
	);
});
