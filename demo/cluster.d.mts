// Types for cluster.mjs (used by the TypeScript test helpers).
import type {ChildProcess} from 'node:child_process';

export declare const DEMO_DIR: string;
export declare const PYTHON: '/usr/bin/python3';
export declare const HOST: '127.0.0.1';
export declare const INSTALL_COMMAND: string;
/** CELERYTOP_TEST_ROOT, resolved ('' when the host's own programs run). */
export declare const TEST_ROOT: string;
/** CELERYTOP_TEST_SERVER: which server startRedis runs. */
export declare const SERVER_KIND: 'redis' | 'valkey';
/** [file, args] running `bin ...args` on the host or inside TEST_ROOT (chroot). */
export declare function systemCommand(bin: string, args?: string[]): [string, string[]];
/** [file, args] running /usr/bin/python3 ...args (the host's or the tree's). */
export declare function pythonCommand(args: string[]): [string, string[]];
/** The folder holding demo/*.py as Python sees it (put it on PYTHONPATH). */
export declare function pythonDemoDir(): string;
/** celery.__version__ of that Python. */
export declare function celeryVersion(): string;

export declare function missingDeps(): string[];
export declare function requireRedis(): void;
export declare function requireCelery(): void;
export declare function killAllChildren(): void;
export declare function cleanupOnSignals(): void;
export declare function freePort(): Promise<number>;
export declare function redisPing(port: number, password?: string): Promise<boolean>;

export interface TrackedChild {
	proc: ChildProcess;
	pid: number;
	running: boolean;
	output(): string;
	onOutput(fn: (all: string) => void): () => void;
	exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
	stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
	kill9(): Promise<void>;
}
export declare function spawnTracked(
	cmd: string,
	args: string[],
	opts?: {cwd?: string; env?: NodeJS.ProcessEnv; logFile?: string},
): TrackedChild;

export interface StartRedisOptions {
	password?: string;
	/** Extra redis-server arguments, e.g. ['--maxmemory', '10mb']. */
	args?: string[];
	/** Use this port instead of a free one. */
	port?: number;
	logFile?: string;
	timeoutMs?: number;
}
export interface RedisServer {
	port: number;
	host: string;
	/** redis://[:password@]127.0.0.1:PORT/0 */
	url: string;
	readonly pid: number;
	output(): string;
	/** SIGTERM (redis shuts down without saving) and wait for exit. */
	stop(): Promise<void>;
	kill9(): Promise<void>;
	/** Stop if running, then start again on the same port (empty data). */
	restart(): Promise<void>;
	/** redis-cli -h 127.0.0.1 -p PORT ...args; stdout without the final newline. */
	cli(...args: string[]): Promise<string>;
}
export declare function startRedis(opts?: StartRedisOptions): Promise<RedisServer>;

export interface StartWorkerOptions {
	brokerUrl: string;
	/** 'w1' becomes the node name w1@%h; a name with '@' is used as is. */
	name: string;
	concurrency?: number;
	pool?: 'prefork' | 'solo' | 'threads' | 'gevent';
	/** -E (default true). false also turns off the app's worker_send_task_events. */
	events?: boolean;
	extraEnv?: Record<string, string>;
	/** -Q queue list (default: the app's default queue 'celery'). */
	queues?: string[];
	logFile?: string;
	/** How long to wait for the "ready." log line (default 30 s). */
	timeoutMs?: number;
}
export interface CeleryWorker {
	/** Actual node name from the log, e.g. w1@vm. */
	hostname: string;
	pid: number;
	/** Resolves with the exit code once the main process has exited. */
	exited: Promise<number | null>;
	/** Signal the main process (default SIGTERM = warm shutdown), SIGKILL the group after timeoutMs (default 20 s). */
	stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
	/** SIGKILL the worker and its pool children (no worker-offline is sent). */
	kill9(): Promise<void>;
	/** Captured stdout+stderr (last 512 KiB). */
	output(): string;
}
export declare function startWorker(opts: StartWorkerOptions): Promise<CeleryWorker>;

export interface TaskSpec {
	task: string;
	args?: unknown[];
	kwargs?: object;
	countdown?: number;
	taskId?: string;
	queue?: string;
	priority?: number;
	/** Seconds from now. */
	expires?: number;
	/** Stamped headers {header: value} (Celery 5.3+; revoke_by_stamped_headers matches them). */
	stamps?: Record<string, string>;
}
export declare function sendTasks(
	brokerUrl: string,
	specs: TaskSpec[],
	opts?: {timeoutMs?: number; extraEnv?: Record<string, string>},
): Promise<string[]>;

export declare function startProducer(opts: {
	brokerUrl: string;
	rate?: number;
	count?: number;
	logFile?: string;
}): TrackedChild;
