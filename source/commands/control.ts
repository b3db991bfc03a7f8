// `celerytop inspect <method> [args]` and `celerytop control <method> [args]`: one round trip, Celery's
// output (`->  w1@vm: OK` + body) or `--json` ({"<worker>": <reply>, ...}).
// Exit codes: 0 a worker replied (shutdown/heartbeat: the message was sent), 1 no reply or no
// connection, 2 usage, validation or --read-only (nothing published).
import type {Config} from '../config.js';
import {formatReplies} from '../present/control-format.js';
import {commandNames, parseCommandLine} from '../protocol/control.js';
import type {CommandKind} from '../protocol/control-commands.js';
import {parseDestination} from '../protocol/control-wire.js';
import {sanitize} from '../protocol/sanitize.js';
import {probe} from '../redis/probe.js';
import {checkDb} from '../redis/db-check.js';
import {ControlUsageError, ReadOnlyError, createControlClient} from '../redis/control-client.js';
import {ControlConnectionError} from '../redis/control-replies.js';
import {createAuditLog} from '../redis/audit-log.js';

export type ControlCommandOptions = {
	/** Comma-separated node names, or one glob pattern (`w1@*`). */
	readonly destination?: string;
	/** Seconds to wait for replies (default 1). */
	readonly timeout?: number;
	readonly json: boolean;
	/** Output streams (default process.stdout / process.stderr); tests capture them. */
	readonly stdout?: {write(text: string): unknown};
	readonly stderr?: {write(text: string): unknown};
};

export const READ_ONLY_MESSAGE = 'control commands are disabled by --read-only';
export const NO_REPLY_MESSAGE = 'Error: No nodes replied within time constraint';

export async function runControlCommand(
	kind: CommandKind,
	config: Config,
	args: readonly string[],
	options: ControlCommandOptions,
): Promise<number> {
	const stdout = options.stdout ?? process.stdout;
	const stderr = options.stderr ?? process.stderr;
	const usage = (message: string) => {
		stderr.write(`celerytop: ${message}\n`);
		return 2;
	};

	const [method, ...rest] = args;
	if (method === undefined) return usage(`${kind} needs a method: ${commandNames(kind).join(', ')}`);
	if (kind === 'control' && config.readOnly) return usage(READ_ONLY_MESSAGE);
	const parsed = parseCommandLine(kind, method, rest);
	if (!parsed.ok) return usage(parsed.error);
	const target = parseDestination(options.destination);
	if (!target.ok) return usage(target.error);
	const timeout = options.timeout ?? 1;
	if (!(Number.isFinite(timeout) && timeout > 0))
		return usage('--timeout must be a positive number of seconds');

	const reachable = await probe(config.connection, config.brokerDisplay);
	if (!reachable.ok) {
		stderr.write(`celerytop: ${reachable.error}\n`);
		return 1;
	}
	// Replies come back through a list in the broker's db: a db the server lacks is refused here.
	const db = await checkDb(config.connection, config.brokerDisplay);
	if (!db.ok) {
		stderr.write(`celerytop: ${db.error}\n`);
		return 1;
	}

	const client = createControlClient({
		connection: config.connection,
		transport: config.transport,
		readOnly: config.readOnly,
		display: config.brokerDisplay,
		audit: config.auditLog
			? createAuditLog(config.auditLog, (message) => stderr.write(`celerytop: ${message}\n`))
			: undefined,
	});
	const {spec} = parsed.value;
	try {
		const result = await client.call(method, parsed.value.arguments, {
			destination: target.value.destination ?? undefined,
			pattern: target.value.pattern ?? undefined,
			matcher: target.value.matcher ?? undefined,
			timeout,
		});
		if (!spec.replies) {
			if (options.json) stdout.write('{}\n');
			else {
				const who = options.destination ? sanitize(options.destination) : 'all workers';
				const confirm =
					method === 'shutdown' ? ' (workers do not reply; worker-offline events confirm it)' : '';
				stdout.write(`-> ${method} sent to ${who}${confirm}\n`);
			}
			return 0;
		}
		if (Object.keys(result.replies).length === 0) {
			stderr.write(`${NO_REPLY_MESSAGE}\n`);
			return 1;
		}
		stdout.write(
			options.json
				? JSON.stringify(result.replies) + '\n'
				: formatReplies(kind, method, result.replies, {now: Date.now() / 1000}),
		);
		return 0;
	} catch (error) {
		if (error instanceof ReadOnlyError) return usage(READ_ONLY_MESSAGE);
		if (error instanceof ControlUsageError) return usage(error.message);
		if (error instanceof ControlConnectionError) {
			stderr.write(`celerytop: ${error.message}\n`);
			return 1;
		}
		throw error;
	} finally {
		await client.close();
	}
}
