// The broker restarts (kill -9, then again on the same port) under a running feed: the feed
// reconnects with backoff, resubscribes once, keeps the state it built, and records each gap.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {Redis} from 'ioredis';
import {buildConfig} from '../../source/config.js';
import {startSession, type Session} from '../../source/redis/session.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {readJsonLines, type PubSubLine} from '../helpers/fixtures.js';
import {waitFor} from '../helpers/wait-for.js';

let redis: RedisServer;
let session: Session;

before(async () => {
	redis = await startRedis();
	const config = buildConfig({broker: redis.url}, {});
	assert.ok(config.ok);
	const started = await startSession(config.value);
	assert.ok(started.ok, started.ok ? '' : started.error);
	session = started.session;
});

after(async () => {
	await session?.stop();
	await redis?.stop();
});

async function publishHeartbeat(): Promise<void> {
	const line = readJsonLines<PubSubLine>('events-pubsub.jsonl').find(
		(l) => l.channel === '/0.celeryev/worker.heartbeat',
	)!;
	const publisher = new Redis({host: redis.host, port: redis.port, lazyConnect: true});
	await publisher.connect();
	await publisher.publish(line.channel, line.data);
	publisher.disconnect();
}

test('20 kill -9 restarts: reconnected each time, one subscription, state kept, every gap recorded', async () => {
	await publishHeartbeat();
	await waitFor(() => session.store.cluster.eventCount === 1, {message: 'first event'});
	const store = session.store;
	const status = () => {
		store.flush(Date.now() / 1000);
		return store.getSnapshot().connection.status;
	};
	for (let round = 1; round <= 20; round++) {
		await redis.kill9();
		await waitFor(() => status() !== 'connected', {message: `round ${round}: the drop is noticed`});
		await redis.restart();
		await waitFor(
			async () => {
				if (status() !== 'connected') return false;
				return (await redis.cli('PUBSUB', 'NUMPAT')) === '1';
			},
			{
				timeout: 15_000,
				message: () =>
					`round ${round}: reconnected and resubscribed (${JSON.stringify(store.getSnapshot().connection)})`,
			},
		);
		await publishHeartbeat();
		await waitFor(() => store.cluster.eventCount === round + 1, {
			message: `round ${round}: events flow again`,
		});
	}
	store.flush(Date.now() / 1000);
	const {gaps} = store.getSnapshot().connection;
	assert.equal(gaps.length, 20, 'one gap per restart');
	for (const gap of gaps) assert.ok(gap.to !== undefined && gap.to >= gap.from, 'each gap closed');
	assert.equal(store.cluster.workers.size, 1, 'the state built before the restarts is kept');
	const clients = (await redis.cli('CLIENT', 'LIST'))
		.split('\n')
		.filter((l) => l.includes('name=celerytop-events'));
	assert.equal(clients.length, 1, 'no leaked subscriber connection');
	assert.equal(await redis.cli('PUBSUB', 'NUMPAT'), '1', 'no duplicate subscription');
});
