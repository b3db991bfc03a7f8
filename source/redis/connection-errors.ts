// One line naming a connection problem, and whether it may mend by itself.
import {scrub} from '../redis-url.js';
import type {Connection} from '../ports/connection.js';
import {sanitize} from '../protocol/sanitize.js';
import {
	connectLimitOf,
	commandLimitOf,
	seconds,
	NoAnswerError,
	NotRedisError,
	isTimeout,
} from './time-limits.js';

/** One line naming a connection problem, with the password removed. */
export function describeConnectionError(error: unknown, display: string, connection: Connection): string {
	const err = error as {code?: string; message?: string};
	const message = scrub(
		scrub(String(err?.message ?? error), connection.password),
		connection.sentinel?.password,
	).replace(/\s*\n\s*/g, ' ');
	const where =
		connection.path ??
		(connection.sentinel
			? `sentinels ${connection.sentinel.sentinels.map((s) => `${s.host}:${s.port}`).join(',')}`
			: `${connection.host}:${connection.port}`);
	const answered =
		error instanceof NotRedisError ? error.answered : (error as {answered?: unknown})?.answered;
	if (typeof answered === 'string' || /Unknown RESP type|unexpected RESP reply type/.test(message)) {
		const said =
			typeof answered === 'string'
				? answered
				: sanitize(
						/type \d+ "(.)"|type (.)$/
							.exec(message)
							?.slice(1)
							.find((c) => c !== undefined) ?? '?',
					);
		return `${where} is not a Redis server (it answered "${scrub(scrub(said, connection.password), connection.sentinel?.password)}")`;
	}
	if (
		connection.sentinel &&
		/All sentinels are unreachable|sentinel/i.test(message) &&
		!/NOPERM|WRONGPASS/.test(message)
	)
		return `cannot connect to ${display}: ${message} (master '${connection.sentinel.masterName}' via ${where})`;
	const tlsError = describeTlsError(err?.code, message);
	if (tlsError) return `TLS error connecting to ${display}: ${tlsError}`;
	if (err?.code === 'ECONNREFUSED') return `cannot connect to ${display}: connection refused at ${where}`;
	if (err?.code === 'ENOTFOUND' || err?.code === 'EAI_AGAIN')
		return `cannot connect to ${display}: unknown host ${connection.host}`;
	if (err?.code === 'ENOENT') return `cannot connect to ${display}: no socket at ${where}`;
	if (error instanceof NoAnswerError && error.stage !== 'connect') {
		if (error.stage === 'handshake')
			return `no answer from ${display}: ${where} accepted the connection but sent nothing within ${seconds(error.ms)} (--connect-timeout)`;
		return `no answer from ${display}: a reply did not come within ${seconds(error.ms)} (--command-timeout)`;
	}
	if (message === 'Command timed out')
		return `no answer from ${display}: a reply did not come within ${seconds(commandLimitOf(connection))} (--command-timeout)`;
	if (error instanceof NoAnswerError || err?.code === 'ETIMEDOUT' || /\btimed out\b/i.test(message))
		return `cannot connect to ${display}: ${where} did not accept the connection within ${seconds(connectLimitOf(connection))} (--connect-timeout)`;
	if (/^Connection is closed\.?$/.test(message))
		return `cannot connect to ${display}: ${where} closed the connection without answering`;
	if (/WRONGPASS|invalid password|invalid username-password/i.test(message)) {
		return `authentication failed for ${display}: wrong user name or password`;
	}
	if (/NOAUTH/i.test(message))
		return `authentication required by ${display}: give the password in the URL (redis://:password@host)`;
	if (/NOPERM/i.test(message)) return `permission denied on ${display}: ${message}`;
	return `cannot connect to ${display}: ${message}`;
}

const TLS_CODES: Record<string, string> = {
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is not signed by a CA in ssl_ca_certs',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server certificate is not signed by a CA in ssl_ca_certs',
	SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate is not signed by a CA in ssl_ca_certs',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not in ssl_ca_certs',
	CERT_HAS_EXPIRED: 'the server certificate has expired',
	ERR_TLS_CERT_ALTNAME_INVALID:
		'the server certificate does not name this host (ssl_check_hostname=false skips the check)',
};

function describeTlsError(code: string | undefined, message: string): string | undefined {
	if (code && TLS_CODES[code]) return TLS_CODES[code];
	if (
		/certificate required|alert number 116|handshake failure|alert bad certificate|SSL routines|wrong version number|ERR_SSL/i.test(
			message,
		)
	)
		return /certificate required|116/.test(message)
			? 'the server requires a client certificate (give ssl_certfile and ssl_keyfile)'
			: message;
	return undefined;
}

/**
 * A failure to connect that may mend by itself (nothing answered, the port refused, the socket is not
 * there yet, the server is loading its data): a long-lived mode keeps trying. Not one: a server that
 * is not Redis, a refused password or permission, TLS, an unknown host name.
 */
export function isTransient(error: unknown): boolean {
	const err = error as {code?: string; message?: string; answered?: unknown} | undefined;
	if (error instanceof NotRedisError || typeof err?.answered === 'string') return false;
	if (isTimeout(error)) return true;
	const code = err?.code ?? '';
	if (
		['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOENT'].includes(
			code,
		)
	)
		return true;
	const message = String(err?.message ?? error);
	return /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN)\b|All sentinels are unreachable|^Connection is closed\.?$/.test(
		message,
	);
}
