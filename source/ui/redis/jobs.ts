// The scans the Redis views start: one at a time per kind (a new one cancels the old), each with an
// AbortController, progress throttled to a few updates a second. Nothing here awaits on the UI's
// behalf: results are handed to `report`, which the reducer turns into state through `update`.
import type {JobKind} from './state.js';
import type {ScanProgress} from '../../ports/inspector.js';

export type JobReport<T> = {
	readonly progress: (progress: ScanProgress) => void;
	readonly done: (result: T) => void;
	readonly failed: (error: string) => void;
};

export type JobWork<T> = (signal: AbortSignal, progress: (progress: ScanProgress) => void) => Promise<T>;

/** Progress updates at most this often (the last one always comes). */
export const PROGRESS_EVERY_MS = 100;

export function errorText(error: unknown): string {
	const text = String((error as Error)?.message ?? error);
	return text.split('\n')[0] ?? text;
}

export class RedisJobs {
	readonly #running = new Map<JobKind, AbortController>();
	#disposed = false;

	/** Start `work`, cancelling the job of the same kind still running. */
	run<T>(kind: JobKind, work: JobWork<T>, report: JobReport<T>): void {
		if (this.#disposed) return;
		this.cancel(kind);
		const controller = new AbortController();
		this.#running.set(kind, controller);
		const current = () => !this.#disposed && this.#running.get(kind) === controller;
		let last = 0;
		const progress = (p: ScanProgress) => {
			const now = performance.now();
			if (!current() || (!p.done && now - last < PROGRESS_EVERY_MS)) return;
			last = now;
			report.progress(p);
		};
		// Started after the caller's state (with this job running) is in place.
		Promise.resolve()
			.then(() => work(controller.signal, progress))
			.then(
				(result) => {
					if (!current()) return;
					this.#running.delete(kind);
					report.done(result);
				},
				(error: unknown) => {
					if (!current()) return;
					this.#running.delete(kind);
					report.failed(errorText(error));
				},
			);
	}

	/** Abort the job of a kind; true when one was running. */
	cancel(kind: JobKind): boolean {
		const controller = this.#running.get(kind);
		if (!controller) return false;
		this.#running.delete(kind);
		controller.abort();
		return true;
	}

	isRunning(kind: JobKind): boolean {
		return this.#running.has(kind);
	}

	/** On quit: abort everything; late results are dropped. */
	dispose(): void {
		this.#disposed = true;
		for (const kind of [...this.#running.keys()]) this.cancel(kind);
	}
}
