// The header names the server behind the broker (redis 7.0.15, redis 8.0.2, valkey 8.1.1) once the
// Redis view's INFO poller has read it from the real server: the private server of the lane (Redis 7
// by default; Redis 8 and Valkey 8 in the today lane). Before that it names none and makes no poller.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {after, before, test} from 'node:test';
import {render} from 'ink-testing-library';
import {Redis} from 'ioredis';
import {systemCommand} from '../../demo/cluster.mjs';
import {StatsPoller} from '../../source/redis/stats-poller.js';
import {Store} from '../../source/state/store.js';
import {Header} from '../../source/ui/components/header.js';
import type {RedisServices, StatsSource} from '../../source/ports/inspector.js';
import {ServicesProvider, type Services} from '../../source/ui/services.js';
import {SERVER_KIND, startRedis, type RedisServer} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait-for.js';

let server: RedisServer;
let client: Redis;

before(async () => {
	server = await startRedis();
	client = new Redis(server.url);
});

after(async () => {
	client?.disconnect();
	await server?.stop();
});

test('once the INFO poller has read it, the header says which server it is, with its own version', async () => {
	const [file, args] = systemCommand(`${SERVER_KIND}-server`, ['--version']);
	const version = /v=(\S+)/.exec(spawnSync(file, args, {encoding: 'utf8'}).stdout)![1]!;
	const poller = new StatsPoller(client, {intervalMs: 60_000});
	let known: StatsSource | undefined; // what the Redis view made so far
	const redis = {db: 0, transport: {}, knownStats: () => known} as unknown as RedisServices;
	const now = Date.now() / 1000;
	const store = new Store({now});
	store.setConnection('connected', now);
	store.flush(now);
	const services: Services = {store, clock: () => now, brokerDisplay: server.url, readOnly: false, redis};
	const header = () => (
		<ServicesProvider value={services}>
			<Header
				snapshot={store.getSnapshot()}
				brokerDisplay={server.url}
				aliveWorkers={0}
				width={160}
				filter=""
			/>
		</ServicesProvider>
	);
	const {lastFrame, rerender, unmount} = render(header());
	try {
		assert.match(
			lastFrame() ?? '',
			new RegExp(`${server.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} ● connected`),
		);
		known = poller;
		await poller.tick(); // the Redis view's first poll
		rerender(header());
		const expected = `${server.url} ${SERVER_KIND} ${version} ● connected`;
		await waitFor(() => (lastFrame() ?? '').includes(expected), {message: () => `header: ${lastFrame()}`});
	} finally {
		unmount();
		poller.stop();
	}
});
