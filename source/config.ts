// Pure: broker URL and flags → a typed Config. Never returns or prints a password.
import {readFileSync} from 'node:fs';
import type {TransportOptions} from './protocol/types.js';
import {parseTransportOptions} from './protocol/channels.js';

export const DEFAULT_BROKER = 'redis://localhost:6379/0';

export type Connection = {
	readonly host: string;
	readonly port: number;
	readonly path: string | undefined; // unix socket
	readonly username: string | undefined;
	readonly password: string | undefined;
	readonly db: number;
	readonly tls: boolean;
	/** rediss://: what to verify and the files named by ssl_ca_certs / ssl_certfile / ssl_keyfile (or --tls-*). */
	readonly tlsOptions?: TlsSettings;
	/** sentinel://: the sentinels to ask for the master named by master_name (transport options). */
	readonly sentinel?: SentinelSettings;
};

export type TlsSettings = {
	/** ssl_cert_reqs: CERT_NONE skips verification; CERT_REQUIRED and CERT_OPTIONAL verify the server. */
	readonly verify: boolean;
	/** ssl_check_hostname (default true while verifying). */
	readonly checkHostname: boolean;
	readonly caFile?: string;
	readonly certFile?: string;
	readonly keyFile?: string;
	/** File contents, read by buildConfig. */
	readonly ca?: Buffer;
	readonly cert?: Buffer;
	readonly key?: Buffer;
};

export type SentinelSettings = {
	readonly sentinels: ReadonlyArray<{readonly host: string; readonly port: number}>;
	readonly masterName: string | undefined;
	readonly username?: string;
	readonly password?: string;
};

/** --replica: a replica of the broker that takes the read-only monitoring load. */
export type Replica = {
	/** The replica URL with the password replaced by `***`. */
	readonly display: string;
	/** Where it is, without credentials: `host:port` or the socket path. */
	readonly address: string;
	/** Its db is the broker's unless the replica URL names one. */
	readonly connection: Connection;
};

export type Config = {
	readonly brokerUrl: string;
	/** The broker URL with the password replaced by `***`: the only form ever shown. */
	readonly brokerDisplay: string;
	readonly connection: Connection;
	/**
	 * Events, scans, INFO and queue reads go here when set; writes, control, inspect (they block on a
	 * reply list) and MONITOR stay on the broker.
	 */
	readonly replica?: Replica;
	readonly transport: TransportOptions;
	readonly maxTasks: number;
	readonly maxWorkers: number;
	readonly readOnly: boolean;
	/** Frames per second at most. */
	readonly fps: number;
	/** Where control commands are recorded (JSON lines), or undefined with --no-audit-log. */
	readonly auditLog: string | undefined;
};

export type Result<T> = {readonly ok: true; readonly value: T} | {readonly ok: false; readonly error: string};

const SCHEMES = new Set(['redis:', 'rediss:', 'unix:', 'redis+socket:', 'sentinel:']);

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

function optional<K extends string, V>(key: K, value: V | undefined): {[P in K]?: V} {
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

export type Flags = {
	readonly broker?: string;
	readonly brokerTransportOptions?: string;
	readonly maxTasks?: number;
	readonly maxWorkers?: number;
	readonly readOnly?: boolean;
	readonly fps?: number;
	readonly auditLog?: boolean;
	readonly auditLogFile?: string;
	/** Override ssl_ca_certs / ssl_certfile / ssl_keyfile of a rediss:// URL. */
	readonly tlsCa?: string;
	readonly tlsCert?: string;
	readonly tlsKey?: string;
	/** A replica of the broker for the read-only load (redis://, rediss://, unix://, redis+socket://). */
	readonly replica?: string;
};

function readTlsFiles(settings: TlsSettings, flags: Flags): Result<TlsSettings> {
	const files = {
		caFile: flags.tlsCa ?? settings.caFile,
		certFile: flags.tlsCert ?? settings.certFile,
		keyFile: flags.tlsKey ?? settings.keyFile,
	};
	if ((files.certFile === undefined) !== (files.keyFile === undefined))
		return {
			ok: false,
			error: 'a TLS client certificate needs both ssl_certfile and ssl_keyfile (--tls-cert and --tls-key)',
		};
	const read = (what: string, path: string | undefined): Result<Buffer | undefined> => {
		if (path === undefined) return {ok: true, value: undefined};
		try {
			return {ok: true, value: readFileSync(path)};
		} catch (error) {
			const code = (error as {code?: string}).code ?? 'unreadable';
			return {ok: false, error: `cannot read the TLS ${what} file ${path}: ${code}`};
		}
	};
	const ca = read('CA', files.caFile);
	if (!ca.ok) return ca;
	const cert = read('certificate', files.certFile);
	if (!cert.ok) return cert;
	const key = read('key', files.keyFile);
	if (!key.ok) return key;
	return {
		ok: true,
		value: {
			verify: settings.verify,
			checkHostname: settings.checkHostname,
			...optional('caFile', files.caFile),
			...optional('certFile', files.certFile),
			...optional('keyFile', files.keyFile),
			...optional('ca', ca.value),
			...optional('cert', cert.value),
			...optional('key', key.value),
		},
	};
}

function sentinelFromTransport(
	sentinel: SentinelSettings,
	transport: TransportOptions,
): Result<SentinelSettings> {
	const name = transport['master_name'];
	if (typeof name !== 'string' || name === '')
		return {
			ok: false,
			error: `a sentinel:// broker needs the master's name: --broker-transport-options '{"master_name": "mymaster"}'`,
		};
	const kwargs = transport['sentinel_kwargs'];
	let username: string | undefined;
	let password: string | undefined;
	if (kwargs !== undefined) {
		if (typeof kwargs !== 'object' || kwargs === null || Array.isArray(kwargs))
			return {ok: false, error: '--broker-transport-options: sentinel_kwargs must be an object'};
		const k = kwargs as Record<string, unknown>;
		if (k['password'] !== undefined && k['password'] !== null) password = String(k['password']);
		if (k['username'] !== undefined && k['username'] !== null) username = String(k['username']);
	}
	return {
		ok: true,
		value: {
			sentinels: sentinel.sentinels,
			masterName: name,
			...optional('username', username),
			...optional('password', password),
		},
	};
}

/** $XDG_STATE_HOME/celerytop/audit.jsonl, else ~/.local/state/celerytop/audit.jsonl. */
export function defaultAuditLog(env: Readonly<Record<string, string | undefined>>): string | undefined {
	const base = env['XDG_STATE_HOME'] || (env['HOME'] ? `${env['HOME']}/.local/state` : undefined);
	return base ? `${base}/celerytop/audit.jsonl` : undefined;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): Result<number> {
	if (value === undefined) return {ok: true, value: fallback};
	if (!Number.isInteger(value) || value <= 0) return {ok: false, error: `${name} must be a positive integer`};
	return {ok: true, value};
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

export function buildConfig(flags: Flags, env: Readonly<Record<string, string | undefined>>): Result<Config> {
	const brokerUrl = flags.broker ?? env['CELERY_BROKER_URL'] ?? DEFAULT_BROKER;
	const parsedConnection = parseBrokerUrl(brokerUrl);
	if (!parsedConnection.ok) return parsedConnection;
	let connection: Connection = parsedConnection.value;
	let transport: TransportOptions = {};
	if (flags.brokerTransportOptions !== undefined) {
		const parsed = parseTransportOptions(flags.brokerTransportOptions);
		if (!parsed.ok) return {ok: false, error: `--broker-transport-options: ${parsed.error}`};
		transport = parsed.options;
	}
	let replica: Replica | undefined;
	if (flags.replica !== undefined) {
		const parsed = parseReplicaUrl(flags.replica, connection.db);
		if (!parsed.ok) return parsed;
		replica = {display: redactUrl(flags.replica), address: addressOf(parsed.value), connection: parsed.value};
	}
	// --tls-* apply to every rediss:// connection: the broker's and the replica's.
	const tlsFlags = flags.tlsCa !== undefined || flags.tlsCert !== undefined || flags.tlsKey !== undefined;
	if (tlsFlags && !connection.tlsOptions && !replica?.connection.tlsOptions)
		return {ok: false, error: '--tls-ca, --tls-cert and --tls-key need a rediss:// broker URL'};
	if (connection.tlsOptions) {
		const tlsOptions = readTlsFiles(connection.tlsOptions, flags);
		if (!tlsOptions.ok) return tlsOptions;
		connection = {...connection, tlsOptions: tlsOptions.value};
	}
	if (replica?.connection.tlsOptions) {
		const tlsOptions = readTlsFiles(replica.connection.tlsOptions, flags);
		if (!tlsOptions.ok) return tlsOptions;
		replica = {...replica, connection: {...replica.connection, tlsOptions: tlsOptions.value}};
	}
	if (connection.sentinel) {
		const sentinel = sentinelFromTransport(connection.sentinel, transport);
		if (!sentinel.ok) return sentinel;
		connection = {...connection, sentinel: sentinel.value};
	}
	const maxTasks = positiveInteger('--max-tasks', flags.maxTasks, 10_000);
	if (!maxTasks.ok) return maxTasks;
	const maxWorkers = positiveInteger('--max-workers', flags.maxWorkers, 5_000);
	if (!maxWorkers.ok) return maxWorkers;
	const fps = positiveInteger('--fps', flags.fps, 10);
	if (!fps.ok) return fps;
	return {
		ok: true,
		value: {
			brokerUrl,
			brokerDisplay: redactUrl(brokerUrl),
			connection,
			...(replica ? {replica} : {}),
			transport,
			maxTasks: maxTasks.value,
			maxWorkers: maxWorkers.value,
			readOnly: flags.readOnly ?? false,
			fps: Math.min(fps.value, 30),
			auditLog:
				flags.auditLog === false
					? undefined
					: (flags.auditLogFile ?? env['CELERYTOP_AUDIT_LOG'] ?? defaultAuditLog(env)),
		},
	};
}
