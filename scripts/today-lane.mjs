#!/usr/bin/env node
// `npm run test:today`: the interop tests on today's stack. Builds (once) a Debian 13 tree under
// .cache/trixie with debootstrap (Celery 5.5, kombu 5.5, redis-py 6, Redis 8, Valkey 8, gevent), then
// runs the same test files as the default lane twice: against redis-server 8 and against valkey-server 8,
// both started from the tree with chroot, with Celery workers from the tree too (demo/cluster.mjs reads
// CELERYTOP_TEST_ROOT and CELERYTOP_TEST_SERVER). The tree is kept and re-used while it is complete.
// Needs root and Debian (debootstrap, chroot); elsewhere it stops with one line saying so.
//   node scripts/today-lane.mjs [--server redis|valkey] [test files...]
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const PROJECT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(PROJECT, '.cache');
const ROOT = join(CACHE, 'trixie');
const MARK = join(ROOT, '.celerytop-tree'); // written last: a tree without it is rebuilt
const SUITE = 'trixie';
const MIRROR = 'http://deb.debian.org/debian';
const PACKAGES = [
	'python3-celery',
	'python3-redis',
	'python3-gevent',
	'redis-server',
	'redis-tools',
	'valkey-server',
	'valkey-tools',
];
const SERVERS = ['redis', 'valkey'];

/** The interop tests that matter on a new stack: events, states, control, queues, results, Redis views. */
export const TODAY_FILES = [
	'test/interop/harness.test.ts',
	'test/interop/live-events.test.ts',
	'test/interop/control.test.ts',
	'test/interop/redis-inspector.test.ts',
	'test/interop/today-stack.test.ts',
	'test/interop/tui-redis-pty.test.ts',
	'test/redis/event-feed.test.ts',
	'test/redis/control-client.test.ts',
	'test/redis/stats-poller.test.ts',
	'test/cli/redis-commands.test.ts',
	'test/ui/header-server.test.tsx',
];

const say = (line) => process.stderr.write(`test:today: ${line}\n`);
const fail = (line) => {
	say(line);
	process.exit(1);
};

function run(file, args, opts = {}) {
	const result = spawnSync(file, args, {stdio: ['ignore', 'inherit', 'inherit'], ...opts});
	return result.status ?? 1;
}

function ensureHost() {
	const debian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
	if (process.getuid?.() !== 0 || !debian)
		fail('needs root on Debian (debootstrap and chroot build and run a Debian 13 tree)');
	if (spawnSync('debootstrap', ['--version'], {stdio: 'ignore'}).status === 0) return;
	say('installing debootstrap (apt-get, once)');
	const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
	if (run('/usr/bin/apt-get', ['-qq', 'update'], {env}) !== 0) fail('apt-get update failed');
	if (run('/usr/bin/apt-get', ['-qq', '-y', 'install', 'debootstrap'], {env}) !== 0)
		fail('apt-get install debootstrap failed; run it by hand: apt-get install -y debootstrap');
}

/** The tree's programs answer: python3 imports celery/redis/gevent, both servers print a version. */
function treeWorks() {
	const checks = [
		['/usr/bin/python3', '-c', 'import celery, kombu, redis, gevent'],
		['redis-server', '--version'],
		['valkey-server', '--version'],
		['redis-cli', '--version'],
		['valkey-cli', '--version'],
	];
	return checks.every((argv) => spawnSync('chroot', [ROOT, ...argv], {stdio: 'ignore'}).status === 0);
}

// The servers read their memory (used_memory_rss, the fragmentation ratio) and the pool reads process
// figures from /proc: the tree gets its own proc mount while the lane runs.
const PROC = join(ROOT, 'proc');
const PARTIAL = `${ROOT}.partial`;
const mounted = (dir) =>
	readFileSync('/proc/self/mountinfo', 'utf8')
		.split('\n')
		.some((line) => line.split(' ')[4] === dir);

function unmountProc(dir) {
	if (mounted(dir) && run('umount', [dir]) !== 0) fail(`could not unmount ${dir}`);
}

function ensureTree() {
	if (existsSync(MARK) && treeWorks()) return;
	const partial = PARTIAL;
	unmountProc(join(partial, 'proc'));
	rmSync(partial, {recursive: true, force: true});
	if (existsSync(ROOT)) {
		say(`${ROOT} is incomplete: building it again`);
		unmountProc(PROC); // never remove through a live /proc
		rmSync(ROOT, {recursive: true, force: true});
	}
	say(`building a Debian 13 (${SUITE}) tree in ${ROOT} with debootstrap (about two minutes, once)`);
	const args = ['--variant=minbase', `--include=${PACKAGES.join(',')}`, SUITE, partial, MIRROR];
	const started = Date.now();
	const log = spawnSync('debootstrap', args, {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
	if (log.status !== 0) {
		process.stderr.write((log.stdout ?? '').slice(-4000) + (log.stderr ?? '').slice(-4000));
		fail(`debootstrap ${args.join(' ')} failed (exit ${log.status})`);
	}
	renameSync(partial, ROOT);
	if (!treeWorks()) fail(`the new tree in ${ROOT} does not run its programs`);
	writeFileSync(MARK, `built by scripts/today-lane.mjs: debootstrap ${args.join(' ')}\n`);
	say(`tree ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** What the tree holds, one line (the versions the lane tests against). */
function versions() {
	const query = spawnSync(
		'chroot',
		[
			ROOT,
			'dpkg-query',
			'-W',
			'-f',
			'${Package} ${Version}\\n',
			...PACKAGES.filter((p) => !p.endsWith('-tools')),
		],
		{encoding: 'utf8'},
	);
	return (query.stdout ?? '').trim().split('\n').join(', ');
}

/** Leftovers of killed runs: servers' dirs and demo copies in the tree's /tmp. */
function cleanTmp() {
	const tmp = join(ROOT, 'tmp');
	for (const name of readdirSync(tmp))
		if (name.startsWith('celerytop-')) rmSync(join(tmp, name), {recursive: true, force: true});
}

const argv = process.argv.slice(2);
let servers = SERVERS;
if (argv[0] === '--server') {
	if (!SERVERS.includes(argv[1] ?? '')) fail(`--server takes one of: ${SERVERS.join(', ')}`);
	servers = [argv[1]];
	argv.splice(0, 2);
}
const files = argv.length > 0 ? argv : TODAY_FILES;

ensureHost();
ensureTree();
cleanTmp();
const mountedHere = !mounted(PROC);
if (mountedHere && run('mount', ['-t', 'proc', 'proc', PROC]) !== 0) fail(`could not mount proc on ${PROC}`);
const release = () => {
	if (mountedHere) unmountProc(PROC);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
	process.once(signal, () => {
		release();
		process.exit(1);
	});
say(`tree: ${versions()}`);
let status = 0;
for (const server of servers) {
	say(`lane ${server}: ${files.length} files against ${server}-server and Celery from the tree`);
	const env = {...process.env, CELERYTOP_TEST_ROOT: ROOT, CELERYTOP_TEST_SERVER: server};
	const code = run(process.execPath, [join(PROJECT, 'scripts/run-tests.mjs'), ...files], {
		cwd: PROJECT,
		env,
	});
	if (code !== 0) {
		say(`lane ${server}: failed (exit ${code})`);
		status = 1;
	}
}
cleanTmp();
release();
process.exit(status);
