// A keyspace with known families for the Redis inspector tests: what each family holds is known in
// advance, so counts and byte sums can be checked against MEMORY USAGE key by key.
import {Buffer} from 'node:buffer';
import {Redis} from 'ioredis';
import {startRedis, type RedisServer} from './redis-server.js';
import {readJsonLines} from './fixtures.js';

type MessageLine = {key: string; field?: string; data?: string; note: string};

export const SEP = '\x06\x16';
export const BINARY_KEY = Buffer.from([0xff, 0xfe, 0x3a, 0x31]); // not UTF-8

/** family label ('kind:family') → the keys seeded in it. */
export type Seeded = Map<string, Array<string | Buffer>>;

export async function seedKeyspace(redis: Redis): Promise<Seeded> {
	const messages = readJsonLines<MessageLine>('task-messages.jsonl');
	const queued = messages.filter((m) => m.key === 'celery' && m.data).map((m) => m.data!);
	const unacked = messages.find((m) => m.key === 'unacked')!;
	const seeded: Seeded = new Map();
	const put = (label: string, key: string | Buffer) => seeded.set(label, [...(seeded.get(label) ?? []), key]);
	const p = redis.pipeline();
	for (let i = 0; i < 200; i++) {
		p.set(`session:${i}`, 's'.repeat(120), 'EX', 1800);
		put('app:session', `session:${i}`);
	}
	for (let i = 0; i < 50; i++) {
		p.hset(`cache.user.${i}`, {name: `user ${i}`, email: `u${i}@example.com`});
		put('app:cache', `cache.user.${i}`);
	}
	for (let i = 0; i < 32; i++) {
		const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
		const value = JSON.stringify({
			status: 'SUCCESS',
			result: i,
			traceback: null,
			children: [],
			date_done: '2026-11-27T09:26:36.634949',
			task_id: id,
		});
		if (i < 30) p.setex(`celery-task-meta-${id}`, 300, value);
		else p.set(`celery-task-meta-${id}`, value); // no TTL: flagged
		put('celery-results:celery-task-meta', `celery-task-meta-${id}`);
	}
	p.setex('celery-taskset-meta-g1', 300, JSON.stringify({result: [['g1', null], [[['c1', null], null]]]}));
	p.zadd('celery-taskset-meta-g2.j', 0, '[1, "c2", "SUCCESS", 2]');
	p.expire('celery-taskset-meta-g2.j', 300);
	put('celery-group-results:celery-taskset-meta', 'celery-taskset-meta-g1');
	put('celery-group-results:celery-taskset-meta', 'celery-taskset-meta-g2.j');
	p.lpush('celery', ...queued.slice(0, 5));
	p.lpush(`celery${SEP}3`, ...queued.slice(5, 7));
	put('celery-queue:celery', 'celery');
	put('celery-queue:celery', `celery${SEP}3`);
	p.lpush('lost', queued[0]!); // a queue nobody bound
	put('celery-queue:lost', 'lost');
	p.sadd('_kombu.binding.celery', `celery${SEP}${SEP}celery`);
	p.sadd('_kombu.binding.celeryev', `worker.#${SEP}${SEP}celeryev.1`);
	put('kombu-bindings:_kombu.binding', '_kombu.binding.celery');
	put('kombu-bindings:_kombu.binding', '_kombu.binding.celeryev');
	p.hset('unacked', unacked.field!, unacked.data!);
	p.zadd('unacked_index', 1795771596.630832, unacked.field!);
	put('celery-unacked:unacked', 'unacked');
	put('celery-unacked:unacked', 'unacked_index');
	p.lpush('3f1c2a9e-0000-4000-8000-000000000001.reply.celery.pidbox', queued[0]!); // nobody waits for it
	put('pidbox-replies:reply.celery.pidbox', '3f1c2a9e-0000-4000-8000-000000000001.reply.celery.pidbox');
	p.rpush('jobs', 'one', 'two', 'three'); // an application list, not a queue
	put('app:jobs', 'jobs');
	p.set('blob:big', Buffer.alloc(2 * 1024 * 1024, 1)); // huge
	put('app:blob', 'blob:big');
	p.set(BINARY_KEY, 'binary name');
	put(`app:${BINARY_KEY.toString('utf8').split(':')[0]}`, BINARY_KEY);
	await p.exec();
	return seeded;
}

/** MEMORY USAGE of each key, asked one by one. */
export async function memoryUsage(redis: Redis, keys: ReadonlyArray<string | Buffer>): Promise<number> {
	let sum = 0;
	for (const key of keys) sum += Number(await redis.memory('USAGE', key));
	return sum;
}

export type SeededServer = {readonly server: RedisServer; readonly redis: Redis; readonly seeded: Seeded};

/** A private redis-server, a connected client, and the Celery-like keyspace seeded into db 0. */
export async function startSeededRedis(): Promise<SeededServer> {
	const server = await startRedis();
	const redis = new Redis({host: server.host, port: server.port, lazyConnect: true});
	await redis.connect();
	return {server, redis, seeded: await seedKeyspace(redis)};
}

export async function stopSeededRedis(env: {
	readonly server?: RedisServer;
	readonly redis?: Redis;
}): Promise<void> {
	env.redis?.disconnect();
	await env.server?.stop();
}
