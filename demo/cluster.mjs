// Process helpers shared by the demo (run-demo.mjs) and the tests
// (test/helpers/*.ts wrap these; types in cluster.d.mts).
// Starts a private redis-server on a free loopback port, real Celery workers
// (Debian's python3-celery, only under /usr/bin/python3) and publishes tasks.
//
// Two environment variables move all of it onto another system tree (the today lane,
// scripts/today-lane.mjs, sets them; unset, everything runs on the host):
//   CELERYTOP_TEST_ROOT=DIR      run the server, its cli and Python inside DIR with `chroot DIR …`
//                                (a chrooted process shares the host's loopback, so clients on the
//                                host reach it); the demo's Python files are copied into DIR/tmp.
//   CELERYTOP_TEST_SERVER=valkey start valkey-server (and use valkey-cli) instead of redis-server.
import {spawn, spawnSync} from 'node:child_process';
import {cpSync, createWriteStream, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {mkdir, rm} from 'node:fs/promises';
import net from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

export const DEMO_DIR = dirname(fileURLToPath(import.meta.url));
export const PYTHON = '/usr/bin/python3';
export const HOST = '127.0.0.1';
// python3-redis is only a Suggests of python3-celery/python3-kombu, so name it.
export const INSTALL_COMMAND = 'apt-get install -y redis-server python3-celery python3-redis';

export const TEST_ROOT = process.env.CELERYTOP_TEST_ROOT ? resolve(process.env.CELERYTOP_TEST_ROOT) : '';
export const SERVER_KIND = process.env.CELERYTOP_TEST_SERVER || 'redis';
if (SERVER_KIND !== 'redis' && SERVER_KIND !== 'valkey')
	throw new Error(`CELERYTOP_TEST_SERVER must be redis or valkey, not '${SERVER_KIND}'`);
const SERVER_BIN = `${SERVER_KIND}-server`;
const CLI_BIN = `${SERVER_KIND}-cli`;

/** [file, args] that run `bin ...args` on the host, or inside CELERYTOP_TEST_ROOT. */
export function systemCommand(bin, args = []) {
	return TEST_ROOT ? ['chroot', [TEST_ROOT, bin, ...args]] : [bin, args];
}

/** [file, args] that run /usr/bin/python3 (the host's, or the tree's). */
export function pythonCommand(args) {
	return systemCommand(PYTHON, args);
}

/** A temporary folder for a server or the demo: [path on the host, the same path as the child sees it]. */
function childTmp(prefix) {
	const base = TEST_ROOT ? join(TEST_ROOT, 'tmp') : tmpdir();
	const host = mkdtempSync(join(base, prefix));
	return [host, TEST_ROOT ? '/' + relative(TEST_ROOT, host) : host];
}

/** The Celery version the workers run (`celery.__version__` of that Python), e.g. '5.5.2'. */
export function celeryVersion() {
	const [file, args] = pythonCommand(['-c', 'import celery; print(celery.__version__)']);
	const run = spawnSync(file, args, {encoding: 'utf8'});
	if (run.status !== 0) throw missingError(`Celery for ${PYTHON}`);
	return run.stdout.trim();
}

let demoCopy;
/** Where Python finds demo/*.py: DEMO_DIR, or a copy inside the tree (removed at exit). */
export function pythonDemoDir() {
	if (!TEST_ROOT) return DEMO_DIR;
	if (!demoCopy) {
		const [host, inside] = childTmp('celerytop-demo-');
		for (const name of readdirSync(DEMO_DIR))
			if (name.endsWith('.py')) cpSync(join(DEMO_DIR, name), join(host, name));
		process.on('exit', () => rmSync(host, {recursive: true, force: true}));
		demoCopy = inside;
	}
	return demoCopy;
}

const MAX_OUTPUT = 512 * 1024;
const live = new Set(); // tracked children still running

// ---------------------------------------------------------------- checks

/** Names of the missing system packages' commands (empty when all present). */
export function missingDeps() {
	const missing = [];
	for (const cmd of [SERVER_BIN, CLI_BIN]) {
		if (spawnSync(...systemCommand(cmd, ['--version']), {stdio: 'ignore'}).status !== 0) missing.push(cmd);
	}
	if (!celeryOk()) missing.push(`celery (${PYTHON} -c 'import celery, redis')`);
	return missing;
}

let celeryChecked = false;
function celeryOk() {
	if (!celeryChecked) {
		const [file, args] = pythonCommand(['-c', 'import celery, redis']);
		celeryChecked = spawnSync(file, args, {stdio: 'ignore'}).status === 0;
	}
	return celeryChecked;
}

function missingError(what) {
	if (TEST_ROOT)
		return new Error(`${what} is missing in ${TEST_ROOT}: remove that tree and run npm run test:today`);
	return new Error(`${what} is not installed. Install it with: ${INSTALL_COMMAND}`);
}

export function requireRedis() {
	const missing = missingDeps().filter((m) => m.startsWith(SERVER_KIND));
	if (missing.length) throw missingError(missing.join(' and '));
}

export function requireCelery() {
	if (!celeryOk()) throw missingError(`Celery with redis support for ${PYTHON}`);
}

// --------------------------------------------------------- child tracking

function killTree(proc, signal) {
	try {
		process.kill(-proc.pid, signal); // detached: the child leads its own group
	} catch {
		try {
			proc.kill(signal);
		} catch {}
	}
}

export function killAllChildren() {
	for (const child of live) killTree(child.proc, 'SIGKILL');
}
process.on('exit', killAllChildren);

let signalsInstalled = false;
/** On SIGINT/SIGTERM/SIGHUP: kill every tracked child, then die of the signal. */
export function cleanupOnSignals() {
	if (signalsInstalled) return;
	signalsInstalled = true;
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.once(sig, () => {
			killAllChildren();
			process.kill(process.pid, sig);
		});
	}
}

/**
 * Spawn a tracked child in its own process group, stdout+stderr captured
 * (last 512 KiB) and optionally appended to logFile.
 */
export function spawnTracked(cmd, args, {cwd, env, logFile} = {}) {
	const proc = spawn(cmd, args, {cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe']});
	let out = '';
	const listeners = new Set();
	const log = logFile ? createWriteStream(logFile, {flags: 'a'}) : undefined;
	const onData = (d) => {
		out += d;
		if (out.length > MAX_OUTPUT) out = out.slice(-MAX_OUTPUT);
		log?.write(d);
		for (const l of listeners) l(out);
	};
	proc.stdout.setEncoding('utf8');
	proc.stderr.setEncoding('utf8');
	proc.stdout.on('data', onData);
	proc.stderr.on('data', onData);
	const child = {
		proc,
		pid: proc.pid,
		running: true,
		output: () => out,
		onOutput: (fn) => (listeners.add(fn), () => listeners.delete(fn)),
		exited: new Promise((resolve) => {
			proc.on('error', (err) => {
				onData(`\n[spawn error] ${err.message}\n`);
			});
			proc.on('close', (code, signal) => {
				child.running = false;
				live.delete(child);
				log?.end();
				resolve({code, signal});
			});
		}),
		/** Signal the main process; after timeoutMs SIGKILL the whole group. */
		async stop(signal = 'SIGTERM', timeoutMs = 10_000) {
			if (child.running) {
				try {
					proc.kill(signal);
				} catch {}
				const timer = setTimeout(() => killTree(proc, 'SIGKILL'), timeoutMs);
				await child.exited;
				clearTimeout(timer);
			}
			killTree(proc, 'SIGKILL'); // stragglers (e.g. pool children)
			return (await child.exited).code;
		},
		async kill9() {
			killTree(proc, 'SIGKILL');
			await child.exited;
		},
	};
	live.add(child);
	return child;
}

/** Resolve with the regex match once `output` matches, reject on exit or timeout. */
function waitForOutput(child, regex, timeoutMs, what) {
	return new Promise((resolve, reject) => {
		let timer;
		const finish = (err, value) => {
			clearTimeout(timer);
			unlisten();
			err ? reject(err) : resolve(value);
		};
		const check = (text) => {
			const m = regex.exec(text);
			if (m) finish(undefined, m);
		};
		const unlisten = child.onOutput(check);
		timer = setTimeout(
			() => finish(new Error(`${what}: not ready after ${timeoutMs} ms. Output:\n${child.output()}`)),
			timeoutMs,
		);
		child.exited.then(({code, signal}) =>
			finish(
				new Error(
					`${what}: exited (code ${code}, signal ${signal}) before ready. Output:\n${child.output()}`,
				),
			),
		);
		check(child.output());
	});
}

// ------------------------------------------------------------------ redis

/** A free TCP port on 127.0.0.1 (never 6379). */
export async function freePort() {
	for (;;) {
		const port = await new Promise((resolve, reject) => {
			const srv = net.createServer();
			srv.on('error', reject);
			srv.listen(0, HOST, () => {
				const {port} = srv.address();
				srv.close(() => resolve(port));
			});
		});
		if (port !== 6379) return port;
	}
}

const resp = (args) =>
	`*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');

/** True when a raw-socket PING (after AUTH when password) answers +PONG. */
export function redisPing(port, password) {
	return new Promise((resolve) => {
		const sock = net.connect({port, host: HOST});
		const expected = password ? 2 : 1;
		let buf = '';
		const done = (ok) => {
			sock.destroy();
			resolve(ok);
		};
		sock.setTimeout(1000, () => done(false));
		sock.on('error', () => done(false));
		sock.on('connect', () => sock.write((password ? resp(['AUTH', password]) : '') + resp(['PING'])));
		sock.on('data', (d) => {
			buf += d.toString();
			if (buf.split('\r\n').length > expected) done(buf.includes('+PONG'));
		});
	});
}

export async function startRedis({password, args = [], port: fixedPort, logFile, timeoutMs = 10_000} = {}) {
	requireRedis();
	const [dir, childDir] = childTmp('celerytop-redis-');
	let child;

	const launch = async (port) => {
		await mkdir(dir, {recursive: true});
		const argv = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no'];
		argv.push(
			'--dir',
			childDir,
			'--daemonize',
			'no',
			...(password ? ['--requirepass', password] : []),
			...args,
		);
		const c = spawnTracked(...systemCommand(SERVER_BIN, argv), {logFile});
		const deadline = Date.now() + timeoutMs;
		// Our own "Ready" line first: a PING alone could reach another server on a port we failed to bind.
		const ready = () => /Ready to accept connections/.test(c.output()) && redisPing(port, password);
		while (!(await ready())) {
			if (!c.running || Date.now() > deadline) {
				await c.kill9();
				const err = new Error(`redis-server on port ${port} did not answer PING. Output:\n${c.output()}`);
				if (/Address already in use/i.test(c.output())) err.code = 'EADDRINUSE';
				throw err;
			}
			await new Promise((r) => setTimeout(r, 20));
		}
		child = c;
	};

	let port;
	for (let attempt = 1; ; attempt++) {
		port = fixedPort ?? (await freePort());
		try {
			await launch(port);
			break;
		} catch (err) {
			if (err.code !== 'EADDRINUSE' || fixedPort !== undefined || attempt >= 5) {
				await rm(dir, {recursive: true, force: true});
				throw err;
			}
		}
	}

	const auth = password ? `:${encodeURIComponent(password)}@` : '';
	const server = {
		port,
		host: HOST,
		url: `redis://${auth}${HOST}:${port}/0`,
		get pid() {
			return child.pid;
		},
		output: () => child.output(),
		async stop() {
			await child.stop('SIGTERM', 5_000); // redis: SIGTERM = SHUTDOWN (nothing to save)
			await rm(dir, {recursive: true, force: true});
		},
		kill9: () => child.kill9(),
		async restart() {
			if (child.running) await child.stop('SIGTERM', 5_000);
			await launch(port);
		},
		cli(...cliArgs) {
			return new Promise((resolve, reject) => {
				const env = {...process.env, ...(password ? {REDISCLI_AUTH: password} : {})};
				const p = spawn(...systemCommand(CLI_BIN, ['-h', HOST, '-p', String(port), ...cliArgs]), {env});
				let out = '';
				let errOut = '';
				p.stdout.on('data', (d) => (out += d));
				p.stderr.on('data', (d) => (errOut += d));
				p.on('error', reject);
				p.on('close', (code) =>
					code === 0
						? resolve(out.replace(/\n$/, ''))
						: reject(new Error(`redis-cli ${cliArgs.join(' ')}: exit ${code}\n${errOut}${out}`)),
				);
			});
		},
	};
	return server;
}

// ----------------------------------------------------------------- celery

function pythonEnv(brokerUrl, extraEnv) {
	const env = {
		...process.env,
		PYTHONPATH: pythonDemoDir(),
		PYTHONUNBUFFERED: '1',
		CELERYTOP_BROKER: brokerUrl,
	};
	delete env.PYTHONHOME;
	return {...env, ...extraEnv};
}

export async function startWorker({
	brokerUrl,
	name,
	concurrency = 2,
	pool = 'prefork',
	events = true,
	extraEnv = {},
	queues,
	logFile,
	timeoutMs = 30_000,
}) {
	requireCelery();
	const node = name.includes('@') ? name : `${name}@%h`;
	const args = ['-m', 'celery', '-A', 'celery_app', 'worker', '-n', node, '-c', String(concurrency)];
	args.push(
		'-P',
		pool,
		'--loglevel',
		'INFO',
		...(events ? ['-E'] : []),
		...(queues ? ['-Q', queues.join(',')] : []),
	);
	const env = pythonEnv(brokerUrl, {...(events ? {} : {CELERYTOP_TASK_EVENTS: '0'}), ...extraEnv});
	const child = spawnTracked(...pythonCommand(args), {cwd: DEMO_DIR, env, logFile});
	let match;
	try {
		match = await waitForOutput(child, /\] (\S+@\S+) ready\.\s*$/m, timeoutMs, `celery worker ${node}`);
	} catch (err) {
		await child.kill9();
		throw err;
	}
	return {
		hostname: match[1],
		pid: child.pid,
		output: child.output,
		exited: child.exited.then(({code}) => code),
		stop: (signal = 'SIGTERM', stopTimeoutMs = 20_000) => child.stop(signal, stopTimeoutMs),
		kill9: child.kill9,
	};
}

/** Publish tasks with Celery's apply_async (demo/send_tasks.py); resolves with their ids. */
export function sendTasks(brokerUrl, specs, {timeoutMs = 30_000, extraEnv = {}} = {}) {
	requireCelery();
	return new Promise((resolve, reject) => {
		const p = spawn(...pythonCommand([join(pythonDemoDir(), 'send_tasks.py')]), {
			cwd: DEMO_DIR,
			env: pythonEnv(brokerUrl, extraEnv),
		});
		let out = '';
		let errOut = '';
		const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
		p.stdout.on('data', (d) => (out += d));
		p.stderr.on('data', (d) => (errOut += d));
		p.on('error', reject);
		p.on('close', (code, signal) => {
			clearTimeout(timer);
			if (code !== 0)
				return reject(new Error(`send_tasks.py failed (code ${code}, signal ${signal}):\n${errOut}`));
			try {
				resolve(JSON.parse(out));
			} catch {
				reject(new Error(`send_tasks.py printed no JSON:\n${out}\n${errOut}`));
			}
		});
		p.stdin.end(JSON.stringify(specs));
	});
}

/** demo/producer.py: a stream of mixed tasks until stopped (or `count` sent). */
export function startProducer({brokerUrl, rate = 3, count, logFile}) {
	requireCelery();
	const args = [
		join(pythonDemoDir(), 'producer.py'),
		'--rate',
		String(rate),
		...(count ? ['--count', String(count)] : []),
	];
	return spawnTracked(...pythonCommand(args), {cwd: DEMO_DIR, env: pythonEnv(brokerUrl, {}), logFile});
}
