// A lean RESP2 connection for the key scanner's hot path: pipelined commands written as one Buffer,
// replies parsed straight from the socket's bytes (bulk strings stay Buffers, so binary key names
// round-trip exactly). Scanning a million keys through ioredis spends most of its time allocating
// Command objects and collecting garbage; this does not. Also adapts an ioredis client to the same
// `send` interface, so the scanner works with either.
// Time limits: the connect and the setup (AUTH, SELECT, CLIENT SETNAME) within --connect-timeout; then,
// while replies are awaited, bytes must keep coming: no byte for --command-timeout fails every waiting
// batch and closes the connection (its position in the reply stream is lost).
import {Buffer} from 'node:buffer';
import net from 'node:net';
import tls from 'node:tls';
import type {Redis} from 'ioredis';
import type {Connection} from '../ports/connection.js';
import {resolveEndpoint} from './clients.js';
import {describeConnectionError} from './connection-errors.js';
import {tlsConnectOptions} from './connection-options.js';
import {answeredText, commandLimitOf, connectLimitOf, NoAnswerError, NotRedisError} from './time-limits.js';

export type Arg = string | Buffer | number;
export type Reply = string | number | Buffer | null | Error | Reply[];

/** Anything that runs a batch of commands pipelined and returns one reply per command, in order. */
export type CommandPipe = {readonly send: (commands: ReadonlyArray<readonly Arg[]>) => Promise<Reply[]>};

const CRLF = Buffer.from('\r\n');

function encode(commands: ReadonlyArray<readonly Arg[]>): Buffer {
	const parts: Buffer[] = [];
	for (const args of commands) {
		let head = `*${args.length}\r\n`;
		for (const arg of args) {
			if (Buffer.isBuffer(arg)) {
				parts.push(Buffer.from(`${head}$${arg.length}\r\n`, 'latin1'), arg, CRLF);
				head = '';
			} else {
				const text = String(arg);
				head += `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
			}
		}
		if (head) parts.push(Buffer.from(head, 'utf8'));
	}
	return Buffer.concat(parts);
}

/** Parse one reply at `at`; undefined when the buffer does not hold all of it yet. */
function parse(buffer: Buffer, at: number): [Reply, number] | undefined {
	if (at >= buffer.length) return undefined;
	const end = buffer.indexOf(13, at);
	if (end === -1 || end + 1 >= buffer.length) return undefined;
	const type = buffer[at];
	const line = buffer.toString('latin1', at + 1, end);
	const next = end + 2;
	switch (type) {
		case 43: // +
			return [line, next];
		case 45: // -
			return [new Error(line), next];
		case 58: // :
			return [Number(line), next];
		case 36: {
			// $
			const length = Number(line);
			if (length < 0) return [null, next];
			if (next + length + 2 > buffer.length) return undefined;
			return [Buffer.from(buffer.subarray(next, next + length)), next + length + 2];
		}
		case 42: {
			// *
			const count = Number(line);
			if (count < 0) return [null, next];
			const items: Reply[] = [];
			let position = next;
			for (let i = 0; i < count; i++) {
				const item = parse(buffer, position);
				if (!item) return undefined;
				items.push(item[0]);
				position = item[1];
			}
			return [items, position];
		}
		default:
			throw new Error(`unexpected RESP reply type ${String.fromCharCode(type ?? 0)}`);
	}
}

type Waiter = {
	count: number;
	replies: Reply[];
	resolve: (replies: Reply[]) => void;
	reject: (error: Error) => void;
};

export class RespConnection implements CommandPipe {
	readonly #socket: net.Socket;
	readonly #waiters: Waiter[] = [];
	#pending: Buffer = Buffer.alloc(0);
	#closed: Error | undefined;
	/** Longest wait for the next byte of an awaited reply; undefined during open() (its deadline rules). */
	#replyLimitMs: number | undefined;
	#replyTimer: NodeJS.Timeout | undefined;

	private constructor(socket: net.Socket) {
		this.#socket = socket;
		socket.setNoDelay(true);
		socket.on('data', (chunk: Buffer) => this.#data(chunk));
		socket.on('error', (error) => this.#fail(error));
		socket.on('close', () => this.#fail(new Error('connection closed')));
	}

	/**
	 * Connect, AUTH, SELECT the db and name the connection, all within the connect limit; rejects with a
	 * one-line, password-free error.
	 */
	static async open(
		connection: Connection,
		display: string,
		name = 'celerytop-scan',
	): Promise<RespConnection> {
		let c: Connection;
		try {
			c = await resolveEndpoint(connection);
		} catch (error) {
			throw new Error(describeConnectionError(error, display, connection));
		}
		const socket = c.path
			? net.connect({path: c.path})
			: c.tls
				? tls.connect(tlsConnectOptions(c))
				: net.connect({host: c.host, port: c.port});
		const self = new RespConnection(socket);
		const limit = connectLimitOf(c);
		// One deadline for the connect and the setup replies: destroying the socket fails both.
		const deadline = setTimeout(
			() => socket.destroy(new NoAnswerError(socket.connecting ? 'connect' : 'handshake', limit)),
			limit,
		);
		try {
			await new Promise<void>((resolve, reject) => {
				socket.once(c.tls && !c.path ? 'secureConnect' : 'connect', () => resolve());
				socket.once('error', reject);
			});
			const setup: Arg[][] = [];
			if (c.password !== undefined)
				setup.push(c.username ? ['AUTH', c.username, c.password] : ['AUTH', c.password]);
			setup.push(['SELECT', c.db], ['CLIENT', 'SETNAME', name]);
			for (const reply of await self.send(setup)) if (reply instanceof Error) throw reply;
			self.#replyLimitMs = commandLimitOf(c);
			return self;
		} catch (error) {
			self.close();
			throw new Error(describeConnectionError(error, display, c));
		} finally {
			clearTimeout(deadline);
		}
	}

	send(commands: ReadonlyArray<readonly Arg[]>): Promise<Reply[]> {
		if (this.#closed) return Promise.reject(this.#closed);
		if (commands.length === 0) return Promise.resolve([]);
		return new Promise((resolve, reject) => {
			this.#waiters.push({count: commands.length, replies: [], resolve, reject});
			this.#socket.write(encode(commands));
			this.#armReplyTimer();
		});
	}

	/** While replies are awaited: fail them all when no byte came for the command limit. */
	#armReplyTimer(): void {
		const limit = this.#replyLimitMs;
		if (limit === undefined || this.#replyTimer !== undefined || this.#waiters.length === 0) return;
		this.#replyTimer = setTimeout(() => {
			this.#replyTimer = undefined;
			if (this.#waiters.length > 0) this.#socket.destroy(new NoAnswerError('reply', limit));
		}, limit);
	}

	#data(chunk: Buffer): void {
		clearTimeout(this.#replyTimer);
		this.#replyTimer = undefined;
		const buffer = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
		let at = 0;
		while (this.#waiters.length > 0) {
			let parsed: [Reply, number] | undefined;
			try {
				parsed = parse(buffer, at);
			} catch {
				// Not RESP where a reply should begin: whatever this is, it is not a Redis server.
				this.#pending = Buffer.alloc(0);
				this.#socket.destroy(new NotRedisError(answeredText(buffer.subarray(at))));
				return;
			}
			if (!parsed) break;
			at = parsed[1];
			const waiter = this.#waiters[0]!;
			waiter.replies.push(parsed[0]);
			if (waiter.replies.length === waiter.count) {
				this.#waiters.shift();
				waiter.resolve(waiter.replies);
			}
		}
		this.#pending = at >= buffer.length ? Buffer.alloc(0) : buffer.subarray(at);
		this.#armReplyTimer();
	}

	#fail(error: Error): void {
		this.#closed ??= error;
		clearTimeout(this.#replyTimer);
		this.#replyTimer = undefined;
		for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
	}

	close(): void {
		this.#closed ??= new Error('connection closed');
		clearTimeout(this.#replyTimer);
		this.#replyTimer = undefined;
		this.#socket.destroy();
	}
}

/** The same interface over an ioredis client (bulk replies as Buffers, errors as values). */
export function ioredisPipe(redis: Redis): CommandPipe {
	return {
		async send(commands) {
			const pipeline = redis.pipeline();
			for (const [name, ...args] of commands) pipeline.callBuffer(String(name), ...args);
			const replies = (await pipeline.exec()) ?? [];
			return replies.map(([error, value]) => (error ? error : (value as Reply)));
		},
	};
}

export function asPipe(target: Redis | CommandPipe): CommandPipe {
	return 'pipeline' in target ? ioredisPipe(target) : target;
}
