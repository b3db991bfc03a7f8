// A private redis-server for one test file: free loopback port, no persistence.
// Implementation shared with the demo: demo/cluster.mjs.
import {cleanupOnSignals, startRedis as start} from '../../demo/cluster.mjs';
import type {RedisServer, StartRedisOptions} from '../../demo/cluster.mjs';

export type {RedisServer, StartRedisOptions};
export {freePort, redisPing, requireRedis, INSTALL_COMMAND} from '../../demo/cluster.mjs';

cleanupOnSignals();

/** Throws "... Install it with: apt-get install -y redis-server python3-celery" when redis is missing. */
export function startRedis(opts?: StartRedisOptions): Promise<RedisServer> {
	return start(opts);
}
