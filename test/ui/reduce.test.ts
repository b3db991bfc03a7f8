// The UI reducers without the app: a key (or a command, or a result coming back) → the next state
// and the effects asked for. Nothing is mounted; the Context is built by hand (reduce-context.ts).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {keymap, type CommandId} from '../../source/keys/keymap.js';
import type {Effect} from '../../source/ui/effects.js';
import {stepText} from '../../source/ui/modal.js';
import {adminDone, askConfirmation, dbChecked} from '../../source/ui/redis/actions.js';
import {jobReported} from '../../source/ui/redis/launch.js';
import {finishJob, initialRedisState} from '../../source/ui/redis/state.js';
import {
	inspectReplied,
	poolSizeKnown,
	reduce,
	reduceKey,
	reduceKeys,
	scopesOf,
} from '../../source/ui/reduce.js';
import {VIEWS, type UiState} from '../../source/ui/ui-state.js';
import {memoryResult} from './fake-redis.js';
import {
	clusterSnapshot,
	contextOf,
	emptyContext,
	OTHER_WORKER,
	T,
	uiIn,
	UUID_A,
	UUID_B,
	UUID_C,
	WORKER,
} from './reduce-context.js';

const snapshot = clusterSnapshot();
const ctx = contextOf(snapshot);
const celery = uiIn('celery');
const LABEL_C = `app.add[${UUID_C}]`;

/** Several keys typed one after the other. */
const typed = (text: string) => [...text];

test('the hand-made context has the rows in the order the panes show them', () => {
	const tasks = ctx.keys.tasks;
	assert.deepEqual(
		Array.from({length: tasks.length}, (_, i) => tasks.at(i)),
		[UUID_C, UUID_B, UUID_A],
	);
	assert.equal(tasks.indexOf(UUID_A), 2);
	assert.deepEqual(ctx.keys.workers, [WORKER, OTHER_WORKER]);
	assert.deepEqual(scopesOf(celery), ['tasks', 'list', 'global', 'celery', 'always']);
});

test('cursor keys move the focused pane and hold the row they land on', () => {
	const down = reduceKey(celery, 'j', ctx);
	assert.deepEqual(down.effects, []);
	assert.deepEqual(down.state.selection.tasks, {key: UUID_B, index: 1, offset: 0});
	assert.deepEqual(down.state.selection.workers, celery.selection.workers, 'other panes stay');

	const bottom = reduceKey(down.state, 'G', ctx);
	assert.deepEqual(bottom.state.selection.tasks, {key: UUID_A, index: 2, offset: 0});
	const past = reduceKey(bottom.state, 'down', ctx);
	assert.deepEqual(past.state.selection.tasks, {key: UUID_A, index: 2, offset: 0}, 'stops at the last row');
	const up = reduceKey(past.state, 'k', ctx);
	assert.deepEqual(up.state.selection.tasks, {key: UUID_B, index: 1, offset: 0});
	const top = reduceKey(up.state, 'g', ctx);
	assert.deepEqual(top.state.selection.tasks, {key: UUID_C, index: 0, offset: 0}, 'top holds row 1');

	const follow = reduceKey(top.state, 'f', ctx);
	assert.deepEqual(follow.state.selection.tasks, {key: undefined, index: 0, offset: 0}, 'f follows again');

	const several = reduceKeys(celery, ['j', 'j'], ctx);
	assert.deepEqual(several.state.selection.tasks, {key: UUID_A, index: 2, offset: 0});
	assert.deepEqual(several.effects, []);
});

test('shift+tab moves the focus to the workers pane, whose cursor then moves', () => {
	const workers = reduceKey(celery, 'shift+tab', ctx).state;
	assert.equal(workers.focus, 'workers');
	const down = reduceKey(workers, 'j', ctx).state;
	assert.deepEqual(down.selection.workers, {key: OTHER_WORKER, index: 1, offset: 0});
	assert.equal(down.selection.tasks, celery.selection.tasks);
});

test('q asks to exit and changes nothing', () => {
	const quit = reduceKey(celery, 'q', ctx);
	assert.deepEqual(quit.effects, [{type: 'exit'}]);
	assert.equal(quit.state, celery);
	assert.deepEqual(reduceKey(uiIn('memory'), 'q', ctx).effects, [{type: 'exit'}], 'from a Redis view too');
});

test('in the filter line ctrl+c quits but q is typed', () => {
	const open = reduceKey(celery, '/', ctx).state;
	assert.equal(open.filterOpen, true);
	const q = reduceKey(open, 'q', ctx);
	assert.deepEqual(q.effects, []);
	assert.equal(q.state.filter, 'q');
	assert.equal(q.state.filterOpen, true);
	const quit = reduceKey(q.state, 'ctrl+c', ctx);
	assert.deepEqual(quit.effects, [{type: 'exit'}]);
	assert.equal(quit.state, q.state);
	const done = reduceKeys(q.state, [...typed('ux'), 'backspace', 'enter'], ctx).state;
	assert.equal(done.filter, 'qu');
	assert.equal(done.filterOpen, false);
	const cancelled = reduceKeys(open, [...typed('abc'), 'escape'], ctx).state;
	assert.equal(cancelled.filter, '');
	assert.equal(cancelled.filterOpen, false);
});

test('c under --read-only logs that it is disabled and asks for nothing', () => {
	const readOnly = contextOf(snapshot, {readOnly: true});
	const result = reduceKey(celery, 'c', readOnly);
	assert.deepEqual(result.effects, []);
	assert.equal(result.state.modal, undefined);
	assert.deepEqual(result.state.log, ['task revoke is disabled by --read-only']);
});

test('c on a task opens a confirmation naming it; y sends the revoke, n and Esc send nothing', () => {
	const asked = reduceKey(celery, 'c', ctx);
	assert.deepEqual(asked.effects, [], 'nothing is sent before the yes');
	const modal = asked.state.modal!;
	assert.deepEqual(modal.action, {id: 'task.revoke', target: UUID_C, label: LABEL_C, params: {}});
	const question = stepText(modal.steps[0]!.title, modal.action);
	assert.equal(question, `Revoke ${LABEL_C}? Now RECEIVED on ${WORKER}`);
	assert.deepEqual(asked.state.selection.tasks, {key: UUID_C, index: 0, offset: 0}, 'the cursor holds it');

	const yes = reduceKey(asked.state, 'y', ctx);
	assert.deepEqual(yes.effects, [
		{
			type: 'control',
			action: {id: 'task.revoke', target: UUID_C, label: LABEL_C, params: {}},
			alive: 2,
		},
	]);
	assert.equal(yes.state.modal, undefined);
	assert.equal(yes.state.log.at(-1), `revoke ${LABEL_C}: sent…`);

	for (const key of ['n', 'escape']) {
		const no = reduceKey(asked.state, key, ctx);
		assert.deepEqual(no.effects, [], key);
		assert.equal(no.state.modal, undefined, key);
		assert.deepEqual(no.state.log, ['cancelled'], key);
	}
	const other = reduceKey(asked.state, 'x', ctx);
	assert.equal(other.state.modal, modal, 'another key leaves the question open');
	assert.deepEqual(other.effects, []);
});

test('c on the row under the cursor: the task named is the one highlighted', () => {
	const down = reduceKey(celery, 'j', ctx).state;
	const modal = reduceKey(down, 'c', ctx).state.modal!;
	assert.equal(modal.action.target, UUID_B);
	assert.deepEqual(reduceKey(uiIn('celery', 'stream'), 'c', ctx).effects, [], 'no revoke from the stream');
});

test('a prompt takes y and q as text, Enter takes the answer', () => {
	const workers = uiIn('celery', 'workers');
	const asked = reduceKey(workers, 'A', ctx).state; // add consumer: a queue name
	assert.equal(asked.modal?.steps[0]?.kind, 'prompt');
	const typedIn = reduceKeys(asked, typed('yq'), ctx);
	assert.deepEqual(typedIn.effects, []);
	assert.equal(typedIn.state.modal?.text, 'yq');
	const sent = reduceKey(typedIn.state, 'enter', ctx);
	assert.deepEqual(sent.effects, [
		{
			type: 'control',
			action: {id: 'worker.addConsumer', target: WORKER, label: WORKER, params: {queue: 'yq'}},
			alive: 2,
		},
	]);
	assert.equal(sent.state.log.at(-1), `${WORKER} consume from yq: sent…`);
	const cancelled = reduceKey(typedIn.state, 'ctrl+c', ctx);
	assert.deepEqual(cancelled.effects, [], 'ctrl+c in a dialog cancels it (it does not quit)');
	assert.equal(cancelled.state.modal, undefined);
});

test('pool grow asks the worker its pool size; only its own reply fills the dialog', () => {
	const workers = uiIn('celery', 'workers');
	const asked = reduceKey(workers, '+', ctx);
	assert.deepEqual(asked.effects, [{type: 'poolSize', command: 'worker.poolGrow', target: WORKER}]);
	const modal = asked.state.modal!;
	assert.equal(modal.text, '1');
	assert.equal(
		stepText(modal.steps[0]!.title, modal.action),
		`Grow the pool of ${WORKER} (online, 1 active) by how many processes? pool size: asking the worker…`,
	);

	assert.equal(poolSizeKnown(asked.state, 'worker.poolGrow', OTHER_WORKER, 4).state, asked.state);
	assert.equal(poolSizeKnown(asked.state, 'worker.poolShrink', WORKER, 4).state, asked.state);
	assert.equal(poolSizeKnown(workers, 'worker.poolGrow', WORKER, 4).state, workers, 'no dialog: nothing');

	const known = poolSizeKnown(asked.state, 'worker.poolGrow', WORKER, 2);
	assert.deepEqual(known.effects, []);
	const filled = known.state.modal!;
	assert.deepEqual(filled.action.params, {poolSize: '2'});
	assert.equal(
		stepText(filled.steps[0]!.title, filled.action),
		`Grow the pool of ${WORKER} (online, 1 active) by how many processes? pool now 2 processes`,
	);
	assert.equal(
		poolSizeKnown(asked.state, 'worker.poolGrow', WORKER, undefined).state.modal?.action.params['poolSize'],
		'unknown',
	);

	const confirm = reduceKey(known.state, 'enter', ctx).state.modal!;
	assert.equal(
		stepText(confirm.steps[0]!.title, confirm.action),
		`${WORKER}: Grow the pool by 1 process? pool now 2 processes → 3`,
	);

	const noControl = reduceKey(workers, '+', contextOf(snapshot, {control: false}));
	assert.deepEqual(noControl.effects, [], 'no control service: nothing to ask');
	assert.equal(noControl.state.modal?.action.params['poolSize'], 'unknown');
});

test('the inspect overlay: its keys ask again, a stale reply is dropped', () => {
	const workers = uiIn('celery', 'workers');
	const opened = reduceKey(workers, 'i', ctx);
	assert.deepEqual(opened.effects, [{type: 'inspect', hostname: WORKER, method: 'stats'}]);
	assert.deepEqual(opened.state.overlay, {
		kind: 'inspect',
		hostname: WORKER,
		method: 'stats',
		offset: 0,
		lines: undefined,
	});
	assert.deepEqual(scopesOf(opened.state), ['inspect', 'overlay', 'always']);

	const active = reduceKey(opened.state, 'a', ctx);
	assert.deepEqual(active.effects, [{type: 'inspect', hostname: WORKER, method: 'active'}]);
	assert.equal(active.state.overlay?.kind === 'inspect' && active.state.overlay.method, 'active');

	const stale = inspectReplied(active.state, WORKER, 'stats', ['pid 42']);
	assert.equal(stale.state, active.state, 'the stats reply came after the operator asked for active');
	assert.equal(inspectReplied(active.state, OTHER_WORKER, 'active', ['x']).state, active.state);
	const replied = inspectReplied(active.state, WORKER, 'active', ['- app.add']);
	assert.deepEqual(replied.effects, []);
	assert.deepEqual(replied.state.overlay?.kind === 'inspect' && replied.state.overlay.lines, ['- app.add']);

	const refreshed = reduceKey(replied.state, 'R', ctx);
	assert.deepEqual(refreshed.effects, [{type: 'inspect', hostname: WORKER, method: 'active'}]);
	assert.equal(refreshed.state.overlay?.kind === 'inspect' && refreshed.state.overlay.lines, undefined);

	assert.deepEqual(reduceKey(replied.state, 'ctrl+c', ctx).effects, [{type: 'exit'}], 'ctrl+c still quits');
	const closed = reduceKey(replied.state, 'q', ctx);
	assert.deepEqual(closed.effects, [], 'q closes the overlay, it does not quit');
	assert.equal(closed.state.overlay, undefined);
	assert.equal(inspectReplied(closed.state, WORKER, 'active', ['late']).state, closed.state);
});

test('switching to the memory view starts its scan for the db and pattern', () => {
	const entered = reduceKey(celery, '3', ctx);
	assert.equal(entered.state.view, 'memory');
	assert.deepEqual(entered.effects, [
		{type: 'startJob', id: 1, request: {kind: 'memory', db: 0, pattern: undefined, sample: undefined}},
	]);
	assert.equal(entered.state.redis.memory.job.running, true);
	assert.equal(entered.state.redis.memory.job.id, 1);
	assert.equal(entered.state.redis.nextId, 2);

	const r = initialRedisState(3);
	const patterned: UiState = {
		...celery,
		redis: {...r, memory: {...r.memory, pattern: 'session:*', sample: 500}},
	};
	assert.deepEqual(reduceKey(patterned, '3', ctx).effects, [
		{type: 'startJob', id: 1, request: {kind: 'memory', db: 3, pattern: 'session:*', sample: 500}},
	]);

	const again = reduceKey(entered.state, '3', ctx);
	assert.deepEqual(again.effects, [], 'the same view again starts nothing');
	const noInspector = reduceKey(celery, '3', contextOf(snapshot, {inspector: undefined}));
	assert.deepEqual(noInspector.effects, []);
	assert.equal(noInspector.state.view, 'memory');
});

test('a scan whose result came is not started again; the memory pattern prompt starts a new one', () => {
	const entered = reduceKey(celery, '3', ctx).state;
	const done = jobReported(entered, 'memory', (job) => finishJob(job, 1, memoryResult(0), T)).state;
	assert.equal(done.redis.memory.job.running, false);
	const away = reduceKey(done, '1', ctx).state;
	assert.deepEqual(reduceKey(away, '3', ctx).effects, [], 'the result is still on screen');

	const asked = reduceKey(done, '/', ctx).state;
	const sent = reduceKeys(asked, [...typed('celery*'), 'enter'], ctx);
	assert.deepEqual(sent.effects, [
		{type: 'startJob', id: 2, request: {kind: 'memory', db: 0, pattern: 'celery*', sample: undefined}},
	]);
	assert.equal(sent.state.redis.memory.pattern, 'celery*');
});

test('rescan while a scan runs logs and starts nothing; Esc cancels the scan', () => {
	const running = reduceKey(celery, '3', ctx).state;
	const rescan = reduceKey(running, 'r', ctx);
	assert.deepEqual(rescan.effects, []);
	assert.equal(rescan.state.log.at(-1), 'still scanning (Esc cancels)');
	assert.equal(rescan.state.redis, running.redis);

	const cancelled = reduceKey(running, 'escape', ctx);
	assert.deepEqual(cancelled.effects, [{type: 'cancelJobs', kinds: ['memory']}]);
	assert.equal(cancelled.state.redis.memory.job.running, false);
	assert.equal(cancelled.state.redis.memory.job.cancelled, true);
	assert.equal(cancelled.state.log.at(-1), 'memory scan cancelled');

	const restarted = reduceKey(cancelled.state, 'r', ctx);
	assert.deepEqual(restarted.effects, [
		{type: 'startJob', id: 2, request: {kind: 'memory', db: 0, pattern: undefined, sample: undefined}},
	]);
	const idle = reduceKey(cancelled.state, 'escape', ctx);
	assert.deepEqual(idle.effects, [], 'Esc with no scan running only clears the log lines');
	assert.equal(idle.state.logShown, 0);
});

test('FLUSHDB reads the db first, asks for flush N typed, then sends it', () => {
	const overview = uiIn('redis');
	const planned = reduceKey(overview, 'F', ctx);
	assert.deepEqual(planned.effects, [
		{type: 'adminPreview', command: 'redis.flushdb', op: {op: 'flushdb', db: 0}, db: 0},
	]);
	assert.equal(planned.state.modal, undefined, 'no dialog until the preview is read');
	assert.deepEqual(planned.state.log, ['FLUSHDB db 0: reading db 0 first…']);
	const readOnly = reduceKey(overview, 'F', contextOf(snapshot, {readOnly: true}));
	assert.deepEqual(readOnly.effects, []);
	assert.deepEqual(readOnly.state.log, ['redis flushdb is disabled by --read-only']);

	const preview = {
		op: 'flushdb',
		db: 0,
		keys: 12,
		broker: true,
		queues: [{queue: 'celery', messages: 7}],
		unacked: 1,
		bindings: 1,
	} as const;
	const op = {op: 'flushdb', db: 0} as const;
	const asked = askConfirmation(planned.state, 'redis.flushdb', op, 0, {ok: true, preview});
	const modal = asked.modal!;
	const dialog = modal.steps[0]!;
	assert.equal(dialog.kind, 'typed');
	assert.equal(dialog.title, 'FLUSHDB db 0?');
	assert.equal(dialog.kind === 'typed' && dialog.expected, 'flush 0');
	assert.equal(
		stepText(dialog.detail, modal.action),
		"db 0 is the BROKER's db: 12 keys; Celery queue celery 7 (7 messages); 1 unacked; 1 binding (_kombu.binding.*). All deleted.",
	);

	const confirmed = reduceKeys(asked, [...typed('flush 0'), 'enter'], ctx);
	const action = {
		id: 'redis.flushdb',
		target: '0',
		label: 'FLUSHDB db 0',
		params: {db: '0', typed: 'flush 0'},
	};
	assert.deepEqual(confirmed.effects, [{type: 'admin', action, op}]);
	assert.equal(confirmed.state.modal, undefined);
	assert.equal(confirmed.state.log.at(-1), 'FLUSHDB db 0: sent…');

	const wrong = reduceKeys(asked, [...typed('flush 1'), 'enter'], ctx);
	assert.deepEqual(wrong.effects, []);
	assert.equal(wrong.state.log.at(-1), 'not confirmed: typed "flush 1", not "flush 0"; nothing was done');
	const slip = reduceKeys(asked, ['y', 'enter'], ctx);
	assert.deepEqual(slip.effects, [], 'y is text here, not a yes');

	const failed = askConfirmation(planned.state, 'redis.flushdb', op, 0, {ok: false, error: 'ECONNRESET'});
	assert.equal(failed.modal, undefined);
	assert.equal(failed.log.at(-1), 'FLUSHDB db 0: ECONNRESET; nothing was done');
	const moved = askConfirmation({...planned.state, redis: initialRedisState(2)}, 'redis.flushdb', op, 0, {
		ok: true,
		preview,
	});
	assert.equal(moved.modal, undefined, 'the db changed while the preview was read');
});

test('purge wants the queue name typed (y and q are letters there); DEL asks a y', () => {
	const QUEUE = 'yq-priority';
	const queues = contextOf(snapshot, {lists: {queues: {keys: ['celery', QUEUE], rows: 5}}});
	const down = reduceKey(uiIn('queues'), 'j', queues).state;
	const planned = reduceKey(down, 'P', queues);
	const op = {op: 'purge', queue: QUEUE} as const;
	assert.deepEqual(planned.effects, [{type: 'adminPreview', command: 'redis.purge', op, db: 0}]);
	const preview = {op: 'purge', db: 0, queue: QUEUE, messages: 8} as const;
	const asked = askConfirmation(planned.state, 'redis.purge', op, 0, {ok: true, preview});
	assert.equal(asked.modal?.steps[0]?.title, `purge ${QUEUE}?`);
	const sent = reduceKeys(asked, [...typed(QUEUE), 'enter'], queues);
	assert.deepEqual(sent.effects, [
		{
			type: 'admin',
			action: {id: 'redis.purge', target: QUEUE, label: `purge ${QUEUE}`, params: {db: '0', typed: QUEUE}},
			op,
		},
	]);
	const escaped = reduceKeys(asked, [...typed('yq'), 'escape'], queues);
	assert.deepEqual(escaped.effects, []);
	assert.equal(escaped.state.modal, undefined);

	const KEY = 'session:7';
	const keys = contextOf(snapshot, {lists: {keys: {keys: [KEY, 'celery'], rows: 5}}});
	const del = reduceKey(uiIn('keys'), 'D', keys);
	const delOp = {op: 'del', key: KEY} as const;
	assert.deepEqual(del.effects, [{type: 'adminPreview', command: 'redis.del', op: delOp, db: 0}]);
	const delPreview = {op: 'del', db: 0, key: KEY, type: 'string', size: 200, bytes: 256} as const;
	const confirm = askConfirmation(del.state, 'redis.del', delOp, 0, {ok: true, preview: delPreview});
	assert.equal(confirm.modal?.steps[0]?.kind, 'confirm');
	assert.deepEqual(reduceKey(confirm, 'y', keys).effects, [
		{
			type: 'admin',
			action: {id: 'redis.del', target: KEY, label: `DEL ${KEY}`, params: {db: '0'}},
			op: delOp,
		},
	]);
	assert.deepEqual(reduceKey(confirm, 'n', keys).effects, []);
	const gone = askConfirmation(del.state, 'redis.del', delOp, 0, {
		ok: true,
		preview: {...delPreview, type: 'none'},
	});
	assert.equal(gone.modal, undefined);
	assert.equal(gone.log.at(-1), `DEL ${KEY}: the key no longer exists in db 0; nothing was done`);
	assert.deepEqual(reduceKey(uiIn('keys'), 'D', ctx).state.log, ['nothing to act on here (no row selected)']);
});

test('after FLUSHDB the views cancel their scans and read the db afresh', () => {
	const memory = reduceKey(celery, '3', ctx).state;
	const shown = jobReported(memory, 'memory', (job) => finishJob(job, 1, memoryResult(0), T)).state;
	const op = {op: 'flushdb', db: 0} as const;
	const done = adminDone(shown, op, {ok: true, lines: ['FLUSHDB db 0 (db 0): removed 12 key(s)']}, ctx);
	assert.deepEqual(done.effects, [
		{type: 'cancelJobs', kinds: ['memory', 'keys', 'queues', 'detail']},
		{type: 'startJob', id: 2, request: {kind: 'memory', db: 0, pattern: undefined, sample: undefined}},
	]);
	assert.equal(done.state.redis.memory.job.result, undefined, 'the old breakdown is gone');
	assert.equal(done.state.redis.memory.job.running, true);
	assert.equal(done.state.redis.memory.job.id, 2);
	assert.equal(done.state.log.at(-1), 'FLUSHDB db 0 (db 0): removed 12 key(s)');

	const refused = adminDone(shown, op, {ok: false, lines: ['FLUSHDB db 0: refused under --read-only']}, ctx);
	assert.deepEqual(refused.effects, []);
	assert.equal(refused.state.redis.memory.job.result, shown.redis.memory.job.result);
});

test('d asks for a db, Enter checks it with the server first', () => {
	const overview = uiIn('memory');
	const asked = reduceKey(overview, 'd', ctx).state;
	assert.equal(asked.modal?.text, '0', 'the prompt starts at the current db');
	const entered = reduceKeys(asked, ['backspace', '3', 'enter'], ctx);
	assert.deepEqual(entered.effects, [{type: 'checkDb', db: 3}]);
	assert.equal(entered.state.redis.db, 0, 'not switched before the server answers');
	assert.equal(entered.state.log.at(-1), 'checking db 3…');

	const same = reduceKey(asked, 'enter', ctx);
	assert.deepEqual(same.effects, [], 'the same db: nothing to do');
	const bad = reduceKeys(asked, [...typed('x'), 'enter'], ctx);
	assert.deepEqual(bad.effects, []);
	assert.equal(bad.state.log.at(-1), 'not a db number: 0x');
});

test('a db the server has switches the views and restarts their scans; one it lacks stays', () => {
	const memory = reduceKey(celery, '3', ctx).state;
	const ok = dbChecked(memory, 3, {ok: true}, ctx);
	assert.equal(ok.state.redis.db, 3);
	assert.equal(ok.state.log.at(-1), 'inspecting db 3');
	assert.deepEqual(ok.effects, [
		{type: 'cancelJobs', kinds: ['memory', 'keys', 'queues', 'detail']},
		{type: 'startJob', id: 2, request: {kind: 'memory', db: 3, pattern: undefined, sample: undefined}},
	]);

	const error = 'db 42 does not exist on fake:6379 (it has 16: 0-15)';
	const missing = dbChecked(memory, 42, {ok: false, error}, ctx);
	assert.deepEqual(missing.effects, []);
	assert.equal(missing.state.redis, memory.redis);
	assert.equal(missing.state.log.at(-1), `${error}; still inspecting db 0`);
	assert.deepEqual(dbChecked(memory, 0, {ok: true}, ctx).effects, [], 'already there');
});

test('every command of the keymap has a handler that runs on an initial state', () => {
	const ids = [...new Set(keymap.map((b) => b.id))] as CommandId[];
	assert.ok(ids.length > 60, `${ids.length} commands`);
	const contexts = [emptyContext(), emptyContext({inspector: {transport: {}}, control: true}), ctx];
	for (const view of VIEWS) {
		for (const context of contexts) {
			for (const id of ids) {
				let effects: readonly Effect[] = [];
				assert.doesNotThrow(() => {
					effects = reduce(uiIn(view), id, context).effects;
				}, `${id} in the ${view} view`);
				for (const effect of effects) assert.equal(typeof effect.type, 'string', `${id}: ${String(effect)}`);
			}
		}
	}
});

// That the reducers load no view, Ink or React is a dependency-cruiser rule (reducers-load-no-view in
// .dependency-cruiser.cjs), run by npm test and proved by test/build/architecture.test.ts.
