import {useEffect, useMemo, useSyncExternalStore} from 'react';
import type {RedisServices, StatsSnapshot} from '../../ports/inspector.js';

const noSubscribe = () => () => {};
const noSnapshot = () => undefined;

/** INFO + CLIENT LIST + SLOWLOG of a db, polled only while `active` (the overview is on screen). */
export function useRedisStats(
	redis: RedisServices | undefined,
	db: number,
	active: boolean,
): StatsSnapshot | undefined {
	const source = useMemo(() => (redis && active ? redis.stats(db) : undefined), [redis, db, active]);
	useEffect(() => {
		if (!source) return;
		source.start();
		return () => source.stop();
	}, [source]);
	return useSyncExternalStore<StatsSnapshot | undefined>(
		source?.subscribe ?? noSubscribe,
		source?.getSnapshot ?? noSnapshot,
	);
}
