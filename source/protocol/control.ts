// Celery remote control (pidbox) commands (docs/WIRE.md §5): the catalogue of control-commands.ts
// as specs, lookup by method, validation of an `arguments` object, and CLI positionals → Celery's
// `arguments`. The request envelope and reply decoding are in control-wire.ts, reply text in
// present/control-format.ts. Pure: no I/O, no clock.
import {fail, noArgs, ok, type Arguments, type Checked, type Parser} from './control-args.js';
import {DEFS, type CommandKind} from './control-commands.js';
import {sanitize} from './sanitize.js';

export type Matcher = 'glob' | 'pcre';
/** What validateArguments takes (defined with the value checks). */

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

type Validator = (args: Arguments) => Checked<Record<string, unknown>>;
type Entry = CommandSpec & {readonly fromArgs: Parser; readonly check: Validator};

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
