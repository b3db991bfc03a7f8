#!/usr/bin/env node
// Entry: flags → Config → the TUI or a headless command. No JSX here, and React/Ink load only
// when the TUI starts (so --help is fast and React's production build is the one that loads).
process.env['NODE_ENV'] ??= 'production';

import meow from 'meow';
import {buildConfig, type Config} from './config.js';
import {runEvents} from './commands/events.js';

const HELP = `
  Usage
    $ celerytop [options]                 the live TUI (events, tasks, workers)
    $ celerytop events --json [options]   one JSON object per event (JSON lines)
    $ celerytop events --dump [options]   one readable line per event, like celery events --dump
    $ celerytop inspect <method> [args]   ask workers (ping, stats, active, reserved, scheduled, registered,
                                          revoked, query_task ID.., active_queues, conf, report, clock)
    $ celerytop control <method> [args]   steer workers (revoke ID.., terminate SIGNAL ID.., rate_limit TASK RATE,
                                          time_limit TASK SOFT [HARD], pool_grow [N], pool_shrink [N],
                                          autoscale MAX MIN, add_consumer QUEUE, cancel_consumer QUEUE,
                                          enable_events, disable_events, heartbeat, shutdown)
    $ celerytop redis info|memory|keys|monitor [--json] [--pattern P] [--sample N] [--db N] [--duration S]
                                          the Redis behind Celery: INFO, where the memory goes (SCAN, never KEYS),
                                          keys with type/TTL/bytes, MONITOR (opt-in, costs server throughput)
    $ celerytop queues [--json] [--db N] [--visibility-timeout S]
                                          every Celery queue: messages, unacked, next tasks

  Options
    -b, --broker URL                   Redis broker URL (else $CELERY_BROKER_URL, else redis://localhost:6379/0):
                                       redis://, rediss://, unix://, redis+socket://, sentinel://h:26379;sentinel://…
                                       (with {"master_name": …} in --broker-transport-options)
    --replica URL                      a replica of the broker for the read-only load: the event subscription,
                                       INFO, SCANs (redis memory/keys, the TUI's views), key and queue reads.
                                       redis://, rediss://, unix://, redis+socket:// (not sentinel://); its db
                                       is the broker's unless the URL names one. Control, inspect, purge, DEL,
                                       FLUSHDB and MONITOR stay on the broker (MONITOR shows the commands of
                                       the server it runs on: on a replica, only the replication stream)
    --broker-transport-options JSON    Celery's broker_transport_options, e.g. '{"global_keyprefix": "pfx:"}'
    --max-tasks N                      tasks kept in memory, oldest evicted (default 10000)
    --max-workers N                    workers kept in memory (default 5000)
    --read-only                        never change the cluster (no control commands)
    --duration SECONDS                 events: stop after this many seconds
    -d, --destination NAMES            inspect/control: comma-separated worker names, or one glob (w1@*)
    -t, --timeout SECONDS              inspect/control: how long to wait for replies (default 1)
    --json                             events, inspect, control, redis, queues: JSON output
    --pattern P                        redis memory/keys: a KEYS-style pattern (run as SCAN MATCH)
    --sample N                         redis memory: measure bytes on N sampled keys (every key still counted)
    --db N                             redis, queues: the database to inspect (default: the broker's)
    --visibility-timeout S             queues: the broker's visibility timeout (default 3600)
    --fps N                            TUI frames per second at most (default 10)
    --tls-ca FILE, --tls-cert FILE, --tls-key FILE
                                       rediss:// CA and client certificate (or ssl_ca_certs, ssl_certfile,
                                       ssl_keyfile and ssl_cert_reqs in the URL, as Celery takes them); they
                                       apply to a rediss:// --replica too
    --audit-log-file PATH              where control commands are recorded (default
                                       $XDG_STATE_HOME/celerytop/audit.jsonl or ~/.local/state/celerytop/audit.jsonl)
    --no-audit-log                     do not record control commands
    --connect-timeout SECONDS          give up on a server that does not accept and answer (default 5)
    --command-timeout SECONDS          give up on a reply that does not come (default 5; BRPOP, SUBSCRIBE
                                       and MONITOR wait as long as they are meant to)
    --help, --version

  When stdout is not a terminal, celerytop alone behaves like "celerytop events --dump".

  Examples
    $ celerytop -b redis://:secret@redis.internal:6379/1
    $ celerytop -b redis://:secret@primary:6379/1 --replica redis://:secret@replica:6379
    $ celerytop events --json --duration 10 | jq .type
    $ celerytop control revoke 8d3c1c1e-5a2e-4c0f-9d0e-2b1f8a7c6d5e
    $ celerytop control terminate SIGKILL 8d3c1c1e-5a2e-4c0f-9d0e-2b1f8a7c6d5e
    $ celerytop control rate_limit tasks.add 10/m -d w1@host
    $ celerytop inspect ping --json
`;

const FLAGS = {
	broker: {type: 'string', shortFlag: 'b'},
	replica: {type: 'string'},
	brokerTransportOptions: {type: 'string'},
	maxTasks: {type: 'number'},
	maxWorkers: {type: 'number'},
	readOnly: {type: 'boolean', default: false},
	json: {type: 'boolean', default: false},
	dump: {type: 'boolean', default: false},
	duration: {type: 'number'},
	fps: {type: 'number'},
	destination: {type: 'string', shortFlag: 'd'},
	timeout: {type: 'number', shortFlag: 't'},
	pattern: {type: 'string'},
	sample: {type: 'number'},
	db: {type: 'number'},
	visibilityTimeout: {type: 'number'},
	auditLog: {type: 'boolean', default: true},
	auditLogFile: {type: 'string'},
	tlsCa: {type: 'string'},
	tlsCert: {type: 'string'},
	tlsKey: {type: 'string'},
	connectTimeout: {type: 'number'},
	commandTimeout: {type: 'number'},
} as const;

const COMMANDS = new Set(['events', 'inspect', 'control', 'redis', 'queues']);

/** Options that belong to some commands only ('tui' is celerytop with no command). */
const ONLY_FOR: Partial<Record<keyof typeof FLAGS, readonly string[]>> = {
	maxTasks: ['tui', 'events'],
	maxWorkers: ['tui', 'events'],
	fps: ['tui'],
	json: ['events', 'inspect', 'control', 'redis', 'queues'],
	dump: ['events', 'tui'],
	duration: ['events', 'redis'],
	destination: ['inspect', 'control'],
	timeout: ['inspect', 'control'],
	pattern: ['redis'],
	sample: ['redis'],
	db: ['redis', 'queues'],
	visibilityTimeout: ['queues'],
};

function fail(message: string, code: number): never {
	process.stderr.write(`celerytop: ${message}\n`);
	process.exit(code);
}

async function main(): Promise<number> {
	const cli = meow(HELP, {
		importMeta: import.meta,
		allowUnknownFlags: true,
		flags: FLAGS,
	});
	const known = new Set(['help', 'version', 'b', 'd', 't', ...Object.keys(FLAGS)]);
	const unknown = Object.keys(cli.flags).find((name) => !known.has(name));
	if (unknown !== undefined) fail(`unknown option --${kebab(unknown)} (see celerytop --help)`, 2);
	const [command, ...rest] = cli.input;
	if (command !== undefined && !COMMANDS.has(command))
		fail(`unknown command '${command}' (see celerytop --help)`, 2);
	const takesArguments = command === 'inspect' || command === 'control' || command === 'redis';
	if (rest.length > 0 && !takesArguments) fail(`unexpected argument '${rest[0]}' (see celerytop --help)`, 2);
	const flags = cli.flags;
	// An option the command does not use is refused, not silently ignored.
	for (const [name, commands] of Object.entries(ONLY_FOR)) {
		const given = process.argv.some(
			(arg) =>
				arg === `--${kebab(name)}` ||
				arg.startsWith(`--${kebab(name)}=`) ||
				(name === 'destination' && arg === '-d') ||
				(name === 'timeout' && arg === '-t'),
		);
		if (given && !commands.includes(command ?? 'tui')) {
			const hint = name === 'db' ? ' (in the TUI, press d in a Redis view)' : '';
			fail(`--${kebab(name)} does not apply to ${command ? `"celerytop ${command}"` : 'the TUI'}${hint}`, 2);
		}
	}
	for (const name of [
		'maxTasks',
		'maxWorkers',
		'fps',
		'duration',
		'timeout',
		'sample',
		'db',
		'visibilityTimeout',
		'connectTimeout',
		'commandTimeout',
	] as const) {
		const value = flags[name];
		if (value !== undefined && !Number.isFinite(value)) fail(`--${kebab(name)} needs a number`, 2);
	}
	if (flags.duration !== undefined && flags.duration <= 0)
		fail('--duration must be a positive number of seconds', 2);
	if (flags.json && flags.dump) fail('choose one of --json and --dump', 2);

	const built = buildConfig(
		{
			broker: flags.broker,
			replica: flags.replica,
			brokerTransportOptions: flags.brokerTransportOptions,
			maxTasks: flags.maxTasks,
			maxWorkers: flags.maxWorkers,
			readOnly: flags.readOnly,
			fps: flags.fps,
			auditLog: flags.auditLog,
			auditLogFile: flags.auditLogFile,
			tlsCa: flags.tlsCa,
			tlsCert: flags.tlsCert,
			tlsKey: flags.tlsKey,
			connectTimeout: flags.connectTimeout,
			commandTimeout: flags.commandTimeout,
		},
		process.env,
	);
	if (!built.ok) fail(built.error, 2);
	const config: Config = built.value;

	const redisOptions = {
		json: flags.json,
		pattern: flags.pattern,
		sample: flags.sample,
		duration: flags.duration,
		db: flags.db,
		visibilityTimeout: flags.visibilityTimeout,
	};
	if (command === 'redis') {
		const {runRedisCommand} = await import('./commands/redis.js');
		return runRedisCommand(config, rest, redisOptions);
	}
	if (command === 'queues') {
		const {runQueuesCommand} = await import('./commands/redis.js');
		return runQueuesCommand(config, redisOptions);
	}
	if (takesArguments) {
		if (flags.dump) fail(`--dump goes with events, not ${command}`, 2);
		if (rest.length === 0) fail(`${command} needs a method (see celerytop --help)`, 2);
		const {runControlCommand} = await import('./commands/control.js');
		return runControlCommand(command as 'inspect' | 'control', config, rest, {
			destination: flags.destination,
			timeout: flags.timeout,
			json: flags.json,
		});
	}
	const headless = command === 'events' || !process.stdout.isTTY;
	if (headless) {
		return runEvents(config, {format: flags.json ? 'json' : 'dump', duration: flags.duration});
	}
	if (!process.stdin.isTTY)
		fail('the TUI needs a terminal on stdin (use "celerytop events --json" in scripts)', 2);
	const {runTui} = await import('./tui.js');
	return runTui(config);
}

function kebab(name: string): string {
	return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => fail(`unexpected error: ${(error as Error)?.message ?? String(error)}`, 1),
);
