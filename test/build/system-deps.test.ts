// The README's commands set up a new machine: `npm test` and `npm run demo` check the Debian packages
// they run for real first. Where installing is not possible (not root, or not Debian) they stop at once
// with one line naming the command; nothing is installed from a test.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, copyFileSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {hermeticEnv} from '../helpers/hermetic-env.js';

const SCRIPT = fileURLToPath(new URL('../../demo/system-deps.mjs', import.meta.url));

function run(kind: string, options: {uid?: number; path?: string} = {}) {
	let script = SCRIPT;
	if (options.uid !== undefined) {
		// Another user may not read the checkout (a clone under /root is 0700): run a copy it can read.
		const dir = mkdtempSync(join(tmpdir(), 'celerytop-deps-'));
		chmodSync(dir, 0o755);
		script = join(dir, 'system-deps.mjs');
		copyFileSync(SCRIPT, script);
		chmodSync(script, 0o644);
	}
	return spawnSync(process.execPath, [script, kind], {
		encoding: 'utf8',
		timeout: 20_000,
		cwd: tmpdir(),
		env: hermeticEnv({PATH: options.path ?? process.env['PATH']}),
		...(options.uid === undefined ? {} : {uid: options.uid, gid: options.uid}),
	});
}

test('with everything installed the check passes silently', () => {
	for (const kind of ['test', 'demo']) {
		const result = run(kind);
		assert.equal(result.status, 0, result.stderr);
		assert.equal(result.stderr, '');
	}
});

test('a user who cannot install gets one line naming the apt-get command, and exit 1', () => {
	// No redis-server on this PATH, and not root (as root: run as nobody): it cannot install, so it says
	// what to run.
	const asRoot = process.getuid?.() === 0;
	const result = run('test', {path: '/nonexistent', ...(asRoot ? {uid: 65534} : {})});
	assert.equal(result.status, 1, result.stderr);
	const lines = result.stderr.trim().split('\n');
	assert.equal(lines.length, 1, result.stderr);
	assert.match(
		lines[0]!,
		/^test: missing redis-server, redis-tools, redis-sentinel(, openssl)?(, python3-gevent)?; install them with: sudo apt-get install -y redis-server redis-tools redis-sentinel/,
	);
});

test('an unknown kind is a usage error', () => {
	const result = run('nonsense');
	assert.equal(result.status, 2);
	assert.match(result.stderr, /^usage: node demo\/system-deps\.mjs demo\|test\n$/);
});
