// Pure: broker URL and flags → a typed Config. Never returns or prints a password.
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
};

export type Config = {
	readonly brokerUrl: string;
	/** The broker URL with the password replaced by `***`: the only form ever shown. */
	readonly brokerDisplay: string;
	readonly connection: Connection;
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

const SCHEMES = new Set(['redis:', 'rediss:', 'unix:', 'redis+socket:']);

/** Replace the password of any URL-looking text with ***; safe on malformed input. */
export function redactUrl(url: string): string {
	return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@]*)@/i, (_m, scheme: string, auth: string) => {
		const colon = auth.indexOf(':');
		if (colon === -1) return `${scheme}***@`; // redis://password@host is a password for redis-py
		const user = auth.slice(0, colon);
		return `${scheme}${user}:***@`;
	});
}

/** Remove every occurrence of a secret from a message (for errors coming from libraries). */
export function scrub(text: string, secret: string | undefined): string {
	if (!secret) return text;
	return text.split(secret).join('***');
}

export function parseBrokerUrl(url: string): Result<Connection> {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return {ok: false, error: `invalid broker URL: ${redactUrl(url)}`};
	}
	if (!SCHEMES.has(parsed.protocol)) {
		return {
			ok: false,
			error: `unsupported broker scheme '${parsed.protocol.replace(/:$/, '')}' in ${redactUrl(url)}: celerytop reads Redis brokers (redis://, rediss://, unix://, redis+socket://)`,
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
			tls: parsed.protocol === 'rediss:',
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
};

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

export function buildConfig(flags: Flags, env: Readonly<Record<string, string | undefined>>): Result<Config> {
	const brokerUrl = flags.broker ?? env['CELERY_BROKER_URL'] ?? DEFAULT_BROKER;
	const connection = parseBrokerUrl(brokerUrl);
	if (!connection.ok) return connection;
	let transport: TransportOptions = {};
	if (flags.brokerTransportOptions !== undefined) {
		const parsed = parseTransportOptions(flags.brokerTransportOptions);
		if (!parsed.ok) return {ok: false, error: `--broker-transport-options: ${parsed.error}`};
		transport = parsed.options;
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
			connection: connection.value,
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
