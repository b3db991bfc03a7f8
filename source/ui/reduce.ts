// A command id → the next UI state. Side effects (control calls, quitting, pausing) go through
// the context; their results come back later through `update`.
import {keymap, type CommandId} from '../keys/keymap.js';
import type {StreamEntry, Task, Worker} from '../state/types.js';
import type {ClusterSnapshot} from '../state/store.js';
import {
	describeAction,
	onlineCount,
	planTaskAction,
	planWorkerAction,
	POOL_PARAM,
	type Facts,
} from './actions.js';
import {askPoolSize, runAction, runInspect} from './commands.js';
import {openModal, type Action, type Modal} from './modal.js';
import {rowsInPane} from './panes/list-props.js';
import {executeRedis, planRedisAction} from './redis/actions.js';
import {runRedisAdmin} from './redis/admin.js';
import {enterView} from './redis/launch.js';
import {reduceRedis, type RedisContext} from './redis/reduce.js';
import type {Services} from './services.js';
import {
	addLog,
	holdSelection,
	moveInList,
	nextPane,
	resolveIndex,
	TOP,
	type PaneId,
	type Seen,
	type UiState,
	type View,
} from './ui-state.js';

export type Rows = {
	readonly tasks: readonly Task[];
	readonly workers: readonly Worker[];
	readonly stream: readonly StreamEntry[];
};

export type Context = {
	readonly services: Services;
	readonly snapshot: ClusterSnapshot;
	readonly rows: Rows;
	readonly keys: Readonly<Record<PaneId, readonly string[]>>;
	/** Where each pane's held row was last drawn (the nearest row when it goes). */
	readonly seen: Readonly<Record<PaneId, Seen | undefined>>;
	readonly paneHeights: Readonly<Record<PaneId, number>>;
	/** Lines of the open overlay and how many fit on screen. */
	readonly overlayLength: number;
	readonly overlayRows: number;
	readonly aliveWorkers: number;
	readonly exit: () => void;
	/** Apply a change later (when a control reply arrives); `change` may start follow-up work. */
	readonly update: (change: (ui: UiState) => UiState) => void;
	/** The Redis views' scans and lists. */
	readonly redis: RedisContext;
};

const CONTROL_IDS: ReadonlySet<string> = new Set(
	keymap.filter((b) => 'control' in b && b.control).map((b) => b.id),
);

function selected<T>(ui: UiState, ctx: Context, pane: PaneId): T | undefined {
	const list = ctx.rows[pane] as readonly T[];
	return list[resolveIndex(ui.selection[pane], ctx.keys[pane], ctx.seen[pane])];
}

/** What a dialog opening now knows: our clock at this moment (not the last frame's) and the workers. */
function factsNow(ctx: Context): Facts {
	return {now: ctx.services.clock(), workers: ctx.snapshot.workers};
}

/** Run a planned action now (after its dialog, or at once when it needs none). */
export function execute(ui: UiState, action: Action, ctx: Context): UiState {
	if (action.id.startsWith('redis.'))
		return executeRedis(ui, action, ctx, () =>
			runRedisAdmin(action, ctx.services.redis, ctx.services.readOnly),
		);
	const alive = onlineCount(factsNow(ctx));
	void runAction(action, ctx.services, alive).then((lines) => ctx.update((s) => addLog(s, lines)));
	const sent = addLog(ui, [`${describeAction(action)}: sent…`]);
	if (action.id !== 'worker.shutdown') return sent;
	return {
		...sent,
		awaitingOffline: [...sent.awaitingOffline.filter((h) => h !== action.target), action.target],
	};
}

function inspect(ui: UiState, hostname: string, method: string, ctx: Context): UiState {
	void runInspect(hostname, method, ctx.services).then((lines) =>
		ctx.update((s) =>
			s.overlay?.kind === 'inspect' && s.overlay.hostname === hostname && s.overlay.method === method
				? {...s, overlay: {...s.overlay, lines}}
				: s,
		),
	);
	return {...ui, overlay: {kind: 'inspect', hostname, method, offset: 0, lines: undefined}};
}

function move(ui: UiState, ctx: Context, delta: number | 'top' | 'bottom'): UiState {
	const pane = ui.focus;
	const rows = rowsInPane(ctx.paneHeights[pane]);
	const moved = moveInList(ui.selection[pane], ctx.keys[pane], rows, delta, ctx.seen[pane]);
	return {...ui, selection: {...ui.selection, [pane]: moved}};
}

/** The focused pane's cursor holds the row it is on (an action about to name it). */
function hold(ui: UiState, ctx: Context): UiState {
	const pane = ui.focus;
	const rows = rowsInPane(ctx.paneHeights[pane]);
	const held = holdSelection(ui.selection[pane], ctx.keys[pane], rows, ctx.seen[pane]);
	return held === ui.selection[pane] ? ui : {...ui, selection: {...ui.selection, [pane]: held}};
}

/** A pool dialog: ask the worker its pool size now, and show it when the reply comes. */
function askPool(ui: UiState, modal: Modal, ctx: Context): UiState {
	const {id, target} = modal.action;
	if (id !== 'worker.poolGrow' && id !== 'worker.poolShrink') return ui;
	const fill = (size: number | undefined) =>
		ctx.update((s) =>
			s.modal && s.modal.action.id === id && s.modal.action.target === target
				? {...s, modal: withParam(s.modal, POOL_PARAM, size === undefined ? 'unknown' : String(size))}
				: s,
		);
	if (!ctx.services.control) return {...ui, modal: withParam(modal, POOL_PARAM, 'unknown')};
	void askPoolSize(target, ctx.services).then(fill);
	return ui;
}

function withParam(modal: Modal, param: string, value: string): Modal {
	return {...modal, action: {...modal.action, params: {...modal.action.params, [param]: value}}};
}

function scrollOverlay(ui: UiState, ctx: Context, delta: number | 'top' | 'bottom'): UiState {
	if (!ui.overlay) return ui;
	const max = Math.max(0, ctx.overlayLength - ctx.overlayRows);
	const from = ui.overlay.offset;
	const offset = delta === 'top' ? 0 : delta === 'bottom' ? max : Math.max(0, Math.min(max, from + delta));
	return {...ui, overlay: {...ui.overlay, offset}};
}

function openDetail(ui: UiState, ctx: Context, jump?: 'result' | 'traceback'): UiState {
	const row = selected<Task | StreamEntry>(ui, ctx, ui.focus);
	const uuid = row && ('uuid' in row ? row.uuid : row.event['uuid']);
	if (typeof uuid !== 'string') return addLog(ui, ['no task on this row']);
	return {...ui, overlay: {kind: 'detail', uuid, offset: 0, jump}};
}

function plan(ui: UiState, command: CommandId, ctx: Context): UiState {
	if (ctx.services.readOnly) return addLog(ui, [`${command.replace('.', ' ')} is disabled by --read-only`]);
	if (command.startsWith('redis.')) return planRedisAction(ui, command, ctx);
	// The row highlighted when the key was pressed, by id; the cursor then holds it (it stops
	// following the newest), so what the dialog names stays under the cursor.
	const facts = factsNow(ctx);
	const planned =
		ui.focus === 'tasks'
			? (() => {
					const task = selected<Task>(ui, ctx, 'tasks');
					return task && planTaskAction(command, task, facts);
				})()
			: ui.focus === 'workers'
				? (() => {
						const worker = selected<Worker>(ui, ctx, 'workers');
						return worker && planWorkerAction(command, worker, facts);
					})()
				: undefined;
	if (!planned) return addLog(ui, ['nothing to act on here (no row, or the task has no name yet)']);
	const held = hold(ui, ctx);
	if (planned.steps.length === 0) return execute(held, planned.action, ctx);
	const modal = openModal(planned.action, planned.steps);
	return askPool({...held, modal}, modal, ctx);
}

export function reduce(ui: UiState, command: CommandId, ctx: Context): UiState {
	if (CONTROL_IDS.has(command)) return plan(ui, command, ctx);
	if (command.startsWith('redis.') || (ui.view !== 'celery' && command.startsWith('cursor.')))
		return reduceRedis(ui, command, ctx);
	if (command.startsWith('inspect.') && ui.overlay?.kind === 'inspect') {
		const method = command === 'inspect.refresh' ? ui.overlay.method : command.slice('inspect.'.length);
		return inspect(ui, ui.overlay.hostname, method, ctx);
	}
	const page = Math.max(1, rowsInPane(ctx.paneHeights[ui.focus]) - 1);
	switch (command) {
		case 'app.quit':
			ctx.exit();
			return ui;
		case 'view.celery':
		case 'view.redis':
		case 'view.memory':
		case 'view.queues':
		case 'view.keys':
		case 'view.monitor':
			return enterView(ui, command.slice('view.'.length) as View, ctx);
		case 'help.toggle':
			return {...ui, overlay: {kind: 'help', offset: 0}};
		case 'pane.next':
		case 'pane.prev':
			return {...ui, focus: nextPane(ui.focus, command === 'pane.next' ? 1 : -1)};
		case 'view.pause': {
			const paused = !ctx.services.store.isPaused();
			ctx.services.store.setPaused(paused, ctx.services.clock());
			return addLog(ui, [paused ? 'view paused: events are still collected (p resumes)' : 'view resumed']);
		}
		case 'filter.open':
			return {...ui, filterOpen: true};
		case 'filter.clear':
			return {...ui, filter: '', logShown: 0};
		case 'cursor.down':
			return move(ui, ctx, 1);
		case 'cursor.up':
			return move(ui, ctx, -1);
		case 'cursor.pageDown':
			return move(ui, ctx, page);
		case 'cursor.pageUp':
			return move(ui, ctx, -page);
		case 'cursor.top':
			return move(ui, ctx, 'top');
		case 'cursor.follow':
			return {...ui, selection: {...ui.selection, [ui.focus]: TOP}};
		case 'cursor.bottom':
			return move(ui, ctx, 'bottom');
		case 'task.detail':
			return openDetail(ui, ctx);
		case 'task.traceback':
			return openDetail(ui, ctx, 'traceback');
		case 'task.result':
			return openDetail(ui, ctx, 'result');
		case 'worker.inspect': {
			const worker = selected<Worker>(ui, ctx, 'workers');
			return worker ? inspect(ui, worker.hostname, 'stats', ctx) : addLog(ui, ['no worker on this row']);
		}
		case 'overlay.close':
			return {...ui, overlay: undefined};
		case 'overlay.down':
			return scrollOverlay(ui, ctx, 1);
		case 'overlay.up':
			return scrollOverlay(ui, ctx, -1);
		case 'overlay.pageDown':
			return scrollOverlay(ui, ctx, ctx.overlayRows - 1);
		case 'overlay.pageUp':
			return scrollOverlay(ui, ctx, -(ctx.overlayRows - 1));
		case 'overlay.top':
			return scrollOverlay(ui, ctx, 'top');
		case 'overlay.bottom':
			return scrollOverlay(ui, ctx, 'bottom');
		default:
			return ui;
	}
}
