// A command in a Redis view → the next UI state: cursors, sort, panels, the detail of a key, MONITOR
// on and off, cancelling a scan. Scans start through launch() and are never awaited here.
import type {CommandId, Scope} from '../../keys/keymap.js';
import type {Context} from '../reduce.js';
import {openModal, type Step} from '../modal.js';
import {addLog, moveInList, resolveIndex, TOP, type Selection, type UiState, type View} from '../ui-state.js';
import type {RedisJobs} from './jobs.js';
import {launch, withRedis} from './launch.js';
import {familyKey} from './memory-model.js';
import type {ListId, RedisLists} from './model.js';
import {cancelJob, familyPattern, idleJob, jobOf, nextSort, updateJob, type JobKind} from './state.js';

export type RedisContext = {readonly jobs: RedisJobs; readonly lists: RedisLists};

const VIEWS_WITH_LISTS: ReadonlySet<View> = new Set(['redis', 'memory', 'queues', 'keys']);

/** Where keys are looked up in a Redis view, most specific first. */
export function redisScopes(view: Exclude<View, 'celery'>): Scope[] {
	return [view, ...(VIEWS_WITH_LISTS.has(view) ? (['list'] as const) : []), 'inspector', 'global'];
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

type Delta = number | 'top' | 'bottom' | 'page' | '-page';

const CURSOR: Partial<Record<CommandId, Delta>> = {
	'cursor.down': 1,
	'cursor.up': -1,
	'cursor.pageDown': 'page',
	'cursor.pageUp': '-page',
	'cursor.top': 'top',
	'cursor.bottom': 'bottom',
};

function move(ui: UiState, ctx: Context, delta: Delta): UiState {
	const id = activeList(ui);
	const list = id && ctx.redis.lists[id];
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
	const list = ctx.redis.lists[id];
	const selection =
		id === 'memory'
			? ui.redis.memory.selection
			: id === 'queues'
				? ui.redis.queues.selection
				: ui.redis.keys.selection;
	return list?.keys[resolveIndex(selection, list.keys)];
}

function prompt(ui: UiState, id: string, step: Omit<Extract<Step, {kind: 'prompt'}>, 'kind'>): UiState {
	return {
		...ui,
		modal: openModal({id, target: step.param, label: step.param, params: {}}, [{kind: 'prompt', ...step}]),
	};
}

const SCANNED: Partial<Record<View, JobKind>> = {memory: 'memory', keys: 'keys', queues: 'queues'};

/** Esc: close a key's detail, else cancel the view's scan, else clear the log lines. */
function cancel(ui: UiState, ctx: Context): UiState {
	const r = ui.redis;
	if (ui.view === 'keys' && r.keys.detail) {
		ctx.redis.jobs.cancel('detail');
		return withRedis(ui, {...r, keys: {...r.keys, detail: undefined}});
	}
	const kind = SCANNED[ui.view];
	if (!kind || !jobOf(r, kind)?.running) return {...ui, logShown: 0};
	ctx.redis.jobs.cancel(kind);
	return addLog(withRedis(ui, updateJob(r, kind, cancelJob)), [`${kind} scan cancelled`]);
}

function openKeyDetail(ui: UiState, ctx: Context): UiState {
	const key = selectedRow(ui, ctx, 'keys');
	if (key === undefined) return addLog(ui, ['no key on this row']);
	const r = ui.redis;
	return launch(
		withRedis(ui, {...r, keys: {...r.keys, detail: {key, job: idleJob(), offset: 0}}}),
		'detail',
		ctx,
	);
}

/** Enter on a family: the key browser, with a pattern that finds that family's keys, biggest first. */
function familyKeys(ui: UiState, ctx: Context): UiState {
	const row = selectedRow(ui, ctx, 'memory');
	const family = ui.redis.memory.job.result?.families.find((f) => familyKey(f) === row);
	if (!family) return addLog(ui, ['no family on this row']);
	const transport = ctx.services.redis?.transport ?? {};
	const prefix = typeof transport.global_keyprefix === 'string' ? transport.global_keyprefix : '';
	const pattern = familyPattern(family.kind, family.family, prefix);
	const r = ui.redis;
	const keys = {...r.keys, pattern, sort: 'bytes' as const, selection: TOP, detail: undefined};
	return launch({...withRedis(ui, {...r, keys}), view: 'keys'}, 'keys', ctx);
}

export function reduceRedis(ui: UiState, command: CommandId, ctx: Context): UiState {
	const r = ui.redis;
	const delta = CURSOR[command];
	if (delta !== undefined) return move(ui, ctx, delta);
	switch (command) {
		case 'redis.overview.panel': {
			const panel = r.overview.panel === 'clients' ? 'slowlog' : 'clients';
			return withRedis(ui, {...r, overview: {panel, selection: TOP}});
		}
		case 'redis.memory.keys':
			return familyKeys(ui, ctx);
		case 'redis.memory.pattern':
		case 'redis.keys.pattern':
			return prompt(ui, command, {
				param: 'pattern',
				title: `SCAN MATCH pattern for ${command === 'redis.memory.pattern' ? 'the memory breakdown' : 'the key browser'} (a KEYS-style glob; empty = every key)`,
				hint: 'e.g. celery-task-meta-*  session:*',
				initial: command === 'redis.memory.pattern' ? r.memory.pattern : r.keys.pattern,
			});
		case 'redis.memory.sample':
			return prompt(ui, command, {
				param: 'sample',
				title:
					'Sampled memory scan: every key is still counted; bytes are measured on about N keys and estimated',
				hint: 'N keys (0 = exact)',
				initial: String(r.memory.sample ?? 10_000),
			});
		case 'redis.rescan': {
			// One scan of a kind at a time: a key repeat must not stack scans on the server.
			const kind = SCANNED[ui.view];
			if (kind && jobOf(r, kind)?.running) return addLog(ui, ['still scanning (Esc cancels)']);
			return kind ? launch(ui, kind, ctx) : ui;
		}
		case 'redis.queues.focus':
			return withRedis(ui, {
				...r,
				queues: {...r.queues, focus: r.queues.focus === 'queues' ? 'messages' : 'queues'},
			});
		case 'redis.keys.detail':
			return openKeyDetail(ui, ctx);
		case 'redis.keys.sort':
			return withRedis(ui, {...r, keys: {...r.keys, sort: nextSort(r.keys.sort)}});
		case 'redis.monitor.start':
			if (!ctx.services.redis) return addLog(ui, ['the Redis inspector is not available here']);
			return withRedis(ui, {...r, nextId: r.nextId + 1, monitor: {...r.monitor, run: r.nextId}});
		case 'redis.monitor.stop':
			if (r.monitor.run === undefined) return ui;
			return addLog(withRedis(ui, {...r, monitor: {...r.monitor, run: undefined}}), ['MONITOR stopped']);
		case 'redis.monitor.filter':
			return prompt(ui, command, {
				param: 'filter',
				title: 'Show only the commands whose name, client or an argument contains this (or db:N for one db)',
				hint: 'e.g. brpop  db:1  celery-task-meta',
				initial: r.monitor.filter,
			});
		case 'redis.db':
			return prompt(ui, command, {
				param: 'db',
				title: 'Inspect database number',
				hint: '0, 1, …',
				initial: String(r.db),
			});
		case 'redis.cancel':
			return cancel(ui, ctx);
		default:
			return ui;
	}
}
