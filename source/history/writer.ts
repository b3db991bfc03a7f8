// The history writer as the app sees it (ports/history.ts): a worker thread owns the SQLite file
// (history/writer-worker.ts); append() only posts the batch, so neither the TUI nor `celerytop
// record` ever waits on the disk. A failure to open is one line; a failure later sets `error`.
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {Worker} from 'node:worker_threads';
import type {HistoryOpen, HistoryStats, HistoryWriter} from '../ports/history.js';
import type {CeleryEvent} from '../protocol/types.js';
import type {FromWorker, ToWorker, WorkerStart} from './writer-messages.js';

export type HistoryOptions = {
	readonly path: string;
	/** How the broker is named in the file (history/path.ts brokerIdentity): no credentials. */
	readonly broker: string;
	/** Told once when writing stops after a successful open. */
	readonly onError?: (error: string) => void;
	/** How long close() waits for the last commit (default 10 s). */
	readonly closeTimeoutMs?: number;
};

const OPEN_TIMEOUT_MS = 30_000;

/** The worker's module: beside this one (source/ under tsx, dist/lib/ from tsc), or dist/lib/ from a bundle chunk. */
function workerFile(): URL {
	const candidates = [
		'./writer-worker.js',
		'./writer-worker.ts',
		'../lib/history/writer-worker.js',
		'./lib/history/writer-worker.js',
	].map((relative) => new URL(relative, import.meta.url));
	return candidates.find((url) => existsSync(fileURLToPath(url))) ?? candidates[0]!;
}

const EMPTY: HistoryStats = {events: 0, tasks: 0, commits: 0, dropped: 0};

export function openHistory(options: HistoryOptions): Promise<HistoryOpen> {
	const start: WorkerStart = {path: options.path, broker: options.broker};
	let worker: Worker;
	try {
		const file = workerFile();
		// Under tsx (tests, source runs) a worker does not inherit the loader: tsImport brings it.
		worker = file.pathname.endsWith('.ts')
			? new Worker(
					`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => m.tsImport(${JSON.stringify(file.href)}, ${JSON.stringify(file.href)}))`,
					{eval: true, workerData: start},
				)
			: new Worker(file, {workerData: start});
	} catch (error) {
		return Promise.resolve({
			ok: false,
			error: `history: cannot start the writer: ${(error as Error).message}`,
		});
	}
	return new Promise<HistoryOpen>((resolve) => {
		let error: string | undefined;
		let ready = false;
		let closing: Promise<HistoryStats> | undefined;
		let closed: ((stats: HistoryStats) => void) | undefined;
		let final: HistoryStats | undefined;
		const opening = setTimeout(() => {
			void worker.terminate();
			resolve({
				ok: false,
				error: `history: the file ${options.path} did not open in ${OPEN_TIMEOUT_MS / 1000} s`,
			});
		}, OPEN_TIMEOUT_MS);
		const stop = (message: string) => {
			if (error !== undefined) return;
			error = message;
			options.onError?.(message);
		};
		const writer: HistoryWriter = {
			path: options.path,
			get error() {
				return error;
			},
			append(events: readonly CeleryEvent[], receivedAt: number) {
				if (error !== undefined || closing || events.length === 0) return;
				worker.postMessage({type: 'events', events, at: receivedAt} satisfies ToWorker);
			},
			gap(from: number, to: number, reason: string) {
				if (error !== undefined || closing) return;
				worker.postMessage({type: 'gap', from, to, reason} satisfies ToWorker);
			},
			close() {
				closing ??= new Promise<HistoryStats>((done) => {
					if (final) return done(final);
					const limit = setTimeout(() => {
						stop('history: the last commit did not finish in time');
						void worker.terminate();
						done(EMPTY);
					}, options.closeTimeoutMs ?? 10_000);
					closed = (stats) => {
						clearTimeout(limit);
						done(stats);
					};
					worker.postMessage({type: 'close'} satisfies ToWorker);
				});
				return closing;
			},
		};
		worker.on('message', (message: FromWorker) => {
			if (message.type === 'ready') {
				ready = true;
				clearTimeout(opening);
				resolve({ok: true, writer});
			} else if (message.type === 'failed') {
				clearTimeout(opening);
				resolve({ok: false, error: message.error});
			} else if (message.type === 'error') {
				stop(message.error);
			} else if (message.type === 'closed') {
				final = message.stats;
				if (message.error) stop(`history: ${message.error}`);
				closed?.(message.stats);
			}
		});
		worker.on('error', (e: Error) => {
			const line = `history: the writer failed: ${e.message.split('\n')[0]}`;
			if (!ready) {
				clearTimeout(opening);
				resolve({ok: false, error: line});
			} else stop(line);
			closed?.(final ?? EMPTY);
		});
		worker.on('exit', () => {
			if (!ready) {
				clearTimeout(opening);
				resolve({ok: false, error: `history: the writer stopped before opening ${options.path}`});
			}
			if (!final) {
				if (!closing) stop('history: the writer stopped');
				closed?.(EMPTY);
			}
		});
	});
}
