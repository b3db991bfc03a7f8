// Celery events: validate decoded payloads, split task.multi batches; Python-like text of JSON values.
import {decodeEnvelope} from './envelope.js';
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
function nestedDeeperThan(value: object, limit: number): boolean {
	if (limit <= 0) return true;
	// Primitives are tested inline: an event's fields are mostly strings and numbers (hot path).
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) {
			const item: unknown = value[i];
			if (typeof item === 'object' && item !== null && nestedDeeperThan(item, limit - 1)) return true;
		}
		return false;
	}
	for (const key in value) {
		const item = (value as Record<string, unknown>)[key];
		if (typeof item === 'object' && item !== null && nestedDeeperThan(item, limit - 1)) return true;
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

/** A pub/sub message longer than this is refused whole (Celery's own events are a few KiB). */
export const MAX_MESSAGE_CHARS = 1024 * 1024;
/** Messages longer than this have their events bounded before anything keeps them. */
const BOUND_FROM_CHARS = 32 * 1024;
/** What one event may keep: string characters in all, and values (strings, numbers, …) in all. */
export const MAX_EVENT_CHARS = 64 * 1024;
export const MAX_EVENT_VALUES = 2_000;

/**
 * Bound one event of a large message in place: strings are cut (with a marker) so the whole event
 * keeps at most MAX_EVENT_CHARS characters; more than MAX_EVENT_VALUES values refuses it. Keeps the
 * memory of the task map and the event stream bounded by their item caps whatever is sent.
 */
function boundEvent(event: Record<string, unknown>): boolean {
	let chars = 0;
	let values = 0;
	const visit = (holder: Record<string, unknown> | unknown[], key: string | number): boolean => {
		const value = (holder as Record<string | number, unknown>)[key];
		if (++values > MAX_EVENT_VALUES) return false;
		if (typeof value === 'string') {
			const room = Math.max(0, MAX_EVENT_CHARS - chars);
			if (value.length > room) {
				(holder as Record<string | number, unknown>)[key] =
					`${value.slice(0, room)}…[${value.length - room} characters cut]`;
				chars = MAX_EVENT_CHARS;
			} else chars += value.length;
		} else if (typeof value === 'object' && value !== null) {
			if (Array.isArray(value)) {
				for (let i = 0; i < value.length; i++) if (!visit(value, i)) return false;
			} else for (const k in value) if (!visit(value as Record<string, unknown>, k)) return false;
		}
		return true;
	};
	for (const key in event) if (!visit(event, key)) return false;
	return true;
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
		if (raw.length > MAX_MESSAGE_CHARS) return failed('too-large');
		const envelope = decodeEnvelope(raw);
		if (!envelope.ok) return failed(envelope.reason);
		const payload = envelope.payload;
		const items = Array.isArray(payload) ? payload : [payload];
		const bound = raw.length > BOUND_FROM_CHARS;
		const events: CeleryEvent[] = [];
		const errors: MalformedReason[] = [];
		for (let i = 0; i < items.length; i++) {
			const parsed = parseEvent(items[i]);
			if (!parsed.ok) errors.push(parsed.reason);
			else if (bound && !boundEvent(parsed.event as Record<string, unknown>)) errors.push('too-large');
			else events.push(parsed.event);
		}
		return {events, errors};
	} catch {
		// Last defence: nothing above should throw, but a hostile message must never break the feed.
		return failed('bad-envelope');
	}
}

// ---------------------------------------------------------------------------------------------
// Python-like text of JSON values. Celery sends args, kwargs and results as repr strings
// (`'(1, 2)'`); other producers, or Celery given non-string argsrepr, send JSON lists and objects.
// We show those as Python would print the value Celery's own State keeps (its repr), so the text
// looks the same whichever way it came. JSON cannot tell 1 from 1.0 or a tuple from a list, and an
// object's integer-like keys come first in JavaScript: those few cases print differently.

/** Most characters of text argsText makes from one JSON value (what a large event's strings keep). */
export const MAX_ARGS_TEXT = MAX_EVENT_CHARS;

/** args or kwargs sent as a JSON value (list, object), as Python-like text of at most MAX_ARGS_TEXT characters. */
export function argsText(value: object): string {
	return pythonRepr(value, MAX_ARGS_TEXT);
}

/**
 * Python's repr() of a JSON value: None/True/False, 'quoted' strings with Python's escapes, [lists]
 * and {dicts}. Longer text than `maxChars` is cut, ending in '…'. Nesting is bounded by parseEvent.
 */
export function pythonRepr(value: unknown, maxChars = MAX_ARGS_TEXT): string {
	let text = '';
	const put = (part: string): boolean => {
		text += part;
		return text.length <= maxChars;
	};
	const visit = (item: unknown, depth: number): boolean => {
		if (typeof item === 'string') return put(pyStringRepr(item));
		if (typeof item === 'number') return put(pyNumber(item));
		if (item === null || item === undefined) return put('None');
		if (item === true) return put('True');
		if (item === false) return put('False');
		if (typeof item !== 'object') return put(String(item));
		if (depth >= MAX_EVENT_DEPTH) return put('...');
		if (Array.isArray(item)) {
			if (!put('[')) return false;
			for (let i = 0; i < item.length; i++) {
				if (i > 0 && !put(', ')) return false;
				if (!visit(item[i], depth + 1)) return false;
			}
			return put(']');
		}
		if (!put('{')) return false;
		let first = true;
		for (const key in item) {
			if (!Object.hasOwn(item, key)) continue;
			if (!put((first ? '' : ', ') + pyStringRepr(key) + ': ')) return false;
			first = false;
			if (!visit((item as Record<string, unknown>)[key], depth + 1)) return false;
		}
		return put('}');
	};
	return visit(value, 0) ? text : text.slice(0, maxChars - 1) + '…';
}

/** Python's repr of a number parsed from JSON: integers in full, floats as Python's shortest form. */
function pyNumber(value: number): string {
	if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
	const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
	const exponent = Number(exponentText);
	if (exponent >= -4 && exponent < 16) return String(value);
	const digits = String(Math.abs(exponent)).padStart(2, '0');
	return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
}

/** Characters Python's repr escapes: other (control, format, private, unassigned) and separators but ' '. */
const NOT_PRINTABLE = /[\p{C}\p{Z}]/u;
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** Python's repr of a str: single quotes unless only ' is inside (then double), backslash escapes as Python's. */
function pyStringRepr(text: string): string {
	const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
	if (PLAIN_ASCII.test(text) && !text.includes(quote) && !text.includes('\\')) return quote + text + quote;
	let out = quote;
	for (const char of text) {
		if (char === quote || char === '\\') out += '\\' + char;
		else if (char === '\n') out += '\\n';
		else if (char === '\r') out += '\\r';
		else if (char === '\t') out += '\\t';
		else if (char !== ' ' && NOT_PRINTABLE.test(char)) {
			const code = char.codePointAt(0)!;
			const hex = code.toString(16);
			out +=
				code < 0x100
					? '\\x' + hex.padStart(2, '0')
					: code < 0x10000
						? '\\u' + hex.padStart(4, '0')
						: '\\U' + hex.padStart(8, '0');
		} else out += char;
	}
	return out + quote;
}
