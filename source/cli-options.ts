// Every option of the command line, in one table: its type, short flag, placeholder, description and
// scope (which commands accept it). The parser (cli.ts) reads its flags from here; the pages of
// cli-catalogue.ts say which commands list each one. Pure: no I/O (`celerytop --help` loads this).

export type OptionDef = {
	/** 'strings': a string option that may be repeated (the parser gives a list). */
	readonly type: 'string' | 'strings' | 'number' | 'boolean';
	readonly short?: string;
	/** The placeholder shown after the flag (`URL`, `N`); none for a boolean. */
	readonly value?: string;
	/** How the flag is written when it differs from `--kebab-name` (`--no-audit-log`). */
	readonly flag?: string;
	/** Lines, as printed in the overview and (unless a command says more) on a command's page. */
	readonly description: readonly string[];
	/**
	 * 'every': used by every command (the connection, --read-only). 'shared': used by some commands
	 * only (those that list it) but accepted by all, so one set of options can serve every invocation
	 * (an alias, a wrapper script). Otherwise only the commands that list it accept it.
	 */
	readonly scope?: 'every' | 'shared';
};

/** Every option. The keys are the parser's flag names (camelCase of the long flag). */
export const OPTIONS = {
	broker: {
		type: 'string',
		short: 'b',
		value: 'URL',
		scope: 'every',
		description: [
			'Redis broker URL (else $CELERY_BROKER_URL, else redis://localhost:6379/0):',
			'redis://, rediss://, unix://, redis+socket://, sentinel://h:26379;sentinel://…',
			'(with {"master_name": …} in --broker-transport-options)',
		],
	},
	replica: {
		type: 'string',
		value: 'URL',
		scope: 'every',
		description: [
			'a replica of the broker for the read-only load: the event subscription,',
			'INFO, SCANs (redis memory/keys, the TUI views), key and queue reads.',
			'redis://, rediss://, unix://, redis+socket:// (not sentinel://); its db',
			'is the broker one unless the URL names one. Control, inspect, purge, DEL,',
			'FLUSHDB and MONITOR stay on the broker (MONITOR shows the commands of',
			'the server it runs on: on a replica, only the replication stream)',
		],
	},
	brokerTransportOptions: {
		type: 'string',
		value: 'JSON',
		scope: 'every',
		description: ['Celery\'s broker_transport_options, e.g. \'{"global_keyprefix": "pfx:"}\''],
	},
	readOnly: {
		type: 'boolean',
		scope: 'every',
		description: ['never change the cluster (no control commands, no purge, DEL or FLUSHDB)'],
	},
	tlsCa: {
		type: 'string',
		value: 'FILE',
		scope: 'every',
		description: ['rediss:// CA file (else ssl_ca_certs in the URL); also for a rediss:// --replica'],
	},
	tlsCert: {
		type: 'string',
		value: 'FILE',
		scope: 'every',
		description: ['rediss:// client certificate (else ssl_certfile in the URL; with --tls-key)'],
	},
	tlsKey: {
		type: 'string',
		value: 'FILE',
		scope: 'every',
		description: ["rediss:// client certificate's key (else ssl_keyfile in the URL)"],
	},
	connectTimeout: {
		type: 'number',
		value: 'SECONDS',
		scope: 'every',
		description: ['give up on a server that does not accept and answer (default 5)'],
	},
	commandTimeout: {
		type: 'number',
		value: 'SECONDS',
		scope: 'every',
		description: [
			'give up on a reply that does not come (default 5; BRPOP, SUBSCRIBE',
			'and MONITOR wait as long as they are meant to)',
		],
	},
	auditLog: {
		type: 'boolean',
		flag: '--no-audit-log',
		scope: 'shared',
		description: ['do not record control commands'],
	},
	auditLogFile: {
		type: 'string',
		value: 'PATH',
		scope: 'shared',
		description: [
			'where control commands are recorded (default',
			'$XDG_STATE_HOME/celerytop/audit.jsonl or ~/.local/state/celerytop/audit.jsonl)',
		],
	},
	history: {
		type: 'string',
		value: 'PATH',
		description: [
			'the history file (default $XDG_STATE_HOME/celerytop/history-<host>-<port>-<db>.sqlite,',
			'else under ~/.local/state); --no-history: record nothing',
		],
	},
	since: {
		type: 'string',
		value: 'T',
		description: [
			'tasks whose last event is this recent: an age (90s, 30m, 1h, 2d) or a date (2026-12-01T10:00)',
		],
	},
	until: {
		type: 'string',
		value: 'T',
		description: ['tasks whose last event is this old or older (as --since)'],
	},
	state: {
		type: 'strings',
		value: 'S',
		description: ['tasks in this state (FAILURE, or SUCCESS,RETRY; repeatable)'],
	},
	name: {
		type: 'string',
		value: 'GLOB',
		description: ['task names matching this GLOB (tasks.*, case-sensitive)'],
	},
	worker: {type: 'string', value: 'HOST', description: ['tasks run on this worker (w1@host)']},
	uuid: {type: 'string', value: 'ID', description: ['the task with this id']},
	exception: {type: 'string', value: 'TEXT', description: ['tasks whose exception contains this text']},
	limit: {type: 'number', value: 'N', description: ['at most N tasks, newest first (default 50)']},
	maxTasks: {
		type: 'number',
		value: 'N',
		description: ['tasks kept in memory, oldest evicted (default 10000)'],
	},
	maxWorkers: {type: 'number', value: 'N', description: ['workers kept in memory (default 5000)']},
	maxEvents: {
		type: 'number',
		value: 'N',
		description: ['events the Events pane keeps, oldest dropped (default 10000: about 4 MB)'],
	},
	stuckAfter: {
		type: 'string',
		value: 'DURATION',
		description: [
			'a running task is stuck after this long (90s, 5m, 2h); default: 5 × the p95',
			'runtime of its name seen so far (at least 10s), else 5m',
		],
	},
	fps: {type: 'number', value: 'N', description: ['frames per second at most (default 10)']},
	json: {type: 'boolean', description: ['JSON output']},
	dump: {type: 'boolean', description: ['one readable line per event, like celery events --dump']},
	duration: {type: 'number', value: 'SECONDS', description: ['stop after this many seconds']},
	destination: {
		type: 'string',
		short: 'd',
		value: 'NAMES',
		description: ['comma-separated worker names, or one glob (w1@*); default: every worker'],
	},
	timeout: {
		type: 'number',
		short: 't',
		value: 'SECONDS',
		description: ['how long to wait for replies (default 1)'],
	},
	pattern: {type: 'string', value: 'P', description: ['a KEYS-style pattern (run as SCAN MATCH)']},
	sample: {
		type: 'number',
		value: 'N',
		description: ['measure bytes on N sampled keys (every key still counted)'],
	},
	db: {type: 'number', value: 'N', description: ["the database to inspect (default: the broker's)"]},
	visibilityTimeout: {
		type: 'number',
		value: 'S',
		description: ["the broker's visibility timeout (default 3600)"],
	},
	help: {type: 'boolean', short: 'h', scope: 'every', description: ['this help (on any command line)']},
	version: {type: 'boolean', scope: 'every', description: ["celerytop's version"]},
} as const satisfies Record<string, OptionDef>;

export type OptionName = keyof typeof OPTIONS;

/** What the parser hands back for each option (undefined: not given). */
export type OptionValues = {
	readonly [K in OptionName]?: (typeof OPTIONS)[K]['type'] extends 'string'
		? string
		: (typeof OPTIONS)[K]['type'] extends 'strings'
			? readonly string[]
			: (typeof OPTIONS)[K]['type'] extends 'number'
				? number
				: boolean;
};

export const OPTION_NAMES = Object.keys(OPTIONS) as OptionName[];

export function optionDef(name: OptionName): OptionDef {
	return OPTIONS[name];
}

export function kebab(name: string): string {
	return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The long flag: `--broker`, `--no-audit-log`. */
export function longFlag(name: OptionName): string {
	return (OPTIONS[name] as OptionDef).flag ?? `--${kebab(name)}`;
}

/** How the option is written in help: `--no-audit-log`, `-b, --broker URL`. */
export function optionLabel(name: OptionName): string {
	const def: OptionDef = OPTIONS[name];
	return `${def.short ? `-${def.short}, ` : ''}${longFlag(name)}${def.value ? ` ${def.value}` : ''}`;
}

/** The flags table meow parses with (no defaults: an option not given stays undefined). */
export function parserFlags(): Record<
	string,
	{type: 'string' | 'number' | 'boolean'; shortFlag?: string; isMultiple?: boolean}
> {
	return Object.fromEntries(
		OPTION_NAMES.map((name) => {
			const def: OptionDef = OPTIONS[name];
			const type = def.type === 'strings' ? 'string' : def.type;
			const multiple = def.type === 'strings' ? {isMultiple: true} : {};
			return [name, def.short ? {type, shortFlag: def.short, ...multiple} : {type, ...multiple}];
		}),
	);
}
