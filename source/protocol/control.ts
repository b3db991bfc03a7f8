// Celery remote control (pidbox) messages: the command catalogue, CLI arguments → Celery's
// `arguments`, validation, the request envelope, reply decoding and reply formatting (wire doc §5).
// Pure: no I/O, no clock (callers pass `now`, ids and the Lamport clock in).
import {sanitize} from './sanitize.js';

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
	/** The first Celery version whose workers know the method (older ones answer KeyError). */
	readonly since?: string;
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

type Stamp = string | number | boolean;
const isStamp = (value: unknown): value is Stamp =>
	(typeof value === 'string' && value !== '') || typeof value === 'number' || typeof value === 'boolean';

/**
 * The headers of revoke_by_stamped_headers as one object {header: value | [values]}. Celery's own CLI
 * sends a list of 'header=value' words, which the worker turns into an object keeping only the text
 * between the first and second '=' and only the last value of a repeated header; celerytop builds the
 * object itself, so 'batch=a=b' keeps 'a=b' and 'batch=1 batch=2' revokes both.
 */
function stampedHeaders(method: string, value: unknown): Checked<Record<string, Stamp | Stamp[]>> {
	const out: Record<string, Stamp | Stamp[]> = {};
	const add = (header: string, stamp: Stamp) => {
		const had = out[header];
		out[header] = had === undefined ? stamp : Array.isArray(had) ? [...had, stamp] : [had, stamp];
	};
	const checkHeader = (header: string): Checked<string> =>
		header === '' || /[\s=]/.test(header)
			? fail(`${method}: invalid header name '${sanitize(header)}'`)
			: ok(header);
	if (typeof value === 'string') value = [value];
	if (Array.isArray(value)) {
		if (value.length === 0) return fail(`${method} needs at least one header=value`);
		for (const word of value) {
			const at = typeof word === 'string' ? word.indexOf('=') : -1;
			if (at <= 0 || at === (word as string).length - 1)
				return fail(`${method}: expected header=value, got '${sanitize(String(word))}'`);
			const header = checkHeader((word as string).slice(0, at));
			if (!header.ok) return header;
			add(header.value, (word as string).slice(at + 1));
		}
		return ok(out);
	}
	if (typeof value !== 'object' || value === null) return fail(`${method} needs at least one header=value`);
	const entries = Object.entries(value);
	if (entries.length === 0) return fail(`${method} needs at least one header=value`);
	for (const [name, stamps] of entries) {
		const header = checkHeader(name);
		if (!header.ok) return header;
		const list = Array.isArray(stamps) ? stamps : [stamps];
		if (list.length === 0 || !list.every(isStamp))
			return fail(`${method}: the stamps of '${sanitize(name)}' must be non-empty text or numbers`);
		for (const stamp of list) add(header.value, stamp);
	}
	return ok(out);
}

/** A value the method cannot go without, then checked by `parse`. */
function required<T>(
	method: string,
	what: string,
	value: unknown,
	parse: (value: unknown) => Checked<T>,
): Checked<T> {
	if (value === undefined || value === null) return fail(`${method} needs ${what}`);
	return parse(value);
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
	readonly since?: string;
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

/** revoke's optional terminate and signal arguments (revoke and revoke_by_stamped_headers take both). */
function withTerminate(
	method: string,
	args: Readonly<Record<string, unknown>>,
	out: Record<string, unknown>,
) {
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
			return withTerminate(method, args, {task_id: ids.value});
		},
	},
	revoke_by_stamped_headers: {
		kind: 'control',
		dangerous: true,
		since: '5.3',
		usage: '<header=value> [<header=value> ...]',
		help: 'revoke the tasks stamped with these headers (Celery 5.3+; kept in worker memory only)',
		params: ['headers', 'terminate', 'signal'],
		fromArgs: (args) => ok({headers: [...args]}),
		check: (method, args) => {
			const headers = stampedHeaders(method, args['headers']);
			if (!headers.ok) return headers;
			return withTerminate(method, args, {headers: headers.value});
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
			const signal = required(method, 'a signal', args['signal'], parseSignal);
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
			const rate = required(method, 'a rate limit', args['rate_limit'], parseRateLimit);
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
			...(def.since ? {since: def.since} : {}),
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
