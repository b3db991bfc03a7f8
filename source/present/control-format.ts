// How control and inspect replies read: Celery's CLI layout, one status line per worker, and
// readable lines for the TUI's inspect view. Pure; every worker string is sanitised.
import type {CommandKind} from '../protocol/control-commands.js';
import {findCommand} from '../protocol/control.js';
import {sanitize} from '../protocol/sanitize.js';
import {formatUtcTimestamp} from './event-dump.js';

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OK or ERROR as Celery's CLI says it: a reply {"error": ...} is an error, anything else OK. */
export function replyStatus(value: unknown): 'OK' | 'ERROR' {
	return isRecord(value) && !('ok' in value) && 'error' in value ? 'ERROR' : 'OK';
}

/** The text of an {"ok": …} or {"error": …} reply, or undefined for structured replies. */
export function replyMessage(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (!isRecord(value)) return undefined;
	const text = 'ok' in value ? value['ok'] : 'error' in value ? value['error'] : undefined;
	if (text === undefined) return undefined;
	return typeof text === 'string' ? text : JSON.stringify(text);
}

/**
 * A worker older than the method answers {"error": "KeyError('<method>')"} (it has no handler by
 * that name): say which Celery the method needs. Other texts are kept.
 */
export function explainError(method: string, message: string): string {
	const since = findCommand(method)?.since;
	if (since === undefined || message !== `KeyError('${method}')`) return message;
	return `${message}: this worker's Celery does not know ${method} (it needs Celery ${since} or later)`;
}

function clean(lines: readonly string[]): string[] {
	return lines.flatMap((line) => line.split('\n')).map((line) => sanitize(line));
}

function short(text: string, max = 200): string {
	return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

function json(value: unknown): string {
	const text = JSON.stringify(value);
	return text === undefined ? String(value) : text;
}

/** `name(1, 2, x=3)` from request-info args/kwargs (real JSON in inspect replies). */
function call(info: Record<string, unknown>): string {
	const name =
		typeof info['name'] === 'string' ? info['name'] : typeof info['type'] === 'string' ? info['type'] : '?';
	const args = Array.isArray(info['args']) ? info['args'].map(json) : [];
	const kwargs = isRecord(info['kwargs'])
		? Object.entries(info['kwargs']).map(([k, v]) => `${k}=${json(v)}`)
		: [];
	return `${name}(${short([...args, ...kwargs].join(', '), 120)})`;
}

function seconds(value: number): string {
	if (value < 60) return `${value.toFixed(1)}s`;
	const total = Math.round(value);
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`;
}

function requestLine(info: unknown, now: number | undefined): string {
	if (!isRecord(info)) return `* ${json(info)}`;
	const parts = [`* ${String(info['id'] ?? '?')} ${call(info)}`];
	const start = info['time_start'];
	if (typeof start === 'number') {
		parts.push(
			now === undefined
				? `started ${formatUtcTimestamp(start)}`
				: `running ${seconds(Math.max(0, now - start))}`,
		);
	}
	if (typeof info['worker_pid'] === 'number') parts.push(`pid ${info['worker_pid']}`);
	const delivery = info['delivery_info'];
	if (isRecord(delivery) && typeof delivery['routing_key'] === 'string')
		parts.push(`queue ${delivery['routing_key']}`);
	if (info['acknowledged'] === false) parts.push('not acked');
	return parts.join('  ');
}

function sortedJson(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortedJson);
	if (isRecord(value))
		return Object.fromEntries(
			Object.keys(value)
				.sort()
				.map((key) => [key, sortedJson(value[key])]),
		);
	return value;
}

function statsLines(value: Record<string, unknown>): string[] {
	const lines: string[] = [];
	const head = [];
	if (value['pid'] !== undefined) head.push(`pid ${json(value['pid'])}`);
	if (typeof value['uptime'] === 'number') head.push(`uptime ${seconds(value['uptime'])}`);
	if (value['clock'] !== undefined) head.push(`clock ${String(value['clock'])}`);
	if (value['prefetch_count'] !== undefined) head.push(`prefetch ${json(value['prefetch_count'])}`);
	if (head.length > 0) lines.push(head.join('  '));
	const pool = value['pool'];
	if (isRecord(pool)) {
		// Celery 5.5 names the pool class ('celery.concurrency.prefork:TaskPool'); 5.2 does not.
		const implementation = pool['implementation'];
		const kind =
			typeof implementation === 'string'
				? `${/concurrency\.(\w+):/.exec(implementation)?.[1] ?? implementation} `
				: '';
		const parts = [`pool: ${kind}max-concurrency ${json(pool['max-concurrency'])}`];
		if (Array.isArray(pool['processes']))
			parts.push(`processes ${pool['processes'].length} [${pool['processes'].map(json).join(' ')}]`);
		if (pool['max-tasks-per-child'] !== undefined)
			parts.push(`max-tasks-per-child ${String(pool['max-tasks-per-child'])}`);
		if (isRecord(pool['writes']) && pool['writes']['total'] !== undefined)
			parts.push(`writes ${json(pool['writes']['total'])}`);
		lines.push(parts.join('  '));
	}
	const broker = value['broker'];
	if (isRecord(broker)) {
		const transport = typeof broker['transport'] === 'string' ? broker['transport'] : 'broker';
		const user =
			typeof broker['userid'] === 'string' && broker['userid'] !== '' ? `${broker['userid']}@` : '';
		lines.push(
			`broker: ${transport}://${user}${String(broker['hostname'] ?? '?')}:${String(broker['port'] ?? '?')}/${String(broker['virtual_host'] ?? '')}`,
		);
	}
	const total = value['total'];
	if (isRecord(total)) {
		const entries = Object.entries(total).sort(([a], [b]) => a.localeCompare(b));
		lines.push(
			entries.length === 0
				? 'tasks done: none'
				: `tasks done: ${entries.map(([k, v]) => `${k} ${json(v)}`).join(', ')}`,
		);
	}
	const rusage = value['rusage'];
	if (isRecord(rusage)) {
		const parts = [];
		if (typeof rusage['maxrss'] === 'number') parts.push(`maxrss ${rusage['maxrss']} kB`);
		if (typeof rusage['utime'] === 'number') parts.push(`utime ${rusage['utime'].toFixed(2)}s`);
		if (typeof rusage['stime'] === 'number') parts.push(`stime ${rusage['stime'].toFixed(2)}s`);
		if (parts.length > 0) lines.push(`rusage: ${parts.join('  ')}`);
	}
	const known = new Set(['pid', 'uptime', 'clock', 'prefetch_count', 'pool', 'broker', 'total', 'rusage']);
	for (const key of Object.keys(value).sort()) {
		if (!known.has(key)) lines.push(`${key}: ${short(json(value[key]))}`);
	}
	return lines;
}

function queueLine(queue: unknown): string {
	if (!isRecord(queue)) return `* ${json(queue)}`;
	const exchange = queue['exchange'];
	const parts = [`* ${String(queue['name'] ?? '?')}`];
	if (isRecord(exchange))
		parts.push(`exchange ${String(exchange['name'] || '(default)')} (${String(exchange['type'] ?? '?')})`);
	if (queue['routing_key'] !== undefined && queue['routing_key'] !== null)
		parts.push(`routing_key ${String(queue['routing_key'])}`);
	if (queue['max_priority'] !== undefined && queue['max_priority'] !== null)
		parts.push(`max_priority ${json(queue['max_priority'])}`);
	return parts.join('  ');
}

/**
 * A reply value as readable lines (no indentation, every line sanitised: worker text never reaches
 * the terminal raw). {"ok"/"error": text} gives the text; lists give `* item` lines (`- empty -`
 * when empty, as Celery); active/reserved/scheduled/query_task/stats/active_queues/conf/clock get a
 * compact rendering the TUI can show as is. `now` (epoch seconds) turns start times into ages.
 */
export function formatReplyLines(
	method: string,
	value: unknown,
	options: {readonly now?: number} = {},
): string[] {
	const message = replyMessage(value);
	if (message !== undefined && (typeof value === 'string' || isRecord(value)))
		return clean([replyStatus(value) === 'ERROR' ? explainError(method, message) : message]);
	const now = options.now;
	switch (method) {
		case 'active':
		case 'reserved':
			if (Array.isArray(value))
				return clean(value.length === 0 ? ['- empty -'] : value.map((info) => requestLine(info, now)));
			break;
		case 'scheduled':
			if (Array.isArray(value)) {
				if (value.length === 0) return ['- empty -'];
				return clean(
					value.map((item) => {
						if (!isRecord(item)) return `* ${json(item)}`;
						const info = isRecord(item['request']) ? item['request'] : {};
						return `* ${String(info['id'] ?? '?')} ${call(info)}  eta ${String(item['eta'] ?? '?')}  priority ${json(item['priority'])}`;
					}),
				);
			}
			break;
		case 'query_task':
			if (isRecord(value)) {
				const entries = Object.entries(value);
				if (entries.length === 0) return ['- empty -'];
				return clean(
					entries.map(([id, held]) => {
						if (!Array.isArray(held)) return `* ${id} ${json(held)}`;
						const [state, info] = held as [unknown, unknown];
						const line = requestLine(info, now).replace(/^\* \S+ /, '');
						return `* ${id} ${String(state)}  ${line}`;
					}),
				);
			}
			break;
		case 'stats':
			if (isRecord(value)) return clean(statsLines(value));
			break;
		case 'active_queues':
			if (Array.isArray(value)) return clean(value.length === 0 ? ['- empty -'] : value.map(queueLine));
			break;
		case 'conf':
			if (isRecord(value)) {
				const keys = Object.keys(value).sort();
				return clean(
					keys.length === 0 ? ['- empty -'] : keys.map((key) => `${key}: ${short(json(value[key]))}`),
				);
			}
			break;
		case 'clock':
			if (isRecord(value) && value['clock'] !== undefined) return [`clock ${sanitize(json(value['clock']))}`];
			break;
	}
	if (Array.isArray(value)) {
		if (value.length === 0) return ['- empty -'];
		return clean(value.map((item) => `* ${typeof item === 'string' ? item : json(item)}`));
	}
	if (typeof value === 'string') return clean([value]);
	if (isRecord(value)) return clean(JSON.stringify(sortedJson(value), null, 4).split('\n'));
	return clean([json(value)]);
}

/**
 * One line per worker for a status/log area: `-> w1@vm: OK pong`,
 * `-> w1@vm: OK tasks <id> flagged as revoked`, `-> w1@vm: error: KeyError('no_such_cmd')`,
 * and for structured replies the first readable line with a count, e.g. `-> w1@vm: OK 2 items`.
 */
export function formatReplyLine(method: string, hostname: string, value: unknown): string {
	const host = sanitize(hostname);
	const message = replyMessage(value);
	if (replyStatus(value) === 'ERROR')
		return `-> ${host}: error: ${sanitize(explainError(method, message ?? ''))}`;
	if (message !== undefined) return `-> ${host}: OK ${sanitize(message.replace(/\s*\n\s*/g, ' '))}`;
	if (Array.isArray(value)) return `-> ${host}: OK ${value.length} ${value.length === 1 ? 'item' : 'items'}`;
	const lines = formatReplyLines(method, value);
	return `-> ${host}: OK ${lines[0] ?? ''}${lines.length > 1 ? ' …' : ''}`;
}

/**
 * The whole reply set as `celery inspect|control` prints it (colour off):
 * ```
 * ->  w1@vm: OK
 *         pong
 * ```
 * ok/error texts are indented 8, other bodies 4 (lists as `* item`). Inspect ends with
 * `\n<n> node(s) online.`. Replies appear in arrival order.
 */
export function formatReplies(
	kind: CommandKind,
	method: string,
	replies: Readonly<Record<string, unknown>>,
	options: {readonly now?: number} = {},
): string {
	const out: string[] = [];
	for (const [hostname, value] of Object.entries(replies)) {
		out.push(`->  ${sanitize(hostname)}: ${replyStatus(value)}`);
		const indent = replyMessage(value) !== undefined && isRecord(value) ? 8 : 4;
		for (const line of formatReplyLines(method, value, options)) out.push(' '.repeat(indent) + line);
	}
	if (kind === 'inspect') {
		const count = Object.keys(replies).length;
		out.push('', `${count} ${count === 1 ? 'node' : 'nodes'} online.`);
	}
	return out.join('\n') + '\n';
}
