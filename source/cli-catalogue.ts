// The command line in one table: every command and subcommand, its arguments, the options that apply
// to it (cli-options.ts defines them), an example. The parser (cli.ts) and the help pages (cli-help.ts)
// both read it, so what is accepted and what is documented cannot drift apart. The inspect and control
// methods come from the control catalogue (protocol/control-commands.ts, through protocol/control.ts):
// their names, argument notation and descriptions.
// Pure: no I/O, no ioredis, no React (`celerytop --help` loads this and little else).
import {OPTIONS, longFlag, type OptionDef, type OptionName} from './cli-options.js';
import {
	EVENTS,
	HISTORY,
	HISTORY_SUBCOMMANDS,
	RECORD,
	TASK_ID,
	TUI,
	type OptionUse,
	type Page,
	type PageDef,
} from './cli-pages.js';
import {COMMANDS as METHODS, commandNames, findCommand, type CommandSpec} from './protocol/control.js';
import {sanitize} from './protocol/sanitize.js';

export type Checked<T> =
	{readonly ok: true; readonly value: T} | {readonly ok: false; readonly error: string};

// ------------------------------------------------------------------ commands

export type {Example, Page} from './cli-pages.js';

const CALL_OPTIONS: OptionUse = {
	destination: true,
	timeout: true,
	json: ['the replies as one JSON object: {"<worker>": <reply>, ...}'],
};

const INSPECT: PageDef = {
	summary: 'ask workers and print their replies, as celery inspect does',
	usage: '<method> [arguments] [options]',
	arguments: [
		['<method>', 'one of the methods below'],
		['[arguments]', 'what the method takes (celerytop inspect <method> --help)'],
	],
	options: CALL_OPTIONS,
	examples: [{args: ['inspect', 'ping', '--json']}, {args: ['inspect', 'active', '-d', 'w1@*']}],
};

const CONTROL: PageDef = {
	summary: 'steer workers, as celery control does (recorded in the audit log)',
	usage: '<method> [arguments] [options]',
	arguments: [
		['<method>', 'one of the methods below'],
		['[arguments]', 'what the method takes (celerytop control <method> --help)'],
	],
	options: {...CALL_OPTIONS, auditLog: true, auditLogFile: true},
	examples: [
		{args: ['control', 'revoke', TASK_ID]},
		{args: ['control', 'rate_limit', 'tasks.add', '10/m', '-d', 'w1@host']},
	],
	notes: ['Refused under --read-only.'],
};

/** Arguments for each method's example (a method that takes none needs no entry). */
const METHOD_EXAMPLES: Readonly<Record<string, readonly string[]>> = {
	revoke: [TASK_ID],
	revoke_by_stamped_headers: ['batch=nightly-42'],
	terminate: ['SIGKILL', TASK_ID],
	rate_limit: ['tasks.add', '10/m'],
	time_limit: ['tasks.add', '60', '120'],
	pool_grow: ['2'],
	pool_shrink: ['1'],
	autoscale: ['10', '3'],
	add_consumer: ['priority'],
	cancel_consumer: ['priority'],
	registered: ['rate_limit'],
	query_task: [TASK_ID],
	conf: ['true'],
};

const REDIS_JSON = ['JSON output'];
const REDIS_DB = ["the database to read (default: the broker's)"];

const REDIS_SUBCOMMANDS: Readonly<Record<string, PageDef>> = {
	info: {
		summary: 'INFO, parsed: memory, clients, evictions, persistence, with warnings',
		usage: '[options]',
		arguments: [],
		options: {json: ['the parsed INFO sections as one JSON object'], db: ['the database DBSIZE counts']},
		examples: [{args: ['redis', 'info']}, {args: ['redis', 'info', '--json'], shell: '| jq .memory'}],
	},
	memory: {
		summary: 'where the memory goes, by Celery key family (SCAN, never KEYS)',
		usage: '[options]',
		arguments: [],
		options: {json: REDIS_JSON, pattern: true, sample: true, db: REDIS_DB},
		examples: [
			{args: ['redis', 'memory', '--sample', '20000']},
			{args: ['redis', 'memory', '--json'], shell: "| jq '.families[] | {family, kind, bytes}'"},
		],
	},
	keys: {
		summary: 'keys with their type, TTL and bytes (SCAN, never KEYS)',
		usage: '[options]',
		arguments: [],
		options: {json: ['one JSON object per key'], pattern: true, db: REDIS_DB},
		examples: [{args: ['redis', 'keys', '--pattern', 'celery-task-meta-*']}],
	},
	monitor: {
		summary: 'MONITOR: every command the server runs (opt-in: it costs server throughput)',
		usage: '[options]',
		arguments: [],
		options: {
			json: ['one JSON object per command'],
			duration: ['stop after this many seconds (default 60: MONITOR never runs unbounded)'],
			db: ['the database to connect to (MONITOR shows every database)'],
		},
		examples: [{args: ['redis', 'monitor', '--duration', '10']}],
		notes: ['MONITOR always runs on the broker, never on a --replica.'],
	},
};

const REDIS: PageDef = {
	summary: 'the Redis behind Celery: INFO, where the memory goes, keys, MONITOR',
	usage: `<${Object.keys(REDIS_SUBCOMMANDS).join('|')}> [options]`,
	arguments: [['<command>', 'celerytop redis <command> --help for each']],
	// Each subcommand's options, described in general terms (a subcommand's page says more).
	options: Object.fromEntries(
		Object.values(REDIS_SUBCOMMANDS).flatMap((sub) => Object.keys(sub.options).map((name) => [name, true])),
	) as OptionUse,
	examples: [{args: ['redis', 'info']}, {args: ['redis', 'memory', '--pattern', 'celery-task-meta-*']}],
};

const QUEUES: PageDef = {
	summary: 'every Celery queue: messages by priority, unacked, the next tasks',
	usage: '[options]',
	arguments: [],
	options: {
		json: ['the queues as one JSON object'],
		db: ["the database to read (default: the broker's)"],
		visibilityTimeout: true,
	},
	examples: [{args: ['queues']}, {args: ['queues', '--json', '--db', '1']}],
};

/** The commands, in the order the overview lists them; 'tui' is celerytop with no command. */
const TOP: Readonly<Record<string, PageDef>> = {
	tui: TUI,
	events: EVENTS,
	record: RECORD,
	history: HISTORY,
	inspect: INSPECT,
	control: CONTROL,
	redis: REDIS,
	queues: QUEUES,
};

export type CommandName =
	'tui' | 'events' | 'record' | 'history' | 'inspect' | 'control' | 'redis' | 'queues';

/** The command words the parser accepts (the TUI has none). */
export const COMMAND_WORDS: readonly string[] = Object.keys(TOP).filter((name) => name !== 'tui');

export const REDIS_COMMANDS: readonly string[] = Object.keys(REDIS_SUBCOMMANDS);

function optionLines(use: OptionUse): ReadonlyMap<OptionName, readonly string[]> {
	const map = new Map<OptionName, readonly string[]>();
	for (const name of Object.keys(use) as OptionName[]) {
		const given = use[name];
		if (given !== undefined) map.set(name, given === true ? OPTIONS[name].description : given);
	}
	return map;
}

function page(path: readonly string[], def: PageDef, children: Page['children'] = []): Page {
	return {
		path,
		summary: def.summary,
		usage: [...path, def.usage].join(' '),
		arguments: def.arguments,
		options: optionLines(def.options),
		examples: def.examples,
		notes: def.notes ?? [],
		children,
	};
}

function withoutTimeout({timeout: _timeout, ...rest}: OptionUse): OptionUse {
	return rest;
}

function methodPage(spec: CommandSpec): Page {
	const parent = spec.kind === 'inspect' ? INSPECT : CONTROL;
	const notes: string[] = [];
	if (!spec.replies)
		notes.push('A cast: the message is published once and no reply is waited for (workers send none).');
	if (spec.dangerous) notes.push('It changes or stops work on the workers: the TUI asks first.');
	if (spec.kind === 'control') notes.push('Refused under --read-only; recorded in the audit log.');
	const args = spec.usage;
	return page([spec.kind, spec.method], {
		summary: spec.help,
		usage: `${args === '' ? '' : `${args} `}[options]`,
		arguments: args === '' ? [] : [[args, "in Celery's notation: [ ] optional, ... repeats"]],
		// A cast waits for nothing, so a timeout has nothing to bound.
		options: spec.replies ? parent.options : withoutTimeout(parent.options),
		examples: [{args: [spec.kind, spec.method, ...(METHOD_EXAMPLES[spec.method] ?? [])]}],
		notes,
	});
}

function commandPage(name: string): Page {
	const def = TOP[name]!;
	const path = name === 'tui' ? [] : [name];
	if (name === 'inspect' || name === 'control')
		return page(
			path,
			def,
			METHODS.filter((spec) => spec.kind === name).map((spec) => ({name: spec.method, summary: spec.help})),
		);
	if (name === 'redis')
		return page(
			path,
			def,
			Object.entries(REDIS_SUBCOMMANDS).map(([sub, d]) => ({name: sub, summary: d.summary})),
		);
	if (name === 'history')
		return page(
			path,
			def,
			Object.entries(HISTORY_SUBCOMMANDS).map(([sub, d]) => ({name: sub, summary: d.summary})),
		);
	return page(path, def);
}

/** Every page: each command, then its methods or subcommands (a test walks them all). */
export function allPages(): Page[] {
	const pages: Page[] = [];
	for (const name of Object.keys(TOP)) {
		pages.push(commandPage(name));
		if (name === 'inspect' || name === 'control')
			for (const spec of METHODS) if (spec.kind === name) pages.push(methodPage(spec));
		if (name === 'redis')
			for (const [sub, def] of Object.entries(REDIS_SUBCOMMANDS)) pages.push(page(['redis', sub], def));
		if (name === 'history')
			for (const [sub, def] of Object.entries(HISTORY_SUBCOMMANDS)) pages.push(page(['history', sub], def));
	}
	return pages;
}

/** The overview's list: each command with its summary. */
export function commandSummaries(): {
	readonly name: string;
	readonly usage: string;
	readonly summary: string;
}[] {
	return Object.entries(TOP).map(([name, def]) => ({
		name,
		usage: name === 'tui' ? def.usage : `${name} ${def.usage}`,
		summary: def.summary,
	}));
}

const fail = (error: string): {ok: false; error: string} => ({ok: false, error});

/**
 * The page for the words of a command line (its positionals): [] is the TUI, words past the page
 * (a method's arguments, a stray word) are left to the caller. `tui`: the word `tui` names the TUI's
 * page (`celerytop help tui`); on a command line it is no command.
 */
export function resolvePage(words: readonly string[], {tui = false} = {}): Checked<Page> {
	const [first, second] = words;
	if (first === undefined) return {ok: true, value: commandPage('tui')};
	if (!Object.hasOwn(TOP, first) || (first === 'tui' && !tui))
		return fail(`unknown command '${sanitize(first)}' (see celerytop --help)`);
	if (second === undefined) return {ok: true, value: commandPage(first)};
	if (first === 'inspect' || first === 'control') {
		const spec = findCommand(second);
		if (spec === undefined)
			return fail(
				`unknown ${first} method '${sanitize(second)}' (one of: ${commandNames(first).join(', ')})`,
			);
		if (spec.kind !== first)
			return fail(
				`'${second}' is ${spec.kind === 'inspect' ? 'an inspect' : 'a control'} method: use "celerytop ${spec.kind} ${second}"`,
			);
		return {ok: true, value: methodPage(spec)};
	}
	if (first === 'redis') {
		const def = REDIS_SUBCOMMANDS[second];
		if (def === undefined || !Object.hasOwn(REDIS_SUBCOMMANDS, second))
			return fail(`unknown redis command '${sanitize(second)}' (${REDIS_COMMANDS.join(', ')})`);
		return {ok: true, value: page(['redis', second], def)};
	}
	if (first === 'history') {
		const def = HISTORY_SUBCOMMANDS[second];
		if (def === undefined || !Object.hasOwn(HISTORY_SUBCOMMANDS, second))
			return fail(
				`unknown history command '${sanitize(second)}' (${Object.keys(HISTORY_SUBCOMMANDS).join(', ')})`,
			);
		return {ok: true, value: page(['history', second], def)};
	}
	// events, queues, tui: no arguments (the parser refuses them; help ignores them).
	return {ok: true, value: commandPage(first)};
}

/** Does the option apply to the page (or is it accepted there anyway)? */
export function accepts(page: Page, name: OptionName): boolean {
	const scope = (OPTIONS[name] as OptionDef).scope;
	return scope === 'every' || scope === 'shared' || page.options.has(name);
}

/** The commands (as the overview names them) that list an option. */
export function usersOf(name: OptionName): string[] {
	const users: string[] = [];
	for (const [command, def] of Object.entries(TOP)) {
		if (def.options[name] === undefined) continue;
		if (command === 'redis') {
			const subs = Object.entries(REDIS_SUBCOMMANDS).filter(([, d]) => d.options[name] !== undefined);
			users.push(subs.length === REDIS_COMMANDS.length ? 'redis' : `redis ${subs.map(([s]) => s).join('/')}`);
		} else users.push(command === 'tui' ? 'the TUI' : command);
	}
	return users;
}

/** The first option given that the page does not accept, as the one-line error. */
export function optionError(page: Page, given: readonly OptionName[]): string | undefined {
	const refused = given.find((name) => !accepts(page, name));
	if (refused === undefined) return undefined;
	const where = page.path.length === 0 ? 'the TUI' : `"celerytop ${page.path.join(' ')}"`;
	const hint = refused === 'db' && page.path.length === 0 ? ' (in the TUI, press d in a Redis view)' : '';
	const see = page.path.length === 0 ? 'celerytop help tui' : `celerytop ${page.path.join(' ')} --help`;
	return `${longFlag(refused)} does not apply to ${where}${hint} (see ${see})`;
}
