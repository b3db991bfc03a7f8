// The pidbox wire: who a request targets, the request envelope, and reply decoding (docs/WIRE.md §5).
// Pure: callers pass ids, the clock and the Lamport value in.
import {fail, ok, type Arguments, type Checked} from './control-args.js';
import type {Matcher} from './control.js';
import {decodeEnvelope, encodeEnvelope} from './envelope.js';
import {sanitize} from './sanitize.js';
import type {MalformedReason} from './types.js';

// ------------------------------------------------------------------ targeting

export type Target = {
	readonly destination: readonly string[] | null;
	readonly pattern: string | null;
	readonly matcher: Matcher | null;
};

const GLOB = /[*?[]/;

/**
 * `--destination` text → a target. Comma-separated exact node names (`w1@vm,w2@vm`) go in
 * `destination`; a single entry with a glob character (`* ? [`) becomes `pattern` + matcher 'glob'
 * (kombu's fnmatch, e.g. `w1@*`). A glob cannot be mixed with other names (Celery's body has one
 * pattern). Empty or missing text targets every worker.
 */
export function parseDestination(text: string | undefined): Checked<Target> {
	const names = (text ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	if (names.length === 0) return ok({destination: null, pattern: null, matcher: null});
	const globs = names.filter((name) => GLOB.test(name));
	if (globs.length > 0) {
		if (names.length > 1)
			return fail(`--destination: a glob pattern (${sanitize(globs[0]!)}) must be the only entry`);
		return ok({destination: null, pattern: names[0]!, matcher: 'glob'});
	}
	for (const name of names) {
		if (/\s/.test(name)) return fail(`--destination: invalid node name '${sanitize(name)}'`);
	}
	return ok({destination: [...new Set(names)], pattern: null, matcher: null});
}

// ------------------------------------------------------------------ requests

export type RequestBody = {
	readonly method: string;
	readonly arguments: Arguments;
	readonly destination: readonly string[] | null;
	readonly pattern: string | null;
	readonly matcher: Matcher | null;
	readonly ticket?: string;
	readonly reply_to?: {readonly exchange: string; readonly routing_key: string};
};

export type RequestInput = {
	readonly method: string;
	readonly arguments: Arguments;
	readonly destination?: readonly string[] | null;
	readonly pattern?: string | null;
	readonly matcher?: Matcher | null;
	/** With `oid`: a call (ticket + reply_to). Without both: a cast. */
	readonly ticket?: string;
	/** The client id: the reply routing key and the `<oid>.reply.celery.pidbox` list. */
	readonly oid?: string;
	/** Epoch seconds. */
	readonly now: number;
	/** Seconds; `headers.expires` = now + timeout. */
	readonly timeout: number;
	readonly deliveryTag: string;
	/** Lamport clock value for `headers.clock`. */
	readonly clock: number;
	/** Celery's control_exchange (default 'celery'). */
	readonly controlExchange?: string;
};

/**
 * The PUBLISH payload for the pidbox channel (docs/WIRE.md §5.2): the kombu envelope with
 * headers {clock, expires}, delivery_mode 2, delivery_info {exchange: 'celery.pidbox', routing_key: ''},
 * and the body {method, arguments, destination, pattern, matcher[, ticket, reply_to]}.
 */
export function buildRequest(input: RequestInput): {
	readonly channelPayload: string;
	readonly body: RequestBody;
} {
	if ((input.ticket === undefined) !== (input.oid === undefined))
		throw new TypeError('buildRequest: give both ticket and oid (a call) or neither (a cast)');
	const exchange = input.controlExchange ?? 'celery';
	const destination = input.destination && input.destination.length > 0 ? [...input.destination] : null;
	const pattern = input.pattern ?? null;
	const matcher = pattern === null ? null : (input.matcher ?? 'glob');
	const body: RequestBody =
		input.ticket === undefined
			? {method: input.method, arguments: input.arguments, destination, pattern, matcher}
			: {
					method: input.method,
					arguments: input.arguments,
					destination,
					pattern,
					matcher,
					ticket: input.ticket,
					reply_to: {exchange: `reply.${exchange}.pidbox`, routing_key: input.oid!},
				};
	const channelPayload = encodeEnvelope(body, {
		headers: {clock: input.clock, expires: input.now + input.timeout},
		deliveryInfo: {exchange: `${exchange}.pidbox`, routing_key: ''},
		deliveryMode: 2,
		deliveryTag: input.deliveryTag,
	});
	return {channelPayload, body};
}

// ------------------------------------------------------------------ replies

export type DecodedReply =
	| {
			readonly ok: true;
			readonly hostname: string;
			readonly value: unknown;
			/** The worker's mailbox clock (headers.clock), to advance ours. */
			readonly clock: number | undefined;
	  }
	| {readonly ok: false; readonly reason: MalformedReason | 'wrong-ticket' | 'bad-reply'};

/**
 * One reply popped from `<oid>.reply.celery.pidbox`: the envelope's headers.ticket must be ours
 * (kombu sets other tickets aside), the body is {"<node>": <value>}.
 */
export function decodeReply(raw: string, ticket: string): DecodedReply {
	const decoded = decodeEnvelope(raw);
	if (!decoded.ok) return decoded;
	if (decoded.headers['ticket'] !== ticket) return {ok: false, reason: 'wrong-ticket'};
	const payload = decoded.payload;
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
		return {ok: false, reason: 'bad-reply'};
	const entries = Object.entries(payload);
	if (entries.length !== 1) return {ok: false, reason: 'bad-reply'};
	const [hostname, value] = entries[0]!;
	const clock = decoded.headers['clock'];
	return {ok: true, hostname, value, clock: typeof clock === 'number' ? clock : undefined};
}
