// Opt-in MONITOR on its own connection, with a time cap. MONITOR costs the server throughput (every
// command is copied to us), so it is never on by default and always stops by itself.
// A plain socket (not ioredis) so the raw lines reach our own parser: ioredis' monitor mode drops
// escapes. The connection speaks just enough RESP: AUTH, CLIENT SETNAME, MONITOR, then +lines.
// The connect and the three setup replies must come within --connect-timeout; once MONITOR runs, the
// connection waits by design (a quiet server sends nothing) until the cap.
import {Buffer} from 'node:buffer';
import net from 'node:net';
import tls from 'node:tls';
import type {Connection} from '../ports/connection.js';
import {parseMonitorLine, type MonitorRecord} from '../protocol/monitor.js';
import {RingBuffer} from '../state/ring-buffer.js';
import {resolveEndpoint} from './clients.js';
import {describeConnectionError} from './connection-errors.js';
import {tlsConnectOptions} from './connection-options.js';
import {answeredText, connectLimitOf, looksLikeResp, NoAnswerError, NotRedisError} from './time-limits.js';
import type {MonitorSnapshot, MonitorState} from '../ports/inspector.js';
import {DEFAULT_MONITOR_CAP_SECONDS} from '../ports/defaults.js';

export type MonitorTapOptions = {
	readonly display: string;
	/** Stop after this many seconds (default 60). */
	readonly capSeconds?: number;
	readonly bufferSize?: number;
	readonly onRecord?: (record: MonitorRecord) => void;
	/** Minimum ms between snapshot notifications (default 100). */
	readonly notifyEveryMs?: number;
};

function resp(args: readonly string[]): string {
	return `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
}

export class MonitorTap {
	readonly #buffer: RingBuffer<MonitorRecord>;
	readonly #listeners = new Set<() => void>();
	readonly #options: MonitorTapOptions;
	readonly #connection: Connection;
	#socket: net.Socket | undefined;
	#state: MonitorState = 'connecting';
	#error: string | undefined;
	#malformed = 0;
	#startedAt: number | undefined;
	#snapshot: MonitorSnapshot | undefined;
	#timer: NodeJS.Timeout | undefined;
	#notifyTimer: NodeJS.Timeout | undefined;
	#resolveDone!: () => void;
	/** Resolves when the tap has stopped (cap reached, stop(), or an error). */
	readonly done: Promise<void>;

	constructor(connection: Connection, options: MonitorTapOptions) {
		this.#connection = connection;
		this.#options = options;
		this.#buffer = new RingBuffer(options.bufferSize ?? 5000);
		this.done = new Promise((resolve) => (this.#resolveDone = resolve));
	}

	/** Connect, authenticate and start MONITOR; resolves once the server said OK (or rejects). */
	async start(): Promise<void> {
		let c: Connection;
		try {
			c = await resolveEndpoint(this.#connection);
		} catch (error) {
			const message = describeConnectionError(error, this.#options.display, this.#connection);
			this.#finish('error', message);
			throw new Error(message);
		}
		if (this.#state !== 'connecting') return; // stopped while the sentinel answered
		const socket = c.path
			? net.connect({path: c.path})
			: c.tls
				? tls.connect(tlsConnectOptions(c))
				: net.connect({host: c.host, port: c.port});
		this.#socket = socket;
		const setup: string[][] = [];
		if (c.password !== undefined)
			setup.push(c.username ? ['AUTH', c.username, c.password] : ['AUTH', c.password]);
		setup.push(['CLIENT', 'SETNAME', 'celerytop-monitor'], ['MONITOR']);
		let pendingOk = setup.length;
		let rest = '';
		const limit = connectLimitOf(c);
		return new Promise<void>((resolve, reject) => {
			let deadline: NodeJS.Timeout | undefined;
			const fail = (error: unknown) => {
				clearTimeout(deadline);
				const message = describeConnectionError(error, this.#options.display, c);
				if (this.#state === 'connecting') reject(new Error(message));
				this.#finish('error', message);
			};
			// The connect and the setup replies, within the connect limit; bytes that came but are not RESP
			// (no line end yet) name a server that is not Redis.
			deadline = setTimeout(() => {
				if (this.#state !== 'connecting') return;
				const sent = Buffer.from(rest, 'latin1');
				fail(
					sent.length > 0 && !looksLikeResp(sent)
						? new NotRedisError(answeredText(sent))
						: new NoAnswerError(socket.connecting ? 'connect' : 'handshake', limit),
				);
			}, limit);
			deadline.unref(); // stop() while connecting must not keep the process up until it fires
			socket.setEncoding('latin1'); // MONITOR lines are ASCII; keep any byte as is
			socket.once(c.tls && !c.path ? 'secureConnect' : 'connect', () =>
				socket.write(setup.map(resp).join('')),
			);
			socket.on('error', fail);
			socket.on('close', () => {
				if (this.#state === 'connecting') fail(new Error('connection closed before MONITOR started'));
				else this.#finish('stopped');
			});
			socket.on('data', (chunk: string) => {
				rest += chunk;
				let end: number;
				while ((end = rest.indexOf('\r\n')) !== -1) {
					const line = rest.slice(0, end);
					rest = rest.slice(end + 2);
					if (line.startsWith('-')) return fail(new Error(line.slice(1)));
					if (pendingOk > 0) {
						// Each setup command answers +OK; anything else is not a Redis server talking.
						if (!line.startsWith('+'))
							return fail(new NotRedisError(answeredText(Buffer.from(line, 'latin1'))));
						if (--pendingOk === 0) {
							clearTimeout(deadline);
							this.#state = 'running';
							this.#startedAt = Date.now() / 1000;
							const cap = this.#options.capSeconds ?? DEFAULT_MONITOR_CAP_SECONDS;
							this.#timer = setTimeout(() => this.stop(), cap * 1000);
							this.#changed();
							resolve();
						}
						continue;
					}
					this.#line(line);
				}
			});
		});
	}

	#line(line: string): void {
		const record = parseMonitorLine(line);
		if (!record) {
			this.#malformed++;
			return;
		}
		this.#buffer.push(record);
		this.#options.onRecord?.(record);
		this.#changed();
	}

	#changed(): void {
		this.#snapshot = undefined;
		if (this.#notifyTimer) return;
		this.#notifyTimer = setTimeout(() => {
			this.#notifyTimer = undefined;
			for (const listener of this.#listeners) listener();
		}, this.#options.notifyEveryMs ?? 100);
		this.#notifyTimer.unref();
	}

	#finish(state: 'stopped' | 'error', error?: string): void {
		if (this.#state === 'stopped' || this.#state === 'error') return;
		this.#state = state;
		this.#error = error;
		clearTimeout(this.#timer);
		this.#socket?.destroy();
		this.#changed();
		this.#resolveDone();
	}

	/** Stop MONITOR (closes its connection). Safe to call more than once. */
	async stop(): Promise<void> {
		this.#finish('stopped');
		await this.done;
	}

	readonly subscribe = (listener: () => void): (() => void) => {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	};

	readonly getSnapshot = (): MonitorSnapshot => {
		this.#snapshot ??= {
			state: this.#state,
			error: this.#error,
			records: this.#buffer.newestFirst(),
			total: this.#buffer.totalPushed,
			malformed: this.#malformed,
			startedAt: this.#startedAt,
		};
		return this.#snapshot;
	};
}

/** Start a tap; the promise rejects with a one-line, password-free error when MONITOR cannot start. */
export async function startMonitor(connection: Connection, options: MonitorTapOptions): Promise<MonitorTap> {
	const tap = new MonitorTap(connection, options);
	await tap.start();
	return tap;
}
