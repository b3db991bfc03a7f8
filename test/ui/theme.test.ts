// Colours come only from ui/theme.ts: no other file under source/ui/ names a colour, in a prop
// (`color="red"`, `borderColor="gray"`) or in a string ('yellow', '#ff0000', 'rgb(…)', 'ansi256(…)').
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {stateColor, theme} from '../../source/ui/theme.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ui = join(root, 'source/ui');
const THEME = 'source/ui/theme.ts';

// Ink's colour names (chalk's foreground and background names) and its other colour forms.
const BASE = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
const NAMES = [
	...BASE,
	...BASE.map((c) => `${c}Bright`),
	'gray',
	'grey',
	...[...BASE, ...BASE.map((c) => `${c}Bright`), 'gray', 'grey'].map(
		(c) => `bg${c[0]!.toUpperCase()}${c.slice(1)}`,
	),
];
const COLOUR = `(?:${NAMES.join('|')}|#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|(?:rgb|hex|ansi256|ansi)\\([^)'"\`]*\\))`;
/** A string literal that is a colour and nothing else. */
const STRING = new RegExp(`(['"\`])${COLOUR}\\1`, 'g');
/** A JSX colour prop given a literal: color="…", backgroundColor='…', borderTopColor="…". */
const PROP = /\b(?:color|backgroundColor|border\w*Color)=(['"])[^'"]*\1/g;

type Hit = {readonly file: string; readonly line: number; readonly text: string};

function colours(text: string): string[] {
	return [...text.matchAll(STRING), ...text.matchAll(PROP)].map((m) => m[0]);
}

function colourHits(path: string): Hit[] {
	const file = relative(root, path);
	return readFileSync(path, 'utf8')
		.split('\n')
		.flatMap((line, i) => colours(line).map((text) => ({file, line: i + 1, text})));
}

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sources(path);
		return /\.tsx?$/.test(name) ? [path] : [];
	});
}

test('the checker finds colours: every colour theme.ts defines, and each form it looks for', () => {
	const found = new Set(colourHits(join(root, THEME)).map((h) => h.text.slice(1, -1)));
	for (const colour of [...Object.values(theme), ...Object.values(stateColor)])
		assert.ok(found.has(colour), `the checker does not see '${colour}' in ${THEME}`);
	const samples = [
		`<Text color="redBright">`,
		`borderColor='gray'`,
		`backgroundColor="#1e1e1e"`,
		`color: 'cyan'`,
		'? `yellow` :',
		`'#fa0'`,
		`'rgb(255, 0, 0)'`,
		`"ansi256(208)"`,
		`'bgBlueBright'`,
	];
	for (const sample of samples) assert.ok(colours(sample).length > 0, `the checker misses ${sample}`);
	for (const plain of [`color={theme.ok}`, `'redis'`, `'greenish'`, `dimColor`, `'#abcd'`, `'the red one'`])
		assert.deepEqual(colours(plain), [], `the checker flags ${plain}`);
});

test('no file under source/ui/ but theme.ts names a colour', () => {
	const files = sources(ui).filter((path) => relative(root, path) !== THEME);
	assert.ok(files.length > 20, `only ${files.length} files found under ${ui}`);
	const hits = files.flatMap(colourHits);
	assert.deepEqual(
		hits.map((h) => `${h.file}:${h.line}: ${h.text}`),
		[],
		'use a role from ui/theme.ts',
	);
});
