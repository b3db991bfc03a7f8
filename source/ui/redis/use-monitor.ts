import {useEffect, useMemo, useState, useSyncExternalStore} from 'react';
import {errorText} from './jobs.js';
import type {MonitorFeed} from './model.js';
import {MONITOR_CAP_SECONDS} from './monitor-model.js';
import type {MonitorSnapshot, MonitorSource, RedisServices} from '../../ports/inspector.js';

type Tap = {readonly run: number; readonly source?: MonitorSource; readonly error?: string};

const noSubscribe = () => () => {};
const noSnapshot = () => undefined;

/** A capture as it stands once its tap is stopped. */
function stoppedCopy(snapshot: MonitorSnapshot): MonitorSnapshot {
	return snapshot.state === 'running' || snapshot.state === 'connecting'
		? {...snapshot, state: 'stopped'}
		: snapshot;
}

/**
 * MONITOR while `run` is set (only the start key sets it): each new run starts a new tap; clearing it,
 * leaving the view or quitting (unmount) stops the tap and closes its connection. What the stopped
 * tap captured stays (status 'kept') until the next run starts.
 */
export function useMonitor(redis: RedisServices | undefined, run: number | undefined): MonitorFeed {
	const [tap, setTap] = useState<Tap | undefined>(undefined);
	const [kept, setKept] = useState<MonitorSnapshot | undefined>(undefined);
	useEffect(() => {
		if (!redis || run === undefined) return;
		let stopped = false;
		let source: MonitorSource | undefined;
		setTap({run});
		setKept(undefined);
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
			const last = source?.getSnapshot();
			if (last) setKept(stoppedCopy(last));
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
		if (run === undefined) return kept ? {status: 'kept', snapshot: kept} : OFF;
		if (error !== undefined) return {status: 'error', error};
		return snapshot ? {status: 'on', snapshot} : STARTING;
	}, [run, error, snapshot, kept]);
}

const OFF: MonitorFeed = {status: 'off'};
const STARTING: MonitorFeed = {status: 'starting'};
