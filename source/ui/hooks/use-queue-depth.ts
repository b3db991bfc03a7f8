// The queue line's poller: one read of every queue's length (RedisServices.queueDepths) every 2 s
// while `active` (the Celery screen is shown), never two at once: the next read is timed from the
// answer of the last (the adapter answers within its time limits, with an error line at worst).
// After errors it waits longer (4, 8, 16, 30 s); unmounting or going inactive stops it.
import {useEffect, useRef, useState} from 'react';
import {EMPTY_DEPTHS, withError, withSample, type QueueDepthState} from '../../present/queue-depth.js';
import type {QueueDepths} from '../../ports/inspector.js';
import {useServices} from '../services.js';

export const QUEUE_POLL_MS = 2_000;
/** The longest wait between reads after errors. */
export const QUEUE_POLL_MAX_MS = 30_000;

export type QueueDepthOptions = {
	/** Milliseconds between an answer and the next read (default QUEUE_POLL_MS). */
	readonly intervalMs?: number;
	/** Default: the broker's db (services.redis.db). */
	readonly db?: number;
};

/** The line's samples, or undefined when there are no Redis services (no line to show). */
export function useQueueDepth(active: boolean, options: QueueDepthOptions = {}): QueueDepthState | undefined {
	const {redis, clock} = useServices();
	const intervalMs = options.intervalMs ?? QUEUE_POLL_MS;
	const db = options.db ?? redis?.db ?? 0;
	const [state, setState] = useState<QueueDepthState>(EMPTY_DEPTHS);
	// The clock is read at each answer; a new services object does not restart the poller.
	const clockRef = useRef(clock);
	clockRef.current = clock;
	useEffect(() => {
		if (!redis || !active) return;
		let stopped = false;
		let timer: NodeJS.Timeout | undefined;
		let failures = 0;
		const poll = async () => {
			let result: QueueDepths;
			try {
				result = await redis.queueDepths(db);
			} catch (error) {
				// The port never rejects; a fake or a bug that does is still one line, not a throw into React.
				result = {ok: false, error: String((error as Error)?.message ?? error).split('\n')[0]!};
			}
			if (stopped) return;
			const at = clockRef.current();
			setState((previous) =>
				result.ok ? withSample(previous, at, result.queues) : withError(previous, result.error),
			);
			failures = result.ok ? 0 : failures + 1;
			timer = setTimeout(poll, Math.min(QUEUE_POLL_MAX_MS, intervalMs * 2 ** failures));
		};
		void poll();
		return () => {
			stopped = true;
			clearTimeout(timer);
		};
	}, [redis, db, active, intervalMs]);
	return redis ? state : undefined;
}
