// INFO text captured from redis-server 7.0.15 (test/fixtures/redis-info-7.0.txt), Redis 8.0 and
// Valkey 8.1 (redis-info-8.0.txt, valkey-info-8.1.txt, from the today lane's Debian 13 tree) → sections,
// the watched figures, and the warnings an operator of a Celery broker needs.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {serverLabel} from '../../source/present/redis-view.js';
import {
	counterRates,
	parseInfo,
	parseOutputBufferLimits,
	redisWarnings,
	watchedFigures,
	type WatchedFigures,
} from '../../source/protocol/redis-info.js';
import {fixturePath} from '../helpers/fixtures.js';

const text = readFileSync(fixturePath('redis-info-7.0.txt'), 'utf8');

describe('parseInfo', () => {
	const info = parseInfo(text);

	test('every "# Section" becomes a lower-case section with typed fields', () => {
		assert.deepEqual(Object.keys(info), [
			'server',
			'clients',
			'memory',
			'persistence',
			'stats',
			'replication',
			'cpu',
			'modules',
			'errorstats',
			'cluster',
			'keyspace',
		]);
		assert.equal(info['server']!['redis_version'], '7.0.15');
		assert.equal(info['server']!['tcp_port'], 6411);
		assert.equal(info['server']!['redis_git_sha1'], '00000000', 'identifiers stay strings');
		assert.equal(info['memory']!['maxmemory_policy'], 'allkeys-lru');
		assert.equal(info['memory']!['mem_fragmentation_ratio'], 11.55);
		assert.equal(info['memory']!['used_memory_peak_perc'], '100.14%');
	});

	test('k=v lists (keyspace, errorstats) become objects', () => {
		assert.deepEqual(info['keyspace'], {
			db0: {keys: 4, expires: 1, avg_ttl: 0},
			db3: {keys: 1, expires: 1, avg_ttl: 0},
		});
		assert.deepEqual(info['errorstats'], {errorstat_ERR: {count: 2}});
	});

	test('\\n line endings and unknown lines are accepted', () => {
		const parsed = parseInfo(
			'# Server\nredis_version:6.2.0\ngarbage\n\n# Keyspace\ndb12:keys=7,expires=0,avg_ttl=0\n',
		);
		assert.deepEqual(parsed, {
			server: {redis_version: '6.2.0'},
			keyspace: {db12: {keys: 7, expires: 0, avg_ttl: 0}},
		});
	});
});

describe('watchedFigures', () => {
	test('the figures of the overview, from the captured INFO', () => {
		const f = watchedFigures(parseInfo(text));
		assert.equal(f.version, '7.0.15');
		assert.equal(f.role, 'master');
		assert.equal(f.usedMemory, 1_238_224);
		assert.equal(f.usedMemoryPeak, 1_238_224);
		assert.equal(f.usedMemoryRss, 12_378_112);
		assert.equal(f.fragmentation, 11.55);
		assert.equal(f.maxmemory, 10_485_760);
		assert.equal(f.maxmemoryPolicy, 'allkeys-lru');
		assert.equal(f.opsPerSec, 1);
		assert.equal(f.connectedClients, 3);
		assert.equal(f.blockedClients, 1);
		assert.equal(f.keyspaceHits, 1);
		assert.equal(f.keyspaceMisses, 2);
		assert.equal(f.hitRatio, 1 / 3);
		assert.equal(f.netInputKbps, 0.06);
		assert.deepEqual(f.keyspace, [
			{db: 0, keys: 4, expires: 1, avgTtlMs: 0},
			{db: 3, keys: 1, expires: 1, avgTtlMs: 0},
		]);
		assert.equal(f.persistence.rdbLastBgsaveStatus, 'ok');
		assert.equal(f.persistence.aofEnabled, false);
		assert.equal(f.persistence.rdbLastSaveTime, 1_795_776_642);
	});

	test('no lookups yet: the hit ratio is unknown, not 0', () => {
		assert.equal(
			watchedFigures(parseInfo('# Stats\nkeyspace_hits:0\nkeyspace_misses:0\n')).hitRatio,
			undefined,
		);
	});

	test('counter rates per second between two samples; a reset counter gives 0', () => {
		const at = (expired: number, evicted: number) =>
			watchedFigures(parseInfo(`# Stats\nexpired_keys:${expired}\nevicted_keys:${evicted}\n`));
		assert.deepEqual(counterRates(at(10, 0), at(40, 5), 2), {expiredPerSec: 15, evictedPerSec: 2.5});
		assert.deepEqual(counterRates(at(40, 5), at(0, 0), 2), {expiredPerSec: 0, evictedPerSec: 0});
	});
});

describe('redisWarnings', () => {
	const figures = (memory: string, extra = ''): WatchedFigures =>
		watchedFigures(
			parseInfo(`# Memory\n${memory}\n# Persistence\nrdb_last_bgsave_status:ok\naof_enabled:0\n${extra}`),
		);
	const codes = (f: WatchedFigures, context = {}) =>
		redisWarnings(f, context).map((w) => `${w.code}/${w.level}`);

	test('table of memory situations', () => {
		const cases: Array<[string, string[]]> = [
			['used_memory:100\nmaxmemory:0\nmaxmemory_policy:allkeys-lru', []],
			['used_memory:100\nmaxmemory:1000\nmaxmemory_policy:noeviction', []],
			['used_memory:850\nmaxmemory:1000\nmaxmemory_policy:volatile-lru', ['near-maxmemory/warning']],
			['used_memory:100\nmaxmemory:1000\nmaxmemory_policy:allkeys-lru', ['eviction-policy/warning']],
			[
				'used_memory:990\nmaxmemory:1000\nmaxmemory_policy:allkeys-random',
				['near-maxmemory/critical', 'eviction-policy/warning'],
			],
			[
				'used_memory:960\nmaxmemory:1000\nmaxmemory_policy:noeviction',
				['near-maxmemory/critical', 'noeviction-at-limit/critical'],
			],
		];
		for (const [memory, expected] of cases) assert.deepEqual(codes(figures(memory)), expected, memory);
	});

	test('evictions happening now', () => {
		const f = figures('used_memory:100\nmaxmemory:1000\nmaxmemory_policy:volatile-lru');
		assert.deepEqual(codes(f, {rates: {expiredPerSec: 3, evictedPerSec: 0}}), []);
		const warnings = redisWarnings(f, {rates: {expiredPerSec: 0, evictedPerSec: 12}});
		assert.equal(warnings[0]?.code, 'evicting');
		assert.match(warnings[0]!.message, /12\.0 keys\/s/);
	});

	test("our subscriber's omem against client-output-buffer-limit pubsub", () => {
		const limits = parseOutputBufferLimits(
			'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
		);
		assert.deepEqual(limits['pubsub'], {hard: 33_554_432, soft: 8_388_608, softSeconds: 60});
		const f = figures('used_memory:100\nmaxmemory:0');
		const at = (omem: number) => codes(f, {subscriberOmem: omem, pubsubLimit: limits['pubsub']});
		assert.deepEqual(at(1_000_000), []);
		assert.deepEqual(at(5_000_000), ['subscriber-buffer/warning']); // ≥ 50 % of the 8 MB soft limit
		assert.deepEqual(at(7_000_000), ['subscriber-buffer/critical']);
		assert.deepEqual(
			codes(f, {subscriberOmem: 7_000_000, pubsubLimit: {hard: 0, soft: 0, softSeconds: 0}}),
			[],
		);
		assert.deepEqual(parseOutputBufferLimits('pubsub 32mb 8mb 60')['pubsub'], {
			hard: 32 << 20,
			soft: 8 << 20,
			softSeconds: 60,
		});
	});

	test('failing persistence', () => {
		const f = watchedFigures(
			parseInfo('# Persistence\nrdb_last_bgsave_status:err\naof_enabled:1\naof_last_write_status:ok\n'),
		);
		assert.deepEqual(codes(f), ['persistence-failing/critical']);
	});
});

describe("today's servers: INFO of Redis 8.0 and Valkey 8.1 (captured by the today lane)", () => {
	const redis8 = parseInfo(readFileSync(fixturePath('redis-info-8.0.txt'), 'utf8'));
	const valkey = parseInfo(readFileSync(fixturePath('valkey-info-8.1.txt'), 'utf8'));

	test('Redis 8 names no server_name: it is redis, its version redis_version', () => {
		const f = watchedFigures(redis8);
		assert.equal(f.server, 'redis');
		assert.equal(f.version, '8.0.2');
		assert.equal(f.redisCompatible, undefined);
		assert.equal(f.mode, 'standalone');
		assert.equal(serverLabel(f), 'redis 8.0.2');
		// Redis 8 adds subexpiry to the keyspace lines and a Keysizes section; neither is a database.
		assert.deepEqual(redis8['keyspace'], {db0: {keys: 2, expires: 1, avg_ttl: 0, subexpiry: 0}});
		assert.deepEqual(f.keyspace, [{db: 0, keys: 2, expires: 1, avgTtlMs: 0}]);
		assert.ok('keysizes' in redis8);
	});

	test('Valkey says server_name:valkey and valkey_version, keeps redis_version 7.2.4, says server_mode', () => {
		assert.equal(valkey['server']!['redis_version'], '7.2.4');
		assert.equal(valkey['server']!['redis_mode'], undefined, 'Valkey has no redis_mode');
		const f = watchedFigures(valkey);
		assert.equal(f.server, 'valkey');
		assert.equal(f.version, '8.1.1');
		assert.equal(f.redisCompatible, '7.2.4');
		assert.equal(f.mode, 'standalone');
		assert.equal(serverLabel(f), 'valkey 8.1.1 (redis 7.2.4 compatible)');
		assert.equal(f.role, 'master');
	});

	test('the figures the overview watches are all there on both', () => {
		for (const info of [redis8, valkey]) {
			const f = watchedFigures(info);
			for (const name of [
				'uptimeSeconds',
				'usedMemory',
				'usedMemoryPeak',
				'usedMemoryRss',
				'fragmentation',
				'maxmemory',
				'opsPerSec',
				'connectedClients',
				'blockedClients',
				'expiredKeys',
				'evictedKeys',
				'netInputKbps',
				'totalNetInputBytes',
			] as const)
				assert.equal(typeof f[name], 'number', `${f.server}: ${name}`);
			assert.equal(f.maxmemoryPolicy, 'noeviction');
			assert.equal(f.persistence.rdbLastBgsaveStatus, 'ok');
		}
	});

	test('Redis 7.0 reads as before', () => {
		const f = watchedFigures(parseInfo(text));
		assert.equal(serverLabel(f), 'redis 7.0.15');
		assert.equal(f.mode, 'standalone');
	});
});
