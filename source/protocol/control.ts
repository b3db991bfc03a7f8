// Celery remote control (pidbox) messages: the command catalogue, CLI arguments → Celery's
// `arguments`, validation, the request envelope, reply decoding and reply formatting (wire doc §5).
// Pure: no I/O, no clock (callers pass `now`, ids and the Lamport clock in).
import {decodeEnvelope, encodeEnvelope} from './envelope.js';
import {sanitize} from './sanitize.js';
import {formatUtcTimestamp} from './events.js';
import type {MalformedReason} from './types.js';

export type CommandKind = 'control' | 'inspect';
export type Matcher = 'glob' | 'pcre';
export type Arguments = Readonly<Record<string, unknown>>;
export type Checked<T> =
	{readonly ok: true; readonly value: T} | {readonly ok: false; readonly error: string};

export type CommandSpec = {
	readonly method: string;
	readonly kind: CommandKind;
	/**
	 * true: a call (ticket + reply_to, replies gathered until the timeout). false: a cast, published
	 * with no ticket and no reply_to and nothing waited for (heartbeat, shutdown: workers never answer).
	 */
	readonly replies: boolean;
	/** Changes or stops work on the workers: the UI asks for confirmation first. */
	readonly dangerous: boolean;
	/** Positional arguments after the method, in Celery's own notation. */
	readonly usage: string;
	readonly help: string;
	/** Argument names the worker accepts for this method (anything else is refused). */
	readonly params: readonly string[];
};

type Parser = (args: readonly string[]) => Checked<Record<string, unknown>>;
type Validator = (args: Arguments) => Checked<Record<string, unknown>>;
type Entry = CommandSpec & {readonly fromArgs: Parser; readonly check: Validator};

const ok = <T>(value: T): Checked<T> => ({ok: true, value});
const fail = (error: string): {ok: false; error: string} => ({ok: false, error});

// ------------------------------------------------------------------ value checks (exported for the UI)

/** Signal names a pool process can be sent (Linux; what Python's `signal` module knows). */
export const SIGNAL_NAMES: readonly string[] = [
	'SIGTERM',
	'SIGKILL',
	'SIGINT',
	'SIGHUP',
	'SIGQUIT',
	'SIGUSR1',
	'SIGUSR2',
	'SIGABRT',
	'SIGALRM',
	'SIGBUS',
	'SIGCHLD',
	'SIGCONT',
	'SIGFPE',
	'SIGILL',
	'SIGIO',
	'SIGPIPE',
	'SIGPROF',
	'SIGPWR',
	'SIGSEGV',
	'SIGSTOP',
	'SIGSYS',
	'SIGTRAP',
	'SIGTSTP',
	'SIGTTIN',
	'SIGTTOU',
	'SIGURG',
	'SIGVTALRM',
	'SIGWINCH',
	'SIGXCPU',
	'SIGXFSZ',
];

/** The signals offered for terminate, SIGTERM (Celery's default) first. */
export const TERMINATE_SIGNALS: readonly string[] = [
	'SIGTERM',
	'SIGKILL',
	'SIGINT',
	'SIGHUP',
	'SIGQUIT',
	'SIGUSR1',
];

const SIGNAL_SET = new Set(SIGNAL_NAMES);

/**
 * A signal as the worker accepts it (`celery.platforms.signals.signum`): an upper-case name with the
 * SIG prefix, or an integer. 'kill', 'KILL' and 'SIGKILL' give 'SIGKILL'; '9' gives the number 9 (the
 * worker refuses a digit string, so numbers are sent as JSON numbers).
 */
export function parseSignal(input: unknown): Checked<string | number> {
	if (typeof input !== 'string' && typeof input !== 'number')
		return fail('a signal must be a name or a number');
	if (typeof input === 'number') {
		return Number.isInteger(input) && input >= 1 && input <= 64
			? ok(input)
			: fail(`invalid signal ${input}: a signal number is 1 to 64`);
	}
	const text = input.trim();
	if (/^\d+$/.test(text)) return parseSignal(Number(text));
	const upper = text.toUpperCase();
	const name = upper.startsWith('SIG') ? upper : 'SIG' + upper;
	if (SIGNAL_SET.has(name)) return ok(name);
	return fail(
		`invalid signal '${sanitize(input)}': use a name like ${TERMINATE_SIGNALS.join(', ')}, or a number`,
	);
}

const RATE = /^(?:\d+(?:\.\d*)?|\.\d+)(?:\/[smh])?$/;

/**
 * A rate limit as Celery's `rate()` reads it: tasks per second as a plain number (`100`, `0.5`), or
 * `N/s`, `N/m`, `N/h`. `0` turns the limit off.
 */
export function parseRateLimit(input: unknown): Checked<string | number> {
	if (typeof input !== 'string' && typeof input !== 'number')
		return fail('a rate limit must be text like 10/m');
	if (typeof input === 'number') {
		return Number.isFinite(input) && input >= 0
			? ok(input)
			: fail(`invalid rate limit ${input}: must be zero or more`);
	}
	const text = input.trim();
	if (RATE.test(text)) return ok(text);
	return fail(
		`invalid rate limit '${sanitize(input)}': use tasks per second (10) or N/s, N/m, N/h (e.g. 10/m, 100/s, 5/h)`,
	);
}

/** A whole number ≥ min, from CLI text or a number. */
export function parseCount(name: string, input: unknown, min = 1): Checked<number> {
	if (typeof input !== 'string' && typeof input !== 'number')
		return fail(`${name} must be ${min === 1 ? 'a positive' : 'a non-negative'} integer`);
	const value = typeof input === 'number' ? input : /^\s*\d+\s*$/.test(input) ? Number(input) : Number.NaN;
	if (Number.isSafeInteger(value) && value >= min) return ok(value);
	const shown = typeof input === 'number' ? String(input) : `'${sanitize(input)}'`;
	return fail(`${name} must be ${min === 1 ? 'a positive' : 'a non-negative'} integer, got ${shown}`);
}

/** Seconds as a float ≥ 0 (time limits). */
export function parseSeconds(name: string, input: unknown): Checked<number> {
	if (typeof input !== 'string' && typeof input !== 'number')
		return fail(`${name} must be a number of seconds (0 or more)`);
	const value =
		typeof input === 'number'
			? input
			: /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(input)
				? Number(input)
				: Number.NaN;
	if (Number.isFinite(value) && value >= 0) return ok(value);
	const shown = typeof input === 'number' ? String(input) : `'${sanitize(input)}'`;
	return fail(`${name} must be a number of seconds (0 or more), got ${shown}`);
}

/** Celery's strtobool (y/yes/t/true/on/1, n/no/f/false/off/0). */
export function parseBoolean(name: string, input: unknown): Checked<boolean> {
	if (typeof input === 'boolean') return ok(input);
	if (typeof input !== 'string') return fail(`${name} must be true or false`);
	const text = input.trim().toLowerCase();
	if (['y', 'yes', 't', 'true', 'on', '1'].includes(text)) return ok(true);
	if (['n', 'no', 'f', 'false', 'off', '0'].includes(text)) return ok(false);
	return fail(`${name} must be true or false, got '${sanitize(input)}'`);
}

function taskIds(method: string, value: unknown, name = 'task id'): Checked<string | string[]> {
	const list = typeof value === 'string' ? [value] : value;
	if (!Array.isArray(list) || list.length === 0) return fail(`${method} needs at least one ${name}`);
	for (const id of list) {
		if (typeof id !== 'string' || id.trim() === '') return fail(`${method}: empty ${name}`);
		if (/\s/.test(id)) return fail(`${method}: invalid ${name} '${sanitize(id)}' (contains white space)`);
	}
	return ok(typeof value === 'string' ? value : [...(list as string[])]);
}

function nonEmpty(method: string, name: string, value: unknown): Checked<string> {
	if (typeof value !== 'string' || value.trim() === '') return fail(`${method} needs a ${name}`);
	return ok(value);
}

// ------------------------------------------------------------------ the catalogue

type Def = {
	readonly kind: CommandKind;
	readonly replies?: boolean;
	readonly dangerous?: boolean;
	readonly usage?: string;
	readonly help: string;
	readonly params?: readonly string[];
	/** CLI positionals → raw arguments (types converted as Celery's CLI does; checked by `check`). */
	readonly fromArgs?: Parser;
	/** Checks and normalises an arguments object (defaults to: only `params` allowed). */
	readonly check?: (method: string, args: Arguments) => Checked<Record<string, unknown>>;
};

function noArgs(method: string): Parser {
	return (args) => (args.length === 0 ? ok({}) : fail(`${method} takes no arguments`));
}

function arity(method: string, usage: string, args: readonly string[], min: number, max: number) {
	if (args.length < min || args.length > max) return fail(`usage: ${method} ${usage}`);
	return undefined;
}

const DEFS: Readonly<Record<string, Def>> = {
	// -- control
	revoke: {
		kind: 'control',
		dangerous: true,
		usage: '<task_id> [<task_id> ...]',
		help: 'revoke tasks: workers skip them (kept in worker memory only)',
		params: ['task_id', 'terminate', 'signal'],
		fromArgs: (args) => ok({task_id: [...args]}),
		check: (method, args) => {
			const ids = taskIds(method, args['task_id']);
			if (!ids.ok) return ids;
			const out: Record<string, unknown> = {task_id: ids.value};
			if (args['terminate'] !== undefined) {
				if (typeof args['terminate'] !== 'boolean') return fail(`${method}: terminate must be true or false`);
				out['terminate'] = args['terminate'];
			}
			const given = args['signal'];
			if (given === null) out['signal'] = null;
			else if (given !== undefined) {
				const signal = parseSignal(given);
				if (!signal.ok) return signal;
				out['signal'] = signal.value;
			}
			return ok(out);
		},
	},
	terminate: {
		kind: 'control',
		dangerous: true,
		usage: '<signal> <task_id> [<task_id> ...]',
		help: 'revoke tasks and kill the pool process running them with a signal',
		params: ['signal', 'task_id'],
		fromArgs: (args) => {
			if (args.length < 2) return fail('usage: terminate <signal> <task_id> [<task_id> ...]');
			return ok({signal: args[0], task_id: args.slice(1)});
		},
		check: (method, args) => {
			if (args['signal'] === undefined || args['signal'] === null) return fail(`${method} needs a signal`);
			const signal = parseSignal(args['signal']);
			if (!signal.ok) return signal;
			const ids = taskIds(method, args['task_id']);
			if (!ids.ok) return ids;
			return ok({signal: signal.value, task_id: ids.value});
		},
	},
	rate_limit: {
		kind: 'control',
		usage: '<task_name> <rate_limit (e.g. 5/s | 5/m | 5/h)>',
		help: 'set the rate limit of a task type (0 turns it off)',
		params: ['task_name', 'rate_limit'],
		fromArgs: (args) =>
			arity('rate_limit', '<task_name> <rate_limit (e.g. 5/s | 5/m | 5/h)>', args, 2, 2) ??
			ok({task_name: args[0], rate_limit: args[1]}),
		check: (method, args) => {
			const name = nonEmpty(method, 'task name', args['task_name']);
			if (!name.ok) return name;
			if (args['rate_limit'] === undefined || args['rate_limit'] === null)
				return fail(`${method} needs a rate limit`);
			const rate = parseRateLimit(args['rate_limit']);
			if (!rate.ok) return rate;
			return ok({task_name: name.value, rate_limit: rate.value});
		},
	},
	time_limit: {
		kind: 'control',
		usage: '<task_name> <soft_secs> [hard_secs]',
		help: 'set the soft and hard time limits of a task type',
		params: ['task_name', 'soft', 'hard'],
		fromArgs: (args) => {
			const bad = arity('time_limit', '<task_name> <soft_secs> [hard_secs]', args, 2, 3);
			if (bad) return bad;
			const soft = parseSeconds('soft', args[1]!);
			if (!soft.ok) return soft;
			const out: Record<string, unknown> = {task_name: args[0], soft: soft.value};
			if (args[2] !== undefined) {
				const hard = parseSeconds('hard', args[2]);
				if (!hard.ok) return hard;
				out['hard'] = hard.value;
			}
			return ok(out);
		},
		check: (method, args) => {
			const name = nonEmpty(method, 'task name', args['task_name']);
			if (!name.ok) return name;
			const out: Record<string, unknown> = {task_name: name.value};
			for (const key of ['soft', 'hard'] as const) {
				const value = args[key];
				if (value === undefined) continue;
				if (value === null) {
					out[key] = null;
					continue;
				}
				const seconds = parseSeconds(key, value);
				if (!seconds.ok || typeof value !== 'number')
					return fail(`${method}: ${key} must be a number of seconds`);
				out[key] = seconds.value;
			}
			const soft = out['soft'];
			const hard = out['hard'];
			if (typeof soft === 'number' && typeof hard === 'number' && hard > 0 && soft > hard)
				return fail(`${method}: the soft limit (${soft} s) must not exceed the hard limit (${hard} s)`);
			return ok(out);
		},
	},
	pool_grow: {
		kind: 'control',
		usage: '[N=1]',
		help: 'add N processes to the pool',
		params: ['n'],
		fromArgs: (args) => countArgs('pool_grow', args),
		check: (method, args) => countCheck(method, args),
	},
	pool_shrink: {
		kind: 'control',
		dangerous: true,
		usage: '[N=1]',
		help: 'remove N processes from the pool',
		params: ['n'],
		fromArgs: (args) => countArgs('pool_shrink', args),
		check: (method, args) => countCheck(method, args),
	},
	autoscale: {
		kind: 'control',
		usage: '[max [min]]',
		help: 'change the autoscale range (workers started with --autoscale)',
		params: ['max', 'min'],
		fromArgs: (args) => {
			const bad = arity('autoscale', '[max [min]]', args, 0, 2);
			if (bad) return bad;
			const out: Record<string, unknown> = {};
			if (args[0] !== undefined) out['max'] = args[0];
			if (args[1] !== undefined) out['min'] = args[1];
			return ok(out);
		},
		check: (method, args) => {
			const out: Record<string, unknown> = {};
			if (args['max'] !== undefined && args['max'] !== null) {
				const max = parseCount(`${method} max`, args['max'], 1);
				if (!max.ok) return max;
				out['max'] = max.value;
			}
			if (args['min'] !== undefined && args['min'] !== null) {
				const min = parseCount(`${method} min`, args['min'], 0);
				if (!min.ok) return min;
				out['min'] = min.value;
			}
			if (typeof out['max'] === 'number' && typeof out['min'] === 'number' && out['min'] > out['max'])
				return fail(`${method}: min (${out['min']}) must not exceed max (${out['max']})`);
			return ok(out);
		},
	},
	add_consumer: {
		kind: 'control',
		usage: '<queue> [exchange [type [routing_key]]]',
		help: 'start consuming from a queue',
		params: ['queue', 'exchange', 'exchange_type', 'routing_key'],
		fromArgs: (args) => {
			const bad = arity('add_consumer', '<queue> [exchange [type [routing_key]]]', args, 1, 4);
			if (bad) return bad;
			const names = ['queue', 'exchange', 'exchange_type', 'routing_key'];
			return ok(Object.fromEntries(args.map((value, index) => [names[index]!, value])));
		},
		check: (method, args) => {
			const queue = nonEmpty(method, 'queue name', args['queue']);
			if (!queue.ok) return queue;
			const out: Record<string, unknown> = {queue: queue.value};
			for (const key of ['exchange', 'exchange_type', 'routing_key']) {
				const value = args[key];
				if (value === undefined || value === null) continue;
				if (typeof value !== 'string') return fail(`${method}: ${key} must be a string`);
				out[key] = value;
			}
			const type = out['exchange_type'];
			if (type !== undefined && !['direct', 'topic', 'fanout', 'headers'].includes(type as string))
				return fail(
					`${method}: exchange type must be direct, topic, fanout or headers, got '${sanitize(String(type))}'`,
				);
			return ok(out);
		},
	},
	cancel_consumer: {
		kind: 'control',
		dangerous: true,
		usage: '<queue>',
		help: 'stop consuming from a queue',
		params: ['queue'],
		fromArgs: (args) => arity('cancel_consumer', '<queue>', args, 1, 1) ?? ok({queue: args[0]}),
		check: (method, args) => {
			const queue = nonEmpty(method, 'queue name', args['queue']);
			return queue.ok ? ok({queue: queue.value}) : queue;
		},
	},
	enable_events: {kind: 'control', help: 'turn task events on'},
	disable_events: {kind: 'control', help: 'turn task events off'},
	heartbeat: {
		kind: 'control',
		replies: false,
		help: 'ask workers for a heartbeat event now (a cast: no reply)',
	},
	shutdown: {
		kind: 'control',
		replies: false,
		dangerous: true,
		help: 'warm shutdown of workers (no reply: watch for worker-offline)',
	},
	// -- inspect
	ping: {kind: 'inspect', help: 'ping workers'},
	active: {kind: 'inspect', help: 'tasks being executed', params: ['safe']},
	reserved: {kind: 'inspect', help: 'tasks prefetched, not started yet', params: ['safe']},
	scheduled: {kind: 'inspect', help: 'ETA/countdown tasks held by workers', params: ['safe']},
	revoked: {kind: 'inspect', help: 'revoked task ids in worker memory'},
	registered: {
		kind: 'inspect',
		usage: '[attr1 [attr2 [... [attrN]]]]',
		help: 'registered task types (with attributes such as rate_limit)',
		params: ['taskinfoitems', 'builtins'],
		fromArgs: (args) => ok({taskinfoitems: [...args]}),
		check: (method, args) => {
			const out: Record<string, unknown> = {};
			const items = args['taskinfoitems'];
			if (items !== undefined && items !== null) {
				if (!Array.isArray(items) || items.some((item) => typeof item !== 'string' || item === ''))
					return fail(`${method}: taskinfoitems must be a list of attribute names`);
				out['taskinfoitems'] = [...items];
			}
			if (args['builtins'] !== undefined) {
				if (typeof args['builtins'] !== 'boolean') return fail(`${method}: builtins must be true or false`);
				out['builtins'] = args['builtins'];
			}
			return ok(out);
		},
	},
	stats: {kind: 'inspect', help: 'worker statistics: pool, broker, totals, rusage'},
	query_task: {
		kind: 'inspect',
		usage: '<task_id> [<task_id> ...]',
		help: 'what workers hold for these task ids',
		params: ['ids'],
		fromArgs: (args) => ok({ids: [...args]}),
		check: (method, args) => {
			const ids = taskIds(method, args['ids']);
			return ids.ok ? ok({ids: ids.value}) : ids;
		},
	},
	active_queues: {kind: 'inspect', help: 'queues workers consume from'},
	conf: {
		kind: 'inspect',
		usage: '[include_defaults=False]',
		help: 'worker configuration (non-default settings)',
		params: ['with_defaults'],
		fromArgs: (args) => {
			const bad = arity('conf', '[include_defaults=False]', args, 0, 1);
			if (bad) return bad;
			if (args[0] === undefined) return ok({});
			const flag = parseBoolean('with_defaults', args[0]);
			return flag.ok ? ok({with_defaults: flag.value}) : flag;
		},
		check: (method, args) => {
			if (args['with_defaults'] === undefined) return ok({});
			if (typeof args['with_defaults'] !== 'boolean')
				return fail(`${method}: with_defaults must be true or false`);
			return ok({with_defaults: args['with_defaults']});
		},
	},
	report: {kind: 'inspect', help: 'bug-report information about the installation'},
	clock: {kind: 'inspect', help: 'the logical (Lamport) clock of workers'},
};

function countArgs(method: string, args: readonly string[]): Checked<Record<string, unknown>> {
	const bad = arity(method, '[N=1]', args, 0, 1);
	if (bad) return bad;
	return ok(args[0] === undefined ? {} : {n: args[0]});
}

function countCheck(method: string, args: Arguments): Checked<Record<string, unknown>> {
	if (args['n'] === undefined) return ok({});
	const n = parseCount(`${method} N`, args['n'], 1);
	return n.ok ? ok({n: n.value}) : n;
}

const CATALOGUE: ReadonlyMap<string, Entry> = new Map(
	Object.entries(DEFS).map(([method, def]) => {
		const params = def.params ?? [];
		const check: Validator = (args) => {
			for (const key of Object.keys(args)) {
				if (!params.includes(key)) return fail(`${method}: unknown argument '${sanitize(key)}'`);
			}
			if (def.check) return def.check(method, args);
			const out: Record<string, unknown> = {};
			for (const key of params) if (args[key] !== undefined) out[key] = args[key];
			return ok(out);
		};
		const entry: Entry = {
			method,
			kind: def.kind,
			replies: def.replies ?? true,
			dangerous: def.dangerous ?? false,
			usage: def.usage ?? '',
			help: def.help,
			params,
			fromArgs: def.fromArgs ?? noArgs(method),
			check,
		};
		return [method, entry];
	}),
);

/** Every command celerytop sends, control then inspect, in catalogue order. */
export const COMMANDS: readonly CommandSpec[] = [...CATALOGUE.values()].map(
	({fromArgs: _fromArgs, check: _check, ...spec}) => spec,
);

export function findCommand(method: string): CommandSpec | undefined {
	return COMMANDS.find((spec) => spec.method === method);
}

export function commandNames(kind: CommandKind): string[] {
	return COMMANDS.filter((spec) => spec.kind === kind).map((spec) => spec.method);
}

function lookup(method: string, kind: CommandKind | undefined): Checked<Entry> {
	const entry = CATALOGUE.get(method);
	if (entry === undefined) {
		const names = kind ? commandNames(kind) : COMMANDS.map((spec) => spec.method);
		return fail(
			`unknown ${kind ?? 'control or inspect'} method '${sanitize(method)}' (one of: ${names.join(', ')})`,
		);
	}
	if (kind !== undefined && entry.kind !== kind)
		return fail(
			`'${method}' is ${entry.kind === 'inspect' ? 'an inspect' : 'a control'} method: use "celerytop ${entry.kind} ${method}"`,
		);
	return ok(entry);
}

/**
 * Check (and normalise) an `arguments` object before it is sent: known method, only the argument
 * names the worker takes, valid values. Signals become 'SIGKILL' or a number; the rest is kept as
 * given. Used by the control client for every call, whoever built the arguments.
 */
export function validateArguments(method: string, args: Arguments = {}): Checked<Record<string, unknown>> {
	const entry = lookup(method, undefined);
	if (!entry.ok) return entry;
	if (typeof args !== 'object' || args === null || Array.isArray(args))
		return fail(`${method}: arguments must be an object`);
	return entry.value.check(args);
}

/**
 * CLI positionals (after the method) → Celery's `arguments`, as `celery control|inspect` 5.2 builds
 * them (`_compile_arguments`): variadic ids become lists (`revoke a b` → {task_id: ['a', 'b']},
 * `terminate SIGKILL a` → {signal: 'SIGKILL', task_id: ['a']}, `registered` → {taskinfoitems: []}),
 * optional ones are left out when not given (`pool_grow` → {}, `conf` → {}), numbers are numbers.
 * Then validated like validateArguments. `kind` refuses a method of the other kind.
 */
export function parseCommandLine(
	kind: CommandKind,
	method: string,
	args: readonly string[],
): Checked<{readonly spec: CommandSpec; readonly arguments: Record<string, unknown>}> {
	const entry = lookup(method, kind);
	if (!entry.ok) return entry;
	const raw = entry.value.fromArgs(args);
	if (!raw.ok) return raw;
	const checked = entry.value.check(raw.value);
	if (!checked.ok) return checked;
	return ok({spec: findCommand(method)!, arguments: checked.value});
}

// ------------------------------------------------------------------ targeting

export type Target = {
	readonly destination: readonly string[] | null;
	readonly pattern: string | null;
	readonly matcher: Matcher | null;
};

const GLOB = /[*?[]/;

/**
 * `--destination` text → a target. Comma-separated exact node names (`w1@vm,w2@vm`) go in
 * `destination`; a single entry with a glob character (`* ? [`) becomes `pattern` + matcher 'glob'
 * (kombu's fnmatch, e.g. `w1@*`). A glob cannot be mixed with other names (Celery's body has one
 * pattern). Empty or missing text targets every worker.
 */
export function parseDestination(text: string | undefined): Checked<Target> {
	const names = (text ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	if (names.length === 0) return ok({destination: null, pattern: null, matcher: null});
	const globs = names.filter((name) => GLOB.test(name));
	if (globs.length > 0) {
		if (names.length > 1)
			return fail(`--destination: a glob pattern (${sanitize(globs[0]!)}) must be the only entry`);
		return ok({destination: null, pattern: names[0]!, matcher: 'glob'});
	}
	for (const name of names) {
		if (/\s/.test(name)) return fail(`--destination: invalid node name '${sanitize(name)}'`);
	}
	return ok({destination: [...new Set(names)], pattern: null, matcher: null});
}

// ------------------------------------------------------------------ requests

export type RequestBody = {
	readonly method: string;
	readonly arguments: Arguments;
	readonly destination: readonly string[] | null;
	readonly pattern: string | null;
	readonly matcher: Matcher | null;
	readonly ticket?: string;
	readonly reply_to?: {readonly exchange: string; readonly routing_key: string};
};

export type RequestInput = {
	readonly method: string;
	readonly arguments: Arguments;
	readonly destination?: readonly string[] | null;
	readonly pattern?: string | null;
	readonly matcher?: Matcher | null;
	/** With `oid`: a call (ticket + reply_to). Without both: a cast. */
	readonly ticket?: string;
	/** The client id: the reply routing key and the `<oid>.reply.celery.pidbox` list. */
	readonly oid?: string;
	/** Epoch seconds. */
	readonly now: number;
	/** Seconds; `headers.expires` = now + timeout. */
	readonly timeout: number;
	readonly deliveryTag: string;
	/** Lamport clock value for `headers.clock`. */
	readonly clock: number;
	/** Celery's control_exchange (default 'celery'). */
	readonly controlExchange?: string;
};

/**
 * The PUBLISH payload for the pidbox channel (wire doc §5.2): the kombu envelope with
 * headers {clock, expires}, delivery_mode 2, delivery_info {exchange: 'celery.pidbox', routing_key: ''},
 * and the body {method, arguments, destination, pattern, matcher[, ticket, reply_to]}.
 */
export function buildRequest(input: RequestInput): {
	readonly channelPayload: string;
	readonly body: RequestBody;
} {
	if ((input.ticket === undefined) !== (input.oid === undefined))
		throw new TypeError('buildRequest: give both ticket and oid (a call) or neither (a cast)');
	const exchange = input.controlExchange ?? 'celery';
	const destination = input.destination && input.destination.length > 0 ? [...input.destination] : null;
	const pattern = input.pattern ?? null;
	const matcher = pattern === null ? null : (input.matcher ?? 'glob');
	const body: RequestBody =
		input.ticket === undefined
			? {method: input.method, arguments: input.arguments, destination, pattern, matcher}
			: {
					method: input.method,
					arguments: input.arguments,
					destination,
					pattern,
					matcher,
					ticket: input.ticket,
					reply_to: {exchange: `reply.${exchange}.pidbox`, routing_key: input.oid!},
				};
	const channelPayload = encodeEnvelope(body, {
		headers: {clock: input.clock, expires: input.now + input.timeout},
		deliveryInfo: {exchange: `${exchange}.pidbox`, routing_key: ''},
		deliveryMode: 2,
		deliveryTag: input.deliveryTag,
	});
	return {channelPayload, body};
}

// ------------------------------------------------------------------ replies

export type DecodedReply =
	| {
			readonly ok: true;
			readonly hostname: string;
			readonly value: unknown;
			/** The worker's mailbox clock (headers.clock), to advance ours. */
			readonly clock: number | undefined;
	  }
	| {readonly ok: false; readonly reason: MalformedReason | 'wrong-ticket' | 'bad-reply'};

/**
 * One reply popped from `<oid>.reply.celery.pidbox`: the envelope's headers.ticket must be ours
 * (kombu sets other tickets aside), the body is {"<node>": <value>}.
 */
export function decodeReply(raw: string, ticket: string): DecodedReply {
	const decoded = decodeEnvelope(raw);
	if (!decoded.ok) return decoded;
	if (decoded.headers['ticket'] !== ticket) return {ok: false, reason: 'wrong-ticket'};
	const payload = decoded.payload;
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
		return {ok: false, reason: 'bad-reply'};
	const entries = Object.entries(payload);
	if (entries.length !== 1) return {ok: false, reason: 'bad-reply'};
	const [hostname, value] = entries[0]!;
	const clock = decoded.headers['clock'];
	return {ok: true, hostname, value, clock: typeof clock === 'number' ? clock : undefined};
}

// ------------------------------------------------------------------ formatting

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OK or ERROR as Celery's CLI says it: a reply {"error": ...} is an error, anything else OK. */
export function replyStatus(value: unknown): 'OK' | 'ERROR' {
	return isRecord(value) && !('ok' in value) && 'error' in value ? 'ERROR' : 'OK';
}

/** The text of an {"ok": …} or {"error": …} reply, or undefined for structured replies. */
export function replyMessage(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (!isRecord(value)) return undefined;
	const text = 'ok' in value ? value['ok'] : 'error' in value ? value['error'] : undefined;
	if (text === undefined) return undefined;
	return typeof text === 'string' ? text : JSON.stringify(text);
}

function clean(lines: readonly string[]): string[] {
	return lines.flatMap((line) => line.split('\n')).map((line) => sanitize(line));
}

function short(text: string, max = 200): string {
	return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

function json(value: unknown): string {
	const text = JSON.stringify(value);
	return text === undefined ? String(value) : text;
}

/** `name(1, 2, x=3)` from request-info args/kwargs (real JSON in inspect replies). */
function call(info: Record<string, unknown>): string {
	const name =
		typeof info['name'] === 'string' ? info['name'] : typeof info['type'] === 'string' ? info['type'] : '?';
	const args = Array.isArray(info['args']) ? info['args'].map(json) : [];
	const kwargs = isRecord(info['kwargs'])
		? Object.entries(info['kwargs']).map(([k, v]) => `${k}=${json(v)}`)
		: [];
	return `${name}(${short([...args, ...kwargs].join(', '), 120)})`;
}

function seconds(value: number): string {
	if (value < 60) return `${value.toFixed(1)}s`;
	const total = Math.round(value);
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`;
}

function requestLine(info: unknown, now: number | undefined): string {
	if (!isRecord(info)) return `* ${json(info)}`;
	const parts = [`* ${String(info['id'] ?? '?')} ${call(info)}`];
	const start = info['time_start'];
	if (typeof start === 'number') {
		parts.push(
			now === undefined
				? `started ${formatUtcTimestamp(start)}`
				: `running ${seconds(Math.max(0, now - start))}`,
		);
	}
	if (typeof info['worker_pid'] === 'number') parts.push(`pid ${info['worker_pid']}`);
	const delivery = info['delivery_info'];
	if (isRecord(delivery) && typeof delivery['routing_key'] === 'string')
		parts.push(`queue ${delivery['routing_key']}`);
	if (info['acknowledged'] === false) parts.push('not acked');
	return parts.join('  ');
}

function sortedJson(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortedJson);
	if (isRecord(value))
		return Object.fromEntries(
			Object.keys(value)
				.sort()
				.map((key) => [key, sortedJson(value[key])]),
		);
	return value;
}

function statsLines(value: Record<string, unknown>): string[] {
	const lines: string[] = [];
	const head = [];
	if (value['pid'] !== undefined) head.push(`pid ${json(value['pid'])}`);
	if (typeof value['uptime'] === 'number') head.push(`uptime ${seconds(value['uptime'])}`);
	if (value['clock'] !== undefined) head.push(`clock ${String(value['clock'])}`);
	if (value['prefetch_count'] !== undefined) head.push(`prefetch ${json(value['prefetch_count'])}`);
	if (head.length > 0) lines.push(head.join('  '));
	const pool = value['pool'];
	if (isRecord(pool)) {
		const parts = [`pool: max-concurrency ${json(pool['max-concurrency'])}`];
		if (Array.isArray(pool['processes']))
			parts.push(`processes ${pool['processes'].length} [${pool['processes'].map(json).join(' ')}]`);
		if (pool['max-tasks-per-child'] !== undefined)
			parts.push(`max-tasks-per-child ${String(pool['max-tasks-per-child'])}`);
		if (isRecord(pool['writes']) && pool['writes']['total'] !== undefined)
			parts.push(`writes ${json(pool['writes']['total'])}`);
		lines.push(parts.join('  '));
	}
	const broker = value['broker'];
	if (isRecord(broker)) {
		const transport = typeof broker['transport'] === 'string' ? broker['transport'] : 'broker';
		const user =
			typeof broker['userid'] === 'string' && broker['userid'] !== '' ? `${broker['userid']}@` : '';
		lines.push(
			`broker: ${transport}://${user}${String(broker['hostname'] ?? '?')}:${String(broker['port'] ?? '?')}/${String(broker['virtual_host'] ?? '')}`,
		);
	}
	const total = value['total'];
	if (isRecord(total)) {
		const entries = Object.entries(total).sort(([a], [b]) => a.localeCompare(b));
		lines.push(
			entries.length === 0
				? 'tasks done: none'
				: `tasks done: ${entries.map(([k, v]) => `${k} ${json(v)}`).join(', ')}`,
		);
	}
	const rusage = value['rusage'];
	if (isRecord(rusage)) {
		const parts = [];
		if (typeof rusage['maxrss'] === 'number') parts.push(`maxrss ${rusage['maxrss']} kB`);
		if (typeof rusage['utime'] === 'number') parts.push(`utime ${rusage['utime'].toFixed(2)}s`);
		if (typeof rusage['stime'] === 'number') parts.push(`stime ${rusage['stime'].toFixed(2)}s`);
		if (parts.length > 0) lines.push(`rusage: ${parts.join('  ')}`);
	}
	const known = new Set(['pid', 'uptime', 'clock', 'prefetch_count', 'pool', 'broker', 'total', 'rusage']);
	for (const key of Object.keys(value).sort()) {
		if (!known.has(key)) lines.push(`${key}: ${short(json(value[key]))}`);
	}
	return lines;
}

function queueLine(queue: unknown): string {
	if (!isRecord(queue)) return `* ${json(queue)}`;
	const exchange = queue['exchange'];
	const parts = [`* ${String(queue['name'] ?? '?')}`];
	if (isRecord(exchange))
		parts.push(`exchange ${String(exchange['name'] || '(default)')} (${String(exchange['type'] ?? '?')})`);
	if (queue['routing_key'] !== undefined && queue['routing_key'] !== null)
		parts.push(`routing_key ${String(queue['routing_key'])}`);
	if (queue['max_priority'] !== undefined && queue['max_priority'] !== null)
		parts.push(`max_priority ${json(queue['max_priority'])}`);
	return parts.join('  ');
}

/**
 * A reply value as readable lines (no indentation, every line sanitised: worker text never reaches
 * the terminal raw). {"ok"/"error": text} gives the text; lists give `* item` lines (`- empty -`
 * when empty, as Celery); active/reserved/scheduled/query_task/stats/active_queues/conf/clock get a
 * compact rendering the TUI can show as is. `now` (epoch seconds) turns start times into ages.
 */
export function formatReplyLines(
	method: string,
	value: unknown,
	options: {readonly now?: number} = {},
): string[] {
	const message = replyMessage(value);
	if (message !== undefined && (typeof value === 'string' || isRecord(value))) return clean([message]);
	const now = options.now;
	switch (method) {
		case 'active':
		case 'reserved':
			if (Array.isArray(value))
				return clean(value.length === 0 ? ['- empty -'] : value.map((info) => requestLine(info, now)));
			break;
		case 'scheduled':
			if (Array.isArray(value)) {
				if (value.length === 0) return ['- empty -'];
				return clean(
					value.map((item) => {
						if (!isRecord(item)) return `* ${json(item)}`;
						const info = isRecord(item['request']) ? item['request'] : {};
						return `* ${String(info['id'] ?? '?')} ${call(info)}  eta ${String(item['eta'] ?? '?')}  priority ${json(item['priority'])}`;
					}),
				);
			}
			break;
		case 'query_task':
			if (isRecord(value)) {
				const entries = Object.entries(value);
				if (entries.length === 0) return ['- empty -'];
				return clean(
					entries.map(([id, held]) => {
						if (!Array.isArray(held)) return `* ${id} ${json(held)}`;
						const [state, info] = held as [unknown, unknown];
						const line = requestLine(info, now).replace(/^\* \S+ /, '');
						return `* ${id} ${String(state)}  ${line}`;
					}),
				);
			}
			break;
		case 'stats':
			if (isRecord(value)) return clean(statsLines(value));
			break;
		case 'active_queues':
			if (Array.isArray(value)) return clean(value.length === 0 ? ['- empty -'] : value.map(queueLine));
			break;
		case 'conf':
			if (isRecord(value)) {
				const keys = Object.keys(value).sort();
				return clean(
					keys.length === 0 ? ['- empty -'] : keys.map((key) => `${key}: ${short(json(value[key]))}`),
				);
			}
			break;
		case 'clock':
			if (isRecord(value) && value['clock'] !== undefined) return [`clock ${sanitize(json(value['clock']))}`];
			break;
	}
	if (Array.isArray(value)) {
		if (value.length === 0) return ['- empty -'];
		return clean(value.map((item) => `* ${typeof item === 'string' ? item : json(item)}`));
	}
	if (typeof value === 'string') return clean([value]);
	if (isRecord(value)) return clean(JSON.stringify(sortedJson(value), null, 4).split('\n'));
	return clean([json(value)]);
}

/**
 * One line per worker for a status/log area: `-> w1@vm: OK pong`,
 * `-> w1@vm: OK tasks <id> flagged as revoked`, `-> w1@vm: error: KeyError('no_such_cmd')`,
 * and for structured replies the first readable line with a count, e.g. `-> w1@vm: OK 2 items`.
 */
export function formatReplyLine(method: string, hostname: string, value: unknown): string {
	const host = sanitize(hostname);
	const message = replyMessage(value);
	if (replyStatus(value) === 'ERROR') return `-> ${host}: error: ${sanitize(message ?? '')}`;
	if (message !== undefined) return `-> ${host}: OK ${sanitize(message.replace(/\s*\n\s*/g, ' '))}`;
	if (Array.isArray(value)) return `-> ${host}: OK ${value.length} ${value.length === 1 ? 'item' : 'items'}`;
	const lines = formatReplyLines(method, value);
	return `-> ${host}: OK ${lines[0] ?? ''}${lines.length > 1 ? ' …' : ''}`;
}

/**
 * The whole reply set as `celery inspect|control` prints it (colour off):
 * ```
 * ->  w1@vm: OK
 *         pong
 * ```
 * ok/error texts are indented 8, other bodies 4 (lists as `* item`). Inspect ends with
 * `\n<n> node(s) online.`. Replies appear in arrival order.
 */
export function formatReplies(
	kind: CommandKind,
	method: string,
	replies: Readonly<Record<string, unknown>>,
	options: {readonly now?: number} = {},
): string {
	const out: string[] = [];
	for (const [hostname, value] of Object.entries(replies)) {
		out.push(`->  ${sanitize(hostname)}: ${replyStatus(value)}`);
		const indent = replyMessage(value) !== undefined && isRecord(value) ? 8 : 4;
		for (const line of formatReplyLines(method, value, options)) out.push(' '.repeat(indent) + line);
	}
	if (kind === 'inspect') {
		const count = Object.keys(replies).length;
		out.push('', `${count} ${count === 1 ? 'node' : 'nodes'} online.`);
	}
	return out.join('\n') + '\n';
}
