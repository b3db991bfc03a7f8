#!/usr/bin/env node
// `npm test` after the build: every test file on node's runner, one file at a time, in a HOME of its
// own. Each spawned binary also gets a fresh HOME from test/helpers/hermetic-env.ts; this outer HOME is
// the safety net, and the check at the end proves it stayed unused: if any test or binary wrote
// celerytop's state (the audit log, history) into the runner's HOME, a spawn forgot its own HOME and the
// run fails, naming the files. The user's real HOME is never seen by a test.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';

function testFiles(dir) {
	const found = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) found.push(...testFiles(path));
		else if (/\.test\.tsx?$/.test(name)) found.push(path);
	}
	return found;
}

function walk(dir) {
	let entries;
	try {
		entries = readdirSync(dir);
	} catch {
		return [];
	}
	return entries.flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}

const args = process.argv.slice(2);
const files = args.length > 0 ? args : testFiles('test').sort();
const home = mkdtempSync(join(tmpdir(), 'celerytop-test-runner-'));
const env = {
	...process.env,
	HOME: home,
	XDG_STATE_HOME: join(home, '.local/state'),
	XDG_CONFIG_HOME: join(home, '.config'),
	XDG_CACHE_HOME: join(home, '.cache'),
	XDG_DATA_HOME: join(home, '.local/share'),
};
delete env.CELERY_BROKER_URL;
delete env.CELERYTOP_AUDIT_LOG;

const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
	stdio: 'inherit',
	env,
});
const leaked = walk(join(home, '.local/state/celerytop')).map((path) => relative(home, path));
rmSync(home, {recursive: true, force: true});
if (leaked.length > 0) {
	process.stderr.write(
		`run-tests: a test wrote celerytop state into the runner's HOME instead of its own: ${leaked.join(', ')}\n`,
	);
	process.exit(1);
}
process.exit(run.status ?? 1);
