// Pure view models for the Redis screens and the human CLI output: rows of labelled, sanitized text
// the TUI renders with its table component. No I/O, no clock (`now` is a parameter).
import type {FamilyKind} from '../protocol/keyspace.js';
import type {MemoryFlag, MemoryReport} from '../protocol/memory-report.js';
import {matchesFilter, type MonitorRecord} from '../protocol/monitor.js';
import type {QueueReport} from '../protocol/queue-report.js';
import type {ClientInfo, SlowlogEntry} from '../protocol/redis-clients.js';
import type {CounterRates, RedisWarning, WatchedFigures} from '../protocol/redis-info.js';
import {sanitize} from '../protocol/sanitize.js';
import {formatBytes, formatPercent, formatSeconds, formatTtl, sparkline} from './redis-format.js';

/**
 * The server as a user names it: 'redis 8.0.2', 'valkey 8.1.1 (redis 7.2.4 compatible)'; '?' for a
 * version INFO did not give.
 */
export function serverLabel(f: Pick<WatchedFigures, 'server' | 'version' | 'redisCompatible'>): string {
	const compatible = f.redisCompatible ? ` (redis ${f.redisCompatible} compatible)` : '';
	return `${f.server} ${f.version ?? '?'}${compatible}`;
}

export type Tone = 'ok' | 'warning' | 'critical' | 'dim';
export type OverviewLine = {
	readonly label: string;
	readonly value: string;
	readonly spark?: string;
	readonly tone?: Tone;
};

export type OverviewSample = {
	readonly figures: WatchedFigures;
	readonly dbsize: number;
	readonly rates: CounterRates;
};
export type OverviewInput = OverviewSample & {
	readonly history?: readonly OverviewSample[];
	readonly warnings?: readonly RedisWarning[];
	readonly db?: number;
};

const cut = (text: string, width: number) => (text.length > width ? text.slice(0, width - 1) + '…' : text);
const count = (n: number | undefined) => (n === undefined ? '-' : n.toLocaleString('en-US'));

/** The server overview: the watched figures, each with a sparkline of its recent history. */
export function overviewLines(input: OverviewInput, now: number): OverviewLine[] {
	const f = input.figures;
	const history = input.history ?? [];
	const spark = (pick: (s: OverviewSample) => number | undefined) =>
		sparkline(
			history.map((s) => pick(s) ?? 0),
			30,
		);
	const max = f.maxmemory ?? 0;
	const p = f.persistence;
	const lines: OverviewLine[] = [
		{
			label: 'server',
			value: `${serverLabel(f)} ${f.mode ?? ''} role ${f.role ?? '?'}, up ${formatSeconds(f.uptimeSeconds)}`,
		},
		{
			label: 'memory',
			value: `${formatBytes(f.usedMemory)}${max > 0 ? ` of ${formatBytes(max)} (${formatPercent((f.usedMemory ?? 0) / max, 0)})` : ' (no maxmemory)'}, peak ${formatBytes(f.usedMemoryPeak)}, rss ${formatBytes(f.usedMemoryRss)}, frag ${f.fragmentation?.toFixed(2) ?? '-'}`,
			spark: spark((s) => s.figures.usedMemory),
		},
		{
			label: 'policy',
			value: f.maxmemoryPolicy ?? '-',
			...(f.maxmemoryPolicy?.startsWith('allkeys-') && max > 0 ? {tone: 'warning' as const} : {}),
		},
		{label: 'ops/s', value: count(f.opsPerSec), spark: spark((s) => s.figures.opsPerSec)},
		{
			label: 'clients',
			value: `${count(f.connectedClients)} connected, ${count(f.blockedClients)} blocked`,
			spark: spark((s) => s.figures.connectedClients),
		},
		{
			label: 'hit ratio',
			value: `${formatPercent(f.hitRatio)} (${count(f.keyspaceHits)} hits, ${count(f.keyspaceMisses)} misses)`,
			spark: spark((s) => s.figures.hitRatio),
		},
		{
			label: 'expired/s',
			value: input.rates.expiredPerSec.toFixed(1),
			spark: spark((s) => s.rates.expiredPerSec),
		},
		{
			label: 'evicted/s',
			value: input.rates.evictedPerSec.toFixed(1),
			spark: spark((s) => s.rates.evictedPerSec),
			...(input.rates.evictedPerSec > 0 ? {tone: 'critical' as const} : {}),
		},
		{
			label: 'net in/out',
			value: `${f.netInputKbps?.toFixed(1) ?? '-'} / ${f.netOutputKbps?.toFixed(1) ?? '-'} KB/s`,
			spark: spark((s) => s.figures.netInputKbps),
		},
		{
			label: 'dbsize',
			value: `${count(input.dbsize)}${input.db === undefined ? '' : ` keys in db ${input.db}`}`,
			spark: spark((s) => s.dbsize),
		},
		{
			label: 'keyspace',
			value:
				f.keyspace.map((k) => `db${k.db} ${count(k.keys)} keys (${count(k.expires)} with TTL)`).join(', ') ||
				'empty',
		},
		{
			label: 'persistence',
			value: `${p.loading ? 'LOADING, ' : ''}rdb ${p.rdbLastBgsaveStatus ?? '-'}${p.rdbLastSaveTime ? `, last save ${formatSeconds(now - p.rdbLastSaveTime)} ago` : ''}, ${count(p.rdbChangesSinceLastSave)} changes since; aof ${p.aofEnabled ? (p.aofLastWriteStatus ?? 'on') : 'off'}`,
		},
	];
	for (const warning of input.warnings ?? [])
		lines.push({label: warning.level, value: warning.message, tone: warning.level});
	return lines;
}

export type MemoryRow = {
	readonly family: string;
	readonly kind: FamilyKind;
	readonly keys: string;
	readonly bytes: string;
	readonly share: string;
	readonly withoutTtl: string;
	readonly ttls: string;
	readonly biggest: string;
	readonly estimated: boolean;
};

/** One row per family, biggest first (the report's order). Estimated bytes are marked with '~'. */
export function memoryRows(report: MemoryReport): MemoryRow[] {
	return report.families.map((f) => ({
		family: sanitize(f.family),
		kind: f.kind,
		keys: count(f.keys),
		bytes: `${f.estimated ? '~' : ''}${formatBytes(f.bytes)}`,
		share: formatPercent(f.share),
		withoutTtl: count(f.withoutTtl),
		ttls: Object.entries(f.ttlBuckets)
			.filter(([, n]) => n > 0)
			.map(([bucket, n]) => `${bucket}:${n}`)
			.join(' '),
		biggest: f.biggest[0] ? `${sanitize(f.biggest[0].key)} (${formatBytes(f.biggest[0].bytes)})` : '-',
		estimated: f.estimated,
	}));
}

export function memoryHeadline(report: MemoryReport): string {
	const how = report.sampled
		? `bytes ESTIMATED from ${count(report.measuredKeys)} measured keys`
		: 'exact (MEMORY USAGE of every key)';
	return `db ${report.db}${report.pattern ? ` pattern ${sanitize(report.pattern)}` : ''}: ${count(report.keys)} keys, ${report.sampled ? '~' : ''}${formatBytes(report.bytes)}; ${how}`;
}

export function flagLines(flags: readonly MemoryFlag[]): OverviewLine[] {
	return flags.map((flag) => ({
		label: flag.code,
		value: sanitize(flag.message),
		tone: flag.level === 'info' ? 'dim' : flag.level,
	}));
}

export type QueueRow = {
	readonly queue: string;
	readonly messages: string;
	readonly priorities: string;
	readonly unacked: string;
	readonly oldestUnacked: string;
	readonly next: string;
	readonly warning: string;
	readonly tone?: Tone;
};

export function queueRows(queues: readonly QueueReport[]): QueueRow[] {
	return queues.map((q) => {
		const oldest = q.unackedMessages.reduce<number | undefined>(
			(max, u) =>
				u.ageSeconds !== undefined && (max === undefined || u.ageSeconds > max) ? u.ageSeconds : max,
			undefined,
		);
		const first = q.next[0]?.task;
		return {
			queue: sanitize(q.queue),
			messages: count(q.messages),
			priorities: Object.entries(q.byPriority)
				.filter(([, n]) => n > 0)
				.map(([p, n]) => `p${p}:${n}`)
				.join(' '),
			unacked: count(q.unacked),
			oldestUnacked: formatSeconds(oldest),
			next: first ? sanitize(`${first.name}${first.argsRepr}`) : '-',
			warning: sanitize(q.warnings.join('; ')),
			...(q.warnings.length > 0 ? {tone: 'warning' as const} : {}),
		};
	});
}

export type MessageRow = {
	readonly position: string;
	readonly task: string;
	readonly id: string;
	readonly args: string;
	readonly eta: string;
	readonly detail: string;
	readonly tone?: Tone;
};

/** The next messages of one queue (in the order workers will take them) and its unacked messages. */
export function queueMessageRows(
	queue: QueueReport,
	now: number,
): {next: MessageRow[]; unacked: MessageRow[]} {
	const eta = (value: number | undefined) =>
		value === undefined
			? '-'
			: value >= now
				? `in ${formatSeconds(value - now)}`
				: `${formatSeconds(now - value)} ago`;
	const args = (task: {argsRepr: string; kwargsRepr: string} | undefined) =>
		task === undefined ? '' : sanitize(cut(`${task.argsRepr} ${task.kwargsRepr}`, 120));
	const next = queue.next.map((m) => ({
		position: `#${m.position}`,
		task: sanitize(m.task?.name ?? `(${m.error})`),
		id: m.task?.id ?? '-',
		args: args(m.task),
		eta: eta(m.task?.eta),
		detail: `priority ${m.priority}${m.task?.retries ? `, retries ${m.task.retries}` : ''}${m.etaBeyondVisibility ? ', ETA beyond visibility timeout: will run twice' : ''}`,
		...(m.etaBeyondVisibility ? {tone: 'warning' as const} : {}),
	}));
	const unacked = queue.unackedMessages.map((u) => ({
		position: sanitize(u.tag.slice(0, 8)),
		task: sanitize(u.task?.name ?? `(${u.error})`),
		id: u.task?.id ?? '-',
		args: args(u.task),
		eta: eta(u.task?.eta),
		detail: `age ${formatSeconds(u.ageSeconds)}, redelivery in ${formatSeconds(u.redeliveryInSeconds)}${u.etaBeyondVisibility ? ', ETA beyond visibility timeout: will run twice' : ''}`,
		...((u.redeliveryInSeconds ?? 1) <= 0 || u.etaBeyondVisibility ? {tone: 'warning' as const} : {}),
	}));
	return {next, unacked};
}

export type KeyRowInput = {
	readonly key: string;
	readonly type: string;
	readonly ttl: number;
	readonly bytes: number | undefined;
};
export type KeySort = 'bytes' | 'ttl' | 'key';

/** Sort for the key browser: bytes (biggest first), ttl (soonest to expire first, no TTL last), key. */
export function sortKeys<T extends KeyRowInput>(keys: readonly T[], by: KeySort): T[] {
	const ttl = (k: T) => (k.ttl < 0 ? Number.POSITIVE_INFINITY : k.ttl);
	const compare: Record<KeySort, (a: T, b: T) => number> = {
		bytes: (a, b) => (b.bytes ?? -1) - (a.bytes ?? -1) || a.key.localeCompare(b.key),
		ttl: (a, b) => ttl(a) - ttl(b) || a.key.localeCompare(b.key),
		key: (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
	};
	return [...keys].sort(compare[by]);
}

export function keyRow(k: KeyRowInput): {key: string; type: string; ttl: string; bytes: string} {
	return {key: sanitize(k.key), type: k.type, ttl: formatTtl(k.ttl), bytes: formatBytes(k.bytes)};
}

export function clientRows(clients: readonly ClientInfo[]): Array<{
	id: string;
	addr: string;
	name: string;
	role: string;
	db: string;
	cmd: string;
	age: string;
	idle: string;
	omem: string;
}> {
	return clients.map((c) => ({
		id: String(c.id),
		addr: sanitize(c.addr),
		name: sanitize(c.name),
		role: c.role,
		db: String(c.db),
		cmd: sanitize(c.cmd),
		age: formatSeconds(c.ageSeconds),
		idle: formatSeconds(c.idleSeconds),
		omem: formatBytes(c.omem),
	}));
}

export function slowlogRows(
	entries: readonly SlowlogEntry[],
	now: number,
): Array<{id: string; when: string; duration: string; command: string; client: string}> {
	return entries.map((e) => ({
		id: String(e.id),
		when: `${formatSeconds(now - e.time)} ago`,
		duration: `${(e.durationMicros / 1000).toFixed(2)} ms`,
		command: sanitize(e.args.join(' ').slice(0, 200)),
		client: sanitize(`${e.client} ${e.clientName}`.trim()),
	}));
}

/** MONITOR lines matching the filter, newest first, as text. */
export function monitorLines(records: readonly MonitorRecord[], filter: string, limit: number): string[] {
	const lines: string[] = [];
	for (const record of records) {
		if (lines.length >= limit) break;
		if (matchesFilter(record, filter)) lines.push(sanitize(formatMonitorRecord(record)));
	}
	return lines;
}

/** One readable line (`12:00:01.123456 [0 127.0.0.1:5555] SET "k" "v"`), arguments cut to `width` chars. */
export function formatMonitorRecord(record: MonitorRecord, argWidth = 80): string {
	const date = new Date(record.time * 1000);
	const micros = String(Math.min(999_999, Math.round((record.time % 1) * 1e6))).padStart(6, '0');
	const clock = date.toISOString().slice(11, 19) + '.' + micros;
	const args = record.args.map((arg) =>
		JSON.stringify(arg.length > argWidth ? arg.slice(0, argWidth) + '…' : arg),
	);
	return `${clock} [${record.db} ${record.client}] ${[record.command, ...args].join(' ')}`;
}
