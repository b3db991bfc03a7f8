// `celerytop history`: questions to the history file, read-only (history/reader.ts): the tasks that
// match the filters as a table or JSON lines (every column and the task's timeline), and `history
// events UUID`: a task's events in the `events --json` format, the fields as Celery sent them.
import {damagedLine, openReader, type TaskRow} from '../history/reader.js';
import {parseTime, stateList, type TaskQuery} from '../history/query.js';
import {sanitize} from '../protocol/sanitize.js';
import {fit, formatDateTime, formatDuration} from '../ui/format.js';
import {jsonLine} from './events.js';

export type HistoryOptions = {
	readonly path: string | undefined;
	/** [] for the task list, ['events', UUID] for a task's events. */
	readonly words: readonly string[];
	readonly json: boolean;
	readonly since?: string;
	readonly until?: string;
	readonly states?: readonly string[];
	readonly name?: string;
	readonly worker?: string;
	readonly uuid?: string;
	readonly exception?: string;
	readonly limit?: number;
	/** Terminal columns for the table (default: stdout's, else $COLUMNS, else 120). */
	readonly width?: number;
};

type Result = {readonly code: number; readonly error?: string};

/** The filters, checked: one line for what is wrong. */
export function buildQuery(
	options: HistoryOptions,
	now: number,
): {ok: true; query: TaskQuery} | {ok: false; error: string} {
	const time = (flag: string, text: string | undefined) => {
		if (text === undefined) return {ok: true as const, value: undefined};
		const value = parseTime(text, now);
		return value === undefined
			? {
					ok: false as const,
					error: `${flag} '${sanitize(text)}' is neither an age (90s, 30m, 1h, 2d, 1w) nor a date (2026-12-01T10:00)`,
				}
			: {ok: true as const, value};
	};
	const since = time('--since', options.since);
	if (!since.ok) return since;
	const until = time('--until', options.until);
	if (!until.ok) return until;
	const limit = options.limit ?? 50;
	if (!Number.isInteger(limit) || limit < 1)
		return {ok: false, error: '--limit needs a whole number of at least 1'};
	const states = options.states === undefined ? undefined : stateList(options.states);
	if (states !== undefined && states.length === 0)
		return {ok: false, error: '--state needs a state (SUCCESS, FAILURE,…)'};
	return {
		ok: true,
		query: {
			...(since.value === undefined ? {} : {since: since.value}),
			...(until.value === undefined ? {} : {until: until.value}),
			...(states === undefined ? {} : {states}),
			...(options.name === undefined ? {} : {name: options.name}),
			...(options.worker === undefined ? {} : {worker: options.worker}),
			...(options.uuid === undefined ? {} : {uuid: options.uuid}),
			...(options.exception === undefined ? {} : {exception: options.exception}),
			limit,
		},
	};
}

export function runHistory(options: HistoryOptions): number {
	const result = history(options, (text) => process.stdout.write(text));
	if (result.error !== undefined) process.stderr.write(`celerytop: ${result.error}\n`);
	return result.code;
}

function history(options: HistoryOptions, write: (text: string) => void): Result {
	if (options.path === undefined)
		return {
			code: 2,
			error:
				'history has no file to read: --no-history was given, or there is no HOME or XDG_STATE_HOME (use --history PATH)',
		};
	const [sub, uuid, extra] = options.words;
	if (sub !== undefined && sub !== 'events')
		return {code: 2, error: `unknown history command '${sanitize(sub)}' (events)`};
	if (sub === 'events' && uuid === undefined)
		return {code: 2, error: 'history events needs a task id (celerytop history events UUID)'};
	if (extra !== undefined)
		return {code: 2, error: `unexpected argument '${sanitize(extra)}' (see celerytop history --help)`};
	const built = sub === 'events' ? undefined : buildQuery(options, Date.now() / 1000);
	if (built !== undefined && !built.ok) return {code: 2, error: built.error};
	const opened = openReader(options.path);
	if (!opened.ok) return {code: opened.code, error: opened.error};
	const {reader} = opened;
	try {
		if (sub === 'events') {
			const events = reader.events(uuid!);
			if (events === undefined) return {code: 1, error: `no task ${sanitize(uuid!)} in ${options.path}`};
			write(events.map((event) => jsonLine(event) + '\n').join(''));
			return {code: 0};
		}
		const rows = reader.tasks(built!.query);
		if (options.json) {
			let text = '';
			for (const row of rows)
				text +=
					JSON.stringify({...row, timeline: reader.timeline(row['id'] as number)}).replace(UNSAFE, escape) +
					'\n';
			write(text);
		} else
			write(table(rows, options.width ?? (process.stdout.columns || Number(process.env['COLUMNS']) || 120)));
		return {code: 0};
	} catch (error) {
		return {code: 1, error: damagedLine(options.path, error)};
	} finally {
		reader.close();
	}
}

// As jsonLine does for an event: DEL, C1 controls and the bidi and line-separator characters escaped.
const UNSAFE = /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;
const escape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

const text = (value: string | number | null | undefined): string =>
	value === null || value === undefined ? '' : sanitize(String(value));
const num = (value: string | number | null | undefined): number | undefined =>
	typeof value === 'number' ? value : undefined;

/** uuid, name, state, worker, received, runtime, and the exception in what is left of the width. */
export function table(rows: readonly TaskRow[], width: number): string {
	if (rows.length === 0) return 'no task matches\n';
	// ID, STATE, RECEIVED and RUNTIME keep their width; NAME and WORKER give way to a narrow terminal
	// (the exception keeps at least 12 cells).
	const free = Math.max(0, width - (36 + 8 + 23 + 8 + 2 * 6) - 12);
	const nameWidth = Math.max(10, Math.min(28, Math.floor(free * 0.6)));
	const workerWidth = Math.max(8, Math.min(20, free - nameWidth));
	const columns = [
		{title: 'ID', width: 36, cell: (r: TaskRow) => text(r['uuid'])},
		{title: 'NAME', width: nameWidth, cell: (r: TaskRow) => text(r['name'])},
		{title: 'STATE', width: 8, cell: (r: TaskRow) => text(r['state'])},
		{title: 'WORKER', width: workerWidth, cell: (r: TaskRow) => text(r['worker'])},
		{
			title: 'RECEIVED',
			width: 23,
			cell: (r: TaskRow) => formatDateTime(num(r['received']) ?? num(r['sent'])),
		},
		{title: 'RUNTIME', width: 8, cell: (r: TaskRow) => formatDuration(num(r['runtime']))},
	];
	const used = columns.reduce((sum, c) => sum + c.width + 2, 0);
	const rest = Math.max(12, width - used);
	const line = (cells: string[], exception: string) =>
		`${cells.join('  ')}  ${fit(exception, rest)}`.trimEnd() + '\n';
	let out = line(
		columns.map((c) => fit(c.title, c.width)),
		'EXCEPTION',
	);
	for (const row of rows)
		out += line(
			columns.map((c) => fit(c.cell(row), c.width, c.title === 'RUNTIME' ? 'right' : 'left')),
			text(row['exception']).replace(/\s+/g, ' '),
		);
	return out;
}
