// `celerytop record`: headless, for a server. Subscribes like `celerytop events`, writes every event
// into the history file (history/writer.ts, off this thread), and prints one line per task state
// change (at most LINES_PER_SECOND a second; the rest are counted in one line). SIGTERM or SIGINT
// stops it after the last commit; exit 0, or 1 when the file or the broker failed.
import type {Config} from '../config.js';
import {brokerIdentity} from '../history/path.js';
import {openHistory} from '../history/writer.js';
import {limitHeapGrowth} from '../heap.js';
import type {CeleryEvent} from '../protocol/types.js';
import {sanitize} from '../protocol/sanitize.js';
import {clock, createStore, startSession} from '../redis/session.js';
import type {Task} from '../state/types.js';
import {lostLine} from './events.js';

export type RecordOptions = {readonly duration: number | undefined};

const LINES_PER_SECOND = 100;
/** Tasks whose last printed state is remembered (a state printed again after that is harmless). */
const REMEMBERED = 50_000;

export async function runRecord(config: Config, options: RecordOptions): Promise<number> {
	const say = (line: string) => process.stderr.write(`celerytop: ${line}\n`);
	if (config.history === undefined) {
		say(
			'record has no file to write: --no-history was given, or there is no HOME or XDG_STATE_HOME (use --history PATH)',
		);
		return 2;
	}
	let stop: (() => void) | undefined;
	let failed = false;
	const opened = await openHistory({
		path: config.history,
		broker: brokerIdentity(config.connection),
		onError: (line) => {
			say(line);
			failed = true;
			stop?.();
		},
	});
	if (!opened.ok) {
		say(opened.error);
		return 1;
	}
	const writer = opened.writer;
	const out = process.stdout;
	let closed = false;
	out.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') closed = true; // a reader that went away: go on recording
	});
	const lines = new StateLines((text) => {
		if (!closed) out.write(text);
	});
	let lastStatus = 'connected';
	let downSince: number | undefined;
	limitHeapGrowth();
	const store = createStore(config);
	const started = await startSession(config, {
		store,
		onEvents: (events) => {
			writer.append(events, clock());
			lines.note(events, (uuid) => store.cluster.tasks.get(uuid));
		},
		onConnection: (status, error) => {
			if (status === lastStatus || status === 'connecting') return;
			const now = Date.now();
			if (lastStatus === 'connected' && status !== 'connected') downSince ??= now;
			lastStatus = status;
			say(`${status}${error ? `: ${error}` : ''}`);
			if (status === 'connected' && downSince !== undefined) {
				say(lostLine(downSince, now));
				writer.gap(downSince / 1000, now / 1000, 'subscription down');
				downSince = undefined;
			}
		},
	});
	if (!started.ok) {
		await writer.close();
		say(started.error);
		return 1;
	}
	const {session} = started;
	if (session.warning) say(`warning: ${session.warning}`);
	const at = config.replica
		? `replica ${config.replica.display} (broker ${config.brokerDisplay})`
		: config.brokerDisplay;
	say(`recording ${session.pattern} at ${at} into ${writer.path}`);
	await new Promise<void>((resolve) => {
		stop = resolve;
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
		if (options.duration !== undefined) setTimeout(resolve, options.duration * 1000).unref();
		if (failed) resolve();
	});
	await session.stop();
	lines.flush();
	const stats = await writer.close();
	say(
		`recorded ${stats.events} event(s), ${stats.tasks} task(s) into ${writer.path}` +
			(stats.dropped > 0 ? `; ${stats.dropped} event(s) not recorded` : ''),
	);
	return failed || writer.error !== undefined ? 1 : 0;
}

/** `2026-12-07T23:59:01.123Z SUCCESS  tasks.add  8d3c…  w1@host  0.012s`: the merged state, once per change. */
export function stateLine(task: Task, at: number): string {
	const parts = [
		new Date(at * 1000).toISOString(),
		task.state.padEnd(8),
		sanitize(task.name ?? '?'),
		task.uuid,
		sanitize(task.worker ?? '-'),
	];
	if (task.runtime !== undefined) parts.push(`${task.runtime.toFixed(3)}s`);
	if (task.exception !== undefined) parts.push(sanitize(task.exception).slice(0, 200));
	return parts.join('  ');
}

/** The state lines: one per change of a task's merged state, LINES_PER_SECOND at most a second. */
export class StateLines {
	readonly #write: (text: string) => void;
	readonly #printed = new Map<string, string>();
	#second = 0;
	#inSecond = 0;
	#skipped = 0;

	constructor(write: (text: string) => void) {
		this.#write = write;
	}

	note(events: readonly CeleryEvent[], taskOf: (uuid: string) => Task | undefined): void {
		const now = clock();
		const second = Math.floor(now);
		if (second !== this.#second) {
			this.flush();
			this.#second = second;
			this.#inSecond = 0;
		}
		let text = '';
		for (const event of events) {
			const uuid = event['uuid'];
			if (!event.type.startsWith('task-') || typeof uuid !== 'string') continue;
			const task = taskOf(uuid);
			if (!task || this.#printed.get(uuid) === task.state) continue;
			if (this.#printed.size >= REMEMBERED) this.#printed.clear();
			this.#printed.set(uuid, task.state);
			if (this.#inSecond >= LINES_PER_SECOND) {
				this.#skipped++;
				continue;
			}
			this.#inSecond++;
			text += stateLine(task, now) + '\n';
		}
		if (text) this.#write(text);
	}

	/** The line that counts the changes not printed in the last second. */
	flush(): void {
		if (this.#skipped === 0) return;
		this.#write(`… ${this.#skipped} more state change(s) in that second (not printed)\n`);
		this.#skipped = 0;
	}
}
