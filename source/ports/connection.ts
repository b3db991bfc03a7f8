// Where the adapters connect, as plain data: a Redis connection (what a URL means, parsed by
// redis-url.ts), the broker target the adapters are given, and the time limits' defaults. The CLI's
// Config satisfies BrokerTarget; adapters never import the CLI's config.
import type {TransportOptions} from '../protocol/types.js';

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
	/** Milliseconds to wait for the server to accept and answer the handshake (--connect-timeout). */
	readonly connectTimeoutMs?: number;
	/** Milliseconds to wait for any one reply, blocking commands excepted (--command-timeout). */
	readonly commandTimeoutMs?: number;
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

/** A silent server is given up on after these many seconds (connect; any one reply). */
export const DEFAULT_CONNECT_TIMEOUT_S = 5;

export const DEFAULT_COMMAND_TIMEOUT_S = 5;

/** What an adapter needs to reach the broker (and its replica), with nothing of the CLI's flags. */
export type BrokerTarget = {
	/** The broker URL with the password replaced by `***`: the only form ever shown. */
	readonly brokerDisplay: string;
	readonly connection: Connection;
	/**
	 * Events, scans, INFO and queue reads go here when set; writes, control, inspect (they block on a
	 * reply list) and MONITOR stay on the broker.
	 */
	readonly replica?: Replica;
	readonly transport: TransportOptions;
	readonly readOnly: boolean;
};

/** The bounds of the live store (Celery's defaults: 10,000 tasks, 5,000 workers; 50,000 events kept). */
export type StoreBounds = {
	readonly maxTasks: number;
	readonly maxWorkers: number;
	/** Events the Events pane keeps (--max-events), oldest overwritten. */
	readonly maxEvents: number;
	/** --stuck-after in seconds; undefined: by the runtimes seen per task name (state/stuck.ts). */
	readonly stuckAfter?: number;
};
