// The control client's Redis side (docs/WIRE.md §5.3, §5.6): the PUBLISH of a request, the reply
// gathering over BRPOP on a reply queue bound for the call, and the cleanup of that queue's lists
// (at once, then again a little later for a late LPUSH). What is published comes from the caller.
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
import {decodeReply} from '../protocol/control-wire.js';
import type {TransportOptions} from '../protocol/types.js';
import {createRedis} from './clients.js';
import {describeConnectionError} from './connection-errors.js';
import {commandLimitOf, isTimeout, NoAnswerError, within} from './time-limits.js';

/** Redis failed under a call; the message names the broker without its password. */
export class ControlConnectionError extends Error {
	override readonly name = 'ControlConnectionError';
}

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

export type ControlRepliesOptions = {
	readonly connection: Connection;
	readonly transport: TransportOptions;
	/** Celery's control_exchange. */
	readonly exchange: string;
	/** The broker as shown in errors; never contains the password. */
	readonly display: string;
	/** Delay of the second DEL of a call's reply lists, for a late LPUSH. */
	readonly lateMs: number;
	/** Epoch seconds. */
	readonly clock: () => number;
	/** The client is closing: connections are no longer kept, late DELs no longer run. */
	readonly isClosed: () => boolean;
};

/** The request's channel payload, built at `now` (a cast, or a call when `reply` is given). */
export type BuildRequest = (now: number, reply?: {readonly ticket: string; readonly oid: string}) => string;

export type ControlReplies = {
	/** PUBLISH a request with no reply queue and wait for nothing. */
	publishCast(build: BuildRequest): Promise<CallResult>;
	/**
	 * Bind a reply queue, PUBLISH the request and gather replies for `timeout` seconds (or until
	 * `expected` came); `onClock` is told each reply's Lamport clock.
	 */
	roundTrip(
		build: BuildRequest,
		timeout: number,
		expected: number | undefined,
		onClock: (clock: number) => void,
	): Promise<CallResult>;
	/** Once no call is in flight: runs the pending second DELs, closes the connections. */
	close(): Promise<void>;
};

const MAX_IDLE_BLOCKING = 2;
/** On close, the second DEL runs at least this long after the first (the late-LPUSH window is ~1 ms). */
const CLOSE_GRACE_MS = 150;

type Pending = {readonly keys: string[]; readonly due: number; readonly timer: NodeJS.Timeout};

export function createControlReplies(options: ControlRepliesOptions): ControlReplies {
	const {connection, transport, exchange, display, lateMs, clock, isClosed} = options;
	const sep = typeof transport.sep === 'string' ? transport.sep : DEFAULT_SEP;
	const channel = pidboxChannel(connection.db, transport, exchange);
	const bindingKey = replyBindingKey(transport, exchange);

	let command: Redis | undefined;
	const idle: Redis[] = [];
	const allBlocking = new Set<Redis>();
	const pending = new Set<Pending>();
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
		if (healthy && !isClosed() && idle.length < MAX_IDLE_BLOCKING) {
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
				if (!isClosed()) void deleteLists(keys);
			}, lateMs),
		};
		entry.timer.unref();
		pending.add(entry);
	};

	const publishCast = async (build: BuildRequest): Promise<CallResult> => {
		const started = clock();
		const channelPayload = build(started);
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
		build: BuildRequest,
		timeout: number,
		expected: number | undefined,
		onClock: (clock: number) => void,
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
			const channelPayload = build(started, {ticket, oid});
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
						if (reply.clock !== undefined) onClock(reply.clock);
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

	return {
		publishCast,
		roundTrip,
		async close() {
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
