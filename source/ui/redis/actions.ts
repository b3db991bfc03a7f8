// Dialogs of the Redis views: the dangerous operations (FLUSHDB: type the db number; DEL: y; purge:
// type the queue name) and the settings asked in a prompt (db, pattern, sample size, MONITOR filter).
import type {CommandId} from '../../keys/keymap.js';
import {confirmationFor, type AdminOp} from '../../redis/admin.js';
import type {Context} from '../reduce.js';
import {openModal, type Action, type Step} from '../modal.js';
import {addLog, TOP, type UiState} from '../ui-state.js';
import {adminOp, type AdminOutcome} from './admin.js';
import {launch, startViewJobs, withRedis} from './launch.js';
import {selectedRow} from './reduce.js';
import {switchDb, withoutKey, type JobKind} from './state.js';

/** A dangerous Redis command → its confirmation dialog (read-only was refused before this). */
export function planRedisAction(ui: UiState, command: CommandId, ctx: Context): UiState {
	const db = ui.redis.db;
	let op: AdminOp | undefined;
	if (command === 'redis.flushdb') op = {op: 'flushdb', db};
	if (command === 'redis.del' && ui.view === 'keys') {
		const key = ui.redis.keys.detail?.key ?? selectedRow(ui, ctx, 'keys');
		op = key === undefined ? undefined : {op: 'del', key};
	}
	if (command === 'redis.purge' && ui.view === 'queues') {
		const queue = selectedRow(ui, ctx, 'queues');
		op = queue === undefined ? undefined : {op: 'purge', queue};
	}
	if (!op) return addLog(ui, ['nothing to act on here (no row selected)']);
	const confirmation = confirmationFor(op);
	const target = op.op === 'flushdb' ? String(op.db) : op.op === 'del' ? op.key : op.queue;
	const action: Action = {id: command, target, label: confirmation.title, params: {db: String(db)}};
	const step: Step =
		op.op === 'del'
			? {kind: 'confirm', title: `Delete the key ${target} from db ${db}? This cannot be undone.`}
			: {kind: 'typed', param: 'typed', title: confirmation.prompt, expected: confirmation.expected};
	return {...ui, modal: openModal(action, [step])};
}

const integer = (text: string | undefined) =>
	text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;

/** A prompt's value takes effect at once; admin operations go to `runAdmin` (never awaited here). */
export function executeRedis(
	ui: UiState,
	action: Action,
	ctx: Context,
	runAdmin: () => Promise<AdminOutcome>,
): UiState {
	const r = ui.redis;
	const p = action.params;
	switch (action.id) {
		case 'redis.db': {
			const db = integer(p['db']);
			if (db === undefined || db > 65_535) return addLog(ui, [`not a db number: ${p['db'] ?? ''}`]);
			if (db === r.db) return ui;
			for (const kind of ['memory', 'keys', 'queues', 'detail'] as const) ctx.redis.jobs.cancel(kind);
			return startViewJobs(addLog(withRedis(ui, switchDb(r, db)), [`inspecting db ${db}`]), ctx);
		}
		case 'redis.memory.pattern':
			return launch(
				withRedis(ui, {...r, memory: {...r.memory, pattern: p['pattern'] ?? '', selection: TOP}}),
				'memory',
				ctx,
			);
		case 'redis.keys.pattern':
			return launch(
				withRedis(ui, {...r, keys: {...r.keys, pattern: p['pattern'] ?? '', selection: TOP}}),
				'keys',
				ctx,
			);
		case 'redis.memory.sample': {
			const n = integer(p['sample']);
			if (n === undefined) return addLog(ui, [`not a number of keys: ${p['sample'] ?? ''}`]);
			return launch(
				withRedis(ui, {...r, memory: {...r.memory, sample: n > 0 ? n : undefined}}),
				'memory',
				ctx,
			);
		}
		case 'redis.monitor.filter':
			return withRedis(ui, {...r, monitor: {...r.monitor, filter: p['filter'] ?? ''}});
	}
	const op = adminOp(action);
	if (!op) return addLog(ui, [`unknown action ${action.id}`]);
	void runAdmin().then(({ok, lines}) =>
		ctx.update((s) => (ok ? afterAdmin(addLog(s, lines), op, ctx) : addLog(s, lines))),
	);
	return addLog(ui, [`${action.label}: sent…`]);
}

/** What an admin operation changed is removed from the lists, or read again. */
function afterAdmin(ui: UiState, op: AdminOp, ctx: Context): UiState {
	const r = ui.redis;
	if (op.op === 'del') {
		const list = r.keys.job.result;
		const job = list ? {...r.keys.job, result: withoutKey(list, op.key)} : r.keys.job;
		return withRedis(ui, {...r, keys: {...r.keys, job, detail: undefined}});
	}
	if (op.op === 'purge') return ui.view === 'queues' ? launch(ui, 'queues', ctx) : ui;
	// FLUSHDB: what was read of this db is gone; the view shows it afresh.
	for (const kind of ['memory', 'keys', 'queues', 'detail'] as JobKind[]) ctx.redis.jobs.cancel(kind);
	return startViewJobs(withRedis(ui, switchDb(r, r.db)), ctx);
}
