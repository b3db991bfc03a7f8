// Pure: a command in a Redis view → the next UI state and its effects: cursors, sort, panels, the
// detail of a key, MONITOR on and off, cancelling a scan. Scans start as effects (launch()).
import type {Scope} from '../../keys/keymap.js';
import type {Context} from '../context.js';
import {step, type Step} from '../effects.js';
import {openModal, type Step as DialogStep} from '../modal.js';
import {moveInList, resolveIndex, TOP, type Selection} from '../selection.js';
import {addLog, type UiState, type View} from '../ui-state.js';
import {launch, NO_INSPECTOR, withRedis} from './launch.js';
import {familyKey} from './memory-model.js';
import type {ListId} from './model.js';
import {cancelJob, familyPattern, idleJob, jobOf, nextSort, updateJob, type JobKind} from './state.js';

const VIEWS_WITH_LISTS: ReadonlySet<View> = new Set(['redis', 'memory', 'queues', 'keys']);

/** Where keys are looked up in a Redis view, most specific first. */
export function redisScopes(view: Exclude<View, 'celery'>): Scope[] {
	return [view, ...(VIEWS_WITH_LISTS.has(view) ? (['list'] as const) : []), 'inspector', 'global', 'always'];
}

/** The list the cursor keys move in the current view. */
function activeList(ui: UiState): ListId | undefined {
	switch (ui.view) {
		case 'redis':
			return 'overview';
		case 'memory':
			return 'memory';
		case 'queues':
			return ui.redis.queues.focus;
		case 'keys':
			return ui.redis.keys.detail ? 'detail' : 'keys';
		default:
			return undefined;
	}
}

export type Delta = number | 'top' | 'bottom' | 'page' | '-page';

/** Move the cursor of the view's active list. */
export function moveRedis(ui: UiState, ctx: Context, delta: Delta): UiState {
	const id = activeList(ui);
	const list = id && ctx.lists[id];
	if (!id || !list) return ui;
	const page = Math.max(1, list.rows - 1);
	const step = delta === 'page' ? page : delta === '-page' ? -page : delta;
	const r = ui.redis;
	const moved = (selection: Selection) => moveInList(selection, list.keys, list.rows, step);
	switch (id) {
		case 'detail': {
			const detail = r.keys.detail!;
			const max = Math.max(0, list.keys.length - list.rows);
			const to = step === 'top' ? 0 : step === 'bottom' ? max : detail.offset + step;
			return withRedis(ui, {
				...r,
				keys: {...r.keys, detail: {...detail, offset: Math.max(0, Math.min(max, to))}},
			});
		}
		case 'overview':
			return withRedis(ui, {...r, overview: {...r.overview, selection: moved(r.overview.selection)}});
		case 'memory':
			return withRedis(ui, {...r, memory: {...r.memory, selection: moved(r.memory.selection)}});
		case 'queues':
			return withRedis(ui, {
				...r,
				queues: {...r.queues, selection: moved(r.queues.selection), messages: TOP},
			});
		case 'messages':
			return withRedis(ui, {...r, queues: {...r.queues, messages: moved(r.queues.messages)}});
		case 'keys':
			return withRedis(ui, {...r, keys: {...r.keys, selection: moved(r.keys.selection)}});
	}
}

/** The row under the cursor of a list, by key. */
export function selectedRow(ui: UiState, ctx: Context, id: 'memory' | 'queues' | 'keys'): string | undefined {
	const list = ctx.lists[id];
	const selection =
		id === 'memory'
			? ui.redis.memory.selection
			: id === 'queues'
				? ui.redis.queues.selection
				: ui.redis.keys.selection;
	return list?.keys[resolveIndex(selection, list.keys)];
}

function prompt(
	ui: UiState,
	id: string,
	dialog: Omit<Extract<DialogStep, {kind: 'prompt'}>, 'kind'>,
): UiState {
	return {
		...ui,
		modal: openModal({id, target: dialog.param, label: dialog.param, params: {}}, [
			{kind: 'prompt', ...dialog},
		]),
	};
}

const SCANNED: Partial<Record<View, JobKind>> = {memory: 'memory', keys: 'keys', queues: 'queues'};

/** Esc: close a key's detail, else cancel the view's scan, else clear the log lines. */
export function cancelRedis(ui: UiState): Step {
	const r = ui.redis;
	if (ui.view === 'keys' && r.keys.detail)
		return step(withRedis(ui, {...r, keys: {...r.keys, detail: undefined}}), [
			{type: 'cancelJobs', kinds: ['detail']},
		]);
	const kind = SCANNED[ui.view];
	if (!kind || !jobOf(r, kind)?.running) return step({...ui, logShown: 0});
	return step(addLog(withRedis(ui, updateJob(r, kind, cancelJob)), [`${kind} scan cancelled`]), [
		{type: 'cancelJobs', kinds: [kind]},
	]);
}

export function openKeyDetail(ui: UiState, ctx: Context): Step {
	const key = selectedRow(ui, ctx, 'keys');
	if (key === undefined) return step(addLog(ui, ['no key on this row']));
	const r = ui.redis;
	return launch(
		withRedis(ui, {...r, keys: {...r.keys, detail: {key, job: idleJob(), offset: 0}}}),
		'detail',
		ctx,
	);
}

/** Enter on a family: the key browser, with a pattern that finds that family's keys, biggest first. */
export function familyKeys(ui: UiState, ctx: Context): Step {
	const row = selectedRow(ui, ctx, 'memory');
	const family = ui.redis.memory.job.result?.families.find((f) => familyKey(f) === row);
	if (!family) return step(addLog(ui, ['no family on this row']));
	const transport = ctx.inspector?.transport ?? {};
	const prefix = typeof transport.global_keyprefix === 'string' ? transport.global_keyprefix : '';
	const pattern = familyPattern(family.kind, family.family, prefix);
	const r = ui.redis;
	const keys = {...r.keys, pattern, sort: 'bytes' as const, selection: TOP, detail: undefined};
	return launch({...withRedis(ui, {...r, keys}), view: 'keys'}, 'keys', ctx);
}

export function toggleOverviewPanel(ui: UiState): UiState {
	const r = ui.redis;
	const panel = r.overview.panel === 'clients' ? 'slowlog' : 'clients';
	return withRedis(ui, {...r, overview: {panel, selection: TOP}});
}

export function askPattern(ui: UiState, command: 'redis.memory.pattern' | 'redis.keys.pattern'): UiState {
	const r = ui.redis;
	return prompt(ui, command, {
		param: 'pattern',
		title: `SCAN MATCH pattern for ${command === 'redis.memory.pattern' ? 'the memory breakdown' : 'the key browser'} (a KEYS-style glob; empty = every key)`,
		hint: 'e.g. celery-task-meta-*  session:*',
		initial: command === 'redis.memory.pattern' ? r.memory.pattern : r.keys.pattern,
	});
}

export function askSample(ui: UiState): UiState {
	return prompt(ui, 'redis.memory.sample', {
		param: 'sample',
		title:
			'Sampled memory scan: every key is still counted; bytes are measured on about N keys and estimated',
		hint: 'N keys (0 = exact)',
		initial: String(ui.redis.memory.sample ?? 10_000),
	});
}

/** One scan of a kind at a time: a key repeat must not stack scans on the server. */
export function rescan(ui: UiState, ctx: Context, cancelKey: string): Step {
	const kind = SCANNED[ui.view];
	if (kind && jobOf(ui.redis, kind)?.running)
		return step(addLog(ui, [`still scanning (${cancelKey} cancels)`]));
	return kind ? launch(ui, kind, ctx) : step(ui);
}

export function toggleQueuesFocus(ui: UiState): UiState {
	const r = ui.redis;
	return withRedis(ui, {
		...r,
		queues: {...r.queues, focus: r.queues.focus === 'queues' ? 'messages' : 'queues'},
	});
}

export function cycleKeySort(ui: UiState): UiState {
	const r = ui.redis;
	return withRedis(ui, {...r, keys: {...r.keys, sort: nextSort(r.keys.sort)}});
}

export function startMonitor(ui: UiState, ctx: Context): UiState {
	if (!ctx.inspector) return addLog(ui, [NO_INSPECTOR]);
	const r = ui.redis;
	return withRedis(ui, {...r, nextId: r.nextId + 1, monitor: {...r.monitor, run: r.nextId}});
}

export function stopMonitor(ui: UiState): UiState {
	const r = ui.redis;
	if (r.monitor.run === undefined) return ui;
	return addLog(withRedis(ui, {...r, monitor: {...r.monitor, run: undefined}}), ['MONITOR stopped']);
}

export function askMonitorFilter(ui: UiState): UiState {
	return prompt(ui, 'redis.monitor.filter', {
		param: 'filter',
		title: 'Show only the commands whose name, client or an argument contains this (or db:N for one db)',
		hint: 'e.g. brpop  db:1  celery-task-meta',
		initial: ui.redis.monitor.filter,
	});
}

export function askDb(ui: UiState): UiState {
	return prompt(ui, 'redis.db', {
		param: 'db',
		title: 'Inspect database number',
		hint: '0, 1, …',
		initial: String(ui.redis.db),
	});
}
