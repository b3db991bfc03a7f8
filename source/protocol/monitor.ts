// Pure: one MONITOR line → record; per-command counts and rates; a filter. No I/O, no clock.
//
// Redis writes each line as `<sec.usec> [<db> <client>] "<arg>" "<arg>" …` where every argument is
// quoted with sdscatrepr escapes: \\ \" \n \r \t \a \b and \xHH for other non-printable bytes.
import {Buffer} from 'node:buffer';

export type MonitorRecord = {
	/** Epoch seconds with microseconds. */
	readonly time: number;
	readonly db: number;
	/** '127.0.0.1:5555', 'unix:/path', 'lua'. */
	readonly client: string;
	/** Upper-case command name ('SCAN', 'CLIENT'). */
	readonly command: string;
	/** Arguments after the command, decoded as UTF-8. */
	readonly args: readonly string[];
};

const ESCAPES: Readonly<Record<string, number>> = {n: 10, r: 13, t: 9, a: 7, b: 8, '\\': 92, '"': 34};

/** Split the quoted part of a MONITOR line into arguments; undefined when a quote is not closed. */
export function parseQuotedArgs(text: string): string[] | undefined {
	const args: string[] = [];
	let i = 0;
	while (i < text.length) {
		if (text[i] === ' ') {
			i++;
			continue;
		}
		if (text[i] !== '"') return undefined;
		i++;
		const bytes: number[] = [];
		let closed = false;
		while (i < text.length) {
			const char = text[i]!;
			if (char === '"') {
				closed = true;
				i++;
				break;
			}
			if (char === '\\' && i + 1 < text.length) {
				const next = text[i + 1]!;
				if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
					bytes.push(parseInt(text.slice(i + 2, i + 4), 16));
					i += 4;
					continue;
				}
				const escaped = ESCAPES[next];
				if (escaped !== undefined) {
					bytes.push(escaped);
					i += 2;
					continue;
				}
			}
			// MONITOR output is ASCII; anything else is kept as its UTF-8 bytes.
			for (const byte of Buffer.from(char, 'utf8')) bytes.push(byte);
			i++;
		}
		if (!closed) return undefined;
		args.push(Buffer.from(bytes).toString('utf8'));
	}
	return args;
}

/** Parse one MONITOR line (with or without the RESP '+' and line ending). Never throws. */
export function parseMonitorLine(line: string): MonitorRecord | undefined {
	let text = line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') ? line.slice(0, -1) : line;
	if (text.startsWith('+')) text = text.slice(1);
	const match = /^(\d+(?:\.\d+)?) \[(\d+) ([^\]]*)\] (.*)$/s.exec(text);
	if (!match) return undefined;
	const args = parseQuotedArgs(match[4]!);
	if (!args || args.length === 0) return undefined;
	return {
		time: Number(match[1]),
		db: Number(match[2]),
		client: match[3]!,
		command: args[0]!.toUpperCase(),
		args: args.slice(1),
	};
}

/** Case-insensitive filter on the command, the db (`db:3`), the client, or any argument. */
export function matchesFilter(record: MonitorRecord, filter: string): boolean {
	const query = filter.trim().toLowerCase();
	if (query === '') return true;
	const db = /^db:(\d+)$/.exec(query);
	if (db) return record.db === Number(db[1]);
	if (record.command.toLowerCase().includes(query) || record.client.toLowerCase().includes(query))
		return true;
	return record.args.some((arg) => arg.toLowerCase().includes(query));
}

export type CommandRate = {readonly command: string; readonly count: number; readonly perSecond: number};

/**
 * Commands seen in the last `windowSeconds` before `now` (epoch seconds), most frequent first.
 * `records` may be in any order.
 */
export function commandRates(
	records: readonly MonitorRecord[],
	now: number,
	windowSeconds: number,
): CommandRate[] {
	const since = now - windowSeconds;
	const counts = new Map<string, number>();
	for (const record of records) {
		if (record.time < since || record.time > now) continue;
		counts.set(record.command, (counts.get(record.command) ?? 0) + 1);
	}
	return [...counts]
		.map(([command, count]) => ({command, count, perSecond: windowSeconds > 0 ? count / windowSeconds : 0}))
		.sort((a, b) => b.count - a.count || a.command.localeCompare(b.command));
}
