// Pure: a key → the next UI state and the effects to perform (effects.ts). One handler per command
// id, in a table the compiler checks is total over the keymap (a binding without a handler does not
// compile); dialogs and the filter line take their keys from the keymap's text scopes.
import type {CommandId, Scope} from '../keys/keymap.js';
import {keyFor} from '../keys/text-keymap.js';
import {matchKey, matchTextKey} from '../keys/match.js';
import type {StreamEntry, Task, Worker} from '../state/types.js';
import {describeAction} from './action-request.js';
import {onlineCount, planTaskAction, planWorkerAction, POOL_PARAM, type Facts} from './actions.js';
import type {Context} from './context.js';
import {Effects, step, type Step} from './effects.js';
import {modalKey, openModal, type Action, type Modal} from './modal.js';
import {rowsInPane} from './panes/list-props.js';
import {executeRedis, planRedisAction} from './redis/actions.js';
import {enterView} from './redis/launch.js';
import {
	askDb,
	askMonitorFilter,
	askPattern,
	askSample,
	cancelRedis,
	cycleKeySort,
	familyKeys,
	moveRedis,
	openKeyDetail,
	redisScopes,
	rescan,
	startMonitor,
	stopMonitor,
	toggleOverviewPanel,
	toggleQueuesFocus,
	type Delta,
} from './redis/reduce.js';
import {planBulkAction} from './bulk-actions.js';
import {invert, markAll, nextTaskSort, nextWorkerSort, toggleMark} from './list-order.js';
import type {RowList} from './row-list.js';
import {holdSelection, moveInList, resolveIndex, TOP} from './selection.js';
import {addLog, editFilter, nextPane, type PaneId, type UiState} from './ui-state.js';

export type {Context, Rows} from './context.js';

/** Where keys are looked up, most specific first. */
export function scopesOf(ui: UiState): Scope[] {
	if (ui.overlay?.kind === 'inspect') return ['inspect', 'overlay', 'always'];
	if (ui.overlay) return ['overlay', 'always'];
	return ui.view === 'celery' ? [ui.focus, 'list', 'global', 'celery', 'always'] : redisScopes(ui.view);
}

function selected<T>(ui: UiState, ctx: Context, pane: PaneId): T | undefined {
	const list = ctx.rows[pane] as unknown as RowList<T>;
	return list.at(resolveIndex(ui.selection[pane], ctx.keys[pane], ctx.seen[pane]));
}

/** What a dialog opening now knows: our clock at the key press (not the last frame's) and the workers. */
function factsNow(ctx: Context): Facts {
	return {now: ctx.now, workers: ctx.snapshot.workers};
}

/** Run a planned action now (after its dialog, or at once when it needs none). */
export function execute(ui: UiState, action: Action, ctx: Context): Step {
	if (action.id.startsWith('redis.')) return executeRedis(ui, action, ctx);
	const alive = onlineCount(factsNow(ctx));
	const sent = addLog(ui, [`${describeAction(action)}: sent…`]);
	const effects = [{type: 'control', action, alive} as const];
	if (action.id !== 'worker.shutdown') return step(sent, effects);
	return step(
		{...sent, awaitingOffline: [...sent.awaitingOffline.filter((h) => h !== action.target), action.target]},
		effects,
	);
}

function inspect(ui: UiState, hostname: string, method: string): Step {
	return step({...ui, overlay: {kind: 'inspect', hostname, method, offset: 0, lines: undefined}}, [
		{type: 'inspect', hostname, method},
	]);
}

/** An inspect reply: shown if its overlay is still the one that asked. */
export function inspectReplied(
	ui: UiState,
	hostname: string,
	method: string,
	lines: readonly string[],
): Step {
	const o = ui.overlay;
	return step(
		o?.kind === 'inspect' && o.hostname === hostname && o.method === method
			? {...ui, overlay: {...o, lines}}
			: ui,
	);
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

function withParam(modal: Modal, param: string, value: string): Modal {
	return {...modal, action: {...modal.action, params: {...modal.action.params, [param]: value}}};
}

/** A pool dialog: ask the worker its pool size now (an effect), and show it when the reply comes. */
function askPool(ui: UiState, modal: Modal, ctx: Context): Step {
	const {id, target} = modal.action;
	if (id !== 'worker.poolGrow' && id !== 'worker.poolShrink') return step(ui);
	if (!ctx.control) return step({...ui, modal: withParam(modal, POOL_PARAM, 'unknown')});
	return step(ui, [{type: 'poolSize', command: id, target}]);
}

/** A worker's pool size (undefined: it did not say), for the pool dialog still open on it. */
export function poolSizeKnown(ui: UiState, command: string, target: string, size: number | undefined): Step {
	const m = ui.modal;
	if (!m || m.action.id !== command || m.action.target !== target) return step(ui);
	return step({...ui, modal: withParam(m, POOL_PARAM, size === undefined ? 'unknown' : String(size))});
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

/** A command that changes the cluster or the broker: planned on the row under the cursor, then asked. */
function plan(ui: UiState, command: CommandId, ctx: Context): Step {
	if (ctx.readOnly) return step(addLog(ui, [`${command.replace('.', ' ')} is disabled by --read-only`]));
	if (command.startsWith('redis.')) return planRedisAction(ui, command, ctx);
	// The row highlighted when the key was pressed, by id; the cursor then holds it (it stops
	// following the newest), so what the dialog names stays under the cursor.
	const facts = factsNow(ctx);
	let planned;
	if (
		ui.focus === 'tasks' &&
		ui.marked.size > 0 &&
		(command === 'task.revoke' || command === 'task.terminate')
	) {
		// The marked tasks as they are now; the dialog names them and the request sends exactly these ids.
		const tasks = [...ui.marked].map((uuid) => ctx.snapshot.taskById(uuid)).filter((t) => t !== undefined);
		const bulk = planBulkAction(command, tasks, ui.marked.size - tasks.length, facts);
		if (!bulk)
			return step(
				addLog({...ui, marked: new Set()}, ['the marked tasks are no longer kept: nothing to act on']),
			);
		return step({...ui, modal: openModal(bulk.action, bulk.steps)});
	}
	if (ui.focus === 'tasks') {
		const task = selected<Task>(ui, ctx, 'tasks');
		planned = task && planTaskAction(command, task, facts);
	} else if (ui.focus === 'workers') {
		const worker = selected<Worker>(ui, ctx, 'workers');
		planned = worker && planWorkerAction(command, worker, facts);
	}
	if (!planned) return step(addLog(ui, ['nothing to act on here (no row, or the task has no name yet)']));
	const held = hold(ui, ctx);
	if (planned.steps.length === 0) return execute(held, planned.action, ctx);
	const modal = openModal(planned.action, planned.steps);
	return askPool({...held, modal}, modal, ctx);
}

/** `<`, `>`, `I`: the focused pane's sort (the cursor keeps its row, wherever it moves to). */
function sorted(change: 1 | -1 | 'invert'): Handler {
	return (ui) => {
		if (ui.focus === 'tasks')
			return step({
				...ui,
				taskSort: change === 'invert' ? invert(ui.taskSort) : nextTaskSort(ui.taskSort, change),
			});
		if (ui.focus === 'workers')
			return step({
				...ui,
				workerSort: change === 'invert' ? invert(ui.workerSort) : nextWorkerSort(ui.workerSort, change),
			});
		return step(ui);
	};
}

/** Space: mark or unmark the task under the cursor, then move down (htop's tag). */
function mark(ui: UiState, ctx: Context): UiState {
	const task = selected<Task>(ui, ctx, 'tasks');
	if (!task) return ui;
	return move({...ui, marked: toggleMark(ui.marked, task.uuid)}, ctx, 1);
}

/** A cursor key: the focused Celery pane's list, or the Redis view's. */
function cursor(delta: Delta): Handler {
	return (ui, ctx) => {
		if (ui.view !== 'celery') return step(moveRedis(ui, ctx, delta));
		const page = Math.max(1, rowsInPane(ctx.paneHeights[ui.focus]) - 1);
		const rows = delta === 'page' ? page : delta === '-page' ? -page : delta;
		return step(move(ui, ctx, rows));
	};
}

function askInspect(method: string | undefined): Handler {
	return (ui) =>
		ui.overlay?.kind === 'inspect' ? inspect(ui, ui.overlay.hostname, method ?? ui.overlay.method) : step(ui);
}

type Handler = (ui: UiState, ctx: Context, command: CommandId) => Step;

const pure =
	(change: (ui: UiState, ctx: Context) => UiState): Handler =>
	(ui, ctx) =>
		step(change(ui, ctx));
const view =
	(to: Parameters<typeof enterView>[1]): Handler =>
	(ui, ctx) =>
		enterView(ui, to, ctx);
const planned: Handler = (ui, ctx, command) => plan(ui, command, ctx);

/** Every command id of the keymap → its handler. Total: a new binding needs one here to compile. */
const HANDLERS: {readonly [K in CommandId]: Handler} = {
	'app.quit': (ui) => step(ui, [{type: 'exit'}]),
	'help.toggle': pure((ui) => ({...ui, overlay: {kind: 'help', offset: 0}})),
	'view.celery': view('celery'),
	'view.redis': view('redis'),
	'view.memory': view('memory'),
	'view.queues': view('queues'),
	'view.keys': view('keys'),
	'view.monitor': view('monitor'),
	'pane.next': pure((ui) => ({...ui, focus: nextPane(ui.focus, 1)})),
	'pane.prev': pure((ui) => ({...ui, focus: nextPane(ui.focus, -1)})),
	'view.pause': (ui, ctx) => {
		const paused = !ctx.paused;
		const resume = keyFor('view.pause');
		return step(
			addLog(ui, [paused ? `view paused: events are still collected (${resume} resumes)` : 'view resumed']),
			[{type: 'pause', paused}],
		);
	},
	'filter.open': pure((ui) => ({...ui, filterOpen: true})),
	'filter.clear': pure((ui) => ({...ui, filter: '', logShown: 0})),
	'cursor.down': cursor(1),
	'cursor.up': cursor(-1),
	'cursor.pageDown': cursor('page'),
	'cursor.pageUp': cursor('-page'),
	'cursor.top': cursor('top'),
	'cursor.bottom': cursor('bottom'),
	'cursor.follow': pure((ui) => ({...ui, selection: {...ui.selection, [ui.focus]: TOP}})),
	'task.detail': pure((ui, ctx) => openDetail(ui, ctx)),
	'task.traceback': pure((ui, ctx) => openDetail(ui, ctx, 'traceback')),
	'task.result': pure((ui, ctx) => openDetail(ui, ctx, 'result')),
	'task.revoke': planned,
	'task.terminate': planned,
	'task.revokeStamped': planned,
	'task.rateLimit': planned,
	'sort.next': sorted(1),
	'sort.prev': sorted(-1),
	'sort.invert': sorted('invert'),
	'tasks.stuckOnly': pure((ui) => ({...ui, stuckOnly: !ui.stuckOnly})),
	'task.mark': pure(mark),
	'task.markAll': pure((ui, ctx) => ({...ui, marked: markAll(ui.marked, ctx.rows.tasks)})),
	'task.unmarkAll': pure((ui) => ({...ui, marked: new Set()})),
	'worker.inspect': (ui, ctx) => {
		const worker = selected<Worker>(ui, ctx, 'workers');
		return worker ? inspect(ui, worker.hostname, 'stats') : step(addLog(ui, ['no worker on this row']));
	},
	'worker.poolGrow': planned,
	'worker.poolShrink': planned,
	'worker.autoscale': planned,
	'worker.addConsumer': planned,
	'worker.cancelConsumer': planned,
	'worker.rateLimit': planned,
	'worker.timeLimit': planned,
	'worker.enableEvents': planned,
	'worker.shutdown': planned,
	'inspect.stats': askInspect('stats'),
	'inspect.active': askInspect('active'),
	'inspect.reserved': askInspect('reserved'),
	'inspect.scheduled': askInspect('scheduled'),
	'inspect.registered': askInspect('registered'),
	'inspect.revoked': askInspect('revoked'),
	'inspect.active_queues': askInspect('active_queues'),
	'inspect.conf': askInspect('conf'),
	'inspect.refresh': askInspect(undefined),
	'redis.overview.panel': pure(toggleOverviewPanel),
	'redis.memory.keys': familyKeys,
	'redis.memory.pattern': pure((ui) => askPattern(ui, 'redis.memory.pattern')),
	'redis.keys.pattern': pure((ui) => askPattern(ui, 'redis.keys.pattern')),
	'redis.memory.sample': pure(askSample),
	'redis.rescan': (ui, ctx) => rescan(ui, ctx, keyFor('redis.cancel')),
	'redis.queues.focus': pure(toggleQueuesFocus),
	'redis.purge': planned,
	'redis.keys.detail': openKeyDetail,
	'redis.keys.sort': pure(cycleKeySort),
	'redis.del': planned,
	'redis.monitor.start': pure(startMonitor),
	'redis.monitor.stop': pure(stopMonitor),
	'redis.monitor.filter': pure(askMonitorFilter),
	'redis.cancel': (ui) => cancelRedis(ui),
	'redis.db': pure(askDb),
	'redis.flushdb': planned,
	'overlay.close': pure((ui) => ({...ui, overlay: undefined})),
	'overlay.down': pure((ui, ctx) => scrollOverlay(ui, ctx, 1)),
	'overlay.up': pure((ui, ctx) => scrollOverlay(ui, ctx, -1)),
	'overlay.pageDown': pure((ui, ctx) => scrollOverlay(ui, ctx, ctx.overlayRows - 1)),
	'overlay.pageUp': pure((ui, ctx) => scrollOverlay(ui, ctx, -(ctx.overlayRows - 1))),
	'overlay.top': pure((ui, ctx) => scrollOverlay(ui, ctx, 'top')),
	'overlay.bottom': pure((ui, ctx) => scrollOverlay(ui, ctx, 'bottom')),
};

/** One command → the next state and its effects. */
export function reduce(ui: UiState, command: CommandId, ctx: Context): Step {
	return HANDLERS[command](ui, ctx, command);
}

/** One key, wherever it lands: the open dialog, the filter line, or the command it is bound to. */
export function reduceKey(ui: UiState, name: string, ctx: Context): Step {
	if (ui.modal) {
		const result = modalKey(ui.modal, name);
		if (result.kind === 'open') return step({...ui, modal: result.modal});
		if (result.kind === 'cancel')
			return step(addLog({...ui, modal: undefined}, [result.reason ?? 'cancelled']));
		return execute({...ui, modal: undefined}, result.action, ctx);
	}
	if (ui.filterOpen) {
		if (matchKey(name, ['always']) === 'app.quit') return reduce(ui, 'app.quit', ctx);
		const command = matchTextKey(name, 'filter');
		if (command === 'filter.done') return step({...ui, filterOpen: false});
		if (command === 'filter.cancel') return step({...ui, filter: '', filterOpen: false});
		return step(editFilter(ui, name));
	}
	const command = matchKey(name, scopesOf(ui));
	return command ? reduce(ui, command, ctx) : step(ui);
}

/** Apply several keys in order (a paste, fast typing): one state, the effects of all of them. */
export function reduceKeys(ui: UiState, names: readonly string[], ctx: Context): Step {
	const out = new Effects();
	let state = ui;
	for (const name of names) state = out.take(reduceKey(state, name, ctx));
	return out.done(state);
}
