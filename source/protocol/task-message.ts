// Pure: what Celery stores in Redis, decoded (docs/WIRE.md §6.2, §6.3, §8): queued task messages
// (protocol 2, and protocol 1 bodies), `unacked` hash values, and result-backend values.
import {decodeEnvelope} from './envelope.js';

export type TaskMessage = {
	readonly id: string;
	readonly name: string;
	/** Python repr from headers.argsrepr, else the JSON of the body's args. */
	readonly argsRepr: string;
	readonly kwargsRepr: string;
	readonly args: unknown;
	readonly kwargs: unknown;
	/** Epoch seconds, or undefined when the task has no ETA/countdown. */
	readonly eta: number | undefined;
	readonly expires: number | undefined;
	readonly retries: number;
	readonly priority: number;
	readonly deliveryTag: string | undefined;
	readonly exchange: string | undefined;
	readonly routingKey: string | undefined;
	readonly redelivered: boolean;
	readonly parentId: string | undefined;
	readonly rootId: string | undefined;
	readonly groupId: string | undefined;
	readonly origin: string | undefined;
	/**
	 * Stamps (Celery 5.3+: headers.stamped_headers names them, headers.stamps holds them) as
	 * [header, JSON of the value]: what revoke_by_stamped_headers matches. Empty when none.
	 */
	readonly stamps: ReadonlyArray<readonly [string, string]>;
};

export type Decoded<T> =
	{readonly ok: true; readonly value: T} | {readonly ok: false; readonly error: string};

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * ISO-8601 → epoch seconds. A text without an offset is UTC (Celery writes date_done that way;
 * JavaScript's Date would read it as local time). Microseconds are kept.
 */
export function parseIsoTime(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value !== 'string') return undefined;
	const match =
		/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
	if (!match) return undefined;
	const [, y, mo, d, h, mi, s, fraction, zone] = match;
	let seconds = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
	if (fraction) seconds += Number(`0.${fraction}`);
	if (zone && zone !== 'Z') {
		const sign = zone.startsWith('-') ? -1 : 1;
		const digits = zone.slice(1).replace(':', '');
		seconds -= sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
	}
	return seconds;
}

const repr = (value: unknown): string => (value === undefined ? '' : JSON.stringify(value));

/** Decode one queued message (the text LPUSHed into a queue list). */
export function decodeTaskMessage(raw: string): Decoded<TaskMessage> {
	const envelope = decodeEnvelope(raw);
	if (!envelope.ok) return {ok: false, error: envelope.reason};
	const {headers, properties, payload} = envelope;
	const info = isRecord(properties['delivery_info']) ? properties['delivery_info'] : {};
	// Protocol 2: the task is in the headers and the body is [args, kwargs, embed].
	// Protocol 1: the body is a dict with task, id, args, kwargs, eta, expires, retries.
	const v1 = typeof headers['task'] !== 'string' && isRecord(payload) ? payload : undefined;
	const meta: Record<string, unknown> = v1 ?? headers;
	const name = text(meta['task']);
	const id = text(meta['id']);
	if (name === undefined || id === undefined) return {ok: false, error: 'not-a-task'};
	const args = v1 ? v1['args'] : Array.isArray(payload) ? payload[0] : undefined;
	const kwargs = v1 ? v1['kwargs'] : Array.isArray(payload) ? payload[1] : undefined;
	const priority = Number(properties['priority'] ?? 0);
	return {
		ok: true,
		value: {
			id,
			name,
			argsRepr: text(headers['argsrepr']) ?? repr(args),
			kwargsRepr: text(headers['kwargsrepr']) ?? repr(kwargs),
			args,
			kwargs,
			eta: parseIsoTime(meta['eta']),
			expires: parseIsoTime(meta['expires']),
			retries: Number(meta['retries'] ?? 0) || 0,
			priority: Number.isFinite(priority) ? priority : 0,
			deliveryTag: text(properties['delivery_tag']),
			exchange: text(info['exchange']),
			routingKey: text(info['routing_key']),
			redelivered: headers['redelivered'] === true || info['redelivered'] === true,
			parentId: text(headers['parent_id']),
			rootId: text(headers['root_id']),
			groupId: text(headers['group']) ?? text(meta['taskset']),
			origin: text(headers['origin']),
			stamps: stampsOf(headers),
		},
	};
}

function stampsOf(headers: Record<string, unknown>): Array<readonly [string, string]> {
	const names = Array.isArray(headers['stamped_headers']) ? headers['stamped_headers'] : [];
	const values = isRecord(headers['stamps']) ? headers['stamps'] : {};
	return names
		.filter((name): name is string => typeof name === 'string' && name in values)
		.map((name) => [name, repr(values[name])] as const);
}

export type UnackedValue = {
	readonly message: TaskMessage;
	readonly exchange: string;
	readonly routingKey: string;
};

/** An `unacked` hash value: JSON `[envelope, exchange, routing_key]`. */
export function decodeUnackedValue(raw: string): Decoded<UnackedValue> {
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch {
		return {ok: false, error: 'not-json'};
	}
	if (!Array.isArray(value) || value.length < 3 || !isRecord(value[0]))
		return {ok: false, error: 'bad-unacked'};
	const message = decodeTaskMessage(JSON.stringify(value[0]));
	if (!message.ok) return message;
	return {
		ok: true,
		value: {message: message.value, exchange: String(value[1]), routingKey: String(value[2])},
	};
}

export type TaskResult = {
	readonly status: string;
	readonly result: unknown;
	readonly traceback: string | undefined;
	/** Epoch seconds (date_done is UTC without an offset). */
	readonly dateDone: number | undefined;
	readonly taskId: string | undefined;
	readonly parentId: string | undefined;
	readonly groupId: string | undefined;
	readonly children: readonly string[];
	/** 'ValueError: boom' for FAILURE/RETRY/REVOKED results, else the JSON of the result. */
	readonly summary: string;
	/**
	 * What result_extended adds (name, args, kwargs, worker, retries, queue); undefined without it.
	 * Celery 5.3+ also copies the task's stamps there (stamped_headers and one field per stamp).
	 */
	readonly extended: ExtendedResult | undefined;
};

export type ExtendedResult = {
	readonly name: string | undefined;
	/** JSON of the args and kwargs as stored. */
	readonly args: string;
	readonly kwargs: string;
	readonly worker: string | undefined;
	readonly retries: number | undefined;
	readonly queue: string | undefined;
	/** Stamp header → its value (JSON), in stamped_headers order. */
	readonly stamps: ReadonlyArray<readonly [string, string]>;
};

function extendedOf(value: Record<string, unknown>): ExtendedResult | undefined {
	if (!('name' in value) && !('worker' in value)) return undefined;
	const stamped = Array.isArray(value['stamped_headers']) ? value['stamped_headers'] : [];
	const stamps = stamped
		.filter((header): header is string => typeof header === 'string')
		.map((header) => [header, repr(value[header])] as const);
	return {
		name: text(value['name']),
		args: repr(value['args']),
		kwargs: repr(value['kwargs']),
		worker: text(value['worker']),
		retries: typeof value['retries'] === 'number' ? value['retries'] : undefined,
		queue: text(value['queue']),
		stamps,
	};
}

/** Ids found in a children / GroupResult tuple tree ([[id, parent], …] nesting). */
function collectIds(value: unknown, into: string[]): void {
	if (!Array.isArray(value)) return;
	if (value.length === 2 && typeof value[0] === 'string' && (value[1] === null || Array.isArray(value[1]))) {
		into.push(value[0]);
		return;
	}
	for (const item of value) collectIds(item, into);
}

/** A `celery-task-meta-<id>` value. */
export function decodeTaskResult(raw: string): Decoded<TaskResult> {
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch {
		return {ok: false, error: 'not-json'};
	}
	if (!isRecord(value) || typeof value['status'] !== 'string') return {ok: false, error: 'not-a-result'};
	const result = value['result'];
	const children: string[] = [];
	collectIds(value['children'], children);
	let summary = JSON.stringify(result) ?? 'null';
	if (isRecord(result) && typeof result['exc_type'] === 'string') {
		const message = Array.isArray(result['exc_message'])
			? result['exc_message'].join(', ')
			: String(result['exc_message'] ?? '');
		summary = `${result['exc_type']}: ${message}`;
	}
	return {
		ok: true,
		value: {
			status: value['status'],
			result,
			traceback: text(value['traceback']),
			dateDone: parseIsoTime(value['date_done']),
			taskId: text(value['task_id']),
			parentId: text(value['parent_id']),
			groupId: text(value['group_id']),
			children,
			summary,
			extended: extendedOf(value),
		},
	};
}

export type GroupResult = {readonly groupId: string | undefined; readonly children: readonly string[]};

/** A `celery-taskset-meta-<gid>` value saved by GroupResult.save(): {"result": [[gid, null], [children…]]}. */
export function decodeGroupResult(raw: string): Decoded<GroupResult> {
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch {
		return {ok: false, error: 'not-json'};
	}
	if (!isRecord(value) || !Array.isArray(value['result'])) return {ok: false, error: 'not-a-group'};
	const [head, members] = value['result'] as unknown[];
	const groupId = Array.isArray(head) && typeof head[0] === 'string' ? head[0] : undefined;
	const children: string[] = [];
	collectIds(members, children);
	return {ok: true, value: {groupId, children}};
}

export type ChordMember = {readonly taskId: string; readonly state: string; readonly result: unknown};

/** A member of the chord zset `celery-taskset-meta-<gid>.j`: `[1, id, state, result]`. */
export function decodeChordMember(raw: string): Decoded<ChordMember> {
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch {
		return {ok: false, error: 'not-json'};
	}
	if (!Array.isArray(value) || value.length < 4 || typeof value[1] !== 'string')
		return {ok: false, error: 'not-a-chord-member'};
	return {ok: true, value: {taskId: value[1], state: String(value[2]), result: value[3]}};
}

/** True when a list element is a kombu message (used to recognise a queue that has no binding). */
export function looksLikeKombuMessage(raw: string): boolean {
	if (!raw.startsWith('{') || !raw.includes('"body"')) return false;
	const envelope = decodeEnvelope(raw);
	return envelope.ok || envelope.reason === 'unsupported-serializer';
}
