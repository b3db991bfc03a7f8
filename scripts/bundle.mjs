// Bundle the type-checked build (dist/lib/, from tsc) into dist/cli.js plus chunks, with esbuild.
// Why: loading Ink's module graph file by file took ~270 ms of the TUI's start (es-toolkit/compat
// alone, imported by Ink for one `throttle`, is ~110 ms of modules); one bundle with the TUI split
// into a lazily imported chunk starts the first frame in about half the time, and `--help` never
// loads Ink at all. Run by `npm run build` after tsc.
import {readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {PATCHED_FILES, patchInk} from './ink-patches.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'dist');
rmSync(path.join(out, 'chunks'), {recursive: true, force: true});

const patched = new Set();
await build({
	entryPoints: [path.join(out, 'lib', 'cli.js')],
	outdir: out,
	bundle: true,
	splitting: true, // the TUI (Ink, React) stays a separate chunk, imported only when it starts
	format: 'esm',
	platform: 'node',
	target: 'node20',
	chunkNames: 'chunks/[name]-[hash]',
	// Ink imports react-devtools-core only when DEV=true; it is not installed.
	// better-sqlite3 loads its addon by path (__filename): it stays a runtime import, as for the writer's thread.
	external: ['react-devtools-core', 'better-sqlite3'],
	// CommonJS dependencies (ioredis, React) call require(); give the ESM bundle one.
	banner: {
		js: "import {createRequire as __celerytopRequire} from 'node:module';\nconst require = __celerytopRequire(import.meta.url);",
	},
	legalComments: 'none',
	plugins: [
		{
			name: 'ink-bounded-caches', // see ink-patches.mjs
			setup(b) {
				const filter = new RegExp(
					`[\\\\/]ink[\\\\/]build[\\\\/](${PATCHED_FILES.join('|').replaceAll('.', '\\.')})$`,
				);
				b.onLoad({filter}, (args) => {
					patched.add(path.basename(args.path));
					return {
						contents: patchInk(path.basename(args.path), readFileSync(args.path, 'utf8')),
						loader: 'js',
					};
				});
			},
		},
	],
	logLevel: 'warning',
});
const missing = PATCHED_FILES.filter((name) => !patched.has(name));
if (missing.length > 0)
	throw new Error(`bundle: Ink's ${missing.join(', ')} never reached the patch (moved?)`);
