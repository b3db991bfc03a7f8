// The control client's round trip against a private redis-server and a scripted pidbox "worker"
// (what kombu does on the worker side: SMEMBERS the reply binding, LPUSH the reply): the order of
// operations, global_keyprefix, foreign tickets, a late LPUSH, overlapping calls, errors.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {Redis} from 'ioredis';
import {parseBrokerUrl, type Connection} from '../../source/config.js';
import {encodeEnvelope, decodeEnvelope} from '../../source/protocol/envelope.js';
import type {RequestBody} from '../../source/protocol/control-wire.js';
import {ControlUsageError, ReadOnlyError, createControlClient} from '../../source/redis/control-client.js';
import {ControlConnectionError} from '../../source/redis/control-replies.js';
import {freePort, startRedis, type RedisServer} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait-for.js';

const PREFIX = 'pfx:';
const TRANSPORT = {global_keyprefix: PREFIX};
const CHANNEL = 'pfx:/0.celery.pidbox';
const BINDING = 'pfx:_kombu.binding.reply.celery.pidbox';
const SEP = '\x06\x16';

type Mode = 'reply' | 'foreign-first' | 'silent';
type Seen = {body: RequestBody; headers: Record<string, unknown>; lists: string[]};

let redis: RedisServer;
let connection: Connection;
let db: Redis;
let fake: Redis;
let fakeCommands: Redis;
let monitorBase: Redis;
let monitor: Redis;
const monitored: string[][] = [];
const seen: Seen[] = [];
let mode: Mode = 'reply';
const nodes = ['a@test', 'b@test'];

function reply(body: unknown, ticket: string, oid: string): string {
	return encodeEnvelope(body, {
		headers: {ticket, clock: 42},
		deliveryInfo: {exchange: 'reply.celery.pidbox', routing_key: oid},
		deliveryMode: 1,
		deliveryTag: crypto.randomUUID(),
	});
}

before(async () => {
	redis = await startRedis();
	const parsed = parseBrokerUrl(redis.url);
	assert.ok(parsed.ok);
	connection = parsed.value;
	db = new Redis(redis.url);
	fakeCommands = new Redis(redis.url);
	fake = new Redis(redis.url);
	// Two nodes behind one subscription, each doing what kombu's Node.dispatch + _publish_reply do.
	fake.on('pmessage', async (_pattern: string, _channel: string, message: string) => {
		const decoded = decodeEnvelope(message);
		if (!decoded.ok) return;
		const body = decoded.payload as RequestBody;
		const entry: Seen = {body, headers: decoded.headers, lists: []};
		seen.push(entry);
		if (!body.reply_to) return;
		for (const node of nodes) {
			if (body.destination && !body.destination.includes(node)) continue;
			const members = await fakeCommands.smembers(BINDING);
			const queues = members
				.map((member) => member.split(SEP))
				.filter(([routingKey]) => routingKey === body.reply_to!.routing_key)
				.map(([, , queue]) => PREFIX + queue!);
			entry.lists.push(...queues);
			if (mode === 'silent') continue;
			for (const queue of queues) {
				if (mode === 'foreign-first')
					await fakeCommands.lpush(
						queue,
						reply({[node]: 'stale'}, 'another-ticket', body.reply_to.routing_key),
					);
				await fakeCommands.lpush(
					queue,
					reply({[node]: {ok: `${body.method} from ${node}`}}, body.ticket!, body.reply_to.routing_key),
				);
			}
		}
	});
	await fake.psubscribe(CHANNEL);
	monitorBase = new Redis(redis.url);
	monitor = await monitorBase.monitor();
	monitor.on('monitor', (_time: string, [name, ...rest]: string[]) =>
		monitored.push([name!.toLowerCase(), ...rest]),
	);
});

after(async () => {
	for (const connection of [fake, fakeCommands, monitor, monitorBase, db]) connection?.disconnect();
	await redis?.stop();
});

async function replyKeys(): Promise<string[]> {
	const found: string[] = [];
	let cursor = '0';
	do {
		const [next, keys] = await db.scan(cursor, 'MATCH', '*reply.celery.pidbox*', 'COUNT', 1000);
		cursor = next;
		found.push(...keys);
	} while (cursor !== '0');
	return found;
}

test('the round trip: SADD before PUBLISH, BRPOP, then SREM and DEL of every priority list, all prefixed', async () => {
	const client = createControlClient({connection, transport: TRANSPORT, readOnly: false});
	const from = monitored.length;
	try {
		const result = await client.call('ping', {}, {expected: 2, timeout: 2});
		assert.deepEqual(result.replies, {
			'a@test': {ok: 'ping from a@test'},
			'b@test': {ok: 'ping from b@test'},
		});
		assert.equal(result.sent, true);
		assert.ok(result.elapsed < 1.5);
		const request = seen.at(-1)!;
		assert.equal(request.body.method, 'ping');
		assert.equal(request.body.reply_to!.exchange, 'reply.celery.pidbox');
		assert.equal(request.headers['clock'], 1);
		const oid = request.body.reply_to!.routing_key;
		const list = `pfx:${oid}.reply.celery.pidbox`;
		const member = `${oid}${SEP}${SEP}${oid}.reply.celery.pidbox`;

		await waitFor(() => monitored.slice(from).some((args) => args[0] === 'exec'));
		// MONITOR shows the separator bytes escaped.
		const shown = (text: string) => text.replaceAll(SEP, '\\x06\\x16');
		const mine = monitored
			.slice(from)
			.filter((args) => ['sadd', 'publish', 'brpop', 'multi', 'srem', 'del', 'exec'].includes(args[0]!));
		const order = mine.map((args) => args[0]);
		assert.deepEqual(order.slice(0, 2), ['sadd', 'publish']);
		assert.deepEqual(mine[0], ['sadd', BINDING, shown(member)], 'member without the prefix, key with it');
		assert.equal(mine[1]![1], CHANNEL);
		const lists = [list, `${list}${SEP}3`, `${list}${SEP}6`, `${list}${SEP}9`].map(shown);
		const brpop = mine.find((args) => args[0] === 'brpop')!;
		assert.deepEqual(brpop.slice(1, 5), lists);
		assert.deepEqual(order.slice(order.lastIndexOf('brpop') + 1), ['multi', 'srem', 'del', 'exec']);
		assert.deepEqual(
			mine.find((args) => args[0] === 'srem'),
			['srem', BINDING, shown(member)],
		);
		assert.deepEqual(
			mine.find((args) => args[0] === 'del'),
			['del', ...lists],
		);
		assert.deepEqual(await replyKeys(), []);

		// The reply clocks (42) move ours forward.
		await client.call('ping', {}, {expected: 2});
		assert.ok((seen.at(-1)!.headers['clock'] as number) > 42);
	} finally {
		await client.close();
	}
});

test('replies carrying another ticket are set aside', async () => {
	mode = 'foreign-first';
	const client = createControlClient({connection, transport: TRANSPORT, readOnly: false});
	try {
		const result = await client.call('stats', {}, {expected: 2});
		assert.deepEqual(Object.keys(result.replies).sort(), nodes);
		assert.deepEqual(result.replies['a@test'], {ok: 'stats from a@test'});
		assert.equal(result.ignored, 2);
	} finally {
		mode = 'reply';
		await client.close();
	}
	assert.deepEqual(await replyKeys(), []);
});

test('a reply pushed after the cleanup is deleted by the second DEL', async () => {
	mode = 'silent';
	const client = createControlClient({
		connection,
		transport: TRANSPORT,
		readOnly: false,
		lateCleanupMs: 200,
	});
	try {
		const result = await client.call('ping', {}, {timeout: 0.2});
		assert.deepEqual(result.replies, {});
		const {body, lists} = seen.at(-1)!;
		assert.equal(lists.length, 2, 'both nodes found the binding while the call ran');
		assert.equal(await db.scard(BINDING), 0, 'the binding member is gone');
		// A worker that read the binding before the SREM pushes its reply after the DEL.
		await db.lpush(lists[0]!, reply({'a@test': {ok: 'pong'}}, body.ticket!, body.reply_to!.routing_key));
		assert.equal(await db.exists(lists[0]!), 1);
		await waitFor(async () => (await db.exists(lists[0]!)) === 0, {message: 'second DEL'});
	} finally {
		mode = 'reply';
		await client.close();
	}
});

test('close() runs the pending second DELs before it returns', async () => {
	mode = 'silent';
	const client = createControlClient({
		connection,
		transport: TRANSPORT,
		readOnly: false,
		lateCleanupMs: 60_000,
	});
	const result = await client.call('ping', {}, {timeout: 0.2});
	assert.deepEqual(result.replies, {});
	const {body, lists} = seen.at(-1)!;
	await db.lpush(lists[0]!, reply({'a@test': {ok: 'pong'}}, body.ticket!, body.reply_to!.routing_key));
	mode = 'reply';
	await client.close();
	assert.deepEqual(await replyKeys(), []);
});

test('overlapping calls each get their own replies; a destination sets the expected count', async () => {
	const client = createControlClient({connection, transport: TRANSPORT, readOnly: false});
	try {
		const [one, two, only] = await Promise.all([
			client.call('ping', {}, {expected: 2}),
			client.call('clock', {}, {expected: 2}),
			client.call('active', {}, {destination: ['b@test'], timeout: 5}),
		]);
		assert.deepEqual(one.replies['a@test'], {ok: 'ping from a@test'});
		assert.deepEqual(two.replies['b@test'], {ok: 'clock from b@test'});
		assert.deepEqual(only.replies, {'b@test': {ok: 'active from b@test'}});
		assert.ok(only.elapsed < 2, 'returned on the single expected reply');
		const oids = new Set(seen.slice(-3).map((s) => s.body.reply_to!.routing_key));
		assert.equal(oids.size, 3, 'a new oid per call');
	} finally {
		await client.close();
	}
	assert.deepEqual(await replyKeys(), []);
});

test('casts: no ticket, no binding, nothing waited for', async () => {
	const client = createControlClient({connection, transport: TRANSPORT, readOnly: false});
	const from = monitored.length;
	try {
		const shutdown = await client.call('shutdown', {}, {destination: ['a@test']});
		assert.equal(shutdown.sent, true);
		assert.deepEqual(shutdown.replies, {});
		assert.equal(shutdown.receivers, 1);
		await waitFor(() => seen.at(-1)?.body.method === 'shutdown');
		const body = seen.at(-1)!.body;
		assert.deepEqual(body, {
			method: 'shutdown',
			arguments: {},
			destination: ['a@test'],
			pattern: null,
			matcher: null,
		});
		await client.cast('ping', {}, {pattern: 'a@*'});
		await waitFor(() => seen.at(-1)?.body.method === 'ping');
		assert.equal(seen.at(-1)!.body.matcher, 'glob');
		assert.ok(!monitored.slice(from).some((args) => args[0] === 'sadd' || args[0] === 'brpop'));
	} finally {
		await client.close();
	}
});

test('read-only and invalid calls are refused before anything reaches Redis', async () => {
	const client = createControlClient({connection, transport: TRANSPORT, readOnly: true});
	const from = monitored.length;
	try {
		await assert.rejects(client.call('revoke', {task_id: ['x']}), ReadOnlyError);
		await assert.rejects(client.cast('heartbeat'), ReadOnlyError);
		await assert.rejects(client.call('shutdown'), ReadOnlyError);
		await assert.rejects(client.call('query_task', {ids: []}), ControlUsageError);
		await assert.rejects(client.call('no_such_cmd'), /unknown control or inspect method 'no_such_cmd'/);
		await assert.rejects(client.call('ping', {}, {timeout: 0}), /timeout must be a positive number/);
		const ok = await client.call('ping', {}, {expected: 2});
		assert.equal(Object.keys(ok.replies).length, 2);
	} finally {
		await client.close();
	}
	await waitFor(() => monitored.slice(from).some((args) => args[0] === 'publish'));
	const publishes = monitored.slice(from).filter((args) => args[0] === 'publish');
	assert.equal(publishes.length, 1, 'only the ping');
	assert.equal(publishes[0]![1], CHANNEL);
	const handshake = new Set(['hello', 'client', 'info', 'select', 'auth']);
	assert.deepEqual(
		monitored
			.slice(from)
			.map((args) => args[0])
			.find((name) => !handshake.has(name!)),
		'sadd',
		'nothing but the connection handshake reached Redis before the ping round trip',
	);
});

test('a broker that is down gives a ControlConnectionError without the password', async () => {
	const port = await freePort();
	const parsed = parseBrokerUrl(`redis://:hunter2-secret@127.0.0.1:${port}/0`);
	assert.ok(parsed.ok);
	const client = createControlClient({
		connection: parsed.value,
		transport: {},
		readOnly: false,
		display: `redis://:***@127.0.0.1:${port}/0`,
	});
	try {
		const error = await client.call('ping').then(
			() => undefined,
			(e: unknown) => e,
		);
		assert.ok(error instanceof ControlConnectionError, String(error));
		assert.match(error.message, /^cannot connect to redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0/);
		assert.ok(!error.message.includes('hunter2'));
	} finally {
		await client.close();
	}
});
