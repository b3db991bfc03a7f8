// The effect runner with fake services: each effect reaches the right port with the right arguments,
// and its result comes back through `dispatch` as a change the reducers apply. No Ink.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {ControlService} from '../../source/ports/control.js';
import type {RedisServices} from '../../source/ports/inspector.js';
import type {Store} from '../../source/state/store.js';
import type {Context} from '../../source/ui/context.js';
import {runEffect, runEffects, type Dispatch, type RunnerDeps} from '../../source/ui/effect-runner.js';
import type {Effect, Step} from '../../source/ui/effects.js';
import type {Action} from '../../source/ui/modal.js';
import {RedisJobs} from '../../source/ui/redis/jobs.js';
import {reduceKey} from '../../source/ui/reduce.js';
import type {Services} from '../../source/ui/services.js';
import {initialUiState, type UiState} from '../../source/ui/ui-state.js';
import {waitFor} from '../helpers/wait-for.js';
import {fakeRedis, KEYS, type FakeRedis} from './fake-redis.js';
import {clusterSnapshot, contextOf, uiIn, UUID_C, WORKER} from './reduce-context.js';

const NOW = 1_795_771_650;
const ctx = contextOf(clusterSnapshot());

type Call = {
	method: string;
	args: Record<string, unknown>;
	options: {destination?: readonly string[]; expected?: number};
};

function fakeControl(reply: (call: Call) => Record<string, unknown>): ControlService & {calls: Call[]} {
	const calls: Call[] = [];
	return {
		calls,
		async call(method, args, options) {
			const call = {method, args, options};
			calls.push(call);
			return {replies: reply(call), sent: true};
		},
	};
}

type FakeStore = {
	paused: Array<{paused: boolean; now: number}>;
	revokes: Array<{uuid: string; now: number}>;
	isPaused(): boolean;
	setPaused(paused: boolean, now: number): void;
	markRevokeSent(uuid: string, now: number): void;
};

function fakeStore(): FakeStore {
	const store: FakeStore = {
		paused: [],
		revokes: [],
		isPaused: () => store.paused.at(-1)?.paused ?? false,
		setPaused: (paused, now) => void store.paused.push({paused, now}),
		markRevokeSent: (uuid, now) => void store.revokes.push({uuid, now}),
	};
	return store;
}

/** The runner's deps with fakes, and what it did: the changes dispatched, the exits. */
function harness(options: {control?: ControlService; redis?: RedisServices; readOnly?: boolean} = {}) {
	const store = fakeStore();
	const services: Services = {
		store: store as unknown as Store,
		clock: () => NOW,
		brokerDisplay: 'redis://127.0.0.1:6390/0',
		readOnly: options.readOnly ?? false,
		control: options.control,
		redis: options.redis,
	};
	const changes: Array<(ui: UiState, ctx: Context) => Step> = [];
	let exits = 0;
	const dispatch: Dispatch = (change) => void changes.push(change);
	const jobs = new RedisJobs();
	const deps: RunnerDeps = {services, jobs, exit: () => void exits++, dispatch};
	/** Apply the changes dispatched so far to `ui`, in order: the state and every effect they asked for. */
	const apply = (ui: UiState, from = 0) => {
		const effects: Effect[] = [];
		let state = ui;
		for (const change of changes.slice(from)) {
			const next = change(state, ctx);
			state = next.state;
			effects.push(...next.effects);
		}
		return {state, effects};
	};
	return {store, services, changes, dispatch, jobs, deps, apply, exits: () => exits};
}

const REVOKE: Action = {id: 'task.revoke', target: UUID_C, label: `app.add[${UUID_C}]`, params: {}};

test('exit calls exit; pause pauses the store at our clock', () => {
	const h = harness();
	runEffect({type: 'exit'}, h.deps);
	assert.equal(h.exits(), 1);
	runEffects(
		[
			{type: 'pause', paused: true},
			{type: 'pause', paused: false},
		],
		h.deps,
	);
	assert.deepEqual(h.store.paused, [
		{paused: true, now: NOW},
		{paused: false, now: NOW},
	]);
	assert.equal(h.changes.length, 0, 'nothing to hand back');
});

test('control sends the revoke, marks the task and logs what each worker answered', async () => {
	const control = fakeControl(() => ({[WORKER]: {ok: `tasks ${UUID_C} flagged as revoked`}}));
	const h = harness({control});
	runEffect({type: 'control', action: REVOKE, alive: 2}, h.deps);
	assert.deepEqual(control.calls, [
		{method: 'revoke', args: {task_id: [UUID_C]}, options: {destination: undefined, expected: 2}},
	]);
	assert.deepEqual(h.store.revokes, [{uuid: UUID_C, now: NOW}]);
	await waitFor(() => h.changes.length === 1, {message: 'the reply is logged'});
	const {state, effects} = h.apply(initialUiState);
	assert.deepEqual(effects, []);
	assert.deepEqual(state.log, [`revoke: ${WORKER}: OK tasks ${UUID_C} flagged as revoked`]);
});

test('control with no reply, and a control call that fails, say so in the log', async () => {
	const silent = harness({control: fakeControl(() => ({}))});
	runEffect({type: 'control', action: REVOKE, alive: 1}, silent.deps);
	await waitFor(() => silent.changes.length === 1);
	assert.deepEqual(silent.apply(initialUiState).state.log, [`revoke ${REVOKE.label}: no reply within 1 s`]);

	const failing: ControlService = {call: async () => Promise.reject(new Error('connection lost'))};
	const h = harness({control: failing});
	runEffect({type: 'control', action: REVOKE, alive: 1}, h.deps);
	await waitFor(() => h.changes.length === 1);
	assert.deepEqual(h.apply(initialUiState).state.log, [`revoke ${REVOKE.label}: connection lost`]);
});

test('the revoke a y sends goes end to end: key, effect, call, log', async () => {
	const control = fakeControl(() => ({[WORKER]: {ok: 'flagged'}}));
	const h = harness({control});
	const asked = reduceKey(uiIn('celery'), 'c', ctx).state;
	const yes = reduceKey(asked, 'y', ctx);
	runEffects(yes.effects, h.deps);
	assert.deepEqual(
		control.calls.map((c) => [c.method, c.args]),
		[['revoke', {task_id: [UUID_C]}]],
	);
	await waitFor(() => h.changes.length === 1);
	assert.deepEqual(h.apply(yes.state).state.log.slice(-2), [
		`revoke ${REVOKE.label}: sent…`,
		`revoke: ${WORKER}: OK flagged`,
	]);
});

test('inspect asks one worker and hands the reply to its overlay; a stale one is dropped', async () => {
	const control = fakeControl(({method}) => ({[WORKER]: method === 'ping' ? {ok: 'pong'} : {}}));
	const h = harness({control});
	runEffect({type: 'inspect', hostname: WORKER, method: 'ping'}, h.deps);
	assert.deepEqual(control.calls, [
		{method: 'ping', args: {}, options: {destination: [WORKER], expected: 1}},
	]);
	await waitFor(() => h.changes.length === 1);

	const waiting: UiState = {
		...initialUiState,
		overlay: {kind: 'inspect', hostname: WORKER, method: 'ping', offset: 0, lines: undefined},
	};
	assert.deepEqual(h.apply(waiting).state.overlay, {...waiting.overlay, lines: ['pong']});
	const moved: UiState = {...waiting, overlay: {...waiting.overlay!, method: 'active'} as UiState['overlay']};
	assert.equal(h.apply(moved).state, moved, 'the overlay asks something else now');

	runEffect({type: 'inspect', hostname: WORKER, method: 'registered'}, h.deps);
	assert.deepEqual(control.calls[1]!.args, {taskinfoitems: []}, 'registered asks for the task info items');
});

test('poolSize asks the worker its stats and fills the dialog still open on it', async () => {
	const control = fakeControl(() => ({[WORKER]: {pool: {'max-concurrency': 4, processes: [1, 2, 3]}}}));
	const h = harness({control});
	const asked = reduceKey(uiIn('celery', 'workers'), '+', ctx);
	runEffects(asked.effects, h.deps);
	assert.deepEqual(control.calls, [
		{method: 'stats', args: {}, options: {destination: [WORKER], expected: 1}},
	]);
	await waitFor(() => h.changes.length === 1);
	assert.equal(h.apply(asked.state).state.modal?.action.params['poolSize'], '3');
	assert.equal(h.apply(initialUiState).state, initialUiState, 'no dialog: nothing changes');
});

test('startJob runs the scan through RedisJobs and reports progress and result for its id', async () => {
	const redis = fakeRedis();
	const h = harness({redis});
	const started = reduceKey(uiIn('celery'), '3', ctx);
	assert.deepEqual(started.effects, [
		{type: 'startJob', id: 1, request: {kind: 'memory', db: 0, pattern: undefined, sample: undefined}},
	]);
	runEffects(started.effects, h.deps);
	assert.equal(h.jobs.isRunning('memory'), true);
	await waitFor(() => !h.jobs.isRunning('memory'), {message: 'the scan ends'});
	assert.deepEqual(redis.calls.memory, [{db: 0, pattern: undefined, sample: undefined}]);
	await waitFor(() => h.changes.length >= 2, {message: 'progress and result dispatched'});

	const {state, effects} = h.apply(started.state);
	assert.deepEqual(effects, []);
	const job = state.redis.memory.job;
	assert.equal(job.id, 1);
	assert.equal(job.running, false);
	assert.equal(job.at, NOW, 'stamped with our clock');
	assert.deepEqual(job.progress, {scanned: KEYS.length, total: KEYS.length, calls: 2, done: true});
	assert.equal(job.result?.db, 0);
	assert.equal(job.result?.keys, KEYS.length, 'the breakdown counts every key');

	// The same reports applied to a newer run of the scan (id 2) change nothing: they belong to run 1.
	const newer = reduceKey(reduceKey(started.state, 'escape', ctx).state, 'r', ctx).state;
	assert.equal(newer.redis.memory.job.id, 2);
	assert.equal(h.apply(newer).state.redis.memory.job, newer.redis.memory.job);
});

test('startJob for the keys view scans with the pattern and limit asked', async () => {
	const redis = fakeRedis();
	const h = harness({redis});
	runEffect(
		{type: 'startJob', id: 5, request: {kind: 'keys', db: 2, pattern: 'session:*', limit: 100}},
		h.deps,
	);
	await waitFor(() => h.changes.length >= 2);
	assert.deepEqual(redis.calls.keys, [{db: 2, pattern: 'session:*'}]);
	const started = {
		...initialUiState,
		redis: {
			...initialUiState.redis,
			keys: {...initialUiState.redis.keys, job: {...initialUiState.redis.keys.job, id: 5, running: true}},
		},
	};
	const job = h.apply(started).state.redis.keys.job;
	assert.equal(job.running, false);
	assert.equal(job.result?.keys.length, 40, 'the 40 session keys');
});

test('a failing scan is reported as a failure of its run', async () => {
	const redis: FakeRedis = {...fakeRedis(), queues: async () => Promise.reject(new Error('NOPERM\nmore'))};
	const h = harness({redis});
	runEffect({type: 'startJob', id: 3, request: {kind: 'queues', db: 0}}, h.deps);
	await waitFor(() => h.changes.length === 1);
	const r = initialUiState.redis;
	const started = {
		...initialUiState,
		redis: {...r, queues: {...r.queues, job: {...r.queues.job, id: 3, running: true}}},
	};
	const job = h.apply(started).state.redis.queues.job;
	assert.equal(job.running, false);
	assert.equal(job.error, 'NOPERM');
});

test('cancelJobs aborts the running scan and its late result is dropped', async () => {
	const signals: AbortSignal[] = [];
	let release!: () => void;
	const base = fakeRedis();
	base.hold = new Promise((resolve) => (release = resolve));
	let finished: Promise<unknown> | undefined;
	const redis: FakeRedis = {
		...base,
		memory(db, options) {
			signals.push(options.signal);
			return (finished = base.memory(db, options));
		},
	};
	const h = harness({redis});
	runEffect(
		{type: 'startJob', id: 1, request: {kind: 'memory', db: 0, pattern: undefined, sample: undefined}},
		h.deps,
	);
	await waitFor(() => signals.length === 1, {message: 'the scan started'});
	assert.equal(signals[0]!.aborted, false);

	runEffect({type: 'cancelJobs', kinds: ['memory', 'keys']}, h.deps);
	assert.equal(signals[0]!.aborted, true);
	assert.equal(h.jobs.isRunning('memory'), false);
	const before = h.changes.length;
	release();
	await finished;
	await new Promise((resolve) => setImmediate(resolve));
	assert.equal(h.changes.length, before, 'no result after the cancel');
});

test('checkDb asks the server and hands its answer to dbChecked', async () => {
	const redis = fakeRedis();
	const h = harness({redis});
	runEffect({type: 'checkDb', db: 3}, h.deps);
	runEffect({type: 'checkDb', db: 42}, h.deps);
	await waitFor(() => h.changes.length === 2);
	assert.deepEqual(redis.calls.checkDb, [3, 42]);
	const memory = uiIn('memory');
	const first = h.changes[0]!(memory, ctx);
	assert.equal(first.state.redis.db, 3);
	assert.deepEqual(
		first.effects.map((e) => e.type),
		['cancelJobs', 'startJob'],
	);
	const second = h.changes[1]!(memory, ctx);
	assert.equal(second.state.redis.db, 0);
	assert.equal(
		second.state.log.at(-1),
		'db 42 does not exist on fake:6379 (it has 16: 0-15); still inspecting db 0',
	);
});

test('adminPreview reads the db and opens the typed dialog; admin runs FLUSHDB and restarts the views', async () => {
	const redis = fakeRedis();
	const h = harness({redis});
	const op = {op: 'flushdb', db: 0} as const;
	runEffect({type: 'adminPreview', command: 'redis.flushdb', op, db: 0}, h.deps);
	await waitFor(() => h.changes.length === 1);
	assert.deepEqual(redis.calls.preview, [{db: 0, op}]);
	const asked = h.apply(uiIn('memory')).state;
	const dialog = asked.modal?.steps[0];
	assert.equal(dialog?.kind === 'typed' && dialog.title, 'FLUSHDB db 0?');

	const action: Action = {
		id: 'redis.flushdb',
		target: '0',
		label: 'FLUSHDB db 0',
		params: {db: '0', typed: 'flush 0'},
	};
	runEffect({type: 'admin', action, op}, h.deps);
	await waitFor(() => h.changes.length === 2);
	assert.deepEqual(redis.calls.admin, [{db: 0, op}]);
	const done = h.apply(uiIn('memory'), 1);
	assert.equal(done.state.log.at(-1), 'FLUSHDB db 0 (db 0): removed 1 key(s)');
	assert.deepEqual(
		done.effects.map((e) => e.type),
		['cancelJobs', 'startJob'],
	);

	const readOnly = harness({redis: fakeRedis(), readOnly: true});
	runEffect({type: 'admin', action, op}, readOnly.deps);
	await waitFor(() => readOnly.changes.length === 1);
	assert.equal(readOnly.apply(initialUiState).state.log.at(-1), 'FLUSHDB db 0: refused under --read-only');
});
