// `celerytop events --json | --dump`: headless, one line per event, flushed per line.
import type {Config} from '../config.js';
import {formatDumpLine} from '../protocol/events.js';
import type {CeleryEvent} from '../protocol/types.js';
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
				text += JSON.stringify(event) + '\n';
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
	const started = await startSession(config, {
		onEvents: write,
		onConnection: (status, error) => {
			if (status === lastStatus || status === 'connecting') return;
			lastStatus = status;
			process.stderr.write(`celerytop: ${status}${error ? `: ${error}` : ''}\n`);
		},
	});
	if (!started.ok) {
		process.stderr.write(`celerytop: ${started.error}\n`);
		return 1;
	}
	const {session} = started;
	process.stderr.write(`celerytop: listening on ${session.pattern} at ${config.brokerDisplay}\n`);
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
