// A reducer's Context built by hand, as the app builds it for a frame: a real Store fed a few events
// (one worker, three tasks arriving one after the other), its snapshot's rows and their keys. No Ink.
import {DEFAULT_QUERY, TaskIndex} from '../../source/ui/task-index.js';
import type {CeleryEvent} from '../../source/protocol/types.js';
import type {ClusterSnapshot} from '../../source/state/store.js';
import type {Context} from '../../source/ui/context.js';
import {initialUiState, type UiState} from '../../source/ui/ui-state.js';
import {fakeServices} from '../helpers/fake-services.js';

export const T = 1_795_771_600;
export const WORKER = 'w1@vm';
export const OTHER_WORKER = 'w2@vm';
/** The tasks, oldest first: the tasks pane shows them newest first (C, B, A). */
export const UUID_A = 'aaaaaaaa-1111-4000-8000-00000000000a';
export const UUID_B = 'aaaaaaaa-1111-4000-8000-00000000000b';
export const UUID_C = 'aaaaaaaa-1111-4000-8000-00000000000c';

function heartbeat(hostname: string, timestamp: number): CeleryEvent {
	return {
		type: 'worker-heartbeat',
		hostname,
		timestamp,
		freq: 2,
		active: 1,
		processed: 3,
		loadavg: [0, 0, 0],
	};
}

function received(uuid: string, timestamp: number): CeleryEvent {
	return {
		type: 'task-received',
		hostname: WORKER,
		timestamp,
		uuid,
		name: 'app.add',
		args: '(1, 2)',
		kwargs: '{}',
	};
}

/** A snapshot of two live workers and three received tasks (C the newest), at T + 0.5. */
export function clusterSnapshot(): ClusterSnapshot {
	const services = fakeServices({now: T});
	services.push([heartbeat(WORKER, T), heartbeat(OTHER_WORKER, T)]);
	services.setNow(T + 0.1);
	services.push([received(UUID_A, T + 0.1)]);
	services.setNow(T + 0.2);
	services.push([received(UUID_B, T + 0.2)]);
	services.setNow(T + 0.3);
	services.push([received(UUID_C, T + 0.3)]);
	services.setNow(T + 0.5);
	return services.store.getSnapshot();
}

/** The Context of a frame showing `snapshot` (every pane 10 lines: 6 rows), at its clock. */
export function contextOf(snapshot: ClusterSnapshot, overrides: Partial<Context> = {}): Context {
	const rows = {
		tasks: new TaskIndex(DEFAULT_QUERY).update(snapshot),
		workers: snapshot.workers,
		stream: snapshot.stream,
	};
	return {
		snapshot,
		rows,
		keys: {
			tasks: rows.tasks.keys,
			workers: rows.workers.map((w) => w.hostname),
			stream: rows.stream.map((e) => String(e.seq)),
		},
		seen: {workers: undefined, tasks: undefined, stream: undefined},
		paneHeights: {workers: 10, tasks: 10, stream: 10},
		overlayLength: 0,
		overlayRows: 10,
		now: snapshot.now,
		readOnly: false,
		paused: false,
		control: true,
		inspector: {transport: {}},
		lists: {},
		...overrides,
	};
}

/** A Context with nothing in it: an empty store, no control, no inspector. */
export function emptyContext(overrides: Partial<Context> = {}): Context {
	const snapshot = fakeServices({now: T}).store.getSnapshot();
	return contextOf(snapshot, {control: false, inspector: undefined, ...overrides});
}

/** The initial UI state in a view, with a pane focused. */
export function uiIn(view: UiState['view'], focus: UiState['focus'] = 'tasks'): UiState {
	return {...initialUiState, view, focus};
}
