// Pure: the queues (view 4): one row per Celery queue (length summed over its priority sub-lists),
// and for the selected queue its next messages (decoded, in the order a worker takes them) and its
// unacked messages with their age and the countdown to redelivery, ticking with `now`.
import type {QueueReport} from '../../protocol/queue-report.js';
import {queueMessageRows, queueRows, type MessageRow, type QueueRow} from '../../present/redis-view.js';
import {sanitize} from '../../protocol/sanitize.js';
import {formatAge, formatCount} from '../format.js';
import {resolveIndex} from '../ui-state.js';
import {clamp, jobLine, type ListModel, type Size, type TextLine} from './model.js';
import type {QueuesResult} from '../../ports/inspector.js';
import type {RedisUiState} from './state.js';

export type MessageItem = MessageRow & {readonly where: 'next' | 'unacked'; readonly key: string};

export type QueuesModel = {
	readonly title: string;
	readonly info: string;
	readonly status: TextLine | undefined;
	readonly rows: readonly QueueRow[];
	readonly topHeight: number;
	readonly focus: 'queues' | 'messages';
	readonly queue: string | undefined;
	readonly warnings: readonly TextLine[];
	readonly messages: readonly MessageItem[];
	/** The message under the cursor, in full (the table cuts its cells). */
	readonly selectedLine: TextLine | undefined;
	readonly bottomHeight: number;
	readonly lists: {readonly queues: ListModel; readonly messages: ListModel};
};

/** The report as it stands `now`: ages grow and countdowns shrink since it was read. */
export function agedQueue(queue: QueueReport, readAt: number, now: number): QueueReport {
	const dt = Math.max(0, now - readAt);
	if (dt === 0 || queue.unackedMessages.length === 0) return queue;
	return {
		...queue,
		unackedMessages: queue.unackedMessages.map((u) => ({
			...u,
			ageSeconds: u.ageSeconds === undefined ? undefined : u.ageSeconds + dt,
			redeliveryInSeconds: u.redeliveryInSeconds === undefined ? undefined : u.redeliveryInSeconds - dt,
		})),
	};
}

function messagesOf(queue: QueueReport | undefined, now: number): MessageItem[] {
	if (!queue) return [];
	const {next, unacked} = queueMessageRows(queue, now);
	return [
		...next.map((m) => ({...m, where: 'next' as const, key: `n${m.position}`})),
		...unacked.map((m, i) => ({...m, where: 'unacked' as const, key: `u${queue.unackedMessages[i]!.tag}`})),
	];
}

export function queuesModel(state: RedisUiState, now: number, size: Size): QueuesModel {
	const {job, focus} = state.queues;
	const result: QueuesResult | undefined = job.result;
	const queues = result ? result.queues.map((q) => agedQueue(q, result.now, now)) : [];
	const rows = queueRows(queues);
	const keys = queues.map((q) => q.queue);
	const selected = queues[resolveIndex(state.queues.selection, keys)];
	const messages = messagesOf(selected, now);
	const messageKeys = messages.map((m) => m.key);
	const picked = messages[resolveIndex(state.queues.messages, messageKeys)];
	const warnings: TextLine[] = (selected?.warnings ?? []).map((w) => ({
		text: `⚠ ${sanitize(w)}`,
		tone: 'warning',
	}));
	// Border 2, title 1, status 1, table header 1.
	const topHeight = clamp(rows.length + 5, 7, Math.floor(size.height * 0.4));
	const bottomHeight = size.height - topHeight;
	const info = result
		? `${queues.length} queue(s) · unacked ${formatCount(result.unackedTotal)} · visibility timeout ${formatCount(result.visibilityTimeout)} s · read ${formatAge(now - result.now)} ago`
		: '';
	const status =
		jobLine(job, 'reading the queues', false, size.width) ??
		(result ? undefined : {text: 'not read yet (r reads)', tone: 'dim' as const});
	return {
		title: `Queues · db ${state.db}`,
		info,
		status: job.running
			? {text: 'reading the queues (SCAN … TYPE list, bindings, unacked)…', tone: 'warning'}
			: status,
		rows,
		topHeight,
		focus,
		queue: selected?.queue,
		warnings,
		messages,
		selectedLine: picked && {
			text: `${picked.where === 'next' ? `next ${picked.position}` : 'unacked'}: ${picked.task}[${picked.id}] ${picked.args} · eta ${picked.eta} · ${picked.detail}`,
			tone: picked.tone ?? 'dim',
		},
		bottomHeight,
		lists: {
			queues: {keys, rows: Math.max(0, topHeight - 5)},
			messages: {keys: messageKeys, rows: Math.max(0, bottomHeight - 5 - warnings.length)},
		},
	};
}
