// Pure: queue lists + the unacked hash/index → one report per queue (docs/WIRE.md §6): length summed
// over the priority sub-lists, the next messages in the order a worker takes them (BRPOP takes the
// tail of the first non-empty list, base list first), and unacked messages with their age against
// the visibility timeout. Time comes in as `now` (epoch seconds).
import {decodeTaskMessage, decodeUnackedValue, type TaskMessage} from './task-message.js';

export const DEFAULT_VISIBILITY_TIMEOUT = 3600;

export type QueueListRaw = {
	readonly key: string;
	readonly priority: number;
	readonly length: number;
	/** LRANGE key -n -1: the last n elements in list order (the next to run is the last one). */
	readonly tail: readonly string[];
};

export type QueueRaw = {
	readonly queue: string;
	readonly bound: boolean;
	readonly lists: readonly QueueListRaw[];
};

export type UnackedRaw = {
	readonly tag: string;
	readonly value: string | undefined;
	/** unacked_index score: when a worker took the message (epoch seconds). */
	readonly takenAt: number | undefined;
};

export type QueuedTask = {
	readonly position: number;
	readonly priority: number;
	readonly key: string;
	readonly task: TaskMessage | undefined;
	readonly error: string | undefined;
	/** The ETA is further away than the visibility timeout: the task will be delivered twice. */
	readonly etaBeyondVisibility: boolean;
};

export type UnackedTask = {
	readonly tag: string;
	readonly queue: string;
	readonly task: TaskMessage | undefined;
	readonly error: string | undefined;
	readonly takenAt: number | undefined;
	readonly ageSeconds: number | undefined;
	/** Seconds until a worker's restore puts it back in the queue (negative: overdue). */
	readonly redeliveryInSeconds: number | undefined;
	readonly etaBeyondVisibility: boolean;
};

export type QueueReport = {
	readonly queue: string;
	readonly messages: number;
	/** Priority (0 = base list, 3, 6, 9) → length. */
	readonly byPriority: Readonly<Record<string, number>>;
	readonly bound: boolean;
	readonly next: readonly QueuedTask[];
	readonly unacked: number;
	readonly unackedMessages: readonly UnackedTask[];
	readonly warnings: readonly string[];
};

export type QueueReportOptions = {
	readonly now: number;
	readonly visibilityTimeout?: number;
	/** How many next messages to show per queue (default 10). */
	readonly next?: number;
};

function decodeOrError(raw: string): {task: TaskMessage | undefined; error: string | undefined} {
	const decoded = decodeTaskMessage(raw);
	return decoded.ok ? {task: decoded.value, error: undefined} : {task: undefined, error: decoded.error};
}

export function buildQueueReports(
	queues: readonly QueueRaw[],
	unacked: readonly UnackedRaw[],
	options: QueueReportOptions,
): QueueReport[] {
	const vt = options.visibilityTimeout ?? DEFAULT_VISIBILITY_TIMEOUT;
	const limit = options.next ?? 10;
	const unackedByQueue = new Map<string, UnackedTask[]>();
	for (const entry of unacked) {
		let task: TaskMessage | undefined;
		let error: string | undefined;
		let queue = '?';
		if (entry.value === undefined) error = 'missing-from-unacked';
		else {
			const decoded = decodeUnackedValue(entry.value);
			if (decoded.ok) {
				task = decoded.value.message;
				queue = decoded.value.routingKey || task.routingKey || '?';
			} else error = decoded.error;
		}
		const taken = entry.takenAt;
		const item: UnackedTask = {
			tag: entry.tag,
			queue,
			task,
			error,
			takenAt: taken,
			ageSeconds: taken === undefined ? undefined : options.now - taken,
			redeliveryInSeconds: taken === undefined ? undefined : taken + vt - options.now,
			etaBeyondVisibility: task?.eta !== undefined && taken !== undefined && task.eta > taken + vt,
		};
		const list = unackedByQueue.get(queue) ?? [];
		list.push(item);
		unackedByQueue.set(queue, list);
	}

	const names = new Set([...queues.map((q) => q.queue), ...unackedByQueue.keys()]);
	const byName = new Map(queues.map((q) => [q.queue, q]));
	const reports: QueueReport[] = [];
	for (const name of names) {
		const raw = byName.get(name) ?? {queue: name, bound: false, lists: []};
		const lists = [...raw.lists].sort((a, b) => a.priority - b.priority);
		const byPriority: Record<string, number> = {};
		let messages = 0;
		const next: QueuedTask[] = [];
		for (const list of lists) {
			byPriority[String(list.priority)] = list.length;
			messages += list.length;
			for (let i = list.tail.length - 1; i >= 0 && next.length < limit; i--) {
				const {task, error} = decodeOrError(list.tail[i]!);
				next.push({
					position: next.length + 1,
					priority: list.priority,
					key: list.key,
					task,
					error,
					etaBeyondVisibility: task?.eta !== undefined && task.eta - options.now > vt,
				});
			}
		}
		const held = (unackedByQueue.get(name) ?? []).sort((a, b) => (a.takenAt ?? 0) - (b.takenAt ?? 0));
		const warnings: string[] = [];
		const late =
			next.filter((t) => t.etaBeyondVisibility).length + held.filter((t) => t.etaBeyondVisibility).length;
		if (late > 0) {
			warnings.push(
				`${late} task(s) have an ETA beyond the visibility timeout (${vt} s): they will be delivered again before they run, and may run twice`,
			);
		}
		const overdue = held.filter((t) => (t.redeliveryInSeconds ?? 1) <= 0).length;
		if (overdue > 0)
			warnings.push(
				`${overdue} unacked message(s) are past the visibility timeout and wait for a worker to restore them`,
			);
		if (messages > 0 && !raw.bound) warnings.push(`no _kombu.binding.* names queue '${name}'`);
		reports.push({
			queue: name,
			messages,
			byPriority,
			bound: raw.bound,
			next,
			unacked: held.length,
			unackedMessages: held,
			warnings,
		});
	}
	return reports.sort(
		(a, b) => b.messages + b.unacked - (a.messages + a.unacked) || a.queue.localeCompare(b.queue),
	);
}
