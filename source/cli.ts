#!/usr/bin/env node
// Entry: flags → Config → the TUI or a headless command. No JSX here. Only meow and the command
// catalogue load up front: --help and --version finish before config, ioredis or React are imported.
process.env['NODE_ENV'] ??= 'production';

import meow from 'meow';
import {optionError, REDIS_COMMANDS, resolvePage} from './cli-catalogue.js';
import {OPTION_NAMES, kebab, optionDef, parserFlags, type OptionValues} from './cli-options.js';
import {renderOverview, renderPage} from './cli-help.js';
import {sanitize} from './protocol/sanitize.js';

function fail(message: string, code: number): never {
	process.stderr.write(`celerytop: ${message}\n`);
	process.exit(code);
}

async function main(): Promise<number> {
	const cli = meow({
		importMeta: import.meta,
		allowUnknownFlags: true,
		// Help and --version are ours (meow's act only when they are the one argument), and no option
		// gets a default here: one not given stays undefined, so "given" is "defined".
		autoHelp: false,
		autoVersion: false,
		booleanDefault: undefined,
		flags: parserFlags(),
	});
	// A repeatable option not given parses as []: not given.
	for (const [name, value] of Object.entries(cli.flags))
		if (Array.isArray(value) && value.length === 0) delete (cli.flags as Record<string, unknown>)[name];
	const flags = cli.flags as OptionValues;
	const [command, ...rest] = cli.input;

	// -h/--help anywhere before `--` (after it, words are arguments) prints the page of the command on
	// the line and ends: nothing below runs (no config, TLS files, audit log or connection).
	if (flags.help === true || command === 'help') {
		const words = command === 'help' ? rest : cli.input;
		if (words.length === 0 || (command === 'help' && words[0] === 'help')) return print(overview(cli));
		const page = resolvePage(words, {tui: command === 'help'});
		if (!page.ok) fail(page.error, 2);
		return print(renderPage(page.value));
	}
	if (flags.version === true) return print(`${String(cli.pkg.version)}\n`);

	const known = new Set<string>(OPTION_NAMES);
	const unknown = Object.keys(cli.flags).find((name) => !known.has(name));
	if (unknown !== undefined) fail(`unknown option --${sanitize(kebab(unknown))} (see celerytop --help)`, 2);
	// The page of the command on the line: which options it takes and whether it takes arguments.
	const resolved = resolvePage(cli.input);
	if (!resolved.ok) fail(resolved.error, 2);
	const page = resolved.value;
	const takesArguments = command === 'inspect' || command === 'control';
	// redis takes its subcommand; history takes `events UUID` (its command says what is missing).
	const extra = rest.slice(command === 'redis' ? 1 : command === 'history' ? 2 : 0);
	if (extra.length > 0 && !takesArguments)
		fail(`unexpected argument '${sanitize(extra[0]!)}' (see celerytop ${page.path.join(' ')} --help)`, 2);
	if (command === 'redis' && rest.length === 0)
		fail(`missing redis command (${REDIS_COMMANDS.join(', ')}; see celerytop redis --help)`, 2);
	// An option the command does not use is refused, not silently ignored.
	const given = OPTION_NAMES.filter((name) => flags[name] !== undefined);
	const refused = optionError(page, given);
	if (refused !== undefined) fail(refused, 2);
	for (const name of OPTION_NAMES) {
		const value = flags[name];
		if (optionDef(name).type === 'number' && value !== undefined && !Number.isFinite(value))
			fail(`--${kebab(name)} needs a number`, 2);
	}
	if (flags.duration !== undefined && flags.duration <= 0)
		fail('--duration must be a positive number of seconds', 2);
	if (flags.json && flags.dump) fail('choose one of --json and --dump', 2);

	const {buildConfig} = await import('./config.js');
	const built = buildConfig(
		{
			broker: flags.broker,
			replica: flags.replica,
			brokerTransportOptions: flags.brokerTransportOptions,
			maxTasks: flags.maxTasks,
			maxWorkers: flags.maxWorkers,
			maxEvents: flags.maxEvents,
			stuckAfter: flags.stuckAfter,
			readOnly: flags.readOnly,
			fps: flags.fps,
			auditLog: flags.auditLog,
			auditLogFile: flags.auditLogFile,
			// `--no-history` parses as false (meow's negation of the string option).
			history: flags.history as string | false | undefined,
			tlsCa: flags.tlsCa,
			tlsCert: flags.tlsCert,
			tlsKey: flags.tlsKey,
			connectTimeout: flags.connectTimeout,
			commandTimeout: flags.commandTimeout,
		},
		process.env,
	);
	if (!built.ok) fail(built.error, 2);
	const config = built.value;

	const redisOptions = {
		json: flags.json === true,
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
		if (rest.length === 0) fail(`${command} needs a method (see celerytop ${command} --help)`, 2);
		const {runControlCommand} = await import('./commands/control.js');
		return runControlCommand(command as 'inspect' | 'control', config, rest, {
			destination: flags.destination,
			timeout: flags.timeout,
			json: flags.json === true,
		});
	}
	if (command === 'history') {
		const {runHistory} = await import('./commands/history.js');
		return runHistory({
			path: config.history,
			words: rest,
			json: flags.json === true,
			...(flags.since === undefined ? {} : {since: flags.since}),
			...(flags.until === undefined ? {} : {until: flags.until}),
			...(flags.state === undefined ? {} : {states: flags.state}),
			...(flags.name === undefined ? {} : {name: flags.name}),
			...(flags.worker === undefined ? {} : {worker: flags.worker}),
			...(flags.uuid === undefined ? {} : {uuid: flags.uuid}),
			...(flags.exception === undefined ? {} : {exception: flags.exception}),
			...(flags.limit === undefined ? {} : {limit: flags.limit}),
		});
	}
	if (command === 'record') {
		const {runRecord} = await import('./commands/record.js');
		return runRecord(config, {duration: flags.duration});
	}
	const headless = command === 'events' || !process.stdout.isTTY;
	if (headless) {
		const {runEvents} = await import('./commands/events.js');
		return runEvents(config, {format: flags.json ? 'json' : 'dump', duration: flags.duration});
	}
	if (!process.stdin.isTTY)
		fail('the TUI needs a terminal on stdin (use "celerytop events --json" in scripts)', 2);
	const {runTui} = await import('./tui.js');
	return runTui(config);
}

function print(text: string): number {
	process.stdout.write(text);
	return 0;
}

function overview(cli: {readonly pkg: {readonly description?: unknown}}): string {
	return renderOverview(String(cli.pkg.description ?? 'htop for Celery on Redis'));
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => fail(`unexpected error: ${(error as Error)?.message ?? String(error)}`, 1),
);
