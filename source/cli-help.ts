// The help text, written from the command catalogue (cli-catalogue.ts, cli-options.ts): the overview
// (`celerytop --help`) and one page per command, method and subcommand. Pure: returns strings.
import {allPages, commandSummaries, usersOf, type Example, type Page} from './cli-catalogue.js';
import {OPTION_NAMES, optionDef, optionLabel, type OptionName} from './cli-options.js';

const INDENT = '    ';
/** A label longer than this puts its description on the next line. */
const MAX_LABEL = 34;

/** Two columns: label, then its lines; long labels get their description below them. */
function table(rows: readonly (readonly [string, readonly string[]])[]): string[] {
	const width = Math.min(MAX_LABEL, Math.max(0, ...rows.map(([label]) => label.length))) + 3;
	const out: string[] = [];
	for (const [label, lines] of rows) {
		const pad = ' '.repeat(width);
		if (label.length > MAX_LABEL) {
			out.push(`${INDENT}${label}`);
			for (const line of lines) out.push(`${INDENT}${pad}${line}`);
			continue;
		}
		const [first = '', ...more] = lines;
		out.push(`${INDENT}${label.padEnd(width)}${first}`.trimEnd());
		for (const line of more) out.push(`${INDENT}${pad}${line}`);
	}
	return out;
}

/** Words joined for a shell: anything beyond plain characters is single-quoted. */
function shellWords(args: readonly string[]): string {
	return args
		.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`))
		.join(' ');
}

function exampleLine(example: Example): string {
	const words = shellWords(example.args);
	return `${INDENT}$ celerytop${words ? ` ${words}` : ''}${example.shell ? ` ${example.shell}` : ''}`;
}

/** Wrap a comma-separated list to lines of at most `width` characters. */
function wrapList(items: readonly string[], width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const item of items) {
		const next = line === '' ? item : `${line}, ${item}`;
		if (next.length > width && line !== '') {
			lines.push(`${line},`);
			line = item;
		} else line = next;
	}
	if (line !== '') lines.push(line);
	return lines;
}

/** Options every command takes: the connection, --read-only, --help. */
export const COMMON_OPTIONS: readonly OptionName[] = OPTION_NAMES.filter(
	(name) => optionDef(name).scope === 'every' && name !== 'version',
);

function title(page: Page): string {
	return page.path.length === 0 ? 'celerytop (the TUI)' : `celerytop ${page.path.join(' ')}`;
}

/** One command's page: usage, arguments, its methods or subcommands, options, notes, examples. */
export function renderPage(page: Page): string {
	const out: string[] = ['', `  ${title(page)}: ${page.summary}`, '', '  Usage'];
	out.push(`${INDENT}$ celerytop ${page.usage}`, '', '  Arguments');
	if (page.arguments.length === 0) out.push(`${INDENT}none`);
	else out.push(...table(page.arguments.map(([spec, text]) => [spec, text === '' ? [] : [text]])));
	if (page.children.length > 0) {
		out.push('', page.path[0] === 'redis' ? '  Commands' : '  Methods');
		out.push(...table(page.children.map((child) => [child.name, [child.summary]])));
	}
	if (page.options.size > 0) {
		out.push('', '  Options');
		out.push(...table([...page.options].map(([name, lines]) => [optionLabel(name), lines])));
	}
	out.push('', '  Common options (every command)');
	out.push(...table(COMMON_OPTIONS.map((name) => [optionLabel(name), optionDef(name).description])));
	if (page.notes.length > 0) out.push('', ...page.notes.map((note) => `  ${note}`));
	out.push('', page.examples.length === 1 ? '  Example' : '  Examples');
	out.push(...page.examples.map(exampleLine));
	if (page.children.length > 0)
		out.push(
			'',
			`  celerytop ${page.path[0]} <${page.path[0] === 'redis' ? 'command' : 'method'}> --help: its own page`,
		);
	return out.join('\n') + '\n\n';
}

/** `celerytop --help`: every command and every option, then how to get one command's page. */
export function renderOverview(description: string): string {
	const out: string[] = [
		'',
		`  celerytop: ${description}`,
		'',
		'  Usage',
		`${INDENT}$ celerytop [command] [options]`,
	];
	out.push('', '  Commands');
	const pages = allPages();
	const rows: [string, string[]][] = commandSummaries().map(({name, summary}) => {
		const page = pages.find((p) => (name === 'tui' ? p.path.length === 0 : p.path.join(' ') === name))!;
		const label =
			name === 'tui'
				? '(none)'
				: page.children.length > 0
					? `${name} <${name === 'redis' ? 'command' : 'method'}>`
					: name;
		const lines = [name === 'tui' ? `the TUI: ${summary}` : summary];
		if (page.children.length > 0)
			lines.push(
				...wrapList(
					page.children.map((c) => c.name),
					66,
				),
			);
		return [label, lines];
	});
	rows.push(['help [command]', ["this overview, or one command's page (as celerytop <command> --help)"]]);
	out.push(...table(rows));
	out.push('', '  Options (with the commands that use them)');
	out.push(
		...table(
			OPTION_NAMES.map((name) => {
				const def = optionDef(name);
				const [first = '', ...more] = def.description;
				if (def.scope === 'every') return [optionLabel(name), def.description];
				return [optionLabel(name), [`${usersOf(name).join(', ')}: ${first}`, ...more]];
			}),
		),
	);
	out.push(
		'',
		"  -h or --help anywhere on a line prints that command's page and does nothing else (no connection).",
		'  After --, every word is an argument, --help included.',
		'  When stdout is not a terminal, celerytop alone behaves like "celerytop events --dump".',
		'',
		'  Examples',
	);
	for (const page of pages) if (page.path.length <= 1) out.push(...page.examples.map(exampleLine));
	out.push(`${INDENT}$ celerytop control rate_limit --help`);
	return out.join('\n') + '\n\n';
}
