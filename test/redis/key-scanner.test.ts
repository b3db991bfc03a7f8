// SCAN done safely, checked with MONITOR on a private server: never KEYS, COUNT bounded, pipelines no
// bigger than a batch, binary key names, cancel and limit.
import assert from 'node:assert/strict';
import {Buffer} from 'node:buffer';
import {after, before, test} from 'node:test';
import type {Redis} from 'ioredis';
import {buildConfig} from '../../source/config.js';
import type {MonitorRecord} from '../../source/protocol/monitor.js';
import {MAX_SCAN_COUNT} from '../../source/ports/defaults.js';
import {scanKeys, type KeyEntry} from '../../source/redis/key-scanner.js';
import {memoryReport} from '../../source/redis/memory.js';
import {startMonitor} from '../../source/redis/monitor-tap.js';
import {readQueues} from '../../source/redis/queues.js';
import {RespConnection} from '../../source/redis/resp-connection.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {BINARY_KEY, startSeededRedis, stopSeededRedis} from '../helpers/seed-keyspace.js';
import {waitFor} from '../helpers/wait-for.js';

let server: RedisServer;
let redis: Redis;

before(async () => {
	({server, redis} = await startSeededRedis());
	const filler = redis.pipeline();
	for (let i = 0; i < 3000; i++) filler.set(`filler:${i}`, String(i));
	await filler.exec();
});

after(() => stopSeededRedis({server, redis}));

async function collect(iterator: AsyncGenerator<KeyEntry[], unknown>): Promise<KeyEntry[]> {
	const all: KeyEntry[] = [];
	for await (const batch of iterator) all.push(...batch);
	return all;
}

test('MONITOR during scans: no KEYS, SCAN COUNT bounded, pipelines no bigger than a batch', async () => {
	const config = buildConfig({broker: server.url}, {});
	assert.ok(config.ok);
	const seen: MonitorRecord[] = [];
	const tap = await startMonitor(config.value.connection, {
		display: server.url,
		onRecord: (r) => seen.push(r),
	});
	const scanner = await RespConnection.open(config.value.connection, server.url);
	try {
		const addr = /addr=(\S+) .*name=celerytop-scan /.exec(String(await redis.client('LIST')))![1]!;
		await memoryReport(scanner, {db: 0});
		await collect(scanKeys(scanner, {match: 'session:*'}));
		await readQueues(redis, {});
		await scanner.send([['ECHO', 'scan-finished']]);
		await waitFor(() => seen.some((r) => r.command === 'ECHO' && r.args[0] === 'scan-finished'));
		const queuesAddr = /addr=(\S+)/.exec(String(await redis.client('INFO')))![1]!;
		const ours = seen.filter((r) => r.client === addr || r.client === queuesAddr);
		assert.ok(ours.length > 3000 * 3, `saw ${ours.length} commands`);
		assert.equal(seen.filter((r) => r.command === 'KEYS').length, 0, 'KEYS is never sent');
		const scans = ours.filter((r) => r.command === 'SCAN' || r.command.endsWith('SCAN'));
		assert.ok(scans.length >= 10);
		for (const scan of scans) {
			const i = scan.args.findIndex((a) => a.toUpperCase() === 'COUNT');
			assert.ok(i !== -1, `${scan.command} without COUNT: ${scan.args.join(' ')}`);
			assert.ok(Number(scan.args[i + 1]) <= MAX_SCAN_COUNT, scan.args.join(' '));
		}
		assert.ok(scans.some((s) => s.args.includes('MATCH') && s.args.includes('session:*')));
		assert.ok(
			scans.some((s) => s.args.includes('TYPE') && s.args.includes('list')),
			'queues look for lists with SCAN … TYPE list',
		);
		let memoryInGap = 0;
		let worst = 0;
		for (const r of ours.filter((r) => r.client === addr)) {
			if (r.command === 'SCAN') memoryInGap = 0;
			else if (r.command === 'MEMORY') worst = Math.max(worst, ++memoryInGap);
		}
		assert.ok(
			worst > 0 && worst <= MAX_SCAN_COUNT,
			`at most one batch of MEMORY USAGE between two SCANs (saw ${worst})`,
		);
		// Result keys are strings by their name: TTL and MEMORY USAGE, but no TYPE, for them.
		const mine = ours.filter((r) => r.client === addr);
		const onResults = (command: string) =>
			mine.filter((r) => r.command === command && r.args.at(-1)!.startsWith('celery-task-meta-')).length;
		assert.ok(onResults('TTL') >= 30, `TTL of result keys: ${onResults('TTL')}`);
		assert.equal(onResults('MEMORY'), onResults('TTL'));
		assert.equal(onResults('TYPE'), 0, 'no TYPE for a key whose name gives its type');
		assert.ok(
			mine.some((r) => r.command === 'TYPE' && r.args[0] === 'session:7'),
			'TYPE for the others',
		);
		// No unbounded reads: sets and hashes are walked with SSCAN/HSCAN, lists read from a bounded tail.
		assert.equal(ours.filter((r) => ['SMEMBERS', 'HGETALL', 'ZRANGE'].includes(r.command)).length, 0);
		const lranges = ours.filter((r) => r.command === 'LRANGE');
		assert.ok(lranges.length > 0 && lranges.every((r) => Number(r.args[1]) >= -10 && r.args[2] === '-1'));
	} finally {
		scanner.close();
		await tap.stop();
	}
});

test('entries carry type, TTL and MEMORY USAGE; a key that is not UTF-8 is addressed by its bytes', async () => {
	const all = await collect(scanKeys(redis, {}));
	assert.equal(all.length, Number(await redis.dbsize()));
	const session = all.find((e) => e.key === 'session:7')!;
	assert.deepEqual([session.type, session.raw], ['string', 'session:7']);
	assert.ok(session.ttl > 1700 && session.ttl <= 1800);
	assert.equal(session.bytes, Number(await redis.memory('USAGE', 'session:7')));
	const binary = all.find((e) => Buffer.isBuffer(e.raw))!;
	assert.ok(Buffer.isBuffer(binary.raw) && binary.raw.equals(BINARY_KEY));
	assert.equal(binary.type, 'string');
	assert.equal(binary.bytes, Number(await redis.memory('USAGE', BINARY_KEY)));
	const queue = all.find((e) => e.key === 'celery')!;
	assert.deepEqual([queue.type, queue.ttl], ['list', -1]);
});

test('describe:false lists names only; limit stops early; an abort stops the walk', async () => {
	const names = await collect(scanKeys(redis, {match: 'filler:1*', describe: false}));
	assert.equal(names.length, 1111);
	assert.ok(names.every((e) => e.bytes === undefined && e.type === ''));
	const limited = await collect(scanKeys(redis, {limit: 25, count: 10}));
	assert.equal(limited.length, 25);
	const controller = new AbortController();
	let batches = 0;
	for await (const batch of scanKeys(redis, {count: 10, signal: controller.signal})) {
		batches++;
		assert.ok(batch.length > 0);
		controller.abort();
	}
	assert.equal(batches, 1);
	assert.equal(await redis.ping(), 'PONG', 'the connection is still usable after a cancel');
});

test('the lean RESP connection and ioredis give the same entries; replies of any size; errors as values', async () => {
	const config = buildConfig({broker: server.url}, {});
	assert.ok(config.ok);
	const pipe = await RespConnection.open(config.value.connection, server.url);
	try {
		const sort = (entries: KeyEntry[]) => entries.map((e) => JSON.stringify([e.key, e.type, e.bytes])).sort();
		const viaResp = await collect(scanKeys(pipe, {}));
		assert.deepEqual(sort(viaResp), sort(await collect(scanKeys(redis, {}))));
		assert.ok(viaResp.some((e) => Buffer.isBuffer(e.raw) && e.raw.equals(BINARY_KEY)));
		const [blob, wrong, missing, ok] = await pipe.send([
			['GET', 'blob:big'],
			['LLEN', 'blob:big'],
			['GET', 'nope'],
			['PING'],
		]);
		assert.ok(Buffer.isBuffer(blob) && blob.length === 2 * 1024 * 1024);
		assert.ok(wrong instanceof Error && /WRONGTYPE/.test(wrong.message));
		assert.deepEqual([missing, ok], [null, 'PONG']);
		const [binary] = await pipe.send([['GET', BINARY_KEY]]);
		assert.equal(String(binary), 'binary name');
	} finally {
		pipe.close();
	}
	await assert.rejects(pipe.send([['PING']]), /connection closed/);
	const locked = await startRedis({password: 'pw-in-url'});
	try {
		const wrong = buildConfig({broker: locked.url.replace('pw-in-url', 'bad-secret')}, {});
		assert.ok(wrong.ok);
		await assert.rejects(RespConnection.open(wrong.value.connection, 'redis://:***@host'), (error: Error) => {
			assert.equal(error.message, 'authentication failed for redis://:***@host: wrong user name or password');
			return true;
		});
		const right = buildConfig({broker: locked.url.replace(/\/0$/, '/4')}, {});
		assert.ok(right.ok);
		const db4 = await RespConnection.open(right.value.connection, 'x');
		await db4.send([['SET', 'in-db-4', '1']]);
		db4.close();
		assert.equal(await locked.cli('-a', 'pw-in-url', '--no-auth-warning', '-n', '4', 'GET', 'in-db-4'), '1');
	} finally {
		await locked.stop();
	}
});
