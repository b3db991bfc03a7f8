// Output shapes of the headless Redis commands: aligned text tables and the `queues --json` document.
import type {QueuesResult} from '../ports/inspector.js';

export type Column<T> = readonly [field: keyof T & string, header: string, right?: boolean];

/** Columns padded to their widest cell (the last one is not padded). */
export function textTable<T extends object>(rows: readonly T[], columns: ReadonlyArray<Column<T>>): string {
	const cell = (row: T, field: keyof T) => String(row[field] ?? '');
	const widths = columns.map(([field, header]) =>
		Math.max(header.length, ...rows.map((row) => cell(row, field).length)),
	);
	const line = (cells: string[]) =>
		cells
			.map((text, i) => {
				if (i === cells.length - 1) return text;
				return columns[i]![2] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
			})
			.join('  ')
			.trimEnd();
	return (
		[
			line(columns.map(([, header]) => header)),
			...rows.map((row) => line(columns.map(([field]) => cell(row, field)))),
		].join('\n') + '\n'
	);
}

const iso = (epoch: number | undefined) =>
	epoch === undefined ? null : new Date(epoch * 1000).toISOString();

/** `celerytop queues --json`: [{"queue", "messages", "unacked", …}], messages summed over priorities. */
export function queuesJson(result: QueuesResult): object[] {
	return result.queues.map((q) => ({
		queue: q.queue,
		messages: q.messages,
		unacked: q.unacked,
		bound: q.bound,
		byPriority: q.byPriority,
		visibilityTimeout: result.visibilityTimeout,
		warnings: q.warnings,
		next: q.next.map((m) => ({
			position: m.position,
			priority: m.priority,
			id: m.task?.id ?? null,
			task: m.task?.name ?? null,
			args: m.task?.argsRepr ?? null,
			kwargs: m.task?.kwargsRepr ?? null,
			eta: iso(m.task?.eta),
			expires: iso(m.task?.expires),
			retries: m.task?.retries ?? null,
			etaBeyondVisibility: m.etaBeyondVisibility,
			...(m.error ? {error: m.error} : {}),
		})),
		unackedMessages: q.unackedMessages.map((u) => ({
			tag: u.tag,
			id: u.task?.id ?? null,
			task: u.task?.name ?? null,
			args: u.task?.argsRepr ?? null,
			kwargs: u.task?.kwargsRepr ?? null,
			eta: iso(u.task?.eta),
			takenAt: iso(u.takenAt),
			ageSeconds: u.ageSeconds === undefined ? null : Math.round(u.ageSeconds * 1000) / 1000,
			redeliveryInSeconds:
				u.redeliveryInSeconds === undefined ? null : Math.round(u.redeliveryInSeconds * 1000) / 1000,
			etaBeyondVisibility: u.etaBeyondVisibility,
			...(u.error ? {error: u.error} : {}),
		})),
	}));
}
