// The only code that publishes Celery control messages (wire doc §5.3, §5.6). --read-only is
// enforced here, below the UI: no control-kind method is ever published by a read-only client.
import {randomUUID} from 'node:crypto';
import type {Redis} from 'ioredis';
import type {Connection} from '../ports/connection.js';
import {
	bindingMember,
	DEFAULT_SEP,
	pidboxChannel,
	priorityQueueKeys,
	replyBindingKey,
	replyQueueKey,
	replyQueueName,
} from '../protocol/channels.js';
import {findCommand, validateArguments, type Arguments, type Matcher} from '../protocol/control.js';
import {buildRequest, decodeReply} from '../protocol/control-wire.js';
import type {TransportOptions} from '../protocol/types.js';
import type {AuditLog} from './audit-log.js';
import {createRedis, describeConnectionError} from './clients.js';
import {commandLimitOf, isTimeout, NoAnswerError, within} from './time-limits.js';

/** A control-kind method asked of a read-only client: nothing was sent. */
export class ReadOnlyError extends Error {
	override readonly name = 'ReadOnlyError';
	constructor(readonly method: string) {
		super(`control commands are disabled by --read-only (refused: ${method})`);
	}
}

/** Unknown method, bad arguments or bad targeting options: nothing was sent. */
export class ControlUsageError extends Error {
	override readonly name = 'ControlUsageError';
}

/** Redis failed under a call; the message names the broker without its password. */
export class ControlConnectionError extends Error {
	override readonly name = 'ControlConnectionError';
}

export type ControlClientOptions = {
	readonly connection: Connection;
	readonly transport: TransportOptions;
	readonly readOnly: boolean;
	/** Celery's control_exchange (default 'celery' → 'celery.pidbox', 'reply.celery.pidbox'). */
	readonly controlExchange?: string;
	/** The broker as shown in errors (Config.brokerDisplay); never contains the password. */
	readonly display?: string;
	/** Told of every control-kind command sent (or failed while sending): the audit log. */
	readonly audit?: AuditLog;
	/** Delay of the second DEL of a call's reply lists, for a late LPUSH (default 1000 ms). */
	readonly lateCleanupMs?: number;
};

export type CallOptions = {
	/** Exact node names; only those run the command. */
	readonly destination?: readonly string[];
	/** A node-name pattern (kombu matcher, 'glob' by default). Ignored by workers when destination is set. */
	readonly pattern?: string;
	readonly matcher?: Matcher;
	/** Seconds to gather replies (default 1, as Celery's CLI). */
	readonly timeout?: number;
	/** Stop as soon as this many replies came (default: destination length; pass the live-worker count). */
	readonly expected?: number;
};

export type CallResult = {
	/** node name → its reply value, in arrival order. Empty for casts. */
	readonly replies: Record<string, unknown>;
	/** Seconds from the PUBLISH to the end of gathering. */
	readonly elapsed: number;
	/** The request was published (always true when the promise resolves). */
	readonly sent: boolean;
	/** PUBLISH's count of subscribers that got it (every worker, plus any PSUBSCRIBE * listener). */
	readonly receivers: number;
	/** Replies set aside: another ticket or not decodable. */
	readonly ignored: number;
};

export type ControlClient = {
	readonly readOnly: boolean;
	/**
	 * Send a command and gather replies. Methods that never reply (shutdown, heartbeat) are published
	 * as casts and resolve at once with `sent: true` and no replies. Throws ReadOnlyError or
	 * ControlUsageError before anything is sent, ControlConnectionError when Redis fails.
	 */
	call(method: string, args?: Arguments, options?: CallOptions): Promise<CallResult>;
	/** Publish with no ticket/reply_to and wait for nothing (what `celery events` does for heartbeat). */
	cast(method: string, args?: Arguments, options?: CallOptions): Promise<CallResult>;
	/** Waits for calls in flight, runs the pending second DELs, closes the connections. */
	close(): Promise<void>;
};

const MAX_IDLE_BLOCKING = 2;
/** On close, the second DEL runs at least this long after the first (the late-LPUSH window is ~1 ms). */
const CLOSE_GRACE_MS = 150;

type Pending = {readonly keys: string[]; readonly due: number; readonly timer: NodeJS.Timeout};

export function createControlClient(options: ControlClientOptions): ControlClient {
	const {connection, transport, readOnly} = options;
	const exchange = options.controlExchange ?? 'celery';
	const clock = () => Date.now() / 1000;
	const lateMs = options.lateCleanupMs ?? 1000;
	const display =
		options.display ?? connection.path ?? `redis://${connection.host}:${connection.port}/${connection.db}`;
	const sep = typeof transport.sep === 'string' ? transport.sep : DEFAULT_SEP;
	const channel = pidboxChannel(connection.db, transport, exchange);
	const bindingKey = replyBindingKey(transport, exchange);

	let command: Redis | undefined;
	const idle: Redis[] = [];
	const allBlocking = new Set<Redis>();
	const inFlight = new Set<Promise<unknown>>();
	const pending = new Set<Pending>();
	let lamport = 0;
	let closed = false;
	let integerTimeouts = false;
	/**
	 * The last command on the command connection hit its time limit: the server is not answering, so
	 * cleanups that would only wait for their own limits in turn (MULTI, the late DEL, QUIT) are skipped.
	 */
	let stalled = false;
	const commandLimit = commandLimitOf(connection);
	const brpopTimeout = (remaining: number): string =>
		integerTimeouts ? String(Math.max(1, Math.round(remaining))) : Math.max(0.01, remaining).toFixed(3);

	const wrap = (error: unknown): Error => {
		if (error instanceof ControlConnectionError) return error;
		if (isTimeout(error)) stalled = true;
		return new ControlConnectionError(describeConnectionError(error, display, connection));
	};

	const commandConnection = (): Redis => {
		command ??= createRedis(connection, 'control');
		return command;
	};

	const acquire = (): Redis => {
		const reused = idle.pop();
		if (reused) return reused;
		// BRPOP waits by design: no command limit on these; each wait is bounded below instead.
		const redis = createRedis(connection, 'control', {blocking: true});
		allBlocking.add(redis);
		return redis;
	};

	const release = (redis: Redis, healthy: boolean) => {
		if (healthy && !closed && idle.length < MAX_IDLE_BLOCKING) {
			idle.push(redis);
			return;
		}
		allBlocking.delete(redis);
		redis.disconnect();
	};

	const deleteLists = (keys: readonly string[]) =>
		commandConnection()
			.del(...keys)
			.then(
				() => undefined,
				() => undefined,
			);

	const scheduleLateDelete = (keys: string[]) => {
		const entry: Pending = {
			keys,
			due: Date.now() + Math.min(lateMs, CLOSE_GRACE_MS),
			timer: setTimeout(() => {
				pending.delete(entry);
				if (!closed) void deleteLists(keys);
			}, lateMs),
		};
		entry.timer.unref();
		pending.add(entry);
	};

	const prepare = (method: string, args: Arguments, opts: CallOptions) => {
		if (closed) throw new ControlUsageError('the control client is closed');
		const spec = findCommand(method);
		if (spec === undefined) {
			// validateArguments names the known methods.
			const checked = validateArguments(method, args);
			throw new ControlUsageError(checked.ok ? `unknown method ${method}` : checked.error);
		}
		if (readOnly && spec.kind === 'control') throw new ReadOnlyError(method);
		const checked = validateArguments(method, args);
		if (!checked.ok) throw new ControlUsageError(checked.error);
		const timeout = opts.timeout ?? 1;
		if (!(Number.isFinite(timeout) && timeout > 0))
			throw new ControlUsageError('timeout must be a positive number of seconds');
		const destination = opts.destination ? [...new Set(opts.destination)] : [];
		if (destination.some((name) => typeof name !== 'string' || name.trim() === ''))
			throw new ControlUsageError('destination: empty node name');
		if (opts.pattern !== undefined && opts.pattern === '') throw new ControlUsageError('pattern: empty');
		if (opts.matcher !== undefined && opts.matcher !== 'glob' && opts.matcher !== 'pcre')
			throw new ControlUsageError(`matcher must be glob or pcre`);
		const wanted = opts.expected ?? (destination.length > 0 ? destination.length : undefined);
		const expected = wanted !== undefined && Number.isInteger(wanted) && wanted > 0 ? wanted : undefined;
		return {spec, args: checked.value, timeout, destination, expected};
	};

	/** The request envelope: a cast, or a call when `reply` names the ticket and the reply queue id. */
	const request = (
		method: string,
		args: Arguments,
		opts: CallOptions,
		timeout: number,
		destination: string[],
		now: number,
		reply?: {readonly ticket: string; readonly oid: string},
	): string =>
		buildRequest({
			method,
			arguments: args,
			destination,
			pattern: opts.pattern ?? null,
			matcher: opts.pattern === undefined ? null : (opts.matcher ?? 'glob'),
			...reply,
			now,
			timeout,
			deliveryTag: randomUUID(),
			clock: ++lamport,
			controlExchange: exchange,
		}).channelPayload;

	const publishCast = async (
		method: string,
		args: Arguments,
		opts: CallOptions,
		timeout: number,
		destination: string[],
	) => {
		const started = clock();
		const channelPayload = request(method, args, opts, timeout, destination, started);
		let receivers: number;
		try {
			receivers = await commandConnection().publish(channel, channelPayload);
			stalled = false;
		} catch (error) {
			throw wrap(error);
		}
		return {replies: {}, elapsed: clock() - started, sent: true, receivers, ignored: 0};
	};

	const roundTrip = async (
		method: string,
		args: Arguments,
		opts: CallOptions,
		timeout: number,
		destination: string[],
		expected: number | undefined,
	): Promise<CallResult> => {
		const oid = randomUUID();
		const ticket = randomUUID();
		const listKey = replyQueueKey(oid, transport, exchange);
		const keys = priorityQueueKeys(listKey, transport);
		const member = bindingMember(oid, '', replyQueueName(oid, exchange), sep);
		const redis = commandConnection();
		const replies: Record<string, unknown> = {};
		let ignored = 0;
		let receivers = 0;
		let started = clock();
		try {
			// The binding must exist before the PUBLISH, or workers find no queue and drop their reply.
			await redis.sadd(bindingKey, member);
			stalled = false;
			started = clock();
			const channelPayload = request(method, args, opts, timeout, destination, started, {ticket, oid});
			receivers = await redis.publish(channel, channelPayload);
			// Nobody subscribed to the pidbox channel: no worker can answer.
			if (receivers > 0) {
				const deadline = started + timeout;
				const blocking = acquire();
				let healthy = false;
				try {
					for (;;) {
						const remaining = deadline - clock();
						if (remaining <= 0) break;
						let popped: [string, string] | null;
						try {
							// The server answers nil when its timeout ends; past that plus the command limit, it
							// is not answering (the connection is then dropped, not reused).
							popped = await within(
								blocking.brpop(...keys, brpopTimeout(remaining)),
								Math.ceil(remaining * 1000) + commandLimit,
								() => new NoAnswerError('reply', commandLimit),
							);
						} catch (error) {
							// Redis < 6 takes whole seconds only: go on with those.
							if (integerTimeouts || !/timeout is not/i.test(String((error as Error)?.message))) throw error;
							integerTimeouts = true;
							continue;
						}
						if (popped === null) continue;
						const reply = decodeReply(popped[1], ticket);
						if (!reply.ok) {
							ignored += 1;
							continue;
						}
						if (reply.clock !== undefined) lamport = Math.max(lamport, reply.clock) + 1;
						replies[reply.hostname] = reply.value;
						if (expected !== undefined && Object.keys(replies).length >= expected) break;
					}
					healthy = true;
				} finally {
					release(blocking, healthy);
				}
			}
			return {replies, elapsed: clock() - started, sent: true, receivers, ignored};
		} catch (error) {
			throw wrap(error);
		} finally {
			// One MULTI: SREM first, so no worker finds the list any more, then DEL every priority list.
			if (!stalled) {
				try {
					await redis.multi().srem(bindingKey, member).del(keys).exec();
				} catch {
					// Best effort; the late DEL below tries again.
				}
			}
			scheduleLateDelete(keys);
		}
	};

	/** Record a control command in the audit log once it was sent, or failed on the way. */
	const audited = (
		spec: {readonly kind: string},
		method: string,
		args: Arguments,
		opts: CallOptions,
		destination: readonly string[],
		promise: Promise<CallResult>,
	): Promise<CallResult> => {
		const audit = options.audit;
		if (!audit || spec.kind !== 'control') return promise;
		const base = {
			time: new Date(clock() * 1000).toISOString(),
			broker: display,
			method,
			arguments: args,
			destination: destination.length > 0 ? destination : null,
			pattern: opts.pattern ?? null,
		};
		promise.then(
			(result) => audit({...base, sent: true, replies: result.replies}),
			(error: unknown) => audit({...base, sent: false, error: String((error as Error)?.message ?? error)}),
		);
		return promise;
	};

	const track = <T>(promise: Promise<T>): Promise<T> => {
		inFlight.add(promise);
		const done = () => inFlight.delete(promise);
		promise.then(done, done);
		return promise;
	};

	return {
		readOnly,
		call(method, args = {}, opts = {}) {
			let prepared;
			try {
				prepared = prepare(method, args, opts);
			} catch (error) {
				return Promise.reject(error);
			}
			const {spec, timeout, destination, expected} = prepared;
			const sending = spec.replies
				? roundTrip(method, prepared.args, opts, timeout, destination, expected)
				: publishCast(method, prepared.args, opts, timeout, destination);
			return track(audited(spec, method, prepared.args, opts, destination, sending));
		},
		cast(method, args = {}, opts = {}) {
			let prepared;
			try {
				prepared = prepare(method, args, opts);
			} catch (error) {
				return Promise.reject(error);
			}
			const {spec, timeout, destination} = prepared;
			const sending = publishCast(method, prepared.args, opts, timeout, destination);
			return track(audited(spec, method, prepared.args, opts, destination, sending));
		},
		async close() {
			if (closed) return;
			closed = true;
			await Promise.allSettled([...inFlight]);
			const late = [...pending];
			pending.clear();
			for (const entry of late) clearTimeout(entry.timer);
			if (late.length > 0 && !stalled) {
				const wait = Math.max(...late.map((entry) => entry.due)) - Date.now();
				if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
				await Promise.all(late.map((entry) => deleteLists(entry.keys)));
			}
			for (const redis of allBlocking) redis.disconnect();
			allBlocking.clear();
			idle.length = 0;
			if (command) {
				if (stalled) command.disconnect();
				else await command.quit().catch(() => command?.disconnect());
				command = undefined;
			}
		},
	};
}
