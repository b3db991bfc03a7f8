// The Debian packages the demo and the test suite run for real (redis-server, Celery under
// /usr/bin/python3, redis-sentinel and openssl for the deployment tests). `ensureSystemDeps(kind)`
// checks them, and when some are missing: as root on Debian, installs them with apt-get (once, saying so
// in one line); anywhere else, stops at once with one line naming the command to run.
// Also a command: node demo/system-deps.mjs demo|test
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const PYTHON = '/usr/bin/python3';

const has = (cmd, args = ['--version']) => spawnSync(cmd, args, {stdio: 'ignore'}).status === 0;

/** [what is checked, how, the Debian package that provides it]. python3-redis is only a Suggests of Celery. */
const CHECKS = {
	'redis-server': [() => has('redis-server'), 'redis-server'],
	'redis-cli': [() => has('redis-cli'), 'redis-tools'],
	'redis-sentinel': [() => has('redis-sentinel'), 'redis-sentinel'],
	openssl: [() => has('openssl', ['version']), 'openssl'],
	celery: [() => has(PYTHON, ['-c', 'import celery']), 'python3-celery'],
	'redis-py': [() => has(PYTHON, ['-c', 'import redis']), 'python3-redis'],
	gevent: [() => has(PYTHON, ['-c', 'import gevent']), 'python3-gevent'],
};

export const NEEDS = {
	demo: ['redis-server', 'redis-cli', 'celery', 'redis-py'],
	test: ['redis-server', 'redis-cli', 'redis-sentinel', 'openssl', 'celery', 'redis-py', 'gevent'],
};

/** The missing checks' packages (empty when everything is there). */
export function missingPackages(kind) {
	const packages = NEEDS[kind].filter((name) => !CHECKS[name][0]()).map((name) => CHECKS[name][1]);
	return [...new Set(packages)];
}

export function installCommand(packages) {
	return `apt-get install -y ${packages.join(' ')}`;
}

/** Returns true when everything is present (after installing it if need be); prints one line otherwise. */
export function ensureSystemDeps(kind, say = (line) => process.stderr.write(`${line}\n`)) {
	const missing = missingPackages(kind);
	if (missing.length === 0) return true;
	const command = installCommand(missing);
	const debian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
	if (process.getuid?.() !== 0 || !debian) {
		say(`${kind}: missing ${missing.join(', ')}; install them with: ${debian ? 'sudo ' : ''}${command}`);
		return false;
	}
	say(`${kind}: installing the missing Debian packages: ${missing.join(' ')} (apt-get, once)`);
	const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
	for (const step of [
		['apt-get', ['-qq', 'update']],
		['apt-get', ['-qq', '-y', 'install', ...missing]],
	]) {
		const run = spawnSync(`/usr/bin/${step[0]}`, step[1], {stdio: ['ignore', 'ignore', 'inherit'], env});
		if (run.status !== 0) {
			say(
				`${kind}: "${step[0]} ${step[1].join(' ')}" failed (exit ${run.status}); run it by hand: ${command}`,
			);
			return false;
		}
	}
	const still = missingPackages(kind);
	if (still.length > 0) {
		say(`${kind}: still missing after apt-get: ${still.join(', ')}`);
		return false;
	}
	return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const kind = process.argv[2];
	if (!(kind in NEEDS)) {
		process.stderr.write('usage: node demo/system-deps.mjs demo|test\n');
		process.exit(2);
	}
	process.exit(ensureSystemDeps(kind) ? 0 : 1);
}
