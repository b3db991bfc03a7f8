import {useEffect, useMemo, useRef} from 'react';
import type {UiState} from '../ui-state.js';
import {RedisJobs} from './jobs.js';
import type {Size} from './model.js';
import {screenModel, type ScreenModel} from './screen-model.js';
import type {RedisServices} from '../../ports/inspector.js';
import {useMonitor} from './use-monitor.js';
import {useRedisStats} from './use-redis-stats.js';

const NO_REDIS = {transport: {}, visibilityTimeout: 3600} as const;

/**
 * The Redis views' side of the app: the scans (aborted on quit), the INFO poller while the overview
 * shows, MONITOR while its view shows and was started, and the model of the visible view.
 */
export function useRedisScreen(
	ui: UiState,
	redis: RedisServices | undefined,
	now: number,
	body: Size,
): {readonly jobs: RedisJobs; readonly screen: ScreenModel | undefined} {
	const jobs = useRef<RedisJobs>(undefined);
	jobs.current ??= new RedisJobs();
	useEffect(() => () => jobs.current?.dispose(), []);
	const stats = useRedisStats(redis, ui.redis.db, ui.view === 'redis');
	const monitor = useMonitor(redis, ui.view === 'monitor' ? ui.redis.monitor.run : undefined);
	const {width, height} = body;
	const screen = useMemo(
		() =>
			ui.view === 'celery'
				? undefined
				: screenModel(ui.view, ui.redis, {stats, monitor}, redis ?? NO_REDIS, now, {width, height}),
		[ui.view, ui.redis, stats, monitor, redis, now, width, height],
	);
	return {jobs: jobs.current, screen};
}
