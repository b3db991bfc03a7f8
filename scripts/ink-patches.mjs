// Build-time patches to Ink 6.8, applied by scripts/bundle.mjs while bundling (node_modules is not
// touched). Ink keeps two module-level caches keyed by every distinct text it ever laid out, with no
// eviction (vadimdemedes/ink#986, fixed after Ink 7, which needs Node 22): a monitor whose rows
// change all the time grew by tens of MB in a 10-minute soak. Each cache is cleared when it reaches
// CACHE_LIMIT entries: a frame lays out a few hundred texts, so the cache still serves every redraw.
// A patch whose text is not found fails the build, so an Ink upgrade cannot drop it silently.
export const CACHE_LIMIT = 4096;

const PATCHES = {
	'measure-text.js': [
		['const cache = new Map();', `const cache = new Map();\nconst CACHE_LIMIT = ${CACHE_LIMIT};`],
		[
			'    cache.set(text, dimensions);',
			'    if (cache.size >= CACHE_LIMIT) cache.clear();\n    cache.set(text, dimensions);',
		],
	],
	'wrap-text.js': [
		['const cache = {};', `let cache = {};\nlet cacheSize = 0;\nconst CACHE_LIMIT = ${CACHE_LIMIT};`],
		[
			'    cache[cacheKey] = wrappedText;',
			'    if (++cacheSize > CACHE_LIMIT) {\n        cache = {};\n        cacheSize = 1;\n    }\n    cache[cacheKey] = wrappedText;',
		],
	],
};

/** The file names under ink/build/ that are patched. */
export const PATCHED_FILES = Object.keys(PATCHES);

/** Patch one of Ink's build files (by its base name); throws when an expected text is missing. */
export function patchInk(name, source) {
	let out = source;
	for (const [from, to] of PATCHES[name] ?? []) {
		if (!out.includes(from))
			throw new Error(`ink/build/${name}: cannot apply celerytop's patch (no "${from.trim()}")`);
		out = out.replace(from, to);
	}
	return out;
}
