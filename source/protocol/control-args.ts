// The values of the pidbox commands, checked as the workers read them (docs/WIRE.md §5): signals,
// rate limits, counts, seconds, booleans, task ids, stamped headers, and the CLI arity rules the
// catalogue (control-commands.ts) is built from. Pure; every error is one readable line, sanitised.
import {sanitize} from './sanitize.js';

export type Arguments = Readonly<Record<string, unknown>>;
export type Checked<T> =
	{readonly ok: true; readonly value: T} | {readonly ok: false; readonly error: string};
/** CLI positionals (after the method) → raw arguments. */
export type Parser = (args: readonly string[]) => Checked<Record<string, unknown>>;

export const ok = <T>(value: T): Checked<T> => ({ok: true, value});
export const fail = (error: string): {ok: false; error: string} => ({ok: false, error});

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

export function taskIds(method: string, value: unknown, name = 'task id'): Checked<string | string[]> {
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
export function stampedHeaders(method: string, value: unknown): Checked<Record<string, Stamp | Stamp[]>> {
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
export function required<T>(
	method: string,
	what: string,
	value: unknown,
	parse: (value: unknown) => Checked<T>,
): Checked<T> {
	if (value === undefined || value === null) return fail(`${method} needs ${what}`);
	return parse(value);
}

export function nonEmpty(method: string, name: string, value: unknown): Checked<string> {
	if (typeof value !== 'string' || value.trim() === '') return fail(`${method} needs a ${name}`);
	return ok(value);
}

// ------------------------------------------------------------------ shared by the catalogue's entries

export function noArgs(method: string): Parser {
	return (args) => (args.length === 0 ? ok({}) : fail(`${method} takes no arguments`));
}

export function arity(method: string, usage: string, args: readonly string[], min: number, max: number) {
	if (args.length < min || args.length > max) return fail(`usage: ${method} ${usage}`);
	return undefined;
}

/** revoke's optional terminate and signal arguments (revoke and revoke_by_stamped_headers take both). */
export function withTerminate(
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

export function countArgs(method: string, args: readonly string[]): Checked<Record<string, unknown>> {
	const bad = arity(method, '[N=1]', args, 0, 1);
	if (bad) return bad;
	return ok(args[0] === undefined ? {} : {n: args[0]});
}

export function countCheck(method: string, args: Arguments): Checked<Record<string, unknown>> {
	if (args['n'] === undefined) return ok({});
	const n = parseCount(`${method} N`, args['n'], 1);
	return n.ok ? ok({n: n.value}) : n;
}
