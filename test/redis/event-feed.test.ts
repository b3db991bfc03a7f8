// Integration: a private redis-server; captured envelopes PUBLISHed on the real channel names
// reach the state; malformed ones are counted by reason and do not stall the feed.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {Redis} from 'ioredis';
import {buildConfig} from '../../source/config.js';
import {startSession, type Session} from '../../source/redis/session.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {readJsonLines, type PubSubLine} from '../helpers/fixtures.js';
import {waitFor} from '../helpers/wait-for.js';

let redis: RedisServer;
let publisher: Redis;

before(async () => {
	redis = await startRedis();
	publisher = new Redis({host: redis.host, port: redis.port, lazyConnect: true});
	await publisher.connect();
});

after(async () => {
	publisher?.disconnect();
	await redis?.stop();
});

async function session(broker: string, transportOptions?: string): Promise<Session> {
	const config = buildConfig({broker, brokerTransportOptions: transportOptions}, {});
	assert.ok(config.ok, config.ok ? '' : config.error);
	const started = await startSession(config.value);
	assert.ok(started.ok, started.ok ? '' : started.error);
	return started.session;
}

test('every captured event message published on its channel lands in the state', async () => {
	const s = await session(redis.url);
	try {
		const lines = readJsonLines<PubSubLine>('events-pubsub.jsonl').filter((l) =>
			l.channel.startsWith('/0.celeryev/'),
		);
		const pipeline = publisher.pipeline();
		for (const line of lines) pipeline.publish(line.channel, line.data);
		await pipeline.exec();
		const expected = readJsonLines<{line: number; channel: string; events?: unknown[]}>(
			'events-decoded.jsonl',
		)
			.filter((d) => d.channel.startsWith('/0.celeryev/'))
			.reduce((n, d) => n + (d.events?.length ?? 0), 0);
		await waitFor(() => s.store.cluster.eventCount === expected, {
			message: () => `applied ${s.store.cluster.eventCount} of ${expected}`,
		});
		assert.equal(s.store.cluster.malformedTotal, 0);
		assert.ok(s.store.cluster.tasks.size > 10);
		assert.ok(s.store.cluster.workers.get('w1@vm'));
	} finally {
		await s.stop();
	}
});

test('malformed messages are counted per reason while valid ones keep flowing', async () => {
	const s = await session(redis.url);
	try {
		const good = readJsonLines<PubSubLine>('events-pubsub.jsonl').find(
			(l) => l.channel === '/0.celeryev/worker.heartbeat',
		)!;
		const bad = [
			'not json at all',
			JSON.stringify({
				body: '!!!not base64!!!',
				'content-type': 'application/json',
				'content-encoding': 'utf-8',
				properties: {body_encoding: 'base64'},
			}),
			JSON.stringify({
				body: 'gAN9cQAu',
				'content-type': 'application/x-python-serialize',
				'content-encoding': 'binary',
				properties: {body_encoding: 'base64'},
			}),
		];
		for (let i = 0; i < 50; i++) {
			await publisher.publish('/0.celeryev/task.multi', bad[i % bad.length]!);
			await publisher.publish('/0.celeryev/worker.heartbeat', good.data);
		}
		await waitFor(() => s.store.cluster.eventCount === 50 && s.store.cluster.malformedTotal === 50, {
			message: () => `events ${s.store.cluster.eventCount}, malformed ${s.store.cluster.malformedTotal}`,
		});
		const reasons = Object.fromEntries(s.store.cluster.malformed);
		assert.equal(reasons['not-json'], 17);
		assert.equal(reasons['bad-base64'], 17);
		assert.equal(reasons['unsupported-serializer'], 16);
	} finally {
		await s.stop();
	}
});

test('the db of the broker URL and global_keyprefix pick the channel, as Celery names it', async () => {
	const variants = readJsonLines<PubSubLine>('events-pubsub-variants.jsonl');
	const db3 = variants.find((l) => l.channel.startsWith('/3.celeryev/'))!;
	const pfx = variants.find((l) => l.channel.startsWith('pfx:/6.celeryev/'))!;
	const s3 = await session(redis.url.replace(/\/0$/, '/3'));
	const s6 = await session(redis.url.replace(/\/0$/, '/6'), '{"global_keyprefix": "pfx:"}');
	try {
		assert.equal(s3.pattern, '/3.celeryev/*');
		assert.equal(s6.pattern, 'pfx:/6.celeryev/*');
		await publisher.publish(db3.channel, db3.data);
		await publisher.publish(pfx.channel, pfx.data);
		await publisher.publish('/0.celeryev/worker.heartbeat', db3.data); // another db: not ours
		await waitFor(() => s3.store.cluster.eventCount >= 1 && s6.store.cluster.eventCount >= 1);
		await new Promise((resolve) => setTimeout(resolve, 100));
		assert.equal(s3.store.cluster.eventCount, 1, 'db 3 sees only its own channel');
		assert.equal(s6.store.cluster.eventCount, 1);
	} finally {
		await s3.stop();
		await s6.stop();
	}
});
