// Dialogs of the Redis views: the dangerous operations and the settings asked in a prompt (db,
// pattern, sample size, MONITOR filter). A dangerous operation first reads what it would remove
// (adminPreview), and only then asks: FLUSHDB wants `flush N` typed, purge the queue name, DEL a y,
// each dialog saying what goes (keys, queues and messages, the key's type and size). A db typed at `d`
// is checked against the server before the views switch to it.
import type {CommandId} from '../../keys/keymap.js';
import {sanitize} from '../../protocol/sanitize.js';
import {confirmationFor} from '../../ports/admin-policy.js';
import type {AdminOp, AdminPreview} from '../../ports/inspector.js';
import type {DbCheck} from '../../ports/inspector.js';
import type {Context} from '../context.js';
import {step, type Step} from '../effects.js';
import {openModal, type Action, type Step as DialogStep} from '../modal.js';
import {TOP} from '../selection.js';
import {addLog, type UiState} from '../ui-state.js';
import {adminOp, type AdminOutcome} from './admin.js';
import {launch, NO_INSPECTOR, restartViewJobs, withRedis} from './launch.js';
import {selectedRow} from './reduce.js';
import {switchDb, withoutKey, type JobKind} from './state.js';

export type PreviewRead =
	{readonly ok: true; readonly preview: AdminPreview} | {readonly ok: false; readonly error: string};

const ALL_JOBS: readonly JobKind[] = ['memory', 'keys', 'queues', 'detail'];

/** A dangerous Redis command → read what it would remove (an effect); its dialog opens when that is known. */
export function planRedisAction(ui: UiState, command: CommandId, ctx: Context): Step {
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
	if (!op) return step(addLog(ui, ['nothing to act on here (no row selected)']));
	if (!ctx.inspector) return step(addLog(ui, [NO_INSPECTOR]));
	const title = sanitize(confirmationFor(op).title);
	return step(addLog(ui, [`${title}: reading db ${db} first…`]), [{type: 'adminPreview', command, op, db}]);
}

/** The dialog of an operation, once what it would remove is known (or one line saying why not). */
export function askConfirmation(
	ui: UiState,
	command: CommandId,
	op: AdminOp,
	db: number,
	read: PreviewRead,
): UiState {
	const title = sanitize(confirmationFor(op).title);
	if (!read.ok) return addLog(ui, [`${title}: ${sanitize(read.error)}; nothing was done`]);
	if (ui.redis.db !== db || ui.modal)
		return addLog(ui, [`${title}: not asked (the db or the dialog changed meanwhile); nothing was done`]);
	const {preview} = read;
	if (preview.op === 'del' && preview.type === 'none')
		return addLog(ui, [`${title}: the key no longer exists in db ${db}; nothing was done`]);
	const confirmation = confirmationFor(op, preview);
	const target = op.op === 'flushdb' ? String(op.db) : op.op === 'del' ? op.key : op.queue;
	const action: Action = {id: command, target, label: confirmation.title, params: {db: String(db)}};
	// The title names the operation and its target (FLUSHDB db 0, DEL key, purge queue); the detail says
	// what it holds now, read just before the dialog opened.
	const question = `${confirmation.title}?`;
	const dialog: DialogStep =
		op.op === 'del'
			? {kind: 'confirm', title: question, detail: confirmation.prompt}
			: {
					kind: 'typed',
					param: 'typed',
					title: question,
					detail: confirmation.prompt,
					expected: confirmation.expected,
				};
	return {...ui, modal: openModal(action, [dialog])};
}

/** `d`: the views move to a db only once the server said it has it (an effect); else they stay. */
function switchDbChecked(ui: UiState, db: number, ctx: Context): Step {
	if (!ctx.inspector) return step(addLog(ui, [NO_INSPECTOR]));
	return step(addLog(ui, [`checking db ${db}…`]), [{type: 'checkDb', db}]);
}

/** The server's answer about a db typed at `d`. */
export function dbChecked(ui: UiState, db: number, checked: DbCheck, ctx: Context): Step {
	if (!checked.ok)
		return step(addLog(ui, [`${sanitize(checked.error)}; still inspecting db ${ui.redis.db}`]));
	const r = ui.redis;
	if (db === r.db) return step(ui);
	return restartViewJobs(addLog(withRedis(ui, switchDb(r, db)), [`inspecting db ${db}`]), ctx, ALL_JOBS);
}

const integer = (text: string | undefined) =>
	text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;

/** A prompt's value takes effect at once; admin operations become an effect. */
export function executeRedis(ui: UiState, action: Action, ctx: Context): Step {
	const r = ui.redis;
	const p = action.params;
	switch (action.id) {
		case 'redis.db': {
			const db = integer(p['db']);
			if (db === undefined || db > 65_535) return step(addLog(ui, [`not a db number: ${p['db'] ?? ''}`]));
			if (db === r.db) return step(ui);
			return switchDbChecked(ui, db, ctx);
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
			if (n === undefined) return step(addLog(ui, [`not a number of keys: ${p['sample'] ?? ''}`]));
			return launch(
				withRedis(ui, {...r, memory: {...r.memory, sample: n > 0 ? n : undefined}}),
				'memory',
				ctx,
			);
		}
		case 'redis.monitor.filter':
			return step(withRedis(ui, {...r, monitor: {...r.monitor, filter: p['filter'] ?? ''}}));
	}
	const op = adminOp(action);
	if (!op) return step(addLog(ui, [`unknown action ${action.id}`]));
	return step(addLog(ui, [`${action.label}: sent…`]), [{type: 'admin', action, op}]);
}

/** An admin operation's outcome: logged; what it changed is removed from the lists, or read again. */
export function adminDone(ui: UiState, op: AdminOp, outcome: AdminOutcome, ctx: Context): Step {
	const logged = addLog(ui, outcome.lines);
	if (!outcome.ok) return step(logged);
	const r = logged.redis;
	if (op.op === 'del') {
		const list = r.keys.job.result;
		const job = list ? {...r.keys.job, result: withoutKey(list, op.key)} : r.keys.job;
		return step(withRedis(logged, {...r, keys: {...r.keys, job, detail: undefined}}));
	}
	if (op.op === 'purge') return logged.view === 'queues' ? launch(logged, 'queues', ctx) : step(logged);
	// FLUSHDB: what was read of this db is gone; the view shows it afresh.
	return restartViewJobs(withRedis(logged, switchDb(r, r.db)), ctx, ALL_JOBS);
}
