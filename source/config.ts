// Pure: broker URL and flags → a typed Config. Never returns or prints a password.
import {readFileSync} from 'node:fs';
import type {BrokerTarget, Replica, StoreBounds} from './ports/connection.js';
import {DEFAULT_COMMAND_TIMEOUT_S, DEFAULT_CONNECT_TIMEOUT_S} from './ports/connection.js';
import type {TransportOptions} from './protocol/types.js';
import {DEFAULT_MAX_EVENTS} from './state/store.js';
import {defaultHistoryPath} from './history/path.js';
import {parseTransportOptions} from './protocol/channels.js';
import {
	addressOf,
	optional,
	parseBrokerUrl,
	parseReplicaUrl,
	redactUrl,
	type Connection,
	type Result,
	type SentinelSettings,
	type TlsSettings,
} from './redis-url.js';

// The URL parsing lives in redis-url.ts; what the rest of the code imports from here stays here.
export {addressOf, parseBrokerUrl, parseReplicaUrl, redactUrl, scrub} from './redis-url.js';
export type {Connection, Result, SentinelSettings, TlsSettings} from './redis-url.js';
export type {Replica};
export {DEFAULT_COMMAND_TIMEOUT_S, DEFAULT_CONNECT_TIMEOUT_S};

export const DEFAULT_BROKER = 'redis://localhost:6379/0';
/** --max-events at most (about 370 MB of events). */
export const MAX_EVENTS_LIMIT = 1_000_000;

export type Config = BrokerTarget &
	StoreBounds & {
		readonly brokerUrl: string;
		/** Frames per second at most. */
		readonly fps: number;
		/** Where control commands are recorded (JSON lines), or undefined with --no-audit-log. */
		readonly auditLog: string | undefined;
		/** The history file (history/), or undefined with --no-history (or no HOME to put it under). */
		readonly history: string | undefined;
	};

export type Flags = {
	readonly broker?: string;
	readonly brokerTransportOptions?: string;
	readonly maxTasks?: number;
	readonly maxWorkers?: number;
	readonly maxEvents?: number;
	readonly stuckAfter?: string;
	readonly readOnly?: boolean;
	readonly fps?: number;
	readonly auditLog?: boolean;
	readonly auditLogFile?: string;
	/** --history PATH, or false for --no-history. */
	readonly history?: string | false;
	/** Override ssl_ca_certs / ssl_certfile / ssl_keyfile of a rediss:// URL. */
	readonly tlsCa?: string;
	readonly tlsCert?: string;
	readonly tlsKey?: string;
	/** A replica of the broker for the read-only load (redis://, rediss://, unix://, redis+socket://). */
	readonly replica?: string;
	/** Seconds: --connect-timeout and --command-timeout (defaults DEFAULT_*_TIMEOUT_S). */
	readonly connectTimeout?: number;
	readonly commandTimeout?: number;
};

function positiveSeconds(name: string, value: number | undefined, fallback: number): Result<number> {
	if (value === undefined) return {ok: true, value: fallback * 1000};
	if (!Number.isFinite(value) || value <= 0 || value > 86_400)
		return {ok: false, error: `${name} must be a number of seconds between 0 and 86400`};
	return {ok: true, value: Math.max(1, Math.round(value * 1000))};
}

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

const UNIT_SECONDS: Record<string, number> = {'': 1, s: 1, m: 60, h: 3600};

/** `90`, `90s`, `5m`, `1.5h` → seconds (positive, at most a week). */
export function parseDuration(text: string): Result<number> {
	const match = /^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$/.exec(text);
	const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2]!]! : Number.NaN;
	if (!(seconds > 0) || seconds > 7 * 86_400)
		return {ok: false, error: 'must be a duration like 90s, 5m or 2h (at most a week)'};
	return {ok: true, value: seconds};
}

function positiveInteger(name: string, value: number | undefined, fallback: number): Result<number> {
	if (value === undefined) return {ok: true, value: fallback};
	if (!Number.isInteger(value) || value <= 0) return {ok: false, error: `${name} must be a positive integer`};
	return {ok: true, value};
}

export function buildConfig(flags: Flags, env: Readonly<Record<string, string | undefined>>): Result<Config> {
	const brokerUrl = flags.broker ?? env['CELERY_BROKER_URL'] ?? DEFAULT_BROKER;
	const parsedConnection = parseBrokerUrl(brokerUrl);
	if (!parsedConnection.ok) return parsedConnection;
	const connectTimeoutMs = positiveSeconds(
		'--connect-timeout',
		flags.connectTimeout,
		DEFAULT_CONNECT_TIMEOUT_S,
	);
	if (!connectTimeoutMs.ok) return connectTimeoutMs;
	const commandTimeoutMs = positiveSeconds(
		'--command-timeout',
		flags.commandTimeout,
		DEFAULT_COMMAND_TIMEOUT_S,
	);
	if (!commandTimeoutMs.ok) return commandTimeoutMs;
	const timeouts = {connectTimeoutMs: connectTimeoutMs.value, commandTimeoutMs: commandTimeoutMs.value};
	let connection: Connection = {...parsedConnection.value, ...timeouts};
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
		replica = {
			display: redactUrl(flags.replica),
			address: addressOf(parsed.value),
			connection: {...parsed.value, ...timeouts},
		};
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
	const maxEvents = positiveInteger('--max-events', flags.maxEvents, DEFAULT_MAX_EVENTS);
	if (!maxEvents.ok) return maxEvents;
	// The ring is allocated up front: a bound keeps a typo from asking for gigabytes.
	if (maxEvents.value > MAX_EVENTS_LIMIT)
		return {ok: false, error: `--max-events must be at most ${MAX_EVENTS_LIMIT} (about 370 bytes each)`};
	const stuckAfter = flags.stuckAfter === undefined ? undefined : parseDuration(flags.stuckAfter);
	if (stuckAfter !== undefined && !stuckAfter.ok)
		return {ok: false, error: `--stuck-after ${stuckAfter.error}`};
	const fps = positiveInteger('--fps', flags.fps, 10);
	if (!fps.ok) return fps;
	if (flags.history === '') return {ok: false, error: '--history needs a path (or --no-history)'};
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
			maxEvents: maxEvents.value,
			...(stuckAfter ? {stuckAfter: stuckAfter.value} : {}),
			readOnly: flags.readOnly ?? false,
			fps: Math.min(fps.value, 30),
			auditLog:
				flags.auditLog === false
					? undefined
					: (flags.auditLogFile ?? env['CELERYTOP_AUDIT_LOG'] ?? defaultAuditLog(env)),
			history: flags.history === false ? undefined : (flags.history ?? defaultHistoryPath(connection, env)),
		},
	};
}
