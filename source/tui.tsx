// The interactive mode: loads React and Ink, renders <App/>, flushes snapshots at a bounded rate,
// and restores the terminal whatever way it ends.
import {render} from 'ink';
import type {Config} from './config.js';
import {createAuditLog} from './redis/audit-log.js';
import {createControlClient} from './redis/control-client.js';
import {createRedisInspector} from './redis/inspector.js';
import {clock, startSession} from './redis/session.js';
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
	const started = await startSession(
		config,
		statsPath ? {onEvents: (events) => stats?.onEvents(events)} : {},
	);
	if (!started.ok) {
		process.stderr.write(`celerytop: ${started.error}\n`);
		return 1;
	}
	const {session} = started;
	if (statsPath) {
		stats = startStatsFile({
			path: statsPath,
			store: session.store,
			received: session.feed.received,
			clock,
		});
	}
	// Problems writing the audit log are told once the screen is restored (stderr would tear the frame).
	const afterExit: string[] = [];
	const control = createControlClient({
		connection: config.connection,
		transport: config.transport,
		readOnly: config.readOnly,
		display: config.brokerDisplay,
		audit: config.auditLog
			? createAuditLog(config.auditLog, (message) => afterExit.push(message))
			: undefined,
	});
	// Like `celery events`: wake the workers so their heartbeats come at once (a cast; no reply).
	if (!config.readOnly) void control.cast('heartbeat').catch(() => {});
	const services: Services = {
		store: session.store,
		clock,
		brokerDisplay: config.brokerDisplay,
		readOnly: config.readOnly,
		control,
		redis: createRedisInspector(config),
	};
	// Frames: the store publishes at most `fps` snapshots a second, and only when something changed.
	const frame = setInterval(() => session.store.flush(clock()), Math.round(1000 / config.fps));

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
	try {
		await app.waitUntilExit();
	} finally {
		clearInterval(frame);
		app.cleanup();
		restore();
		await Promise.allSettled([control.close(), session.stop(), services.redis?.close()]);
		stats?.stop();
		for (const message of afterExit) process.stderr.write(`celerytop: ${message}\n`);
	}
	return 0;
}
