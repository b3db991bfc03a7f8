// The db rule in the TUI, against a real redis-server with the Celery-like keyspace seeded in db 0
// (the real inspector services, the rest faked): `d` to a db the server does not have is refused with
// one line and the views stay on db 0; FLUSHDB then names the broker's queues and wants `flush 0`;
// a FLUSHDB of another db removes that db only; DEL and purge dialogs say what would go.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import type {Redis} from 'ioredis';
import {buildConfig} from '../../source/config.js';
import {createRedisInspector} from '../../source/redis/inspector.js';
import type {Services} from '../../source/ui/services.js';
import {fakeServices} from '../helpers/fake-services.js';
import {BACKSPACE, ENTER, ESCAPE} from '../helpers/keys.js';
import type {RedisServer} from '../helpers/redis-server.js';
import {startSeededRedis, stopSeededRedis} from '../helpers/seed-keyspace.js';
import {waitFor} from '../helpers/wait-for.js';
import {mountApp} from './mount.js';

let server: RedisServer;
let redis: Redis;

before(async () => {
	({server, redis} = await startSeededRedis());
});

after(() => stopSeededRedis({server, redis}));

function setup() {
	const config = buildConfig({broker: server.url}, {});
	assert.ok(config.ok);
	const inspector = createRedisInspector(config.value);
	const services: Services = {...fakeServices(), redis: inspector};
	const mounted = mountApp(services, {rows: 40});
	return {
		...mounted,
		close: async () => {
			mounted.r.unmount();
			await inspector.close();
		},
	};
}

const erase = BACKSPACE.repeat(4);

test('d 99 is refused with one line and the view stays on db 0; FLUSHDB then wants "flush 0" and names the broker queues', async () => {
	const before = Number(await redis.dbsize());
	const {frame, press, close} = setup();
	try {
		await press('5', (f) => f.includes('blob:big'), 'the key browser on db 0');
		await press('d', (f) => f.includes('Inspect database number'), 'db prompt');
		await press(
			erase + '99' + ENTER,
			(f) =>
				f.includes(
					`db 99 does not exist on 127.0.0.1:${server.port} (it has 16: 0-15); still inspecting db 0`,
				),
			'refused',
		);
		assert.doesNotMatch(frame(), /key scan failed|inspecting db 99/);
		assert.match(frame(), /blob:big/, 'the keys of db 0 stay on screen');
		await press(
			'F',
			(f) => f.includes("db 0 is the BROKER's db") && f.includes('type flush 0'),
			'FLUSHDB dialog with what db 0 holds',
		);
		assert.match(frame(), /Celery queues celery 7, lost 1/);
		await press(
			'0' + ENTER,
			(f) => f.includes('not confirmed: typed "0", not "flush 0"'),
			'a digit is not enough',
		);
		await press('F', (f) => f.includes('type flush 0'), 'asked again');
		await press('y' + ENTER, (f) => f.includes('not confirmed: typed "y"'), 'nor a y');
		assert.equal(Number(await redis.dbsize()), before, 'db 0 is whole');
	} finally {
		await close();
	}
});

test('d 4 switches; FLUSHDB of db 4 says what it holds and removes db 4 only', async () => {
	await redis.select(4);
	await redis.set('db4:a', '1');
	await redis.rpush('db4:list', 'x', 'y');
	await redis.select(0);
	const before = Number(await redis.dbsize());
	const {press, close} = setup();
	try {
		await press('3', (f) => f.includes('Memory breakdown · db 0'), 'memory of db 0');
		await press('d', (f) => f.includes('Inspect database number'), 'db prompt');
		await press(erase + '4' + ENTER, (f) => f.includes('Memory breakdown · db 4'), 'db 4');
		await press('F', (f) => f.includes('db 4 holds 2 keys') && f.includes('type flush 4'), 'dialog');
		await press('flush 4' + ENTER, (f) => f.includes('FLUSHDB db 4 (db 4): removed 2 key(s)'), 'flushed');
		await redis.select(4);
		assert.equal(Number(await redis.dbsize()), 0);
		await redis.select(0);
		assert.equal(Number(await redis.dbsize()), before, 'db 0 is whole');
	} finally {
		await close();
	}
});

test('DEL names the key, its type and size; purge the number of messages', async () => {
	const {press, close} = setup();
	try {
		await press('5', (f) => f.includes('blob:big'), 'keys');
		await press(
			'D',
			(f) => /Delete the key blob:big from db 0\? It is a string of 2,097,152 bytes/.test(f),
			'DEL dialog',
		);
		await press('n', (f) => f.includes('cancelled'), 'cancelled');
		await press('4', (f) => f.includes('Queue celery'), 'queues');
		await press('P', (f) => f.includes('the 7 waiting messages of queue celery in db 0'), 'purge dialog');
		await press(ESCAPE, (f) => f.includes('cancelled'), 'cancelled');
		assert.equal(await redis.llen('celery'), 5);
		await waitFor(async () => (await redis.exists('blob:big')) === 1);
	} finally {
		await close();
	}
});
