// -h/--help: every command, method and subcommand has its own page, printed wherever the flag stands on
// the line, and printing it does nothing else: the private redis-server given as -b sees no connection,
// the audit log is not written, TLS files are not read, and a real worker survives `control shutdown
// --help`. The pages are walked from the catalogue, so a new command is covered without editing this.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Redis} from 'ioredis';
import {allPages, resolvePage, type Page} from '../../source/cli-catalogue.js';
import {OPTION_NAMES, longFlag, optionDef, type OptionName} from '../../source/cli-options.js';
import {COMMANDS as METHODS, findCommand, parseCommandLine} from '../../source/protocol/control.js';
import {REDIS_SUBCOMMANDS} from '../../source/commands/redis.js';
import {decodeEnvelope} from '../../source/protocol/envelope.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {requireCelery, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {hermeticEnv} from '../helpers/hermetic-env.js';
import {waitFor} from '../helpers/wait-for.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
let redis: RedisServer;
let watcher: Redis;
let auditFile: string;

function run(args: readonly string[]) {
	const result = spawnSync(process.execPath, [CLI, ...args], {
		encoding: 'utf8',
		// Even the default broker is the private server: a help that connected anywhere would show.
		env: hermeticEnv({CELERY_BROKER_URL: redis.url}),
		timeout: 20_000,
	});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

async function connectionsReceived(): Promise<number> {
	const stats = await watcher.info('stats');
	const match = /^total_connections_received:(\d+)/m.exec(stats);
	assert.ok(match, stats);
	return Number(match[1]);
}

/** Options a page must not show: those that are neither its own nor taken by every command. */
function foreignOptions(page: Page): OptionName[] {
	return OPTION_NAMES.filter((name) => optionDef(name).scope !== 'every' && !page.options.has(name));
}

/** A table row for the option: `    -d, --destination NAMES   …` or `    --json   …`. */
function optionRow(name: OptionName): RegExp {
	const short = optionDef(name).short;
	return new RegExp(`^ {4}${short ? `-${short}, ` : ''}${longFlag(name)}(?= |$)`, 'm');
}

function assertPage(page: Page, result: ReturnType<typeof run>, line: readonly string[]) {
	const where = `celerytop ${line.join(' ')}`;
	assert.equal(result.code, 0, `${where}: ${result.stderr}`);
	assert.equal(result.stderr, '', where);
	const name = page.path.length === 0 ? 'celerytop (the TUI)' : `celerytop ${page.path.join(' ')}`;
	assert.ok(result.stdout.startsWith(`\n  ${name}: ${page.summary}\n`), `${where}: title\n${result.stdout}`);
	assert.ok(result.stdout.includes(`\n  Usage\n    $ celerytop ${page.usage}\n`), `${where}: usage line`);
	for (const option of page.options.keys())
		assert.match(result.stdout, optionRow(option), `${where}: shows ${longFlag(option)}`);
	for (const option of ['broker', 'connectTimeout', 'commandTimeout', 'readOnly', 'help'] as const)
		assert.match(result.stdout, optionRow(option), `${where}: shows ${longFlag(option)}`);
	for (const option of foreignOptions(page))
		assert.doesNotMatch(result.stdout, optionRow(option), `${where}: ${longFlag(option)} does not apply`);
	assert.match(result.stdout, /\n {2}Examples?\n {4}\$ celerytop /, `${where}: an example`);
	if (page.path[0] === 'inspect' || page.path[0] === 'control') {
		// What the control catalogue says of the method, in its own words.
		const spec = page.path[1] === undefined ? undefined : findCommand(page.path[1]);
		if (spec) {
			assert.ok(result.stdout.includes(spec.help), `${where}: the method's description`);
			assert.ok(result.stdout.includes(spec.usage), `${where}: the method's arguments`);
		} else
			for (const method of METHODS.filter((m) => m.kind === page.path[0]))
				assert.match(result.stdout, new RegExp(`^ {4}${method.method} +${escape(method.help)}$`, 'm'));
	}
}

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A realistic line for the page: its path, then its example's arguments when it has no children. */
function lineFor(page: Page): string[] {
	if (page.children.length > 0) return [...page.path];
	const [example] = page.examples;
	assert.ok(example, `${page.path.join(' ')}: an example`);
	assert.deepEqual(example.args.slice(0, page.path.length), page.path, 'the example runs the page');
	const words: string[] = [];
	for (let i = 0; i < example.args.length; i++) {
		// The broker is the test's own, given once.
		if (example.args[i] === '-b' || example.args[i] === '--replica') i++;
		else words.push(example.args[i]!);
	}
	return words;
}

/** The lines that ask for a page, with -h/--help first, last and between the other words. */
function helpLines(page: Page): string[][] {
	const base = page.path.length === 0 ? ['help', 'tui'] : lineFor(page);
	const connection = ['-b', redis.url, '--audit-log-file', auditFile];
	const middle = (flag: string) => [base[0]!, flag, ...base.slice(1), ...connection];
	if (page.path.length === 0)
		return [
			[...base, ...connection],
			[...base, '--help'],
			['--max-tasks', '5', '-h', ...base],
		];
	return [
		['--help', ...base, ...connection],
		[...base, ...connection, '--help'],
		middle('--help'),
		['-h', ...base, ...connection],
		[...base, ...connection, '-h'],
		middle('-h'),
	];
}

before(async () => {
	redis = await startRedis();
	watcher = new Redis(redis.url); // one connection, opened before counting starts
	await watcher.ping();
	auditFile = join(mkdtempSync(join(tmpdir(), 'celerytop-help-')), 'audit.jsonl');
});

after(async () => {
	watcher?.disconnect();
	await redis?.stop();
});

test('--help loads neither ioredis nor React: the modules dist/cli.js imports up front hold neither', () => {
	const dist = dirname(CLI);
	const marker = /\/\/ node_modules\/(ioredis|react|ink)\//;
	const seen = new Set<string>();
	const visit = (file: string) => {
		if (seen.has(file)) return;
		seen.add(file);
		const text = readFileSync(file, 'utf8');
		assert.doesNotMatch(text, marker, `${file} is loaded by every run, --help included`);
		// Static imports only: `import {…} from "./chunks/x.js"` and `import "./chunks/x.js"`.
		for (const match of text.matchAll(/^(?:import|} from|export \{[^}]*\} from)[^"\n]*"(\.\/[^"]+)";?$/gm))
			visit(join(dirname(file), match[1]!));
	};
	visit(CLI);
	assert.ok(seen.size > 1, 'the entry imports its chunks');
	// The marker is there to be found: the lazily imported chunks do hold ioredis and React.
	const lazy = readdirSync(join(dist, 'chunks')).map((name) =>
		readFileSync(join(dist, 'chunks', name), 'utf8'),
	);
	assert.ok(
		lazy.some((text) => /\/\/ node_modules\/ioredis\//.test(text)),
		'ioredis is in a lazy chunk',
	);
	assert.ok(
		lazy.some((text) => /\/\/ node_modules\/react\//.test(text)),
		'React is in a lazy chunk',
	);
});

test('the catalogue covers every method of the control catalogue and every redis command', () => {
	const paths = allPages().map((page) => page.path.join(' '));
	for (const spec of METHODS) assert.ok(paths.includes(`${spec.kind} ${spec.method}`), spec.method);
	for (const sub of REDIS_SUBCOMMANDS) assert.ok(paths.includes(`redis ${sub}`), sub);
	for (const command of ['', 'events', 'inspect', 'control', 'redis', 'queues'])
		assert.ok(paths.includes(command), command || 'the TUI');
	assert.equal(new Set(paths).size, paths.length, 'one page each');
});

test('every example is a valid line: known command, options that apply, method arguments that parse', () => {
	for (const page of allPages()) {
		for (const example of page.examples) {
			const words: string[] = [];
			const given: OptionName[] = [];
			for (let i = 0; i < example.args.length; i++) {
				const arg = example.args[i]!;
				if (!arg.startsWith('-')) {
					words.push(arg);
					continue;
				}
				const name = OPTION_NAMES.find((n) => longFlag(n) === arg || `-${optionDef(n).short}` === arg);
				assert.ok(name, `${example.args.join(' ')}: ${arg} is an option`);
				given.push(name);
				if (optionDef(name).type !== 'boolean') i++;
			}
			const resolved = resolvePage(words);
			assert.ok(resolved.ok, `${example.args.join(' ')}: ${resolved.ok ? '' : resolved.error}`);
			for (const name of given)
				assert.ok(
					optionDef(name).scope === 'every' || resolved.value.options.has(name),
					`${example.args.join(' ')}: ${longFlag(name)} applies`,
				);
			if ((words[0] === 'inspect' || words[0] === 'control') && words[1] !== undefined) {
				const parsed = parseCommandLine(words[0], words[1], words.slice(2));
				assert.ok(parsed.ok, `${example.args.join(' ')}: ${parsed.ok ? '' : parsed.error}`);
			}
		}
	}
});

test('-h and --help, anywhere on the line, print that command page and exit 0 without connecting', async () => {
	const before = await connectionsReceived();
	let lines = 0;
	for (const page of allPages()) {
		for (const line of helpLines(page)) {
			assertPage(page, run(line), line);
			lines++;
		}
	}
	assert.ok(lines > 150, `${lines} lines run`);
	assert.equal(await connectionsReceived(), before, 'no connection was opened');
	assert.equal(existsSync(auditFile), false, 'the audit log was not written');
});

test('celerytop --help is the overview: every command, every method, every option', async () => {
	const before = await connectionsReceived();
	for (const line of [['--help'], ['-h'], ['help'], ['-b', redis.url, '--max-tasks', '7', '--help']]) {
		const result = run(line);
		assert.equal(result.code, 0, result.stderr);
		assert.match(
			result.stdout,
			/^\n {2}celerytop: .*\n\n {2}Usage\n {4}\$ celerytop \[command\] \[options\]\n/,
		);
		for (const command of [
			'events',
			'inspect <method>',
			'control <method>',
			'redis <command>',
			'queues',
			'help',
		])
			assert.match(result.stdout, new RegExp(`^ {4}${escape(command)} `, 'm'), command);
		for (const spec of METHODS) assert.match(result.stdout, new RegExp(`\\b${spec.method}\\b`), spec.method);
		for (const name of OPTION_NAMES) assert.match(result.stdout, optionRow(name), longFlag(name));
	}
	assert.equal(await connectionsReceived(), before);
});

test('"celerytop help <command> [method]" prints the same page as --help', () => {
	for (const words of [['control', 'rate_limit'], ['inspect', 'query_task'], ['redis', 'keys'], ['events']]) {
		const viaHelp = run(['help', ...words]);
		assert.equal(viaHelp.code, 0, viaHelp.stderr);
		assert.equal(viaHelp.stdout, run([...words, '--help']).stdout, words.join(' '));
	}
	const rateLimit = run(['control', 'rate_limit', 'demo.echo', '5/m', '--help']).stdout;
	assert.match(
		rateLimit,
		/^ {4}\$ celerytop control rate_limit <task_name> <rate_limit \(e\.g\. 5\/s \| 5\/m \| 5\/h\)> \[options\]$/m,
	);
	assert.match(rateLimit, /set the rate limit of a task type/);
});

test('an unknown command or method with --help: one line on stderr, exit 2, no connection', async () => {
	const before = await connectionsReceived();
	for (const [line, pattern] of [
		[['nonsense', '--help'], /^celerytop: unknown command 'nonsense' \(see celerytop --help\)$/],
		[['help', 'nonsense'], /^celerytop: unknown command 'nonsense'/],
		[['inspect', 'nope', '-h'], /^celerytop: unknown inspect method 'nope' \(one of: ping, /],
		[['control', 'ping', '--help'], /^celerytop: 'ping' is an inspect method: use "celerytop inspect ping"$/],
		[
			['redis', 'nope', '--help'],
			/^celerytop: unknown redis command 'nope' \(info, memory, keys, monitor\)$/,
		],
		[['tui', '--help'], /^celerytop: unknown command 'tui'/],
	] as const) {
		const result = run([...line, '-b', redis.url]);
		assert.equal(result.code, 2, line.join(' '));
		assert.equal(result.stdout, '', line.join(' '));
		const lines = result.stderr.trim().split('\n');
		assert.equal(lines.length, 1, result.stderr);
		assert.match(lines[0]!, pattern);
	}
	assert.equal(await connectionsReceived(), before);
});

test('help reads no TLS file, and --version never connects', async () => {
	const before = await connectionsReceived();
	const missing = join(dirname(auditFile), 'no-such-ca.pem');
	const line = ['control', 'shutdown', '-b', `rediss://127.0.0.1:${redis.port}/0`, '--tls-ca', missing];
	const tls = run([...line, '-h']);
	assert.equal(tls.code, 0, tls.stderr);
	assert.match(tls.stdout, /^ {2}celerytop control shutdown: /m);
	// Without --help the same line does read the file, and says it cannot.
	const refused = run(line);
	assert.equal(refused.code, 2);
	assert.match(refused.stderr, /cannot read the TLS CA file .*no-such-ca\.pem: ENOENT/);
	const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
	for (const line of [
		['--version'],
		['events', '--json', '-b', redis.url, '--version'],
		['control', 'shutdown', '--version', '-b', redis.url, '--audit-log-file', auditFile],
		['redis', 'monitor', '--version', '-b', redis.url],
	]) {
		const result = run(line);
		assert.equal(result.code, 0, result.stderr);
		assert.equal(result.stdout, `${version}\n`, line.join(' '));
	}
	assert.equal(await connectionsReceived(), before);
	assert.equal(existsSync(auditFile), false);
});

test('after --, --help is an argument: control shutdown -- --help is refused as an argument, not help', async () => {
	const before = await connectionsReceived();
	const result = run(['control', 'shutdown', '-b', redis.url, '--audit-log-file', auditFile, '--', '--help']);
	assert.equal(result.code, 2);
	assert.equal(result.stdout, '');
	assert.equal(result.stderr, 'celerytop: shutdown takes no arguments\n');
	assert.equal(await connectionsReceived(), before);
	assert.equal(existsSync(auditFile), false);
});

test('with a real worker, "control shutdown --help" sends nothing: the worker still answers ping', async () => {
	requireCelery();
	const server = await startRedis();
	let worker: CeleryWorker | undefined;
	const listener = new Redis(server.url);
	try {
		const published: string[] = [];
		listener.on('pmessage', (_pattern: string, channel: string, message: string) => {
			if (!channel.endsWith('celery.pidbox')) return;
			const decoded = decodeEnvelope(message);
			published.push(decoded.ok ? String((decoded.payload as {method?: unknown}).method) : '?');
		});
		await listener.psubscribe('*');
		worker = await startWorker({brokerUrl: server.url, name: 'helpw', concurrency: 1});
		let exited = false;
		void worker.exited.then(() => (exited = true));
		let pings = 0;
		const ping = () =>
			(pings++, spawnSync)(
				process.execPath,
				[CLI, 'inspect', 'ping', '-t', '1', '--json', '-b', server.url],
				{
					encoding: 'utf8',
					env: hermeticEnv(),
					timeout: 20_000,
				},
			);
		const answered = (result: ReturnType<typeof ping>) =>
			result.status === 0 && worker !== undefined && result.stdout.includes(worker.hostname);
		// A worker logs "ready" a moment before its mailbox answers.
		await waitFor(() => answered(ping()), {timeout: 20_000, message: 'the worker answers ping'});
		// Every ping published so far has come back to the listener; then count afresh.
		await waitFor(() => published.filter((m) => m === 'ping').length === pings, {
			message: () => `${pings} pings: ${published.join(', ')}`,
		});
		published.length = 0;
		for (const line of [
			['control', 'shutdown', '--help'],
			['control', '-h', 'shutdown'],
			['--help', 'control', 'shutdown', '-d', worker.hostname],
		]) {
			const result = spawnSync(process.execPath, [CLI, ...line, '-b', server.url], {
				encoding: 'utf8',
				env: hermeticEnv(),
				timeout: 20_000,
			});
			assert.equal(result.status, 0, result.stderr);
			assert.match(result.stdout, /^ {2}celerytop control shutdown: warm shutdown/m);
		}
		const after = ping();
		assert.ok(answered(after), `the worker still answers:\n${after.stdout}${after.stderr}`);
		// Our ping went out after the help lines; once it has reached the channel, anything they had
		// published would have too.
		await waitFor(() => published.includes('ping'), {message: () => published.join(', ')});
		assert.deepEqual(published, ['ping'], 'the only control message published is our ping');
		assert.equal(exited, false, 'the worker is running');
	} finally {
		listener.disconnect();
		await worker?.stop('SIGTERM', 10_000);
		await server.stop();
	}
});
