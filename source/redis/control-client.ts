// The only code that publishes Celery control messages (docs/WIRE.md §5.3, §5.6). --read-only is
// enforced here, below the UI: no control-kind method is ever published by a read-only client.
// What goes over Redis, and the reply gathering, is in control-replies.ts.
import {randomUUID} from 'node:crypto';
import type {Connection} from '../ports/connection.js';
import type {Arguments} from '../protocol/control-args.js';
import {findCommand, validateArguments, type Matcher} from '../protocol/control.js';
import {buildRequest} from '../protocol/control-wire.js';
import type {TransportOptions} from '../protocol/types.js';
import type {AuditLog} from './audit-log.js';
import {createControlReplies, type BuildRequest, type CallResult} from './control-replies.js';

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

export function createControlClient(options: ControlClientOptions): ControlClient {
	const {connection, transport, readOnly} = options;
	const exchange = options.controlExchange ?? 'celery';
	const clock = () => Date.now() / 1000;
	const lateMs = options.lateCleanupMs ?? 1000;
	const display =
		options.display ?? connection.path ?? `redis://${connection.host}:${connection.port}/${connection.db}`;

	const inFlight = new Set<Promise<unknown>>();
	let lamport = 0;
	let closed = false;
	const replies = createControlReplies({
		connection,
		transport,
		exchange,
		display,
		lateMs,
		clock,
		isClosed: () => closed,
	});
	const onClock = (seen: number) => {
		lamport = Math.max(lamport, seen) + 1;
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

	const build =
		(
			method: string,
			args: Arguments,
			opts: CallOptions,
			timeout: number,
			destination: string[],
		): BuildRequest =>
		(now, reply) =>
			request(method, args, opts, timeout, destination, now, reply);

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
				? replies.roundTrip(
						build(method, prepared.args, opts, timeout, destination),
						timeout,
						expected,
						onClock,
					)
				: replies.publishCast(build(method, prepared.args, opts, timeout, destination));
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
			const sending = replies.publishCast(build(method, prepared.args, opts, timeout, destination));
			return track(audited(spec, method, prepared.args, opts, destination, sending));
		},
		async close() {
			if (closed) return;
			closed = true;
			await Promise.allSettled([...inFlight]);
			await replies.close();
		},
	};
}
