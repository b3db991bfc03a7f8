// `celerytop events --json | --dump`: headless, one line per event, flushed per line.
import type {Config} from '../config.js';
import {formatDumpLine} from '../present/event-dump.js';
import type {CeleryEvent} from '../protocol/types.js';
import {limitHeapGrowth} from '../heap.js';
import {startSession} from '../redis/session.js';

export type EventsOptions = {readonly format: 'json' | 'dump'; readonly duration: number | undefined};

export async function runEvents(config: Config, options: EventsOptions): Promise<number> {
	const out = process.stdout;
	let closed = false;
	out.on('error', (error: NodeJS.ErrnoException) => {
		// A reader that went away (`| head`) ends us quietly.
		if (error.code === 'EPIPE') closed = true;
	});
	const names = new Map<string, string>(); // task names for the dump, as celery events remembers them
	const write = (events: readonly CeleryEvent[]) => {
		if (closed) return;
		let text = '';
		for (const event of events) {
			if (options.format === 'json') {
				text += jsonLine(event) + '\n';
			} else {
				const uuid = event['uuid'];
				if (typeof uuid === 'string' && typeof event['name'] === 'string') {
					if (names.size > 10_000) names.clear();
					names.set(uuid, event['name']);
				}
				text += formatDumpLine(event, typeof uuid === 'string' ? names.get(uuid) : undefined) + '\n';
			}
		}
		out.write(text);
	};
	let lastStatus = 'connected';
	// When the subscription went down (connection closed, or Redis cut a slow subscriber off):
	// everything published until it is back is lost, and the operator is told so.
	let downSince: number | undefined;
	limitHeapGrowth();
	const started = await startSession(config, {
		onEvents: write,
		onConnection: (status, error) => {
			if (status === lastStatus || status === 'connecting') return;
			const now = Date.now();
			if (lastStatus === 'connected' && status !== 'connected') downSince ??= now;
			lastStatus = status;
			process.stderr.write(`celerytop: ${status}${error ? `: ${error}` : ''}\n`);
			if (status === 'connected' && downSince !== undefined) {
				process.stderr.write(`celerytop: ${lostLine(downSince, now)}\n`);
				downSince = undefined;
			}
		},
	});
	if (!started.ok) {
		process.stderr.write(`celerytop: ${started.error}\n`);
		return 1;
	}
	const {session} = started;
	if (session.warning) process.stderr.write(`celerytop: warning: ${session.warning}\n`);
	const at = config.replica
		? `replica ${config.replica.display} (broker ${config.brokerDisplay})`
		: config.brokerDisplay;
	process.stderr.write(`celerytop: listening on ${session.pattern} at ${at}\n`);
	await new Promise<void>((resolve) => {
		const done = () => resolve();
		process.once('SIGINT', done);
		process.once('SIGTERM', done);
		if (options.duration !== undefined) setTimeout(done, options.duration * 1000).unref();
		const poll = setInterval(() => {
			if (closed) done();
		}, 200);
		poll.unref();
	});
	await session.stop();
	const malformed = session.store.cluster.malformedTotal;
	if (malformed > 0) {
		const reasons = [...session.store.cluster.malformed].map(([r, n]) => `${r} ${n}`).join(', ');
		process.stderr.write(`celerytop: ${malformed} malformed message(s) skipped (${reasons})\n`);
	}
	return 0;
}

/** `events lost between 2026-11-27T09:26:21.538Z and 2026-11-27T09:26:23.104Z (1.6 s)`: UTC, ms. */
export function lostLine(from: number, to: number): string {
	const seconds = ((to - from) / 1000).toFixed(1);
	return `events lost between ${new Date(from).toISOString()} and ${new Date(to).toISOString()} (${seconds} s)`;
}

// JSON.stringify escapes only U+0000–U+001F: DEL, the C1 controls (U+009B is a CSI to many
// terminals), line separators and bidi overrides would reach a terminal raw. Escaped as \uXXXX, the
// line is the same JSON value and inert on a terminal.
const JSON_UNSAFE = /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/** One event as a JSON line with every control character escaped. */
export function jsonLine(event: CeleryEvent): string {
	return JSON.stringify(event).replace(
		JSON_UNSAFE,
		(char) => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'),
	);
}
