// Channel, key and binding names built from the broker db and kombu's transport options (docs/WIRE.md §3).
import type {TransportOptions} from './types.js';

/** kombu's default binding separator: the two bytes 0x06 0x16. */
export const DEFAULT_SEP = '\x06\x16';

/**
 * kombu's `keyprefix_fanout`: '/{db}.' by default (fanout_prefix=true), '' when fanout_prefix=false,
 * or the custom string (kombu runs it through str.format(db=…), so '{db}' in it is replaced too).
 */
export function fanoutPrefix(db: number, options: TransportOptions): string {
	const setting = options.fanout_prefix ?? true;
	if (typeof setting === 'string') return setting.replaceAll('{db}', String(db));
	return setting ? `/${db}.` : '';
}

function keyPrefix(options: TransportOptions): string {
	return typeof options.global_keyprefix === 'string' ? options.global_keyprefix : '';
}

/** Escape Redis glob metacharacters so a literal part of a PSUBSCRIBE pattern matches only itself. */
export function escapeGlob(text: string): string {
	return text.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * Exact channel a sender PUBLISHes on for `exchange` and `routingKey` (kombu `_get_publish_topic`,
 * with global_keyprefix added as kombu's prefixed client does):
 * '/0.celeryev/worker.heartbeat', '/4.celeryev' (fanout_patterns=false), 'celeryev/task.multi',
 * 'pfx:/6.celeryev/task.sent'.
 */
export function publishChannel(
	db: number,
	options: TransportOptions,
	exchange: string,
	routingKey: string,
): string {
	const patterns = options.fanout_patterns ?? true;
	const suffix = patterns && routingKey ? '/' + routingKey : '';
	return keyPrefix(options) + fanoutPrefix(db, options) + exchange + suffix;
}

/**
 * The pattern to PSUBSCRIBE to receive every event (what `celery events` subscribes):
 * '/0.celeryev/*' by default; '/4.celeryev' with fanout_patterns=false (no wildcard, so the pattern
 * matches that one channel exactly); 'celeryev/*' with fanout_prefix=false; 'pfx:/6.celeryev/*' with
 * global_keyprefix 'pfx:'.
 *
 * Always use PSUBSCRIBE with it (kombu never uses SUBSCRIBE for fanout). Unlike kombu, glob
 * metacharacters in the configured prefixes and exchange are escaped, so they match literally.
 */
export function eventChannelPattern(db: number, options: TransportOptions, exchange = 'celeryev'): string {
	const patterns = options.fanout_patterns ?? true;
	const literal = escapeGlob(keyPrefix(options) + fanoutPrefix(db, options) + exchange);
	return patterns ? literal + '/*' : literal;
}

/** Channel to PUBLISH control requests on: '/0.celery.pidbox' (routing key empty, so no suffix). */
export function pidboxChannel(db: number, options: TransportOptions, controlExchange = 'celery'): string {
	return publishChannel(db, options, `${controlExchange}.pidbox`, '');
}

/** The reply queue of a call, as written in binding members: '<oid>.reply.celery.pidbox' (never prefixed). */
export function replyQueueName(oid: string, controlExchange = 'celery'): string {
	return `${oid}.reply.${controlExchange}.pidbox`;
}

/** The Redis list holding replies (BRPOP/DEL it): the reply queue with global_keyprefix in front. */
export function replyQueueKey(oid: string, options: TransportOptions, controlExchange = 'celery'): string {
	return keyPrefix(options) + replyQueueName(oid, controlExchange);
}

/** kombu's PRIORITY_STEPS, or the transport's `priority_steps` when it is a list of integers. */
export function priorityStepsOf(transport: TransportOptions): number[] {
	const steps = transport['priority_steps'];
	if (
		Array.isArray(steps) &&
		steps.length > 0 &&
		steps.every((step) => typeof step === 'number' && Number.isInteger(step) && step >= 0 && step <= 255)
	)
		return [...new Set(steps as number[])].sort((a, b) => a - b);
	return [0, 3, 6, 9];
}

/**
 * The lists of a queue key, base list first: kombu's `_q_for_pri` names step 0 the queue itself and
 * step n `queue SEP n`. The base list is always read (kombu 5.2 puts a restored message there).
 */
export function priorityListKeys(queueKey: string, steps: readonly number[], sep = DEFAULT_SEP): string[] {
	return [queueKey, ...steps.filter((step) => step !== 0).map((step) => queueKey + sep + String(step))];
}

/** A queue list and its priority lists, in kombu's BRPOP order: [q, q SEP 3, q SEP 6, q SEP 9] by default. */
export function priorityQueueKeys(queueKey: string, options: TransportOptions): string[] {
	const sep = typeof options.sep === 'string' ? options.sep : DEFAULT_SEP;
	// The transport's priority_steps when it sets them (kombu's default: 0, 3, 6, 9).
	return priorityListKeys(queueKey, priorityStepsOf(options), sep);
}

/** The reply binding set: '_kombu.binding.reply.celery.pidbox', with global_keyprefix in front. */
export function replyBindingKey(options: TransportOptions, controlExchange = 'celery'): string {
	return `${keyPrefix(options)}_kombu.binding.reply.${controlExchange}.pidbox`;
}

/** A binding-set member: routing_key SEP pattern SEP queue (members never get global_keyprefix). */
export function bindingMember(routingKey: string, pattern: string, queue: string, sep = DEFAULT_SEP): string {
	return routingKey + sep + pattern + sep + queue;
}

export type ParsedTransportOptions =
	{readonly ok: true; readonly options: TransportOptions} | {readonly ok: false; readonly error: string};

/**
 * Parse the JSON of a transport-options setting (kombu spelling) and check the types of the options
 * that change names: fanout_prefix boolean|string, fanout_patterns boolean, global_keyprefix string,
 * sep non-empty string. Other options are kept as they are.
 */
export function parseTransportOptions(json: string): ParsedTransportOptions {
	let value: unknown;
	try {
		value = JSON.parse(json);
	} catch (error) {
		return {ok: false, error: `transport options are not JSON: ${(error as Error).message}`};
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return {ok: false, error: 'transport options must be a JSON object'};
	}
	const record = value as Record<string, unknown>;
	const checks: Array<[string, (v: unknown) => boolean, string]> = [
		['fanout_prefix', (v) => typeof v === 'boolean' || typeof v === 'string', 'a boolean or a string'],
		['fanout_patterns', (v) => typeof v === 'boolean', 'a boolean'],
		['global_keyprefix', (v) => typeof v === 'string', 'a string'],
		['sep', (v) => typeof v === 'string' && v.length > 0, 'a non-empty string'],
	];
	for (const [name, valid, expected] of checks) {
		if (Object.hasOwn(record, name) && !valid(record[name])) {
			return {ok: false, error: `transport option ${name} must be ${expected}`};
		}
	}
	return {ok: true, options: record as TransportOptions};
}
