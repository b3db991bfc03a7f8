// Pure: one key's value (as read by redis/key-detail.ts) → labelled lines for the detail view,
// decoding what Celery writes: results, group/chord keys, queued task messages, the unacked hash and
// index, binding sets, pidbox replies. Every other key gets a plain, truncated view. Text is sanitized.
import {decodeEnvelope} from '../protocol/envelope.js';
import type {KeyValue} from '../protocol/key-detail.js';
import {classifyKey, parseBindingMember, type KeyFamily} from '../protocol/keyspace.js';
import {sanitize} from '../protocol/sanitize.js';
import {
	decodeChordMember,
	decodeGroupResult,
	decodeTaskMessage,
	decodeTaskResult,
	decodeUnackedValue,
	type TaskMessage,
} from '../protocol/task-message.js';
import {formatBytes, formatSeconds, formatTtl} from './redis-format.js';

export type DetailLine = {
	readonly label: string;
	readonly value: string;
	readonly tone?: 'ok' | 'warning' | 'error' | 'dim';
};

export type KeyDetailView = {
	readonly title: string;
	readonly family: KeyFamily;
	/** Key facts: type, TTL, size, bytes, decoded headline fields. */
	readonly summary: readonly DetailLine[];
	/** Elements (decoded when Celery wrote them), at most what was read. */
	readonly items: readonly DetailLine[];
};

export type DetailContext = {
	/** Epoch seconds. */
	readonly now: number;
	readonly prefix?: string;
	readonly sep?: string;
	readonly visibilityTimeout?: number;
	/** Characters per value (default 200). */
	readonly width?: number;
};

const cut = (text: string, width: number) =>
	sanitize(text.length > width ? text.slice(0, width) + '…' : text);

/** A delivery tag (a uuid) as its first 8 characters, as the Queues view shows it: a label the detail
 * view pads to 12 columns, so a longer one would run into its value (`…b48d→ celery`). */
const tagLabel = (tag: string) => sanitize(tag.slice(0, 8));

function taskLine(label: string, task: TaskMessage, now: number, width: number): DetailLine {
	const eta =
		task.eta === undefined
			? ''
			: task.eta >= now
				? ` eta in ${formatSeconds(task.eta - now)}`
				: ` eta passed ${formatSeconds(now - task.eta)} ago`;
	const stamps = task.stamps.map(([header, value]) => ` ${header}=${value}`).join('');
	const extra = `${task.retries > 0 ? ` retries=${task.retries}` : ''}${task.priority ? ` priority=${task.priority}` : ''}${task.redelivered ? ' redelivered' : ''}${stamps}`;
	return {
		label,
		value: cut(
			`${task.name}[${task.id}] args=${task.argsRepr} kwargs=${task.kwargsRepr}${eta}${extra}`,
			width,
		),
	};
}

function resultLines(raw: string, now: number, width: number): DetailLine[] {
	const decoded = decodeTaskResult(raw);
	if (!decoded.ok) return [{label: 'value', value: cut(raw, width), tone: 'error'}];
	const r = decoded.value;
	const tone =
		r.status === 'SUCCESS' ? 'ok' : r.status === 'FAILURE' || r.status === 'REVOKED' ? 'error' : undefined;
	const lines: DetailLine[] = [
		{label: 'status', value: r.status, ...(tone ? {tone} : {})},
		{label: 'result', value: cut(r.summary, width)},
		{
			label: 'date_done',
			value:
				r.dateDone === undefined
					? '-'
					: `${new Date(r.dateDone * 1000).toISOString()} (${formatSeconds(Math.max(0, now - r.dateDone))} ago)`,
		},
	];
	if (r.taskId) lines.push({label: 'task_id', value: sanitize(r.taskId)});
	if (r.parentId) lines.push({label: 'parent_id', value: sanitize(r.parentId)});
	if (r.groupId) lines.push({label: 'group_id', value: sanitize(r.groupId)});
	if (r.children.length > 0) lines.push({label: 'children', value: cut(r.children.join(', '), width)});
	const x = r.extended; // result_extended
	if (x) {
		if (x.name) lines.push({label: 'name', value: sanitize(x.name)});
		lines.push({label: 'args', value: cut(x.args, width)}, {label: 'kwargs', value: cut(x.kwargs, width)});
		if (x.worker) lines.push({label: 'worker', value: sanitize(x.worker)});
		if (x.queue) lines.push({label: 'queue', value: sanitize(x.queue)});
		if (x.retries !== undefined) lines.push({label: 'retries', value: String(x.retries)});
		if (x.stamps.length > 0)
			lines.push({label: 'stamps', value: cut(x.stamps.map(([h, v]) => `${h}=${v}`).join(' '), width)});
	}
	if (r.traceback) {
		const tail = r.traceback.trimEnd().split('\n').slice(-8);
		tail.forEach((line, i) =>
			lines.push({label: i === 0 ? 'traceback' : '', value: cut(line, width), tone: 'dim'}),
		);
	}
	return lines;
}

function itemLines(value: KeyValue, family: KeyFamily, context: DetailContext, width: number): DetailLine[] {
	const now = context.now;
	switch (value.kind) {
		case 'string':
			if (family.kind === 'celery-results') return resultLines(value.value, now, width);
			if (family.kind === 'celery-group-results' && !/\.[jts]$/.test(value.key)) {
				const group = decodeGroupResult(value.value);
				if (group.ok)
					return [
						{label: 'group', value: sanitize(group.value.groupId ?? '?')},
						{label: 'members', value: cut(group.value.children.join(', '), width)},
					];
			}
			return [{label: 'value', value: cut(value.value, width) + (value.truncated ? ' (truncated)' : '')}];
		case 'list': {
			// The next element a worker takes is the tail: show it first.
			const items = [...value.items].reverse();
			return items.map((item, i) => {
				const label = `#${i + 1}`;
				if (family.kind === 'celery-queue') {
					const task = decodeTaskMessage(item);
					if (task.ok) return taskLine(label, task.value, now, width);
				}
				if (family.kind === 'pidbox-replies') {
					const reply = decodeEnvelope(item);
					if (reply.ok) return {label, value: cut(JSON.stringify(reply.payload), width)};
				}
				return {label, value: cut(item, width)};
			});
		}
		case 'hash':
			return value.entries.map(([field, text]) => {
				if (family.kind === 'celery-unacked') {
					const unacked = decodeUnackedValue(text);
					if (unacked.ok) {
						const task = taskLine('', unacked.value.message, now, width).value;
						return {label: tagLabel(field), value: cut(`→ ${unacked.value.routingKey}  ${task}`, width)};
					}
				}
				return {label: cut(field, 40), value: cut(text, width)};
			});
		case 'set':
			return value.members.map((member) => {
				if (family.kind === 'kombu-bindings') {
					const parsed = parseBindingMember(member, context.sep);
					if (parsed)
						return {
							label: cut(parsed.queue, 60),
							value: cut(
								`routing_key=${JSON.stringify(parsed.routingKey)} pattern=${JSON.stringify(parsed.pattern)}`,
								width,
							),
						};
				}
				return {label: '', value: cut(member, width)};
			});
		case 'zset':
			return value.entries.map(([member, score]) => {
				if (family.kind === 'celery-unacked') {
					const vt = context.visibilityTimeout ?? 3600;
					return {
						label: tagLabel(member),
						value: `taken ${formatSeconds(Math.max(0, now - score))} ago, ${
							score + vt > now
								? `redelivery in ${formatSeconds(score + vt - now)}`
								: `redelivery overdue by ${formatSeconds(now - score - vt)}`
						}`,
						tone: score + vt <= now ? 'warning' : undefined,
					} as DetailLine;
				}
				if (family.kind === 'celery-group-results') {
					const chord = decodeChordMember(member);
					if (chord.ok)
						return {
							label: String(score),
							value: cut(
								`${chord.value.taskId} ${chord.value.state} ${JSON.stringify(chord.value.result)}`,
								width,
							),
						};
				}
				return {label: String(score), value: cut(member, width)};
			});
		case 'stream':
			return value.entries.map(([id, fields]) => ({label: id, value: cut(JSON.stringify(fields), width)}));
		case 'other':
			return [];
	}
}

export function describeKeyValue(value: KeyValue, context: DetailContext): KeyDetailView {
	const width = context.width ?? 200;
	const family = classifyKey(value.key, {
		prefix: context.prefix,
		sep: context.sep,
		type: value.type,
		holdsMessages: value.kind === 'list' && value.items.some((i) => decodeTaskMessage(i).ok),
	});
	const summary: DetailLine[] = [
		{label: 'family', value: `${sanitize(family.family)} (${family.kind})`},
		{label: 'type', value: value.type},
		{
			label: 'ttl',
			value: formatTtl(value.ttl),
			...(value.ttl < 0 && family.kind === 'celery-results' ? {tone: 'warning' as const} : {}),
		},
		{
			label: 'size',
			value: `${value.size} ${value.kind === 'string' ? 'bytes' : 'elements'}${value.truncated ? ' (showing part)' : ''}`,
		},
		{label: 'memory', value: value.bytes === undefined ? '-' : formatBytes(value.bytes)},
	];
	return {title: sanitize(value.key), family, summary, items: itemLines(value, family, context, width)};
}
