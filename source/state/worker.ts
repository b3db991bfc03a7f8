// One worker's state from its events and liveness from heartbeats (celery/events/state.py Worker,
// docs/WIRE.md §7.1; docs/STATE.md). Liveness is computed from a clock passed in, never stored.
import type {CeleryEvent} from '../protocol/types.js';
import type {Worker} from './types.js';

/** Celery's default freq for a worker not yet described by a heartbeat. */
export const DEFAULT_FREQ = 60;
/** Celery keeps the receive times of the last 4 heartbeats. */
export const HEARTBEAT_MAX = 4;
/** Celery's HEARTBEAT_EXPIRE_WINDOW (200 %): alive while now < last + freq * 2. */
export const EXPIRE_FACTOR = 2;

export function createWorker(hostname: string, now: number): Worker {
	return {
		hostname,
		pid: undefined,
		freq: DEFAULT_FREQ,
		active: undefined,
		processed: undefined,
		loadavg: undefined,
		swIdent: undefined,
		swVer: undefined,
		swSys: undefined,
		clock: undefined,
		utcoffset: undefined,
		heartbeats: [],
		offlineAt: undefined,
		lastSeen: now,
	};
}

function isFiniteNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/** Record one heartbeat receive time: keep the last HEARTBEAT_MAX, ascending (Celery's insort). */
function pushHeartbeat(worker: Worker, received: number): void {
	const heartbeats = worker.heartbeats;
	if (heartbeats.length >= HEARTBEAT_MAX) heartbeats.shift();
	const count = heartbeats.length;
	if (count === 0 || received >= heartbeats[count - 1]!) {
		heartbeats.push(received);
		return;
	}
	let index = count;
	while (index > 0 && heartbeats[index - 1]! > received) index--;
	heartbeats.splice(index, 0, received);
}

function isLoadavg(value: unknown): value is number[] {
	if (!Array.isArray(value) || value.length > 16) return false;
	for (const item of value) if (!isFiniteNumber(item)) return false;
	return true;
}

/**
 * Apply a worker-* event (already validated by parseEvent). Every known field present with the right
 * type overwrites the stored one (freq must be a positive finite number; freq 5 from a `heartbeat`
 * broadcast widens the window until the next normal heartbeat).
 * worker-offline clears the heartbeats and sets offlineAt = now; any other worker-* event (online,
 * heartbeat, …) counts as a heartbeat received at `now` and clears offlineAt, as in Celery. Task
 * events do not clear offlineAt (noteTaskActivity).
 */
export function applyWorkerEvent(worker: Worker, event: CeleryEvent, now: number): void {
	const freq = event['freq'];
	if (isFiniteNumber(freq) && freq > 0) worker.freq = freq;
	const pid = event['pid'];
	if (isFiniteNumber(pid)) worker.pid = pid;
	const active = event['active'];
	if (isFiniteNumber(active)) worker.active = active;
	const processed = event['processed'];
	if (isFiniteNumber(processed)) worker.processed = processed;
	const loadavg = event['loadavg'];
	if (isLoadavg(loadavg)) worker.loadavg = loadavg;
	const swIdent = event['sw_ident'];
	if (typeof swIdent === 'string') worker.swIdent = swIdent;
	const swVer = event['sw_ver'];
	if (typeof swVer === 'string') worker.swVer = swVer;
	const swSys = event['sw_sys'];
	if (typeof swSys === 'string') worker.swSys = swSys;
	const clock = event['clock'];
	if (isFiniteNumber(clock)) worker.clock = clock;
	const utcoffset = event['utcoffset'];
	if (isFiniteNumber(utcoffset)) worker.utcoffset = utcoffset;

	if (event.type === 'worker-offline') {
		worker.heartbeats.length = 0;
		worker.offlineAt = now;
	} else {
		pushHeartbeat(worker, now);
		worker.offlineAt = undefined;
	}
	worker.lastSeen = now;
}

/**
 * A task event (other than task-sent) from this worker counts as a heartbeat, as in Celery, except
 * after worker-offline: a task event then does not bring the worker back (docs/STATE.md). A
 * worker's last task events are sent by its pool on other connections and can arrive after its
 * worker-offline; a restarted worker announces itself with worker-online and heartbeats.
 * Choice: we record our receive time `now`, not the event's timestamp. Celery passes the sender's
 * timestamp here only because two arguments are swapped (docs/WIRE.md §7.1); receive times keep the
 * heartbeat list consistent with real heartbeats and immune to the sender's clock skew and to
 * task.multi batching delay.
 */
export function noteTaskActivity(worker: Worker, _event: CeleryEvent, now: number): void {
	worker.lastSeen = now;
	if (worker.offlineAt !== undefined) return;
	pushHeartbeat(worker, now);
}

/** Our clock time of the last heartbeat, or undefined when there is none. */
export function lastHeartbeat(worker: Worker): number | undefined {
	const heartbeats = worker.heartbeats;
	return heartbeats.length === 0 ? undefined : heartbeats[heartbeats.length - 1];
}

/** When the worker stops counting as alive (last heartbeat + freq * 2), or undefined. */
export function heartbeatExpires(worker: Worker): number | undefined {
	const last = lastHeartbeat(worker);
	return last === undefined ? undefined : last + worker.freq * EXPIRE_FACTOR;
}

/** Celery's Worker.alive: a heartbeat was seen and now < last + freq * 2. */
export function isAlive(worker: Worker, now: number): boolean {
	const expires = heartbeatExpires(worker);
	return expires !== undefined && now < expires;
}

/** Seconds since the last heartbeat, or undefined when there is none. */
export function heartbeatAge(worker: Worker, now: number): number | undefined {
	const last = lastHeartbeat(worker);
	return last === undefined ? undefined : now - last;
}
