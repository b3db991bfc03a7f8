// The pidbox protocol against captured round trips (fixtures/control-decoded.jsonl: what `celery
// control|inspect` 5.2.6 and the Python API put on the wire; control-raw-client.jsonl: a plain client).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	COMMANDS,
	commandNames,
	findCommand,
	parseCommandLine,
	parseRateLimit,
	parseSignal,
	validateArguments,
	type CommandKind,
} from '../../source/protocol/control.js';
import {buildRequest, decodeReply, parseDestination} from '../../source/protocol/control-wire.js';
import {
	formatReplies,
	formatReplyLine,
	formatReplyLines,
	replyStatus,
} from '../../source/protocol/control-format.js';
import {bindingMember, replyQueueName} from '../../source/protocol/channels.js';
import {decodeEnvelope} from '../../source/protocol/envelope.js';
import {readJsonLines} from '../helpers/fixtures.js';

type Body = Record<string, unknown> & {
	method: string;
	arguments: Record<string, unknown>;
	destination: string[] | null;
	pattern: string | null;
	matcher: 'glob' | 'pcre' | null;
	ticket?: string;
	reply_to?: {exchange: string; routing_key: string};
};
type Envelope = {
	'content-encoding': string;
	'content-type': string;
	headers: {clock: number; expires: number; ticket?: string};
	properties: Record<string, unknown> & {delivery_tag: string};
};
type Step = {
	step: string;
	requests: Array<{channel: string; envelope: Envelope; body: Body}>;
	replies: Array<{list: string; envelope: Envelope; body: Record<string, unknown>}>;
	cli?: {argv: string; out: string};
};
type RawLine = {step: string; seq: number; conn: string; args: string[]};

const steps = new Map(readJsonLines<Step>('control-decoded.jsonl').map((step) => [step.step, step]));
const raw = readJsonLines<RawLine>('control-raw-client.jsonl');

function step(name: string): Step {
	const found = steps.get(name);
	assert.ok(found, `fixture step ${name}`);
	return found;
}

/** Rebuild a captured request with its own ids, clock and expiry; compare the envelope field by field. */
function assertSameRequest(captured: Step['requests'][number], args: Record<string, unknown>, cast = false) {
	const {envelope, body} = captured;
	const built = buildRequest({
		method: body.method,
		arguments: args,
		destination: body.destination,
		pattern: body.pattern,
		matcher: body.matcher,
		...(cast ? {} : {ticket: body.ticket!, oid: body.reply_to!.routing_key}),
		now: envelope.headers.expires,
		timeout: 0,
		deliveryTag: envelope.properties.delivery_tag,
		clock: envelope.headers.clock,
	});
	assert.deepEqual(built.body, body, `${body.method}: body`);
	const decoded = decodeEnvelope(built.channelPayload);
	assert.ok(decoded.ok);
	assert.deepEqual(decoded.payload, body, `${body.method}: body on the wire`);
	assert.deepEqual(decoded.headers, envelope.headers, `${body.method}: headers`);
	assert.deepEqual(decoded.properties, envelope.properties, `${body.method}: properties`);
	const outer = JSON.parse(built.channelPayload) as Record<string, unknown>;
	assert.equal(outer['content-encoding'], envelope['content-encoding']);
	assert.equal(outer['content-type'], envelope['content-type']);
	assert.equal(captured.channel, '/0.celery.pidbox');
}

// step → the celerytop command line that must put the same `arguments` on the wire.
const CLI_STEPS: Array<[string, CommandKind, string, (body: Body) => string[], string?]> = [
	['inspect_ping', 'inspect', 'ping', () => []],
	['inspect_active', 'inspect', 'active', () => []],
	['inspect_reserved', 'inspect', 'reserved', () => []],
	['inspect_scheduled', 'inspect', 'scheduled', () => []],
	['inspect_stats', 'inspect', 'stats', () => []],
	['inspect_registered', 'inspect', 'registered', () => []],
	['inspect_query_task', 'inspect', 'query_task', (b) => b.arguments['ids'] as string[]],
	['inspect_active_queues', 'inspect', 'active_queues', () => []],
	['inspect_ping_destination', 'inspect', 'ping', () => [], 'w1@vm'],
	['control_rate_limit', 'control', 'rate_limit', () => ['app.add', '10/m']],
	['control_pool_grow', 'control', 'pool_grow', () => ['1']],
	['control_revoke', 'control', 'revoke', (b) => b.arguments['task_id'] as string[]],
	['control_terminate', 'control', 'terminate', (b) => ['SIGTERM', ...(b.arguments['task_id'] as string[])]],
	['inspect_revoked', 'inspect', 'revoked', () => []],
	['control_enable_events', 'control', 'enable_events', () => []],
];

test('CLI arguments map to the arguments `celery control|inspect` sent, and the requests match field by field', () => {
	for (const [name, kind, method, argv, destination] of CLI_STEPS) {
		const captured = step(name).requests[0]!;
		const parsed = parseCommandLine(kind, method, argv(captured.body));
		assert.ok(parsed.ok, `${name}: ${parsed.ok ? '' : parsed.error}`);
		assert.deepEqual(parsed.value.arguments, captured.body.arguments, `${name}: arguments`);
		const target = parseDestination(destination);
		assert.ok(target.ok);
		assert.deepEqual(target.value.destination, captured.body.destination, `${name}: destination`);
		assertSameRequest(captured, parsed.value.arguments);
	}
});

test('the captured revoke(terminate=True) call, cast revoke, heartbeat cast, glob, destination list, conf and clock', () => {
	const api = step('api_revoke_terminate').requests[0]!;
	const revoke = validateArguments('revoke', api.body.arguments);
	assert.ok(revoke.ok);
	assert.deepEqual(revoke.value, {
		task_id: api.body.arguments['task_id'],
		terminate: true,
		signal: 'SIGTERM',
	});
	assertSameRequest(api, revoke.value);

	const cast = step('cast_revoke_no_reply').requests[0]!;
	assert.equal(cast.body.ticket, undefined);
	const castArgs = validateArguments('revoke', cast.body.arguments);
	assert.ok(castArgs.ok);
	assertSameRequest(cast, castArgs.value, true);

	const heartbeat = step('events_dump_wakeup').requests.find((r) => r.body.method === 'heartbeat')!;
	assert.equal(findCommand('heartbeat')?.replies, false, 'heartbeat is a cast');
	assertSameRequest(heartbeat, {}, true);

	const [, glob, both, conf, clock] = step('api_misc').requests;
	const target = parseDestination('w1@*');
	assert.ok(target.ok);
	assert.deepEqual(target.value, {destination: null, pattern: 'w1@*', matcher: 'glob'});
	assert.equal(glob!.body.pattern, 'w1@*');
	assertSameRequest(glob!, {});
	const two = parseDestination('w1@vm, w2@vm');
	assert.ok(two.ok);
	assert.deepEqual(two.value.destination, both!.body.destination);
	assertSameRequest(both!, {});
	const withDefaults = parseCommandLine('inspect', 'conf', ['false']);
	assert.ok(withDefaults.ok);
	assert.deepEqual(withDefaults.value.arguments, conf!.body.arguments);
	assertSameRequest(conf!, withDefaults.value.arguments);
	assertSameRequest(clock!, {});
});

test('shutdown is published as a cast: the CLI body without ticket and reply_to', () => {
	const captured = step('control_shutdown').requests[0]!;
	const parsed = parseCommandLine('control', 'shutdown', []);
	assert.ok(parsed.ok);
	assert.equal(parsed.value.spec.replies, false);
	const {ticket: _ticket, reply_to: _replyTo, ...castBody} = captured.body;
	assertSameRequest({...captured, body: castBody as Body}, parsed.value.arguments, true);
});

test('a request is byte for byte what the plain redis-py client sent (and the worker answered)', () => {
	const publish = raw.find((line) => line.step === 'full envelope ping' && line.args[0] === 'PUBLISH')!;
	const sadd = raw.find((line) => line.step === 'full envelope ping' && line.args[0] === 'SADD')!;
	const sent = JSON.parse(publish.args[2]!) as Envelope & {body: string};
	const decoded = decodeEnvelope(publish.args[2]!);
	assert.ok(decoded.ok);
	const body = decoded.payload as Body;
	const built = buildRequest({
		method: 'ping',
		arguments: {},
		ticket: body.ticket!,
		oid: body.reply_to!.routing_key,
		now: sent.headers.expires,
		timeout: 0,
		deliveryTag: sent.properties.delivery_tag,
		clock: 1,
	});
	assert.equal(built.channelPayload, publish.args[2]);
	const oid = body.reply_to!.routing_key;
	assert.equal(bindingMember(oid, '', replyQueueName(oid)), sadd.args[2]);
});

test('decodeReply: the ticket must match; the body is {node: value}', () => {
	const stepLines = raw.filter((line) => line.step === 'full envelope ping');
	const publish = decodeEnvelope(stepLines.find((line) => line.args[0] === 'PUBLISH')!.args[2]!);
	assert.ok(publish.ok);
	const ticket = (publish.payload as Body).ticket!;
	const lpush = stepLines.find((line) => line.args[0] === 'LPUSH')!;
	assert.deepEqual(decodeReply(lpush.args[2]!, ticket), {
		ok: true,
		hostname: 'w8@vm',
		value: {ok: 'pong'},
		clock: 3,
	});
	assert.deepEqual(decodeReply(lpush.args[2]!, '00000000-0000-4000-8000-000000000000'), {
		ok: false,
		reason: 'wrong-ticket',
	});
	assert.deepEqual(decodeReply('not json', ticket), {ok: false, reason: 'not-json'});

	const stats = raw.find((line) => line.step === 'stats' && line.args[0] === 'LPUSH')!;
	const statsTicket = JSON.parse(decodeStatsTicket(stats.args[2]!)) as string;
	const reply = decodeReply(stats.args[2]!, statsTicket);
	assert.ok(reply.ok);
	assert.equal(reply.hostname, 'w8@vm');
	const pool = (reply.value as {pool: {processes: number[]; 'max-concurrency': number}}).pool;
	assert.equal(pool.processes.length, pool['max-concurrency']);

	// Two nodes in one body is not a kombu reply.
	const envelope = JSON.parse(lpush.args[2]!) as Record<string, unknown>;
	envelope['body'] = Buffer.from(JSON.stringify({a: 1, b: 2})).toString('base64');
	assert.deepEqual(decodeReply(JSON.stringify(envelope), ticket), {ok: false, reason: 'bad-reply'});
});

function decodeStatsTicket(rawReply: string): string {
	return JSON.stringify((JSON.parse(rawReply) as Envelope).headers.ticket);
}

test('the catalogue: kinds, casts and dangerous commands', () => {
	assert.deepEqual(commandNames('control'), [
		'revoke',
		'revoke_by_stamped_headers',
		'terminate',
		'rate_limit',
		'time_limit',
		'pool_grow',
		'pool_shrink',
		'autoscale',
		'add_consumer',
		'cancel_consumer',
		'enable_events',
		'disable_events',
		'heartbeat',
		'shutdown',
	]);
	assert.deepEqual(commandNames('inspect'), [
		'ping',
		'active',
		'reserved',
		'scheduled',
		'revoked',
		'registered',
		'stats',
		'query_task',
		'active_queues',
		'conf',
		'report',
		'clock',
	]);
	assert.deepEqual(
		COMMANDS.filter((c) => c.dangerous).map((c) => c.method),
		['revoke', 'revoke_by_stamped_headers', 'terminate', 'pool_shrink', 'cancel_consumer', 'shutdown'],
	);
	assert.deepEqual(
		COMMANDS.filter((c) => c.since !== undefined).map((c) => [c.method, c.since]),
		[['revoke_by_stamped_headers', '5.3']],
	);
	assert.deepEqual(
		COMMANDS.filter((c) => !c.replies).map((c) => c.method),
		['heartbeat', 'shutdown'],
	);
	assert.ok(
		COMMANDS.every((c) => c.kind === 'control' || !c.dangerous),
		'no inspect is dangerous',
	);
});

test('valid command lines and the arguments they send', () => {
	const cases: Array<[CommandKind, string, string[], Record<string, unknown>]> = [
		['control', 'revoke', ['a', 'b'], {task_id: ['a', 'b']}],
		['control', 'terminate', ['kill', 'a'], {signal: 'SIGKILL', task_id: ['a']}],
		['control', 'terminate', ['9', 'a'], {signal: 9, task_id: ['a']}],
		['control', 'terminate', ['SIGINT', 'a', 'b'], {signal: 'SIGINT', task_id: ['a', 'b']}],
		['control', 'rate_limit', ['demo.add', '100/s'], {task_name: 'demo.add', rate_limit: '100/s'}],
		['control', 'rate_limit', ['demo.add', '5/h'], {task_name: 'demo.add', rate_limit: '5/h'}],
		['control', 'rate_limit', ['demo.add', '10'], {task_name: 'demo.add', rate_limit: '10'}],
		['control', 'rate_limit', ['demo.add', '0.5'], {task_name: 'demo.add', rate_limit: '0.5'}],
		['control', 'time_limit', ['demo.sleep', '5', '10'], {task_name: 'demo.sleep', soft: 5, hard: 10}],
		['control', 'time_limit', ['demo.sleep', '2.5'], {task_name: 'demo.sleep', soft: 2.5}],
		['control', 'pool_grow', [], {}],
		['control', 'pool_shrink', ['2'], {n: 2}],
		['control', 'autoscale', ['10', '3'], {max: 10, min: 3}],
		['control', 'autoscale', ['4', '0'], {max: 4, min: 0}],
		['control', 'add_consumer', ['q1'], {queue: 'q1'}],
		[
			'control',
			'add_consumer',
			['q1', 'ex', 'topic', 'rk.#'],
			{queue: 'q1', exchange: 'ex', exchange_type: 'topic', routing_key: 'rk.#'},
		],
		['control', 'cancel_consumer', ['q1'], {queue: 'q1'}],
		['control', 'disable_events', [], {}],
		['control', 'heartbeat', [], {}],
		['control', 'shutdown', [], {}],
		['inspect', 'registered', ['rate_limit'], {taskinfoitems: ['rate_limit']}],
		['inspect', 'query_task', ['a', 'b'], {ids: ['a', 'b']}],
		['inspect', 'conf', [], {}],
		['inspect', 'conf', ['yes'], {with_defaults: true}],
		['inspect', 'report', [], {}],
		['inspect', 'clock', [], {}],
	];
	for (const [kind, method, args, expected] of cases) {
		const parsed = parseCommandLine(kind, method, args);
		assert.ok(parsed.ok, `${method} ${args.join(' ')}: ${parsed.ok ? '' : parsed.error}`);
		assert.deepEqual(parsed.value.arguments, expected, `${method} ${args.join(' ')}`);
		assert.equal(parsed.value.spec.kind, kind);
	}
});

test('invalid command lines give one clear line', () => {
	const cases: Array<[CommandKind, string, string[], RegExp]> = [
		['control', 'rate_limit', ['demo.add', '10/x'], /^invalid rate limit '10\/x': .*10\/m/],
		['control', 'rate_limit', ['demo.add', 'fast'], /^invalid rate limit 'fast'/],
		['control', 'rate_limit', ['demo.add'], /^usage: rate_limit <task_name> <rate_limit/],
		['control', 'pool_grow', ['0'], /pool_grow N must be a positive integer, got '0'/],
		['control', 'pool_grow', ['-1'], /positive integer/],
		['control', 'pool_shrink', ['1.5'], /positive integer/],
		['control', 'pool_shrink', ['two'], /positive integer, got 'two'/],
		['control', 'pool_grow', ['1', '2'], /^usage: pool_grow \[N=1\]/],
		['control', 'autoscale', ['0'], /autoscale max must be a positive integer/],
		['control', 'autoscale', ['3', '10'], /min \(10\) must not exceed max \(3\)/],
		['control', 'terminate', ['SIGFOO', 'a'], /^invalid signal 'SIGFOO': use a name like SIGTERM, SIGKILL/],
		['control', 'terminate', ['SIGTERM'], /^usage: terminate <signal> <task_id>/],
		['control', 'terminate', ['0', 'a'], /signal number is 1 to 64/],
		['control', 'revoke', [], /^revoke needs at least one task id$/],
		['control', 'revoke', [''], /^revoke: empty task id$/],
		['control', 'revoke', ['a b'], /contains white space/],
		['control', 'time_limit', ['demo.sleep', 'soon'], /soft must be a number of seconds/],
		[
			'control',
			'time_limit',
			['demo.sleep', '10', '5'],
			/soft limit \(10 s\) must not exceed the hard limit/,
		],
		['control', 'add_consumer', [], /^usage: add_consumer <queue>/],
		[
			'control',
			'add_consumer',
			['q', 'ex', 'bogus'],
			/exchange type must be direct, topic, fanout or headers/,
		],
		['control', 'cancel_consumer', [], /^usage: cancel_consumer <queue>$/],
		['control', 'shutdown', ['now'], /^shutdown takes no arguments$/],
		['inspect', 'ping', ['x'], /^ping takes no arguments$/],
		['inspect', 'query_task', [], /^query_task needs at least one task id$/],
		['inspect', 'conf', ['maybe'], /with_defaults must be true or false/],
		['inspect', 'revoke', ['a'], /'revoke' is a control method: use "celerytop control revoke"/],
		['control', 'ping', [], /'ping' is an inspect method: use "celerytop inspect ping"/],
		['inspect', 'no_such_cmd', [], /^unknown inspect method 'no_such_cmd' \(one of: ping, active,/],
		['control', 'pool_restart', [], /^unknown control method 'pool_restart'/],
	];
	for (const [kind, method, args, pattern] of cases) {
		const parsed = parseCommandLine(kind, method, args);
		assert.ok(!parsed.ok, `${kind} ${method} ${args.join(' ')} must fail`);
		assert.match(parsed.error, pattern);
		assert.ok(!parsed.error.includes('\n'), 'one line');
	}
	// Terminal escapes in what the operator typed are shown inert.
	const escaped = parseCommandLine('control', 'rate_limit', ['t', '\u001b[31m']);
	assert.ok(!escaped.ok);
	assert.ok(!escaped.error.includes('\u001b'));
});

test('validateArguments checks what the UI builds, and normalises signals', () => {
	const revoke = validateArguments('revoke', {task_id: 'a', terminate: true, signal: 'kill'});
	assert.deepEqual(revoke, {ok: true, value: {task_id: 'a', terminate: true, signal: 'SIGKILL'}});
	assert.deepEqual(validateArguments('rate_limit', {task_name: 'demo.add', rate_limit: '10/m'}), {
		ok: true,
		value: {task_name: 'demo.add', rate_limit: '10/m'},
	});
	assert.deepEqual(validateArguments('pool_grow', {n: 2}), {ok: true, value: {n: 2}});
	assert.deepEqual(validateArguments('autoscale', {max: 8, min: 2}), {ok: true, value: {max: 8, min: 2}});
	const failures: Array<[string, Record<string, unknown>, RegExp]> = [
		['ping', {foo: 1}, /ping: unknown argument 'foo'/],
		['revoke', {task_id: []}, /revoke needs at least one task id/],
		['revoke', {task_id: 'a', terminate: 'yes'}, /terminate must be true or false/],
		['revoke', {task_id: 'a', signal: {}}, /signal must be a name or a number/],
		['pool_shrink', {n: 0}, /positive integer/],
		['pool_grow', {n: 1.5}, /positive integer/],
		['rate_limit', {task_name: 'demo.add'}, /needs a rate limit/],
		['rate_limit', {task_name: '', rate_limit: '1/s'}, /needs a task name/],
		['terminate', {task_id: ['a']}, /terminate needs a signal/],
		['no_such_cmd', {}, /unknown control or inspect method 'no_such_cmd'/],
	];
	for (const [method, args, pattern] of failures) {
		const checked = validateArguments(method, args);
		assert.ok(!checked.ok, method);
		assert.match(checked.error, pattern);
	}
	assert.deepEqual(parseSignal('SIGUSR1'), {ok: true, value: 'SIGUSR1'});
	assert.deepEqual(parseSignal('hup'), {ok: true, value: 'SIGHUP'});
	assert.deepEqual(parseSignal(15), {ok: true, value: 15});
	assert.equal(parseRateLimit('10/m').ok, true);
	assert.equal(parseRateLimit('10/d').ok, false);
	assert.equal(parseRateLimit('/m').ok, false);
});

test('revoke_by_stamped_headers: header=value words become the object the worker reads', () => {
	const cases: Array<[string[], Record<string, unknown>]> = [
		[['batch=nightly-42'], {headers: {batch: 'nightly-42'}}],
		// Celery's CLI sends the words and the worker keeps the last value of a header and cuts at a
		// second '='; as an object both values reach the worker and the value stays whole.
		[['batch=a', 'batch=b', 'team=x'], {headers: {batch: ['a', 'b'], team: 'x'}}],
		[['query=a=b'], {headers: {query: 'a=b'}}],
	];
	for (const [args, expected] of cases) {
		const parsed = parseCommandLine('control', 'revoke_by_stamped_headers', args);
		assert.ok(parsed.ok, `${args.join(' ')}: ${parsed.ok ? '' : parsed.error}`);
		assert.deepEqual(parsed.value.arguments, expected);
	}
	const refused: Array<[string[], RegExp]> = [
		[[], /^revoke_by_stamped_headers needs at least one header=value$/],
		[['batch'], /^revoke_by_stamped_headers: expected header=value, got 'batch'$/],
		[['=x'], /expected header=value, got '=x'/],
		[['batch='], /expected header=value, got 'batch='/],
	];
	for (const [args, pattern] of refused) {
		const parsed = parseCommandLine('control', 'revoke_by_stamped_headers', args);
		assert.ok(!parsed.ok, args.join(' '));
		assert.match(parsed.error, pattern);
	}
	// What the UI or an API caller builds: an object, with terminate and a signal.
	assert.deepEqual(
		validateArguments('revoke_by_stamped_headers', {
			headers: {batch: ['a', 'b']},
			terminate: true,
			signal: 'kill',
		}),
		{ok: true, value: {headers: {batch: ['a', 'b']}, terminate: true, signal: 'SIGKILL'}},
	);
	assert.deepEqual(validateArguments('revoke_by_stamped_headers', {headers: ['batch=a']}), {
		ok: true,
		value: {headers: {batch: 'a'}},
	});
	const failures: Array<[Record<string, unknown>, RegExp]> = [
		[{headers: {}}, /needs at least one header=value/],
		[{headers: {batch: []}}, /the stamps of 'batch' must be non-empty text or numbers/],
		[{headers: {batch: {nested: 1}}}, /the stamps of 'batch'/],
		[{headers: {'a b': 'x'}}, /invalid header name 'a b'/],
		[{headers: {batch: 'a'}, terminate: 'yes'}, /terminate must be true or false/],
		[{headers: {batch: 'a'}, task_id: 'x'}, /unknown argument 'task_id'/],
	];
	for (const [args, pattern] of failures) {
		const checked = validateArguments('revoke_by_stamped_headers', args);
		assert.ok(!checked.ok, JSON.stringify(args));
		assert.match(checked.error, pattern);
	}
});

test('parseDestination: names, a glob, and what is refused', () => {
	assert.deepEqual(parseDestination(undefined), {
		ok: true,
		value: {destination: null, pattern: null, matcher: null},
	});
	assert.deepEqual(parseDestination('w1@vm,w1@vm,,w2@vm'), {
		ok: true,
		value: {destination: ['w1@vm', 'w2@vm'], pattern: null, matcher: null},
	});
	assert.deepEqual(parseDestination('w[12]@*'), {
		ok: true,
		value: {destination: null, pattern: 'w[12]@*', matcher: 'glob'},
	});
	const mixed = parseDestination('w1@vm,w2@*');
	assert.ok(!mixed.ok);
	assert.match(mixed.error, /glob pattern \(w2@\*\) must be the only entry/);
});

test('buildRequest refuses a ticket without an oid', () => {
	assert.throws(
		() =>
			buildRequest({
				method: 'ping',
				arguments: {},
				ticket: 't',
				now: 1,
				timeout: 1,
				deliveryTag: 'd',
				clock: 1,
			}),
		/both ticket and oid/,
	);
});

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
