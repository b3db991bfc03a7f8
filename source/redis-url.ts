// Pure: Redis URLs as Celery/kombu write them (redis://, rediss:// with ssl_* parameters, unix://,
// redis+socket://, sentinel://…;…) → a Connection, and the redaction that keeps passwords out of
// everything shown. config.ts builds the whole Config on top of it.
import type {Connection, SentinelSettings, TlsSettings} from './ports/connection.js';

export type {Connection, SentinelSettings, TlsSettings};

export type Result<T> = {readonly ok: true; readonly value: T} | {readonly ok: false; readonly error: string};

export const SCHEMES = new Set(['redis:', 'rediss:', 'unix:', 'redis+socket:', 'sentinel:']);

/** Replace the password of any URL-looking text with ***; safe on malformed input. Handles `a;b` lists. */
export function redactUrl(url: string): string {
	return url.replace(
		/(^|;)([a-z][a-z0-9+.-]*:\/\/)([^/@;]*)@/gi,
		(_m, lead: string, scheme: string, auth: string) => {
			const colon = auth.indexOf(':');
			if (colon === -1) return `${lead}${scheme}***@`; // redis://password@host is a password for redis-py
			const user = auth.slice(0, colon);
			return `${lead}${scheme}${user}:***@`;
		},
	);
}

const CERT_REQS: Record<string, boolean> = {
	cert_required: true,
	required: true,
	cert_optional: true,
	optional: true,
	cert_none: false,
	none: false,
};

function tlsFromQuery(parsed: URL, url: string): Result<TlsSettings> {
	const q = parsed.searchParams;
	const reqs = q.get('ssl_cert_reqs');
	let verify = true;
	if (reqs !== null) {
		const known = CERT_REQS[reqs.toLowerCase()];
		if (known === undefined)
			return {
				ok: false,
				error: `invalid ssl_cert_reqs '${reqs}' in ${redactUrl(url)}: use CERT_REQUIRED, CERT_OPTIONAL or CERT_NONE`,
			};
		verify = known;
	}
	const check = q.get('ssl_check_hostname');
	const checkHostname = check === null ? verify : !/^(false|0|no|off)$/i.test(check);
	const file = (name: string) => {
		const value = q.get(name);
		return value === null || value === '' ? undefined : value;
	};
	return {
		ok: true,
		value: {
			verify,
			checkHostname,
			...optional('caFile', file('ssl_ca_certs')),
			...optional('certFile', file('ssl_certfile')),
			...optional('keyFile', file('ssl_keyfile')),
		},
	};
}

export function optional<K extends string, V>(key: K, value: V | undefined): {[P in K]?: V} {
	return (value === undefined ? {} : {[key]: value}) as {[P in K]?: V};
}

/** Celery's `sentinel://[:pw@]h1:26379;sentinel://h2:26380/db`: the password and db apply to the master. */
function parseSentinelUrl(url: string): Result<Connection> {
	const sentinels: Array<{host: string; port: number}> = [];
	let username: string | undefined;
	let password: string | undefined;
	let db = 0;
	for (const part of url
		.split(';')
		.map((p) => p.trim())
		.filter((p) => p !== '')) {
		let parsed: URL;
		try {
			parsed = new URL(part);
		} catch {
			return {ok: false, error: `invalid broker URL: ${redactUrl(url)}`};
		}
		if (parsed.protocol !== 'sentinel:')
			return {ok: false, error: `mixed schemes in ${redactUrl(url)}: every part must be sentinel://`};
		const decode = (s: string) => (s === '' ? undefined : decodeURIComponent(s));
		const user = decode(parsed.username);
		const pass = decode(parsed.password);
		if (password === undefined && (pass ?? user) !== undefined) {
			password = pass ?? user;
			username = pass === undefined ? undefined : user;
		}
		const dbText = parsed.pathname.replace(/^\//, '');
		if (dbText !== '') db = Number(dbText);
		sentinels.push({
			host: parsed.hostname.replace(/^\[|\]$/g, '') || 'localhost',
			port: parsed.port === '' ? 26_379 : Number(parsed.port),
		});
	}
	if (!Number.isInteger(db) || db < 0 || db > 65_535) {
		return {ok: false, error: `invalid database number in ${redactUrl(url)}`};
	}
	const first = sentinels[0]!;
	return {
		ok: true,
		value: {
			host: first.host,
			port: first.port,
			path: undefined,
			username,
			password,
			db,
			tls: false,
			sentinel: {sentinels, masterName: undefined},
		},
	};
}

/** Remove every occurrence of a secret from a message (for errors coming from libraries). */
export function scrub(text: string, secret: string | undefined): string {
	if (!secret) return text;
	return text.split(secret).join('***');
}

export function parseBrokerUrl(url: string): Result<Connection> {
	if (/^sentinel:\/\//i.test(url.trim())) return parseSentinelUrl(url);
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return {ok: false, error: `invalid broker URL: ${redactUrl(url)}`};
	}
	if (!SCHEMES.has(parsed.protocol)) {
		return {
			ok: false,
			error: `unsupported broker scheme '${parsed.protocol.replace(/:$/, '')}' in ${redactUrl(url)}: celerytop reads Redis brokers (redis://, rediss://, unix://, redis+socket://, sentinel://)`,
		};
	}
	const decode = (s: string) => (s === '' ? undefined : decodeURIComponent(s));
	const username = decode(parsed.username);
	const password = decode(parsed.password);
	const socket = parsed.protocol === 'unix:' || parsed.protocol === 'redis+socket:';
	let db = 0;
	let path: string | undefined;
	if (socket) {
		path = parsed.pathname;
		const virtualHost = parsed.searchParams.get('virtual_host') ?? parsed.searchParams.get('db');
		if (virtualHost !== null) db = Number(virtualHost);
		if (!path) return {ok: false, error: `missing socket path in ${redactUrl(url)}`};
	} else {
		const dbText = parsed.pathname.replace(/^\//, '');
		if (dbText !== '') db = Number(dbText);
	}
	if (!Number.isInteger(db) || db < 0 || db > 65_535) {
		return {ok: false, error: `invalid database number in ${redactUrl(url)}`};
	}
	const port = parsed.port === '' ? 6379 : Number(parsed.port);
	const tls = parsed.protocol === 'rediss:';
	let tlsOptions: TlsSettings | undefined;
	if (tls) {
		const settings = tlsFromQuery(parsed, url);
		if (!settings.ok) return settings;
		tlsOptions = settings.value;
	}
	return {
		ok: true,
		value: {
			host: parsed.hostname.replace(/^\[|\]$/g, '') || 'localhost',
			port,
			path,
			// redis://secret@host (no colon) is a password, as redis-py reads it.
			username: password === undefined ? undefined : username,
			password: password ?? username,
			db,
			tls,
			...(tlsOptions ? {tlsOptions} : {}),
		},
	};
}

/** `host:port`, or the socket path: where a connection goes, without credentials. */
export function addressOf(connection: Connection): string {
	return (
		connection.path ??
		`${connection.host.includes(':') ? `[${connection.host}]` : connection.host}:${connection.port}`
	);
}

/**
 * A --replica URL: the broker's syntax without sentinel://. Its db is the broker's unless the URL
 * names one (a path `/N`, or `virtual_host=N` / `db=N` for a socket).
 */
export function parseReplicaUrl(url: string, brokerDb: number): Result<Connection> {
	const shown = redactUrl(url);
	if (/^sentinel:/i.test(url.trim()))
		return {
			ok: false,
			error: `--replica takes one server (redis://, rediss://, unix://, redis+socket://), not sentinel://: ${shown}`,
		};
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return {ok: false, error: `invalid --replica URL: ${shown}`};
	}
	if (!SCHEMES.has(parsed.protocol))
		return {
			ok: false,
			error: `unsupported --replica scheme '${parsed.protocol.replace(/:$/, '')}' in ${shown}: use redis://, rediss://, unix:// or redis+socket://`,
		};
	const connection = parseBrokerUrl(url);
	if (!connection.ok) return {ok: false, error: `--replica: ${connection.error}`};
	const socket = parsed.protocol === 'unix:' || parsed.protocol === 'redis+socket:';
	const namesDb = socket
		? parsed.searchParams.has('virtual_host') || parsed.searchParams.has('db')
		: parsed.pathname.replace(/^\//, '') !== '';
	return {ok: true, value: namesDb ? connection.value : {...connection.value, db: brokerDb}};
}
