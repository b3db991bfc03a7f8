// The interactive mode: loads React and Ink, renders <App/>, flushes snapshots at a bounded rate,
// and restores the terminal whatever way it ends.
import {render} from 'ink';
import type {Config} from './config.js';
import {createAuditLog} from './redis/audit-log.js';
import type {CeleryEvent} from './protocol/types.js';
import {backoff} from './redis/connection-options.js';
import {createControlClient} from './redis/control-client.js';
import {createRedisInspector} from './redis/inspector.js';
import {clock, createStore, startSession, type Session} from './redis/session.js';
import type {Store} from './state/store.js';
import {limitHeapGrowth} from './heap.js';
import {startStatsFile, type StatsFile} from './stats-file.js';
import {App} from './ui/app.js';
import {ServicesProvider, type Services} from './ui/services.js';

const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[H';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';
/** Most redraws a second from key presses (Ink's throttle); data redraws stay at --fps. */
const KEY_FPS = 60;

export async function runTui(config: Config): Promise<number> {
	limitHeapGrowth();
	// CELERYTOP_STATS_FILE: counters about celerytop itself, for `npm run bench` (see stats-file.ts).
	const statsPath = process.env['CELERYTOP_STATS_FILE'];
	let stats: StatsFile | undefined;
	// The frame comes first, before any server answered: the header says whom we wait for and since
	// when, and q / Ctrl-C work from the first moment (the terminal is in raw mode once Ink renders).
	const store = createStore(config);
	// Problems writing the audit log are told once the screen is restored (stderr would tear the frame).
	const afterExit: string[] = [];
	// One audit log for every dangerous action: control commands, FLUSHDB, DEL and purge.
	const audit = config.auditLog
		? createAuditLog(config.auditLog, (message) => afterExit.push(message))
		: undefined;
	const control = createControlClient({
		connection: config.connection,
		transport: config.transport,
		readOnly: config.readOnly,
		display: config.brokerDisplay,
		audit,
	});
	const services: Services = {
		store,
		clock,
		brokerDisplay: config.brokerDisplay,
		readOnly: config.readOnly,
		control,
		redis: createRedisInspector(config, {audit}),
	};
	// Frames: the store publishes at most `fps` snapshots a second, and only when something changed.
	const frame = setInterval(() => store.flush(clock()), Math.round(1000 / config.fps));

	process.stdout.write(ENTER_ALT_SCREEN);
	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		process.stdout.write(LEAVE_ALT_SCREEN + '\u001B[?25h');
	};
	process.once('exit', restore);

	const app = render(
		<ServicesProvider value={services}>
			<App />
		</ServicesProvider>,
		{
			exitOnCtrlC: false,
			patchConsole: true,
			// Data frames are paced by the store flush above (config.fps). Ink's own throttle only needs to
			// bound redraws from keys: at config.fps a key waited up to a whole frame for its redraw.
			maxFps: Math.max(config.fps, KEY_FPS),
		},
	);
	const quit = () => app.unmount();
	process.once('SIGTERM', quit);
	process.once('SIGHUP', quit);
	process.once('SIGINT', quit);

	const connecting = connectInBackground(config, store, {
		onEvents: statsPath ? (events) => stats?.onEvents(events) : undefined,
		// A server that is not Redis, a refused password, a missing db: the line after the screen is
		// restored, exit 1. Silence and refusals are waited out (the header counts).
		onFatal: quit,
	});
	void connecting.session.then((session) => {
		if (!session) return;
		if (statsPath) {
			stats = startStatsFile({path: statsPath, store, received: session.feed.received, clock});
		}
		// Like `celery events`: wake the workers so their heartbeats come at once (a cast; no reply).
		if (!config.readOnly) void control.cast('heartbeat').catch(() => {});
	});
	try {
		await app.waitUntilExit();
	} finally {
		// Quitting while the first connection is still being tried: stop trying, do not wait for it.
		connecting.cancel();
		clearInterval(frame);
		app.cleanup();
		restore();
		const session = connecting.current();
		await Promise.allSettled([control.close(), session?.stop(), services.redis?.close()]);
		stats?.stop();
		const fatal = connecting.fatal();
		if (fatal !== undefined) process.stderr.write(`celerytop: ${fatal}\n`);
		for (const message of afterExit) process.stderr.write(`celerytop: ${message}\n`);
	}
	return connecting.fatal() === undefined ? 0 : 1;
}

type Connecting = {
	/** Resolves with the session once connected, or undefined when cancelled or failed for good. */
	readonly session: Promise<Session | undefined>;
	readonly current: () => Session | undefined;
	/** The one line of a failure that trying again will not mend. */
	readonly fatal: () => string | undefined;
	cancel(): void;
};

/**
 * Start the session, trying again (with backoff) while the failure may mend by itself: no answer,
 * refused, not there yet. While the broker is only silent the store stays "connecting" with no error,
 * so the header's count runs from the start; any other passing failure is shown with its reason.
 */
function connectInBackground(
	config: Config,
	store: Store,
	options: {
		readonly onEvents: ((events: readonly CeleryEvent[]) => void) | undefined;
		readonly onFatal: () => void;
	},
): Connecting {
	let cancelled = false;
	let current: Session | undefined;
	let fatal: string | undefined;
	let wake: (() => void) | undefined;
	const pause = (ms: number) =>
		new Promise<void>((resolve) => {
			const timer = setTimeout(resolve, ms);
			wake = () => {
				clearTimeout(timer);
				resolve();
			};
		});
	const session = (async (): Promise<Session | undefined> => {
		for (let attempt = 1; !cancelled; attempt++) {
			const started = await startSession(config, {
				store,
				...(options.onEvents ? {onEvents: options.onEvents} : {}),
			});
			if (cancelled) {
				if (started.ok) void started.session.stop();
				return undefined;
			}
			if (started.ok) {
				current = started.session;
				return current;
			}
			if (!started.transient) {
				fatal = started.error;
				options.onFatal();
				return undefined;
			}
			// The header names the broker already: its reason is enough ("connection refused at …").
			const prefix = `cannot connect to ${config.brokerDisplay}: `;
			const reason = started.error.startsWith(prefix) ? started.error.slice(prefix.length) : started.error;
			if (!started.silent) store.setConnection('connecting', clock(), reason);
			await pause(backoff(attempt));
		}
		return undefined;
	})();
	return {
		session,
		current: () => current,
		fatal: () => fatal,
		cancel() {
			cancelled = true;
			wake?.();
		},
	};
}
