import {useEffect, useMemo, useState, useSyncExternalStore} from 'react';
import {errorText} from './jobs.js';
import type {MonitorFeed} from './model.js';
import {MONITOR_CAP_SECONDS} from './monitor-model.js';
import type {MonitorSource, RedisServices} from './services.js';

type Tap = {readonly run: number; readonly source?: MonitorSource; readonly error?: string};

const noSubscribe = () => () => {};
const noSnapshot = () => undefined;

/**
 * MONITOR while `run` is set (only the start key sets it): each new run starts a new tap; clearing it,
 * leaving the view or quitting (unmount) stops the tap and closes its connection.
 */
export function useMonitor(redis: RedisServices | undefined, run: number | undefined): MonitorFeed {
	const [tap, setTap] = useState<Tap | undefined>(undefined);
	useEffect(() => {
		if (!redis || run === undefined) return;
		let stopped = false;
		let source: MonitorSource | undefined;
		setTap({run});
		redis.monitor(MONITOR_CAP_SECONDS).then(
			(started) => {
				source = started;
				if (stopped) void started.stop();
				else setTap({run, source: started});
			},
			(error: unknown) => {
				if (!stopped) setTap({run, error: errorText(error)});
			},
		);
		return () => {
			stopped = true;
			void source?.stop();
		};
	}, [redis, run]);
	const current = run !== undefined && tap?.run === run ? tap : undefined;
	const snapshot = useSyncExternalStore(
		current?.source?.subscribe ?? noSubscribe,
		current?.source?.getSnapshot ?? noSnapshot,
	);
	const error = current?.error;
	return useMemo((): MonitorFeed => {
		if (run === undefined) return OFF;
		if (error !== undefined) return {status: 'error', error};
		return snapshot ? {status: 'on', snapshot} : STARTING;
	}, [run, error, snapshot]);
}

const OFF: MonitorFeed = {status: 'off'};
const STARTING: MonitorFeed = {status: 'starting'};
