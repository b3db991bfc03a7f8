// `celerytop history`'s questions as SQL over the history file (history/schema.ts): the filters
// become one SELECT on tasks that the indexes answer (uuid's UNIQUE, (state, last_seen),
// (name, last_seen), (worker, last_seen), (last_seen)), newest first by the last event. Pure: strings
// and numbers in, SQL and parameters out; the command (commands/history.ts) runs them.

export type TaskQuery = {
	/** Epoch seconds: tasks whose last event is at or after this. */
	readonly since?: number;
	/** Epoch seconds: tasks whose last event is at or before this. */
	readonly until?: number;
	readonly states?: readonly string[];
	/** An SQLite GLOB on the task name (case-sensitive: tasks.* matches tasks.add). */
	readonly name?: string;
	readonly worker?: string;
	readonly uuid?: string;
	/** A substring of the exception (case-sensitive). */
	readonly exception?: string;
	readonly limit: number;
};

export type Sql = {readonly sql: string; readonly params: readonly (string | number)[]};

export const DEFAULT_LIMIT = 50;

/** The tasks that match, every column, newest last event first. */
export function taskQuery(query: TaskQuery): Sql {
	const where: string[] = [];
	const params: (string | number)[] = [];
	if (query.uuid !== undefined) {
		where.push('uuid = ?');
		params.push(query.uuid);
	}
	if (query.states !== undefined && query.states.length > 0) {
		where.push(`state IN (${query.states.map(() => '?').join(', ')})`);
		params.push(...query.states);
	}
	if (query.name !== undefined) {
		where.push('name GLOB ?');
		params.push(query.name);
	}
	if (query.worker !== undefined) {
		where.push('worker = ?');
		params.push(query.worker);
	}
	if (query.since !== undefined) {
		where.push('last_seen >= ?');
		params.push(query.since);
	}
	if (query.until !== undefined) {
		where.push('last_seen <= ?');
		params.push(query.until);
	}
	if (query.exception !== undefined) {
		// instr, not LIKE: the text is matched as given (no % or _ to escape), case and all.
		where.push('instr(exception, ?) > 0');
		params.push(query.exception);
	}
	const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
	return {
		sql: `SELECT * FROM tasks${filter} ORDER BY last_seen DESC, id DESC LIMIT ?`,
		params: [...params, query.limit],
	};
}

/** A task's timeline: each event's type, Celery's timestamp and the host that sent it, in order. */
export const TIMELINE_SQL = `SELECT s.type, e.timestamp, w.hostname FROM events e
	JOIN shapes s ON s.id = e.shape LEFT JOIN workers w ON w.id = e.worker_id
	WHERE e.task_id = ? ORDER BY e.id`;

const UNITS: Readonly<Record<string, number>> = {s: 1, m: 60, h: 3600, d: 86_400, w: 604_800};

/**
 * `--since`/`--until` as epoch seconds: an age before `now` (`90s`, `30m`, `1h`, `2d`, `1w`, `1.5h`)
 * or a local date and time (`2026-12-01`, `2026-12-01T10:00`, `…T10:00:30.5`, with `Z` or `+01:00`).
 * undefined when it is neither.
 */
export function parseTime(text: string, now: number): number | undefined {
	const age = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(text.trim());
	if (age) return now - Number(age[1]) * UNITS[age[2]!]!;
	const date =
		/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(
			text.trim(),
		);
	if (!date) return undefined;
	const [, y, mo, d, h = '00', mi = '00', s = '00', frac, zone = ''] = date;
	if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
	if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
	const ms = new Date(
		`${y}-${mo}-${d}T${h}:${mi}:${s}${frac ? `.${frac.slice(0, 3)}` : ''}${zone}`,
	).getTime();
	if (Number.isNaN(ms)) return undefined;
	// Date rolls 2026-02-31 over to March: refuse a day the month does not have.
	const check = new Date(ms);
	if (zone === '' && check.getDate() !== Number(d)) return undefined;
	return ms / 1000;
}

/**
 * `--state` given as repeats and comma lists: each word as given and in upper case (`failure` finds
 * Celery's FAILURE; a custom state is matched as written too), each once.
 */
export function stateList(values: readonly string[]): string[] {
	const words = values.flatMap((value) => value.split(',')).map((word) => word.trim());
	return [...new Set(words.filter((word) => word !== '').flatMap((word) => [word, word.toUpperCase()]))];
}
