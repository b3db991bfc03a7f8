// The db rule, below the commands: a db the server does not have is one line naming it and how many
// the server has (or, when CONFIG is refused, the SELECT error); a destructive operation is written
// only after SELECT answered +OK on its own connection, so a failing SELECT means nothing is sent
// after it (a fake RESP server records every command); the check has a time limit; an ioredis client
// whose SELECT fails closes instead of running its queued commands in db 0.
import assert from 'node:assert/strict';
import net from 'node:net';
import {after, before, test} from 'node:test';
import {Redis} from 'ioredis';
import {buildConfig, type Connection} from '../../source/config.js';
import type {MonitorRecord} from '../../source/protocol/monitor.js';
import {runAdmin} from '../../source/redis/admin.js';
import {createRedis} from '../../source/redis/clients.js';
import {checkDb, limited, missingDbLine, openDb, strictDb} from '../../source/redis/db-check.js';
import {startMonitor} from '../../source/redis/monitor-tap.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait-for.js';

type Recorded = {readonly args: string[]; readonly afterSelectReply: boolean};

/** A RESP2 server on loopback that records every command of every connection. */
async function fakeServer(options: {select: 'ok' | 'error' | 'never'; config?: 'ok' | 'refused'}): Promise<{
	port: number;
	connections: Recorded[][];
	open: () => number;
	close: () => Promise<void>;
}> {
	const connections: Recorded[][] = [];
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => {});
		const record: Recorded[] = [];
		connections.push(record);
		let selectAnswered = false;
		let pending = Buffer.alloc(0);
		// Replies go out in order; SELECT's after a pause, so a client that pipelined its next command
		// behind SELECT (instead of waiting for the answer) is seen sending it before the answer.
		let replies = Promise.resolve();
		const reply = (text: string, delayMs = 0, then: () => void = () => {}) => {
			replies = replies.then(
				() =>
					new Promise<void>((resolve) =>
						setTimeout(() => {
							if (!socket.destroyed) socket.write(text);
							then();
							resolve();
						}, delayMs),
					),
			);
		};
		socket.on('data', (chunk: Buffer) => {
			pending = Buffer.concat([pending, chunk]);
			for (;;) {
				const parsed = parseCommand(pending);
				if (!parsed) break;
				pending = pending.subarray(parsed.used);
				const [name = '', ...rest] = parsed.args;
				record.push({args: parsed.args, afterSelectReply: selectAnswered});
				switch (name.toUpperCase()) {
					case 'SELECT':
						if (options.select === 'never') break;
						reply(
							rest[0] === '0' || options.select === 'ok' ? '+OK\r\n' : '-ERR DB index is out of range\r\n',
							30,
							() => (selectAnswered = true),
						);
						break;
					case 'CONFIG':
						reply(
							options.config === 'refused'
								? "-NOPERM this user has no permissions to run the 'config|get' command\r\n"
								: '*2\r\n$9\r\ndatabases\r\n$2\r\n16\r\n',
						);
						break;
					case 'DBSIZE':
					case 'UNLINK':
						reply(':5\r\n');
						break;
					default:
						if (options.select !== 'never') reply('+OK\r\n');
				}
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	return {
		port,
		connections,
		open: () => sockets.size,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

function parseCommand(buffer: Buffer): {args: string[]; used: number} | undefined {
	let at = 0;
	const line = () => {
		const end = buffer.indexOf('\r\n', at);
		if (end === -1) return undefined;
		const text = buffer.toString('latin1', at, end);
		at = end + 2;
		return text;
	};
	const head = line();
	if (head === undefined || head[0] !== '*') return undefined;
	const args: string[] = [];
	for (let i = 0; i < Number(head.slice(1)); i++) {
		const size = line();
		if (size === undefined) return undefined;
		const length = Number(size.slice(1));
		if (at + length + 2 > buffer.length) return undefined;
		args.push(buffer.toString('utf8', at, at + length));
		at += length + 2;
	}
	return {args, used: at};
}

const connectionTo = (port: number, db: number, extra: Partial<Connection> = {}): Connection => {
	const config = buildConfig({broker: `redis://:pw@127.0.0.1:${port}/${db}`}, {});
	assert.ok(config.ok);
	return {...config.value.connection, ...extra};
};

const DESTRUCTIVE = new Set(['FLUSHDB', 'FLUSHALL', 'UNLINK', 'DEL', 'MULTI', 'EXEC', 'LLEN', 'DBSIZE']);

test('SELECT refused: FLUSHDB, DEL and purge send nothing after it, and say the db does not exist', async () => {
	const fake = await fakeServer({select: 'error'});
	try {
		for (const op of [
			{op: 'flushdb', db: 3},
			{op: 'del', key: 'session:1'},
			{op: 'purge', queue: 'celery'},
		] as const) {
			const result = await runAdmin(
				{connection: connectionTo(fake.port, 3), display: 'redis://:***@fake/3'},
				op,
				{readOnly: false, db: 3},
			);
			assert.deepEqual(result, {
				ok: false,
				error: `db 3 does not exist on 127.0.0.1:${fake.port} (it has 16: 0-15)`,
			});
		}
		await waitFor(() => fake.open() === 0, {message: 'every connection closed'});
		const sent = fake.connections.flat().map((r) => r.args[0]!.toUpperCase());
		assert.ok(sent.includes('SELECT'));
		for (const command of sent) assert.ok(!DESTRUCTIVE.has(command), `${command} was sent`);
		// The admin connections: AUTH, SELECT 3 and the connection's name (pipelined with SELECT), then close.
		const admin = fake.connections.filter((c) => c.some((r) => r.args.join(' ') === 'SELECT 3'));
		assert.equal(admin.length, 3);
		for (const record of admin) {
			assert.deepEqual(
				record.map((r) => r.args.join(' ')),
				['AUTH pw', 'SELECT 3', 'CLIENT SETNAME celerytop-admin'],
			);
		}
	} finally {
		await fake.close();
	}
});

test('SELECT answered +OK: the operation is written only after that answer', async () => {
	const fake = await fakeServer({select: 'ok'});
	try {
		const result = await runAdmin(
			{connection: connectionTo(fake.port, 3), display: 'fake'},
			{op: 'flushdb', db: 3},
			{readOnly: false, db: 3},
		);
		assert.deepEqual(result, {ok: true, removed: 5});
		const record = fake.connections.find((c) => c.some((r) => r.args[0] === 'FLUSHDB'))!;
		assert.deepEqual(
			record.map((r) => [r.args.join(' '), r.afterSelectReply]),
			[
				['AUTH pw', false],
				['SELECT 3', false],
				['CLIENT SETNAME celerytop-admin', false],
				['DBSIZE', true],
				['FLUSHDB ASYNC', true],
			],
		);
	} finally {
		await fake.close();
	}
});

test('CONFIG refused (an ACL without +config): the line falls back on the SELECT error', async () => {
	const fake = await fakeServer({select: 'error', config: 'refused'});
	try {
		assert.deepEqual(await checkDb(connectionTo(fake.port, 7), 'fake'), {
			ok: false,
			error: `db 7 does not exist on 127.0.0.1:${fake.port} (the server refused SELECT 7: DB index is out of range)`,
		});
	} finally {
		await fake.close();
	}
});

test('the check gives up after the connection timeouts when the server never answers SELECT', async () => {
	const fake = await fakeServer({select: 'never'});
	try {
		const started = performance.now();
		const checked = await checkDb(
			connectionTo(fake.port, 2, {connectTimeoutMs: 150, commandTimeoutMs: 150}),
			'redis://fake/2',
		);
		const took = performance.now() - started;
		// The connection's own timeout or the check's (connect + command): whichever comes first.
		assert.equal(checked.ok, false);
		assert.match(checked.ok ? '' : checked.error, /no answer/);
		assert.ok(took < 300 + 1_000, `took ${took} ms`);
	} finally {
		await fake.close();
	}
});

test('the time limit: work that does not finish in time gives the timeout value; what it opens late is closed', async () => {
	let release: (() => void) | undefined;
	const late = {closed: false, close: () => void (late.closed = true)};
	const result = await limited(
		50,
		async (track) => {
			await new Promise<void>((resolve) => (release = resolve));
			track(late);
			return 'finished';
		},
		() => 'timed out',
	);
	assert.equal(result, 'timed out');
	assert.equal(late.closed, false);
	release!();
	await waitFor(() => late.closed, {message: 'the late connection is closed'});
	assert.equal(
		await limited(
			1_000,
			async () => 'finished',
			() => 'timed out',
		),
		'finished',
	);
});

test('missingDbLine names the range', () => {
	assert.equal(missingDbLine(99, 'h:1', 16), 'db 99 does not exist on h:1 (it has 16: 0-15)');
	assert.equal(missingDbLine(1, 'h:1', 1), 'db 1 does not exist on h:1 (it has 1: 0)');
});

let server: RedisServer;
let small: RedisServer;

before(async () => {
	server = await startRedis();
	small = await startRedis({args: ['--databases', '4']});
});

after(async () => {
	await server?.stop();
	await small?.stop();
});

const realConnection = (s: RedisServer, db: number): Connection => {
	const config = buildConfig({broker: s.url.replace(/\/\d*$/, '') + `/${db}`}, {});
	assert.ok(config.ok);
	return config.value.connection;
};

test('a real server: db 15 exists, db 16 does not (16 databases); with --databases 4, db 4 does not', async () => {
	assert.deepEqual(await checkDb(realConnection(server, 15), server.url), {ok: true});
	assert.deepEqual(await checkDb(realConnection(server, 16), server.url), {
		ok: false,
		error: `db 16 does not exist on 127.0.0.1:${server.port} (it has 16: 0-15)`,
	});
	assert.deepEqual(await checkDb(realConnection(small, 4), small.url), {
		ok: false,
		error: `db 4 does not exist on 127.0.0.1:${small.port} (it has 4: 0-3)`,
	});
	await assert.rejects(openDb(realConnection(small, 9), small.url), {
		message: `db 9 does not exist on 127.0.0.1:${small.port} (it has 4: 0-3)`,
	});
});

test('a real server whose ACL refuses CONFIG: the line falls back on the SELECT error', async () => {
	const admin = new Redis({host: server.host, port: server.port});
	try {
		await admin.call('ACL', 'SETUSER', 'noconfig', 'on', '>noconfig-pw', '~*', '&*', '+@all', '-config');
		const connection = {...realConnection(server, 20), username: 'noconfig', password: 'noconfig-pw'};
		const checked = await checkDb(connection, 'redis://noconfig:***@host/20');
		assert.deepEqual(checked, {
			ok: false,
			error: `db 20 does not exist on 127.0.0.1:${server.port} (the server refused SELECT 20: DB index is out of range)`,
		});
		assert.deepEqual(await checkDb({...connection, db: 3}, 'redis://noconfig:***@host/3'), {ok: true});
	} finally {
		admin.disconnect();
	}
});

test('an ioredis client whose SELECT fails closes: its queued commands never run in db 0', async () => {
	const admin = new Redis({host: server.host, port: server.port});
	await admin.set('only-in-db-0', '1');
	const seen: MonitorRecord[] = [];
	const tap = await startMonitor(realConnection(server, 0), {
		display: server.url,
		onRecord: (r) => seen.push(r),
	});
	try {
		const {redis, wrongDb} = strictDb(createRedis(realConnection(server, 99), 'scan'), 99);
		// Queued before the connection is up, as a view's first read would be.
		const read = redis.get('only-in-db-0');
		void redis.connect().catch(() => {});
		await assert.rejects(read, /Connection is closed/);
		assert.match(wrongDb() ?? '', /^db 99 does not exist on the server any more/);
		await admin.echo('after');
		await waitFor(() => seen.some((r) => r.command === 'ECHO'));
		assert.ok(seen.some((r) => r.command === 'SELECT' && r.args[0] === '99'));
		assert.ok(!seen.some((r) => r.command === 'GET'), JSON.stringify(seen));
		assert.equal(redis.status, 'end', 'and it does not reconnect');
	} finally {
		await tap.stop();
		admin.disconnect();
	}
});

test('every client createRedis makes (control, events, stats) closes when its SELECT fails, without strictDb', async () => {
	const seen: MonitorRecord[] = [];
	const tap = await startMonitor(realConnection(server, 0), {
		display: server.url,
		onRecord: (r) => seen.push(r),
	});
	const admin = new Redis({host: server.host, port: server.port});
	const clients: Redis[] = [];
	try {
		for (const role of ['control', 'events', 'stats'] as const) {
			const redis = createRedis(realConnection(server, 99), role);
			clients.push(redis);
			const read = redis.lpush(`reply-${role}`, 'x');
			void redis.connect().catch(() => {});
			await assert.rejects(read);
			await waitFor(() => redis.status === 'end', {message: `${role}: the connection ends`});
		}
		await admin.echo('after');
		await waitFor(() => seen.some((r) => r.command === 'ECHO'));
		assert.ok(!seen.some((r) => r.command === 'LPUSH'), JSON.stringify(seen));
		assert.equal(await admin.exists('reply-control', 'reply-events', 'reply-stats'), 0);
	} finally {
		for (const redis of clients) redis.disconnect();
		await tap.stop();
		admin.disconnect();
	}
});
