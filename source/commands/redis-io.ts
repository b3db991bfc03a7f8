// Shared plumbing of the headless Redis commands: flag checks, where to read, stdout that survives
// `| head`, Ctrl-C as an AbortSignal. The commands connect with openDb (redis/db-check.ts): the db is
// checked by its SELECT before anything is read.
import type {Config, Connection} from '../config.js';
import {probeWithReplica} from '../redis/probe.js';
import {readTarget} from '../redis/replica.js';

export type CheckedOptions = {
	readonly sample?: number;
	readonly duration?: number;
	readonly db?: number;
	readonly visibilityTimeout?: number;
};

export class UsageError extends Error {}

export function fail(message: string, code: number): number {
	process.stderr.write(`celerytop: ${message}\n`);
	return code;
}

export function check(options: CheckedOptions): void {
	const positive = (name: string, value: number | undefined, integer: boolean) => {
		if (value === undefined) return;
		if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
			throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}`);
		}
	};
	positive('sample', options.sample, true);
	positive('duration', options.duration, false);
	positive('visibility-timeout', options.visibilityTimeout, false);
	if (options.db !== undefined && (!Number.isInteger(options.db) || options.db < 0 || options.db > 65_535)) {
		throw new UsageError('--db must be a database number (0, 1, …)');
	}
}

export function connectionFor(config: Config, db: number | undefined): Connection {
	return db === undefined ? config.connection : {...config.connection, db};
}

/**
 * Where a read-only command reads: the replica when --replica is given (checked first: both servers must
 * answer, and a replica that is not a connected replica of the broker is one warning line on stderr),
 * else the broker. `db` (--db) overrides the db of either.
 */
export async function readTargetChecked(
	config: Config,
	db: number | undefined,
): Promise<{connection: Connection; display: string; label: string} | {error: string}> {
	if (config.replica) {
		const checked = await probeWithReplica(config);
		if (!checked.ok) return {error: checked.error};
		if (checked.warning) process.stderr.write(`celerytop: warning: ${checked.warning}\n`);
	}
	return readTarget(config, db);
}

/** stdout that turns EPIPE (`| head`) into a quiet stop. */
export function output(): {write: (text: string) => void; closed: () => boolean} {
	let closed = false;
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') closed = true;
	});
	return {write: (text) => void (closed || process.stdout.write(text)), closed: () => closed};
}

export function abortOnSignals(): {signal: AbortSignal; dispose: () => void} {
	const controller = new AbortController();
	const abort = () => controller.abort();
	process.once('SIGINT', abort);
	process.once('SIGTERM', abort);
	return {
		signal: controller.signal,
		dispose: () => (process.off('SIGINT', abort), process.off('SIGTERM', abort)),
	};
}
