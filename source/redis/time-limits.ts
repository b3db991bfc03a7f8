// Time limits and what a server that is not Redis answered: the errors, the defaults and the helpers
// every connection of ours uses (ioredis clients in clients.ts, the raw sockets of resp-connection.ts
// and monitor-tap.ts, the event feed, the control client, the db check).
import {Buffer} from 'node:buffer';
import {DEFAULT_COMMAND_TIMEOUT_S, DEFAULT_CONNECT_TIMEOUT_S, type Connection} from '../ports/connection.js';
import {sanitize} from '../protocol/sanitize.js';

/** When the Connection does not say (tests and callers that build one by hand): the flags' defaults. */
export const DEFAULT_CONNECT_TIMEOUT_MS = DEFAULT_CONNECT_TIMEOUT_S * 1000;
export const DEFAULT_COMMAND_TIMEOUT_MS = DEFAULT_COMMAND_TIMEOUT_S * 1000;

export const connectLimitOf = (connection: Connection): number =>
	connection.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
export const commandLimitOf = (connection: Connection): number =>
	connection.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;

/** `1 s`, `0.5 s`, `2.25 s`. */
export function seconds(ms: number): string {
	return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * Nothing came in time. `connect`: the TCP (or TLS) connection was not accepted; `handshake`: it was,
 * but AUTH/SELECT/PING got no reply; `reply`: a command's reply did not come.
 */
export class NoAnswerError extends Error {
	override readonly name = 'NoAnswerError';
	readonly code = 'ENOANSWER';
	constructor(
		readonly stage: 'connect' | 'handshake' | 'reply',
		readonly ms: number,
	) {
		super(stage === 'connect' ? `no connection within ${seconds(ms)}` : `no answer within ${seconds(ms)}`);
	}
}

/** The server answered, but not in RESP: `answered` is the first line it sent, printable and cut. */
export class NotRedisError extends Error {
	override readonly name = 'NotRedisError';
	constructor(readonly answered: string) {
		super(`not a Redis server (it answered "${answered}")`);
	}
}

// The first byte of every RESP2 and RESP3 reply.
const RESP_TYPES = new Set([...'+-:$*_#,(=!~%>|'].map((c) => c.charCodeAt(0)));

/** Whether the first bytes a server sent can begin a RESP reply (true while nothing came). */
export function looksLikeResp(bytes: Buffer): boolean {
	return bytes.length === 0 || RESP_TYPES.has(bytes[0]!);
}

/** The first line of what a server sent, inert for a terminal and at most 60 characters. */
export function answeredText(bytes: Buffer): string {
	let text = bytes.subarray(0, 200).toString('latin1');
	const end = text.search(/[\r\n]/);
	if (end !== -1) text = text.slice(0, end);
	text = sanitize(text);
	return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** A command error that is a time limit (ours, or ioredis' commandTimeout). */
export function isTimeout(error: unknown): boolean {
	const err = error as {code?: string; message?: string} | undefined;
	return error instanceof NoAnswerError || err?.code === 'ETIMEDOUT' || err?.message === 'Command timed out';
}

/** Resolve with the promise, or reject with `timedOut()` after `ms` milliseconds. */
export function within<T>(promise: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const limit = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => reject(timedOut()), ms);
	});
	return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
