// Celery events: validate decoded payloads, split task.multi batches, format `celery events --dump` lines.
import {decodeEnvelope} from './envelope.js';
import {sanitize} from './sanitize.js';
import type {CeleryEvent, DecodedMessage, MalformedReason} from './types.js';

export type ParsedEvent =
	{readonly ok: true; readonly event: CeleryEvent} | {readonly ok: false; readonly reason: MalformedReason};

/**
 * Deepest nesting of arrays/objects accepted in one event. Celery's events are at most a few levels
 * deep; JSON.parse accepts any depth, but JSON.stringify and every recursive formatter overflow the
 * stack at a few thousand levels, so deeper events are rejected here, before anything keeps them.
 */
export const MAX_EVENT_DEPTH = 64;

/** True when `value` holds arrays/objects nested more than `limit` levels (the event itself is 1). */
function nestedDeeperThan(value: unknown, limit: number): boolean {
	if (typeof value !== 'object' || value === null) return false;
	if (limit <= 0) return true;
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) if (nestedDeeperThan(value[i], limit - 1)) return true;
		return false;
	}
	for (const key in value) {
		if (nestedDeeperThan((value as Record<string, unknown>)[key], limit - 1)) return true;
	}
	return false;
}

/**
 * Check one decoded payload item. The event object is returned as is (every field kept, no copy):
 * object; string `type`; string `hostname`; finite, non-negative number `timestamp`;
 * a string `uuid` for task-* events; nesting at most MAX_EVENT_DEPTH levels.
 */
export function parseEvent(value: unknown): ParsedEvent {
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		return {ok: false, reason: 'not-an-event'};
	const record = value as Record<string, unknown>;
	const type = record['type'];
	if (typeof type !== 'string') return {ok: false, reason: 'missing-type'};
	if (typeof record['hostname'] !== 'string') return {ok: false, reason: 'missing-hostname'};
	const timestamp = record['timestamp'];
	if (typeof timestamp !== 'number' || !(timestamp >= 0) || timestamp === Infinity) {
		return {ok: false, reason: 'bad-timestamp'};
	}
	if (type.startsWith('task-') && typeof record['uuid'] !== 'string')
		return {ok: false, reason: 'missing-uuid'};
	if (nestedDeeperThan(record, MAX_EVENT_DEPTH)) return {ok: false, reason: 'too-deep'};
	return {ok: true, event: record as CeleryEvent};
}

function failed(reason: MalformedReason): DecodedMessage {
	return {events: [], errors: [reason]};
}

/**
 * Decode one pub/sub message on the event channel: envelope, then one event or a task.multi array
 * (an empty array gives nothing). Bad items are counted per reason; good items of the same array are
 * kept. Never throws.
 */
export function decodeEventMessage(raw: string): DecodedMessage {
	try {
		const envelope = decodeEnvelope(raw);
		if (!envelope.ok) return failed(envelope.reason);
		const payload = envelope.payload;
		const events: CeleryEvent[] = [];
		const errors: MalformedReason[] = [];
		if (Array.isArray(payload)) {
			for (let i = 0; i < payload.length; i++) {
				const parsed = parseEvent(payload[i]);
				if (parsed.ok) events.push(parsed.event);
				else errors.push(parsed.reason);
			}
		} else {
			const parsed = parseEvent(payload);
			if (parsed.ok) events.push(parsed.event);
			else errors.push(parsed.reason);
		}
		return {events, errors};
	} catch {
		// Last defence: nothing above should throw, but a hostile message must never break the feed.
		return failed('bad-envelope');
	}
}

// ---------------------------------------------------------------------------------------------
// `celery events --dump` lines (celery/events/dumper.py)

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

/** Python-like str() of a JSON value: None/True/False, lists and dicts with repr'd strings. */
function pyStr(value: unknown, depth = 0): string {
	if (typeof value === 'string') return depth === 0 ? value : pyRepr(value);
	if (value === null || value === undefined) return 'None';
	if (value === true) return 'True';
	if (value === false) return 'False';
	if (typeof value === 'number') return String(value);
	if (depth > 8) return '...';
	if (Array.isArray(value)) return '[' + value.map((item) => pyStr(item, depth + 1)).join(', ') + ']';
	if (typeof value === 'object') {
		const parts = Object.entries(value).map(([key, item]) => pyRepr(key) + ': ' + pyStr(item, depth + 1));
		return '{' + parts.join(', ') + '}';
	}
	return String(value);
}

function pyRepr(text: string): string {
	return "'" + text.replaceAll('\\', '\\\\').replaceAll("'", "\\'") + "'";
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
