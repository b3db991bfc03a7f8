// The kombu JSON envelope (docs/WIRE.md §2): decode what Celery sends, encode what we send.
import {Buffer, isUtf8} from 'node:buffer';
import type {MalformedReason} from './types.js';

export type DecodedEnvelope =
	| {
			readonly ok: true;
			readonly payload: unknown;
			readonly headers: Record<string, unknown>;
			readonly properties: Record<string, unknown>;
	  }
	| {readonly ok: false; readonly reason: MalformedReason};

export type EncodeOptions = {
	readonly headers: object;
	readonly deliveryInfo: {readonly exchange: string; readonly routing_key: string};
	readonly deliveryMode: 1 | 2;
	readonly deliveryTag: string;
};

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJsonContentType(contentType: unknown): boolean {
	if (typeof contentType !== 'string') return false;
	return contentType === 'application/json' || contentType.startsWith('application/json;');
}

/**
 * Strict base64 → bytes. Buffer.from silently skips characters outside the alphabet, so a text is
 * accepted only when its length is a multiple of 4, it has no URL-safe characters, and the decoded
 * length is exactly what a clean text of that length gives (any skipped character or an early '='
 * makes the output shorter). Returns undefined when the text is not valid base64.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
	const length = text.length;
	if (length % 4 !== 0) return undefined;
	if (text.indexOf('-') !== -1 || text.indexOf('_') !== -1) return undefined;
	let padding = 0;
	if (length > 0 && text.charCodeAt(length - 1) === 61) padding = text.charCodeAt(length - 2) === 61 ? 2 : 1;
	const bytes = Buffer.from(text, 'base64');
	if (bytes.length !== (length / 4) * 3 - padding) return undefined;
	return bytes;
}

/** Decode one kombu envelope. Never throws. */
export function decodeEnvelope(raw: string): DecodedEnvelope {
	let envelope: unknown;
	try {
		envelope = JSON.parse(raw);
	} catch {
		return {ok: false, reason: 'not-json'};
	}

	if (!isRecord(envelope)) return {ok: false, reason: 'bad-envelope'};
	const body = envelope['body'];
	if (typeof body !== 'string') return {ok: false, reason: 'bad-envelope'};
	const headers = isRecord(envelope['headers']) ? envelope['headers'] : EMPTY;
	const properties = isRecord(envelope['properties']) ? envelope['properties'] : EMPTY;

	// Reject other serializers before spending time on the body.
	if (!isJsonContentType(envelope['content-type'])) return {ok: false, reason: 'unsupported-serializer'};

	let text = body;
	if (properties['body_encoding'] === 'base64') {
		const bytes = decodeBase64Strict(body);
		if (bytes === undefined) return {ok: false, reason: 'bad-base64'};
		if (!isUtf8(bytes)) return {ok: false, reason: 'bad-utf8'};
		text = bytes.toString('utf8');
	}

	let payload: unknown;
	try {
		payload = JSON.parse(text);
	} catch {
		return {ok: false, reason: 'body-not-json'};
	}

	return {ok: true, payload, headers, properties};
}

/**
 * Build an envelope with the shape Celery sends (base64 body, utf-8, application/json, priority 0).
 * The JSON is compact; workers accept it (docs/WIRE.md §2, fixtures/control-raw-client.jsonl).
 */
export function encodeEnvelope(payload: unknown, options: EncodeOptions): string {
	const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64');
	return JSON.stringify({
		body,
		'content-encoding': 'utf-8',
		'content-type': 'application/json',
		headers: options.headers,
		properties: {
			delivery_mode: options.deliveryMode,
			delivery_info: {exchange: options.deliveryInfo.exchange, routing_key: options.deliveryInfo.routing_key},
			priority: 0,
			body_encoding: 'base64',
			delivery_tag: options.deliveryTag,
		},
	});
}
