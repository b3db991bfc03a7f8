// The layers of source/ (docs/ARCHITECTURE.md) are checked by dependency-cruiser with the project's
// own rules: the real tree passes, and a tree with each forbidden arrow planted fails on that rule.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {after, test} from 'node:test';
import {fileURLToPath} from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');

function cruise(cwd: string): {status: number | null; output: string} {
	const run = spawnSync(DEPCRUISE, ['source', '--config', CONFIG, '--output-type', 'err'], {
		cwd,
		encoding: 'utf8',
		timeout: 60_000,
	});
	return {status: run.status, output: `${run.stdout}${run.stderr}`};
}

const scratch: string[] = [];
after(() => {
	for (const dir of scratch) rmSync(dir, {recursive: true, force: true});
});

test('the source tree keeps its layers: no circle, ui/ and redis/ meet only at ports/', () => {
	const {status, output} = cruise(ROOT);
	assert.equal(status, 0, output);
	assert.match(output, /no dependency violations found \((\d+) modules/);
	const modules = Number(/\((\d+) modules/.exec(output)?.[1]);
	assert.ok(modules > 100, `it cruised the whole tree (${modules} modules)`);
});

test('each forbidden arrow, planted in a scratch tree, fails the check on its own rule', () => {
	const dir = mkdtempSync(join(tmpdir(), 'celerytop-layers-'));
	scratch.push(dir);
	const files: Record<string, string> = {
		'tsconfig.json': JSON.stringify({compilerOptions: {module: 'NodeNext', moduleResolution: 'NodeNext'}}),
		'source/config.ts': 'export const flag = 1;\n',
		'source/ports/inspector.ts': "import {client} from '../redis/client.js';\nexport const port = client;\n",
		'source/redis/client.ts':
			"import {flag} from '../config.js';\nimport {view} from '../ui/view.js';\nexport const client = flag + view;\n",
		'source/ui/view.ts': "import {client} from '../redis/client.js';\nexport const view = client;\n",
		'source/protocol/wire.ts':
			"import Redis from 'ioredis';\nimport {a} from '../state/a.js';\nexport const wire = [Redis, a];\n",
		'source/state/a.ts': "import {b} from './b.js';\nexport const a = b;\n",
		'source/state/b.ts': "import {a} from './a.js';\nexport const b = a;\n",
		'source/keys/keymap.ts': "import {view} from '../ui/view.js';\nexport const keys = view;\n",
		'source/ui/reduce.ts': "import {limit} from './redis/keys-model.js';\nexport const reduce = limit;\n",
		'source/ui/redis/keys-model.ts':
			"import {rows} from '../components/scroll-text.js';\nexport const limit = rows;\n",
		'source/ui/components/scroll-text.tsx': 'export const rows = 1;\n',
	};
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(dir, path)), {recursive: true});
		writeFileSync(join(dir, path), text);
	}
	const {status, output} = cruise(dir);
	assert.notEqual(status, 0, 'the check fails');
	for (const [rule, arrow] of [
		['ui-not-adapters', /source\/ui\/view\.ts → source\/redis\/client\.ts/],
		['adapters-not-ui', /source\/redis\/client\.ts → source\/config\.ts/],
		['adapters-not-ui', /source\/redis\/client\.ts → source\/ui\/view\.ts/],
		['ports-import-neither-side', /source\/ports\/inspector\.ts → source\/redis\/client\.ts/],
		['protocol-is-the-wire', /source\/protocol\/wire\.ts → source\/state\/a\.ts/],
		['ioredis-in-redis-only', /source\/protocol\/wire\.ts → ioredis/],
		['keys-alone', /source\/keys\/keymap\.ts → source\/ui\/view\.ts/],
		['no-circular', /source\/state\/a\.ts →/],
		['reducers-load-no-view', /source\/ui\/reduce\.ts → [^\n]*\n?\s*source\/ui\/redis\/keys-model\.ts/],
	] as const) {
		assert.match(output, new RegExp(`error ${rule}: ${arrow.source}`), `${rule} names ${arrow.source}`);
	}
});

test('no source file is over 400 lines', () => {
	const walk = (path: string): string[] =>
		statSync(path).isDirectory() ? readdirSync(path).flatMap((name) => walk(join(path, name))) : [path];
	const files = walk(join(ROOT, 'source')).filter((f) => /\.tsx?$/.test(f));
	assert.ok(files.length > 100, `${files.length} source files`);
	const long = files
		.map((f) => ({f: f.slice(ROOT.length), lines: readFileSync(f, 'utf8').split('\n').length - 1}))
		.filter(({lines}) => lines > 400);
	assert.deepEqual(long, []);
});
