// What the app asks of the event history (issue 16): append what arrived, note what was not
// recorded, close after a flush. The adapter (history/) writes a SQLite file off the caller's thread;
// the caller never waits on the disk and keeps running when the history fails.
import type {CeleryEvent} from '../protocol/types.js';

export type HistoryWriter = {
	/** The file written. */
	readonly path: string;
	/** Set once writing stopped (disk full, unwritable path…): one line, and nothing more is written. */
	readonly error: string | undefined;
	/** Queue events received at `receivedAt` (our clock, epoch seconds). Never blocks on the disk. */
	append(events: readonly CeleryEvent[], receivedAt: number): void;
	/** A span (epoch seconds) in which events were lost: the subscription was down, the writer fell behind. */
	gap(from: number, to: number, reason: string): void;
	/** Commit what is queued, release the file. Resolves (never rejects) once done or given up. */
	close(): Promise<HistoryStats>;
};

export type HistoryStats = {
	readonly events: number;
	readonly tasks: number;
	readonly commits: number;
	readonly dropped: number;
};

export type HistoryOpen =
	{readonly ok: true; readonly writer: HistoryWriter} | {readonly ok: false; readonly error: string};
