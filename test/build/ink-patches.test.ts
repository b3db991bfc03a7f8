// The build-time patches to Ink (scripts/ink-patches.mjs): they apply to the installed Ink, and the
// patched text caches are bounded where Ink's own keep every distinct text forever.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
// @ts-expect-error: a plain .mjs build script without type declarations
import {CACHE_LIMIT, PATCHED_FILES, patchInk} from '../../scripts/ink-patches.mjs';

const inkBuild = path.dirname(fileURLToPath(import.meta.resolve('ink')));
type Measure = (text: string) => {width: number; height: number};

test('every patch applies to the installed Ink; a missing text fails loudly', () => {
	assert.deepEqual(PATCHED_FILES, ['measure-text.js', 'wrap-text.js']);
	for (const name of PATCHED_FILES as string[]) {
		const source = readFileSync(path.join(inkBuild, name), 'utf8');
		assert.match(patchInk(name, source) as string, /CACHE_LIMIT/);
	}
	assert.throws(
		() => patchInk('measure-text.js', 'export default () => 0;'),
		/cannot apply celerytop's patch/,
	);
});

test("Ink's measureText keeps every text; the patched one is bounded and still measures", async () => {
	const original = (
		(await import(pathToFileURL(path.join(inkBuild, 'measure-text.js')).href)) as {default: Measure}
	).default;
	const first = original('original 0');
	for (let i = 1; i <= CACHE_LIMIT * 2; i++) original(`original ${i}`);
	assert.equal(original('original 0'), first, 'unpatched: the first entry is still cached');

	// The patched module, its one import pointed at the same widest-line.
	const dir = mkdtempSync(path.join(os.tmpdir(), 'celerytop-ink-'));
	try {
		const source = (
			patchInk('measure-text.js', readFileSync(path.join(inkBuild, 'measure-text.js'), 'utf8')) as string
		).replace("from 'widest-line'", `from '${import.meta.resolve('widest-line')}'`);
		const file = path.join(dir, 'measure-text.mjs');
		writeFileSync(file, source);
		const patched = ((await import(pathToFileURL(file).href)) as {default: Measure}).default;
		const again = patched('patched 0');
		assert.deepEqual(again, {width: 9, height: 1});
		assert.equal(patched('patched 0'), again, 'a repeated text is served from the cache');
		for (let i = 1; i <= CACHE_LIMIT; i++) patched(`patched ${i}`);
		assert.notEqual(patched('patched 0'), again, 'the cache was cleared at its limit');
		assert.deepEqual(patched('two\nlines'), {width: 5, height: 2});
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});
