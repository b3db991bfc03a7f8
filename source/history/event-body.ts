// An event as Celery sent it, from its row: the shape gives the type and the field names in the
// order sent, the columns give the hostname, the timestamp and a task's uuid, the body the rest
// (history/recorder.ts stores it so). Pure.
import type {CeleryEvent} from '../protocol/types.js';
import {inColumn} from './event-columns.js';

/** The columns to select (FROM events e) for restoreEvent. */
export const EVENT_SELECT = `SELECT e.id, e.received, s.type, s.keys, t.uuid, w.hostname, e.timestamp, e.body
	FROM events e JOIN shapes s ON s.id = e.shape
	LEFT JOIN tasks t ON t.id = e.task_id LEFT JOIN workers w ON w.id = e.worker_id`;

export type EventRow = {
	readonly id: number;
	/** Our receive time, epoch milliseconds. */
	readonly received: number;
	readonly type: string;
	readonly keys: string;
	readonly uuid: string | null;
	readonly hostname: string | null;
	readonly timestamp: number | null;
	readonly body: string;
};

export function restoreEvent(row: EventRow): CeleryEvent {
	const keys = JSON.parse(row.keys) as string[];
	const values = JSON.parse(row.body) as unknown[];
	const event: Record<string, unknown> = {};
	let next = 0;
	for (const key of keys) {
		if (!inColumn(row.type, key)) event[key] = values[next++];
		else if (key === 'type') event[key] = row.type;
		else if (key === 'hostname') event[key] = row.hostname;
		else if (key === 'timestamp') event[key] = row.timestamp;
		else event[key] = row.uuid;
	}
	return event as CeleryEvent;
}
