// The pages of the commands that watch and keep the event stream (the TUI, events, record, history):
// their summaries, usage, options and examples, as cli-catalogue.ts reads them. Pure: data only.
import type {OptionName} from './cli-options.js';

/** One example line: the words after `celerytop`, and what a shell would add (`| jq .type`). */
export type Example = {readonly args: readonly string[]; readonly shell?: string};

/** The options a command lists: `true` for the option's own description, or lines of its own. */
export type OptionUse = Partial<Record<OptionName, true | readonly string[]>>;

export type PageDef = {
	readonly summary: string;
	/** After `celerytop <path>`, e.g. `<method> [arguments] [options]`. */
	readonly usage: string;
	readonly arguments: readonly (readonly [string, string])[];
	readonly options: OptionUse;
	readonly examples: readonly Example[];
	readonly notes?: readonly string[];
};

/** A help page, and the unit the parser checks options against. */
export type Page = {
	/** The words after `celerytop`: [] is the TUI, ['redis', 'info'], ['control', 'rate_limit']. */
	readonly path: readonly string[];
	readonly summary: string;
	/** The usage line without the leading `celerytop`. */
	readonly usage: string;
	readonly arguments: readonly (readonly [string, string])[];
	/** Options that apply, with the lines to show for each (the 'every' options excluded). */
	readonly options: ReadonlyMap<OptionName, readonly string[]>;
	readonly examples: readonly Example[];
	readonly notes: readonly string[];
	/** Subcommands or methods, listed on the parent's page. */
	readonly children: readonly {readonly name: string; readonly summary: string}[];
};

export const TASK_ID = '8d3c1c1e-5a2e-4c0f-9d0e-2b1f8a7c6d5e';

export const TUI: PageDef = {
	summary: 'live events, tasks, workers, queues and the Redis behind them, in a terminal UI',
	usage: '[options]',
	arguments: [],
	options: {
		maxTasks: true,
		maxWorkers: true,
		maxEvents: true,
		stuckAfter: true,
		fps: true,
		dump: ['with stdout not a terminal (celerytop then prints events): readable lines (the default)'],
		auditLog: true,
		auditLogFile: true,
	},
	examples: [
		{args: ['-b', 'redis://:secret@redis.internal:6379/1']},
		{args: ['-b', 'redis://:secret@primary:6379/1', '--replica', 'redis://:secret@replica:6379']},
	],
	notes: [
		'When stdout is not a terminal, celerytop alone behaves like "celerytop events --dump".',
		'In the TUI, ? lists every key.',
	],
};

export const EVENTS: PageDef = {
	summary: 'print the event stream: JSON lines, or readable lines like celery events --dump',
	usage: '[--json | --dump] [options]',
	arguments: [],
	options: {
		json: ['one JSON object per event (JSON lines)'],
		dump: ['one readable line per event, like celery events --dump (the default)'],
		duration: true,
		maxTasks: true,
		maxWorkers: true,
	},
	examples: [{args: ['events', '--json', '--duration', '10'], shell: '| jq .type'}, {args: ['events']}],
};

export const RECORD: PageDef = {
	summary: 'record every event into the history file, headless (for a server)',
	usage: '[--history PATH] [--duration S] [options]',
	arguments: [],
	options: {history: true, duration: true, maxTasks: true, maxWorkers: true},
	examples: [
		{args: ['record', '-b', 'redis://:secret@redis.internal:6379/1']},
		{args: ['record', '--history', '/var/lib/celerytop/prod.sqlite']},
	],
	notes: [
		'One line per task state change on stdout; SIGTERM or SIGINT stops it after the last commit.',
		'The file is created mode 0600 and names the broker by host, port and db only (docs/HISTORY.md).',
	],
};

export const HISTORY: PageDef = {
	summary: 'the recorded tasks: filter by time, state, name, worker, id or exception (read-only)',
	usage: '[events UUID] [--since T] [--until T] [--state S] [--name GLOB] [--json] [options]',
	arguments: [['events UUID', "that task's events as events --json prints them"]],
	options: {
		history: ['the history file to read (default: the one record writes for the broker)'],
		since: true,
		until: true,
		state: true,
		name: true,
		worker: true,
		uuid: true,
		exception: true,
		limit: true,
		json: ['one JSON object per task: every column of its row and its timeline'],
	},
	examples: [
		{args: ['history', '--since', '1h', '--state', 'FAILURE']},
		{args: ['history', '--name', 'tasks.*', '--json'], shell: '| jq .exception'},
	],
	notes: [
		'Reads the file as it is, even while celerytop record writes it; never writes or locks it.',
		'Newest first by the last event; --since/--until take an age (90s, 30m, 1h, 2d) or a date.',
	],
};

export const HISTORY_SUBCOMMANDS: Readonly<Record<string, PageDef>> = {
	events: {
		summary: "a recorded task's events, one JSON object a line, the fields as Celery sent them",
		usage: 'UUID [--history PATH] [options]',
		arguments: [['UUID', 'the task id']],
		options: {history: ['the history file to read (default: the one record writes for the broker)']},
		examples: [{args: ['history', 'events', TASK_ID], shell: '| jq .type'}],
	},
};
