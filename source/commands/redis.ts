// `celerytop redis info|memory|keys|monitor` and `celerytop queues`: headless, readable by default,
// JSON with --json. Errors: one line on stderr; exit 2 for usage, 1 for connection problems and for a
// db the server does not have (checked before anything is read: never another db's figures instead).
import type {Config, Connection} from '../config.js';
import {
	flagLines,
	formatMonitorRecord,
	keyRow,
	memoryHeadline,
	memoryRows,
	overviewLines,
	queueMessageRows,
	queueRows,
} from '../present/redis-view.js';
import {parseInfo, redisWarnings, watchedFigures} from '../protocol/redis-info.js';
import {sanitize} from '../protocol/sanitize.js';
import {describeConnectionError} from '../redis/connection-errors.js';
import {checkDb, openDbWithin} from '../redis/db-check.js';
import {scanKeys} from '../redis/key-scanner.js';
import {memoryReport} from '../redis/memory.js';
import {DEFAULT_MONITOR_CAP_SECONDS, MONITOR_WARNING} from '../ports/defaults.js';
import {startMonitor} from '../redis/monitor-tap.js';
import type {QueuesResult} from '../ports/inspector.js';
import {readQueues} from '../redis/queues.js';
import type {RespConnection} from '../redis/resp-connection.js';
import {queuesJson, textTable} from './redis-output.js';
import {
	abortOnSignals,
	check,
	connectionFor,
	fail,
	output,
	readTargetChecked,
	UsageError,
} from './redis-io.js';

export type RedisCommandOptions = {
	readonly json: boolean;
	readonly pattern?: string;
	readonly sample?: number;
	readonly duration?: number;
	readonly db?: number;
	readonly visibilityTimeout?: number;
};

export const REDIS_SUBCOMMANDS = ['info', 'memory', 'keys', 'monitor'] as const;

export async function runRedisCommand(
	config: Config,
	args: readonly string[],
	options: RedisCommandOptions,
): Promise<number> {
	const [sub, ...rest] = args;
	try {
		if (sub === undefined) throw new UsageError(`missing redis command (${REDIS_SUBCOMMANDS.join(', ')})`);
		if (!(REDIS_SUBCOMMANDS as readonly string[]).includes(sub))
			throw new UsageError(`unknown redis command '${sanitize(sub)}' (${REDIS_SUBCOMMANDS.join(', ')})`);
		if (rest.length > 0) throw new UsageError(`unexpected argument '${sanitize(rest[0]!)}'`);
		check(options);
	} catch (error) {
		if (error instanceof UsageError) return fail(error.message, 2);
		throw error;
	}
	if (sub === 'monitor') {
		// MONITOR sees every db, but its records are shown for the db asked: that db must exist.
		const connection = connectionFor(config, options.db);
		const checked = await checkDb(connection, config.brokerDisplay);
		if (!checked.ok) return fail(checked.error, 1);
		return monitor(config, connection, options);
	}
	// INFO and the scans read from the replica when --replica names one.
	const target = await readTargetChecked(config, options.db);
	if ('error' in target) return fail(target.error, 1);
	const {connection, display} = target;
	const from = config.replica ? target.label : undefined;
	// Everything goes over the lean RESP connection, its SELECT answered before anything is read (a
	// million keys without ioredis' per-command cost, and no silent fallback to db 0).
	let pipe: RespConnection;
	try {
		pipe = await openDbWithin(connection, display, sub === 'info' ? 'celerytop-stats' : 'celerytop-scan');
	} catch (error) {
		return fail((error as Error).message, 1);
	}
	try {
		if (sub === 'info') return await info(pipe, connection.db, options, from);
		return sub === 'memory' ? await memory(config, pipe, connection.db, options) : await keys(pipe, options);
	} catch (error) {
		return fail(describeConnectionError(error, display, connection), 1);
	} finally {
		pipe.close();
	}
}

/** `from`: `replica host:port` with --replica (said in the output, since INFO describes that server). */
async function info(
	redis: RespConnection,
	db: number,
	options: RedisCommandOptions,
	from: string | undefined,
): Promise<number> {
	const out = output();
	const [infoReply, dbsizeReply] = await redis.send([['INFO'], ['DBSIZE']]);
	if (infoReply instanceof Error) throw infoReply;
	if (dbsizeReply instanceof Error) throw dbsizeReply;
	const parsed = parseInfo(String(infoReply ?? ''));
	const figures = watchedFigures(parsed);
	const dbsize = Number(dbsizeReply ?? 0);
	const warnings = redisWarnings(figures);
	if (options.json) {
		const source = from === undefined ? {} : {from};
		out.write(
			JSON.stringify({...parsed, celerytop: {db, dbsize, ...source, watched: figures, warnings}}) + '\n',
		);
		return 0;
	}
	const lines = overviewLines(
		{figures, dbsize, rates: {expiredPerSec: 0, evictedPerSec: 0}, warnings, db},
		Date.now() / 1000,
	);
	if (from !== undefined) {
		const link = parsed['replication']?.['master_link_status'];
		out.write(`${'from'.padEnd(12)} ${from}${link === undefined ? '' : ` (master link ${String(link)})`}\n`);
	}
	out.write(
		lines
			.filter((l) => !['expired/s', 'evicted/s'].includes(l.label))
			.map((l) => `${l.label.padEnd(12)} ${l.value}`)
			.join('\n') + '\n',
	);
	return 0;
}

async function memory(
	config: Config,
	redis: RespConnection,
	db: number,
	options: RedisCommandOptions,
): Promise<number> {
	const out = output();
	const {signal, dispose} = abortOnSignals();
	const tty = process.stderr.isTTY === true;
	const report = await memoryReport(redis, {
		db,
		transport: config.transport,
		pattern: options.pattern,
		sample: options.sample,
		signal,
		onProgress: tty
			? (p) =>
					process.stderr.write(
						`\rscanning ${p.scanned.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')} keys`,
					)
			: undefined,
	}).finally(dispose);
	if (tty) process.stderr.write('\r\u001B[K');
	if (report.cancelled) return fail('memory scan cancelled', 130);
	if (options.json) {
		out.write(JSON.stringify(report) + '\n');
		return 0;
	}
	const rows = memoryRows(report);
	out.write(memoryHeadline(report) + '\n\n');
	out.write(
		textTable(rows, [
			['family', 'FAMILY'],
			['kind', 'KIND'],
			['keys', 'KEYS', true],
			['bytes', 'BYTES', true],
			['share', 'SHARE', true],
			['withoutTtl', 'NO TTL', true],
			['ttls', 'TTLS'],
			['biggest', 'BIGGEST'],
		]),
	);
	const flags = flagLines(report.flags);
	if (flags.length > 0)
		out.write(
			'\n' + flags.map((f) => `${f.tone === 'dim' ? 'note' : 'warning'}: ${f.value}`).join('\n') + '\n',
		);
	return 0;
}

async function keys(redis: RespConnection, options: RedisCommandOptions): Promise<number> {
	const out = output();
	const {signal, dispose} = abortOnSignals();
	try {
		for await (const batch of scanKeys(redis, {match: options.pattern, signal})) {
			let text = '';
			for (const k of batch) {
				if (options.json)
					text += JSON.stringify({key: k.key, type: k.type, ttl: k.ttl, bytes: k.bytes ?? null}) + '\n';
				else {
					const row = keyRow(k);
					text += `${row.bytes.padStart(9)}  ${row.ttl.padStart(8)}  ${row.type.padEnd(6)}  ${row.key}\n`;
				}
			}
			out.write(text);
			if (out.closed()) break;
		}
	} finally {
		dispose();
	}
	return signal.aborted ? 130 : 0;
}

async function monitor(
	config: Config,
	connection: Connection,
	options: RedisCommandOptions,
): Promise<number> {
	const out = output();
	const cap = options.duration ?? DEFAULT_MONITOR_CAP_SECONDS;
	// MONITOR shows the commands run on the server it runs on: on a replica, only the replication stream.
	if (config.replica)
		process.stderr.write(
			`celerytop: MONITOR runs on the broker ${config.brokerDisplay}, not on the replica\n`,
		);
	let tap;
	try {
		tap = await startMonitor(connection, {
			display: config.brokerDisplay,
			capSeconds: cap,
			bufferSize: 1,
			onRecord: (r) =>
				out.write(options.json ? JSON.stringify(r) + '\n' : sanitize(formatMonitorRecord(r, 200)) + '\n'),
		});
	} catch (error) {
		return fail((error as Error).message, 1);
	}
	process.stderr.write(`celerytop: ${MONITOR_WARNING} (after ${cap} s; Ctrl-C stops it sooner)\n`);
	const stop = () => void tap.stop();
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	const poll = setInterval(() => out.closed() && stop(), 200);
	await tap.done;
	clearInterval(poll);
	process.off('SIGINT', stop);
	process.off('SIGTERM', stop);
	const snapshot = tap.getSnapshot();
	if (snapshot.state === 'error') return fail(snapshot.error ?? 'MONITOR failed', 1);
	return 0;
}

export type QueuesCommandOptions = {
	readonly json: boolean;
	readonly db?: number;
	readonly visibilityTimeout?: number;
};

export async function runQueuesCommand(config: Config, options: QueuesCommandOptions): Promise<number> {
	try {
		check(options);
	} catch (error) {
		if (error instanceof UsageError) return fail(error.message, 2);
		throw error;
	}
	// Queue lengths and the next messages are reads: from the replica with --replica.
	const target = await readTargetChecked(config, options.db);
	if ('error' in target) return fail(target.error, 1);
	const {connection, display} = target;
	let pipe: RespConnection;
	try {
		pipe = await openDbWithin(connection, display, 'celerytop-scan');
	} catch (error) {
		return fail((error as Error).message, 1);
	}
	let result: QueuesResult;
	try {
		result = await readQueues(pipe, {
			transport: config.transport,
			visibilityTimeout: options.visibilityTimeout,
		});
	} catch (error) {
		return fail(describeConnectionError(error, display, connection), 1);
	} finally {
		pipe.close();
	}
	const out = output();
	if (options.json) {
		out.write(JSON.stringify(queuesJson(result)) + '\n');
		return 0;
	}
	out.write(
		`db ${connection.db}: ${result.queues.length} queue(s); unacked ${result.unackedTotal}; visibility timeout ${result.visibilityTimeout} s\n\n`,
	);
	out.write(
		textTable(queueRows(result.queues), [
			['queue', 'QUEUE'],
			['messages', 'MESSAGES', true],
			['priorities', 'BY PRIORITY'],
			['unacked', 'UNACKED', true],
			['oldestUnacked', 'OLDEST UNACKED', true],
			['next', 'NEXT'],
		]),
	);
	for (const queue of result.queues) {
		const {next, unacked} = queueMessageRows(queue, result.now);
		if (next.length === 0 && unacked.length === 0 && queue.warnings.length === 0) continue;
		out.write(`\n${sanitize(queue.queue)}:\n`);
		for (const w of queue.warnings) out.write(`  warning: ${sanitize(w)}\n`);
		for (const m of next)
			out.write(`  next ${m.position.padEnd(4)} ${m.task} [${m.id}] ${m.args} eta ${m.eta}; ${m.detail}\n`);
		for (const u of unacked)
			out.write(`  unacked ${u.position} ${u.task} [${u.id}] ${u.args}; ${u.detail}\n`);
	}
	return 0;
}
