// `celery events --dump` lines (celery/events/dumper.py): one readable line per event, with UTC
// timestamps as Python prints them. Pure; every line is sanitised.
import {pythonRepr} from '../protocol/events.js';
import {sanitize} from '../protocol/sanitize.js';
import type {CeleryEvent} from '../protocol/types.js';

const HUMAN_TYPES: Readonly<Record<string, string>> = {
	'worker-offline': 'shutdown',
	'worker-online': 'started',
	'worker-heartbeat': 'heartbeat',
};

function humanizeType(type: string): string {
	return Object.hasOwn(HUMAN_TYPES, type) ? HUMAN_TYPES[type]! : type.replaceAll('-', ' ');
}

/** Python's `str(datetime.utcfromtimestamp(ts))`: `2026-11-27 09:26:21.538260`, no fraction when 0. */
export function formatUtcTimestamp(timestamp: number): string {
	let seconds = Math.floor(timestamp);
	const scaled = (timestamp - seconds) * 1e6;
	let micros = Math.round(scaled);
	if (scaled - Math.floor(scaled) === 0.5 && micros % 2 === 1) micros -= 1; // round half to even, as Python
	if (micros >= 1_000_000) {
		seconds += 1;
		micros -= 1_000_000;
	}
	const date = new Date(seconds * 1000);
	if (Number.isNaN(date.getTime())) return String(timestamp);
	const iso = date.toISOString(); // 2026-11-27T09:26:21.000Z
	const base = iso.slice(0, 10) + ' ' + iso.slice(11, 19);
	return micros === 0 ? base : base + '.' + String(micros).padStart(6, '0');
}

/** Python-like str() of a JSON value: a string as is, anything else as Python's repr (pythonRepr). */
function pyStr(value: unknown): string {
	return typeof value === 'string' ? value : pythonRepr(value);
}

const TASK_POPPED = new Set(['timestamp', 'type', 'hostname', 'uuid']);
const NAMED_POPPED = new Set([...TASK_POPPED, 'name', 'args', 'kwargs']);
const OTHER_POPPED = new Set(['timestamp', 'type', 'hostname']);

/**
 * One line as `celery events --dump` prints it, e.g.
 * `w1@vm [2026-11-27 09:26:21.538260] task received: app.add(<uuid>) args=(2, 3) kwargs={} clock=5, …`.
 * Timestamps are UTC. For task events other than sent/received, Celery prints the name it remembered;
 * pass it as `taskName` (we then print `name(uuid)`), otherwise the uuid alone is printed.
 * The whole line is passed through sanitize(), so no terminal escape in any field is live.
 */
export function formatDumpLine(event: CeleryEvent, taskName?: string): string {
	const type = event.type.toLowerCase();
	const head = `${event.hostname} [${formatUtcTimestamp(event.timestamp)}] ${humanizeType(type)}`;
	let task: string | undefined;
	let popped = OTHER_POPPED;
	if (type.startsWith('task-')) {
		const uuid = pyStr(event['uuid']);
		if (type === 'task-received' || type === 'task-sent') {
			popped = NAMED_POPPED;
			task = `${pyStr(event['name'])}(${uuid}) args=${pyStr(event['args'])} kwargs=${pyStr(event['kwargs'])}`;
		} else {
			popped = TASK_POPPED;
			task = taskName === undefined ? uuid : `${taskName}(${uuid})`;
		}
	}
	const fields = Object.keys(event)
		.filter((key) => !popped.has(key))
		.sort()
		.map((key) => `${key}=${pyStr(event[key])}`)
		.join(', ');
	const sep = fields ? ':' : '';
	const line = task === undefined ? `${head}${sep} ${fields}` : `${head}${sep} ${task} ${fields}`;
	return sanitize(line);
}
