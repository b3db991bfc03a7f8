// Each worker's pool, prefetch and queues (present/worker-info.ts), asked of the worker itself: one
// `stats` then one `active_queues`, sent to that worker alone (destination, expected 1, the control
// client's 1 s time limit each), when it is first seen alive, when it comes back after being offline
// or restarted (a new pid), and on refresh(hostname) after a pool or consumer change. Never once a
// frame: observe() only compares each worker's liveness and pid with what it saw last.
// At most one question in flight per worker, and at most `parallel` workers asked at once (1000
// workers coming online are asked 4 at a time, not with 2000 calls at once).
import {useCallback, useEffect, useMemo, useSyncExternalStore} from 'react';
import type {ControlService} from '../../ports/control.js';
import {workerInfoFrom, type WorkerInfo} from '../../present/worker-info.js';
import type {Worker} from '../../state/types.js';
import {isAlive} from '../../state/worker.js';

export type {WorkerInfo};

export type WorkerInfoOptions = {
	/** Workers asked at once (default 4). */
	readonly parallel?: number;
	/**
	 * A refresh asks again this long after its first question (default 6000 ms): prefork lists a
	 * grown process only after billiard's pool maintenance (every 5 s) started it.
	 */
	readonly settleMs?: number;
	/** Listeners are told of new answers at most this often (default 100 ms; 0: at once). */
	readonly notifyMs?: number;
	/**
	 * A worker online that gave no stats reply (busy, just started) is asked again after this,
	 * then twice and three times this (default 5000 ms); then not until it comes online again.
	 */
	readonly retryMs?: number;
};

/** Questions that got no stats reply before the tracker stops asking an online worker. */
export const MAX_MISSES = 3;

export type WorkerInfoTracker = {
	/** Once a frame with the snapshot's workers: O(workers), and no call unless one came online. */
	observe(workers: readonly Worker[], now: number): void;
	/** Ask this worker again now, and once more after `settleMs` (after pool_grow, autoscale, …). */
	refresh(hostname: string): void;
	/** hostname → its info (a new Map when something changed, the same one otherwise). */
	info(): ReadonlyMap<string, WorkerInfo>;
	subscribe(listener: () => void): () => void;
	/** Questions in flight now (for tests and the cost figure). */
	inFlight(): number;
	close(): void;
};

type Entry = {
	/** Alive at the last observe. */
	online: boolean;
	/** Its pid when it came online (a restart within one frame shows as a new pid). */
	pid: number | undefined;
	state: 'idle' | 'queued' | 'asking';
	/** A refresh came while asking: ask again when this question ends. */
	again: boolean;
	settle: ReturnType<typeof setTimeout> | undefined;
	/** Stats questions in a row with no reply, and the timer of the next try. */
	misses: number;
	retry: ReturnType<typeof setTimeout> | undefined;
};

const EMPTY: ReadonlyMap<string, WorkerInfo> = new Map();

export function createWorkerInfoTracker(
	control: ControlService,
	clock: () => number,
	options: WorkerInfoOptions = {},
): WorkerInfoTracker {
	const parallel = Math.max(1, options.parallel ?? 4);
	const settleMs = options.settleMs ?? 6000;
	const notifyMs = options.notifyMs ?? 100;
	const retryMs = options.retryMs ?? 5000;
	const entries = new Map<string, Entry>();
	const current = new Map<string, WorkerInfo>();
	let published: ReadonlyMap<string, WorkerInfo> = EMPTY;
	const listeners = new Set<() => void>();
	const queue: string[] = [];
	let head = 0;
	let running = 0;
	let closed = false;
	let notifyTimer: ReturnType<typeof setTimeout> | undefined;

	const publish = () => {
		notifyTimer = undefined;
		if (closed) return;
		published = new Map(current);
		for (const listener of listeners) listener();
	};
	const changed = () => {
		if (closed || notifyTimer !== undefined) return;
		if (notifyMs <= 0) publish();
		else notifyTimer = setTimeout(publish, notifyMs);
	};

	const entryOf = (hostname: string): Entry => {
		let entry = entries.get(hostname);
		if (!entry) {
			entry = {
				online: false,
				pid: undefined,
				state: 'idle',
				again: false,
				settle: undefined,
				misses: 0,
				retry: undefined,
			};
			entries.set(hostname, entry);
		}
		return entry;
	};

	/** One question to one worker: its reply, or undefined (no reply within the time limit, or an error). */
	const question = async (method: string, hostname: string): Promise<unknown> => {
		try {
			const result = await control.call(method, {}, {destination: [hostname], expected: 1});
			return result.replies[hostname];
		} catch {
			return undefined; // a failed call is no answer: the last info stays
		}
	};

	const run = async (hostname: string, entry: Entry) => {
		entry.state = 'asking';
		running++;
		const askedAt = clock();
		const stats = await question('stats', hostname);
		const queues = closed ? undefined : await question('active_queues', hostname);
		running--;
		entry.state = 'idle';
		if (closed) return;
		if (entries.get(hostname) === entry) {
			current.set(hostname, workerInfoFrom(stats, queues, askedAt, current.get(hostname)));
			changed();
			// No reply (a worker just started, or busy past the time limit): try again a little later.
			entry.misses = stats === undefined ? entry.misses + 1 : 0;
			if (entry.misses > 0 && entry.misses < MAX_MISSES && entry.online && !entry.retry)
				entry.retry = setTimeout(() => {
					entry.retry = undefined;
					if (entry.online) request(hostname);
				}, retryMs * entry.misses);
			if (entry.again) {
				entry.again = false;
				request(hostname);
			}
		}
		pump();
	};

	const pump = () => {
		while (!closed && running < parallel && head < queue.length) {
			const hostname = queue[head++]!;
			if (head > 1024 && head * 2 > queue.length) {
				queue.splice(0, head);
				head = 0;
			}
			const entry = entries.get(hostname);
			if (entry?.state === 'queued') void run(hostname, entry);
		}
	};

	const request = (hostname: string) => {
		if (closed) return;
		const entry = entryOf(hostname);
		if (entry.state === 'asking') entry.again = true;
		else if (entry.state === 'idle') {
			entry.state = 'queued';
			queue.push(hostname);
			pump();
		}
	};

	const forget = (hostname: string, entry: Entry) => {
		if (entry.settle) clearTimeout(entry.settle);
		if (entry.retry) clearTimeout(entry.retry);
		entries.delete(hostname);
		if (current.delete(hostname)) changed();
	};

	return {
		observe(workers, now) {
			if (closed) return;
			for (const worker of workers) {
				const entry = entryOf(worker.hostname);
				if (!isAlive(worker, now)) {
					entry.online = false;
					entry.misses = 0;
					continue;
				}
				const restarted = entry.pid !== undefined && worker.pid !== undefined && worker.pid !== entry.pid;
				if (!entry.online || restarted) {
					entry.online = true;
					entry.pid = worker.pid;
					request(worker.hostname);
				} else if (entry.pid === undefined) entry.pid = worker.pid;
			}
			// Every worker has an entry, so more entries than workers means some left the snapshot.
			if (entries.size > workers.length) {
				const present = new Set(workers.map((w) => w.hostname));
				for (const [hostname, entry] of entries) if (!present.has(hostname)) forget(hostname, entry);
			}
		},
		refresh(hostname) {
			if (closed) return;
			request(hostname);
			const entry = entryOf(hostname);
			if (entry.settle) clearTimeout(entry.settle);
			entry.settle = setTimeout(() => {
				entry.settle = undefined;
				request(hostname);
			}, settleMs);
		},
		info: () => published,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		inFlight: () => running,
		close() {
			closed = true;
			if (notifyTimer) clearTimeout(notifyTimer);
			for (const entry of entries.values()) {
				if (entry.settle) clearTimeout(entry.settle);
				if (entry.retry) clearTimeout(entry.retry);
			}
			listeners.clear();
		},
	};
}

const noSubscribe = () => () => undefined;
const noInfo = () => EMPTY;

/**
 * The Workers pane's pool facts: hostname → WorkerInfo for the snapshot's workers, and refresh(host)
 * for the effect runner after a pool change. With no control service (none configured), an empty
 * map and a refresh that does nothing.
 */
export function useWorkerInfo(
	workers: readonly Worker[],
	now: number,
	control: ControlService | undefined,
	clock: () => number,
	options?: WorkerInfoOptions,
): {readonly info: ReadonlyMap<string, WorkerInfo>; readonly refresh: (hostname: string) => void} {
	// One tracker per control service; options are read when it is made.
	const tracker = useMemo(
		() => (control ? createWorkerInfoTracker(control, clock, options) : undefined),
		[control],
	);
	useEffect(() => () => tracker?.close(), [tracker]);
	useEffect(() => tracker?.observe(workers, now), [tracker, workers, now]);
	const info = useSyncExternalStore(tracker?.subscribe ?? noSubscribe, tracker?.info ?? noInfo);
	const refresh = useCallback((hostname: string) => tracker?.refresh(hostname), [tracker]);
	return {info, refresh};
}
