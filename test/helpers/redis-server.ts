// A private redis-server for one test file: free loopback port, no persistence. In the today lane
// (CELERYTOP_TEST_ROOT, CELERYTOP_TEST_SERVER) it is Redis 8 or Valkey 8 from the Debian 13 tree.
// Implementation shared with the demo: demo/cluster.mjs.
import {cleanupOnSignals, startRedis as start} from '../../demo/cluster.mjs';
import type {RedisServer, StartRedisOptions} from '../../demo/cluster.mjs';
import {waitFor} from './wait-for.js';

export type {RedisServer, StartRedisOptions};
export {freePort, redisPing, requireRedis, INSTALL_COMMAND, SERVER_KIND} from '../../demo/cluster.mjs';

cleanupOnSignals();

/** Throws "... Install it with: apt-get install -y redis-server python3-celery" when redis is missing. */
export function startRedis(opts?: StartRedisOptions): Promise<RedisServer> {
	return start(opts);
}

/**
 * A real `redis-server --replicaof` of `primary` (which may have a password: it becomes masterauth),
 * resolved once INFO replication says master_link_status:up. `password` protects the replica itself.
 */
export async function startReplica(
	primary: RedisServer,
	opts: {password?: string; timeoutMs?: number} = {},
): Promise<RedisServer> {
	// A full sync waits repl-diskless-sync-delay (5 s by default) for more replicas: none are coming.
	await primary.cli('CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
	const primaryPassword = decodeURIComponent(new URL(primary.url).password);
	const replica = await start({
		...(opts.password ? {password: opts.password} : {}),
		args: [
			'--replicaof',
			primary.host,
			String(primary.port),
			...(primaryPassword ? ['--masterauth', primaryPassword] : []),
		],
	});
	try {
		await waitFor(async () => /master_link_status:up/.test(await replica.cli('INFO', 'replication')), {
			timeout: opts.timeoutMs ?? 20_000,
			interval: 50,
			message: () => `replica of ${primary.host}:${primary.port}: master_link_status:up\n${replica.output()}`,
		});
	} catch (error) {
		await replica.stop();
		throw error;
	}
	return replica;
}
