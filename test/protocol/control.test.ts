// The pidbox protocol against captured round trips (fixtures/control-decoded.jsonl: what `celery
// control|inspect` 5.2.6 and the Python API put on the wire; control-raw-client.jsonl: a plain client).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	COMMANDS,
	commandNames,
	findCommand,
	parseCommandLine,
	validateArguments,
} from '../../source/protocol/control.js';
import {parseRateLimit, parseSignal} from '../../source/protocol/control-args.js';
import type {CommandKind} from '../../source/protocol/control-commands.js';
import {buildRequest, decodeReply, parseDestination} from '../../source/protocol/control-wire.js';
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
