// Dialogs of the Redis views: the dangerous operations and the settings asked in a prompt (db,
// pattern, sample size, MONITOR filter). A dangerous operation first reads what it would remove
// (adminPreview), and only then asks: FLUSHDB wants `flush N` typed, purge the queue name, DEL a y,
// each dialog saying what goes (keys, queues and messages, the key's type and size). A db typed at `d`
// is checked against the server before the views switch to it.
import type {CommandId} from '../../keys/keymap.js';
import {sanitize} from '../../protocol/sanitize.js';
import {confirmationFor} from '../../ports/admin-policy.js';
import type {AdminOp, AdminPreview} from '../../ports/inspector.js';
import type {Context} from '../reduce.js';
import {openModal, type Action, type Step} from '../modal.js';
import {addLog, TOP, type UiState} from '../ui-state.js';
import {adminOp, type AdminOutcome} from './admin.js';
import {errorText} from './jobs.js';
import {launch, startViewJobs, withRedis} from './launch.js';
import {selectedRow} from './reduce.js';
import {switchDb, withoutKey, type JobKind} from './state.js';

type PreviewRead =
	{readonly ok: true; readonly preview: AdminPreview} | {readonly ok: false; readonly error: string};

/** A dangerous Redis command → read what it would remove; its dialog opens when that is known. */
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
	const redis = ctx.services.redis;
	if (!redis) return addLog(ui, ['the Redis inspector is not available here']);
	const title = sanitize(confirmationFor(op).title);
	const planned = op;
	void redis.adminPreview(db, op).then(
		(read) => ctx.update((s) => askConfirmation(s, command, planned, db, read)),
		(error: unknown) =>
			ctx.update((s) => addLog(s, [`${title}: ${sanitize(errorText(error))}; nothing was done`])),
	);
	return addLog(ui, [`${title}: reading db ${db} first…`]);
}

/** The dialog of an operation, once what it would remove is known (or one line saying why not). */
function askConfirmation(
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
	const step: Step =
		op.op === 'del'
			? {kind: 'confirm', title: question, detail: confirmation.prompt}
			: {
					kind: 'typed',
					param: 'typed',
					title: question,
					detail: confirmation.prompt,
					expected: confirmation.expected,
				};
	return {...ui, modal: openModal(action, [step])};
}

/** `d`: the views move to a db only once the server said it has it; else they stay, with one line. */
function switchDbChecked(ui: UiState, db: number, ctx: Context): UiState {
	const redis = ctx.services.redis;
	if (!redis) return addLog(ui, ['the Redis inspector is not available here']);
	const refused = (s: UiState, why: string) =>
		addLog(s, [`${sanitize(why)}; still inspecting db ${s.redis.db}`]);
	void redis.checkDb(db).then(
		(checked) => ctx.update((s) => (checked.ok ? switchTo(s, db, ctx) : refused(s, checked.error))),
		(error: unknown) => ctx.update((s) => refused(s, `db ${db}: ${errorText(error)}`)),
	);
	return addLog(ui, [`checking db ${db}…`]);
}

function switchTo(ui: UiState, db: number, ctx: Context): UiState {
	const r = ui.redis;
	if (db === r.db) return ui;
	for (const kind of ['memory', 'keys', 'queues', 'detail'] as const) ctx.redis.jobs.cancel(kind);
	return startViewJobs(addLog(withRedis(ui, switchDb(r, db)), [`inspecting db ${db}`]), ctx);
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
