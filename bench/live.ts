// Live benchmarks through a real redis-server: a recorded stream is replayed with PUBLISH at fixed
// rates (bench/replay.ts) while the subscriber under test runs. Used by bench/run.ts; prints one
// JSON line of results (progress on stderr).
//
//   node --import tsx bench/live.ts live --file F [--rates 10000,20000,30000,50000] [--seconds 60]
//   node --import tsx bench/live.ts ui   --file F [--rate 20000] [--seconds 90] [--max-tasks 100000]
//   node --import tsx bench/live.ts soak --file F [--rate 5000] [--seconds 600] [--max-tasks 100000]
//   node --import tsx bench/live.ts startup [--runs 10]
//
// live: for each rate, celerytop (the real TUI, dist/cli.js, in a pseudo-terminal, drawing) and
//       Celery's own live consumer (bench/celery_live.py), alternating, each against a fresh
//       redis-server with its default `client-output-buffer-limit pubsub 32mb 8mb 60`.
// ui:   the TUI at a fixed rate with many tasks retained: frames, CPU, and key-press-to-screen
//       latency (the help overlay opened and closed, read from the terminal the TUI draws into).
// soak: the TUI at a low rate for minutes: RSS over time.
// startup: `celerytop --help` (and `celery --help` beside it), and the TUI's first frame: from spawn
//       to the header showing "connected" on the terminal it draws into.
//
// Measured from outside: the subscriber's CPU and RSS (/proc), its output buffer on the server
// (CLIENT LIST omem, every 100 ms), its connection ids (a new id = it was cut off and came back),
// PUBLISH replies with no receiver (bench/replay.ts). From inside (CELERYTOP_STATS_FILE, see
// source/stats-file.ts; the Celery script writes the same): events taken in and lag.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import xterm from '@xterm/headless';
import {Redis} from 'ioredis';
import pty from 'node-pty';
import {startRedis} from '../demo/cluster.mjs';

const PYTHON = '/usr/bin/python3';
const bench = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(bench);
const CLI = path.join(root, 'dist/cli.js');
const log = (...parts: unknown[]): void => console.error('[live]', ...parts);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const [stage, ...argv] = process.argv.slice(2);
const get = (name: string): string | undefined => {
	const i = argv.indexOf(name);
	return i === -1 ? undefined : argv[i + 1];
};
const num = (name: string, fallback: number): number => Number(get(name) ?? fallback);
const file = get('--file');
if (!['live', 'ui', 'soak', 'startup'].includes(stage ?? '') || (!file && stage !== 'startup')) {
	console.error('usage: live.ts live|ui|soak --file F [options] | live.ts startup [--runs 10]');
	process.exit(2);
}
const impls = (get('--impls') ?? 'celerytop,celery').split(',');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'celerytop-live-'));

// ------------------------------------------------------------------------------------ /proc
const TICK = 100; // USER_HZ: /proc/<pid>/stat times are in 1/100 s on Linux
function cpuSeconds(pid: number): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) / TICK; // utime + stime
	} catch {
		return Number.NaN;
	}
}
function memory(pid: number): {rss: number; hwm: number} {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (name: string) =>
			Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN) * 1024;
		return {rss: kb('VmRSS'), hwm: kb('VmHWM')};
	} catch {
		return {rss: Number.NaN, hwm: Number.NaN};
	}
}

function readJson<T>(file: string): T | undefined {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as T;
	} catch {
		return undefined;
	}
}

// ------------------------------------------------------------------------------ subscribers
type InnerStats = {
	events: number;
	messages?: number;
	malformed?: number;
	tasks?: number;
	workers?: number;
	snapshots?: number;
	connection?: string;
	connected?: boolean;
	gaps?: number;
	disconnects?: number;
	lagMs: {count: number; p50: number; p99: number; max: number};
	eventLoopDelayMs?: {p50: number; p99: number; max: number};
	memory?: {rss: number; heapUsed: number; heapTotal: number};
};

type Subscriber = {
	readonly impl: 'celerytop' | 'celery';
	readonly pid: number;
	readonly statsFile: string;
	ready(): boolean;
	stop(): Promise<void>;
	/** celerytop only: the terminal it draws into. */
	readonly terminal?: InstanceType<typeof xterm.Terminal>;
	readonly write?: (keys: string) => void;
	bytesDrawn(): number;
	output(): string;
};

function startCelerytop(url: string, args: string[], cols = 160, rows = 48, parseScreen = false): Subscriber {
	const statsFile = path.join(tmp, `celerytop-${Date.now()}.json`);
	const env: Record<string, string> = {};
	for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'CI') env[k] = v;
	Object.assign(env, {TERM: 'xterm-256color', FORCE_COLOR: '1', CELERYTOP_STATS_FILE: statsFile});
	// BENCH_NODE_ARGS: extra node flags for the TUI (e.g. --cpu-prof while looking for hot spots).
	const nodeArgs = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
	const child = pty.spawn(process.execPath, [...nodeArgs, CLI, '-b', url, '--read-only', ...args], {
		name: 'xterm-256color',
		cols,
		rows,
		env,
	});
	const terminal = parseScreen ? new xterm.Terminal({cols, rows, allowProposedApi: true}) : undefined;
	let bytes = 0;
	let tail = '';
	child.onData((data) => {
		bytes += data.length;
		tail = (tail + data).slice(-4000);
		terminal?.write(data);
	});
	let exited = false;
	const done = new Promise<void>((resolve) =>
		child.onExit(() => {
			exited = true;
			resolve();
		}),
	);
	return {
		impl: 'celerytop',
		pid: child.pid,
		statsFile,
		terminal,
		write: (keys) => child.write(keys),
		ready: () => readJson<InnerStats>(statsFile)?.connection === 'connected',
		bytesDrawn: () => bytes,
		output: () => tail,
		async stop() {
			if (!exited) child.write('q');
			await Promise.race([done, sleep(5000)]);
			if (!exited) child.kill('SIGKILL');
		},
	};
}

function startCelery(url: string): Subscriber {
	const statsFile = path.join(tmp, `celery-${Date.now()}.json`);
	const env: NodeJS.ProcessEnv = {...process.env, PYTHONUNBUFFERED: '1'};
	delete env['PYTHONHOME'];
	const child: ChildProcess = spawn(PYTHON, [path.join(bench, 'celery_live.py'), url, statsFile], {
		env,
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let errors = '';
	child.stderr!.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-4000)));
	const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	return {
		impl: 'celery',
		pid: child.pid!,
		statsFile,
		ready: () => readJson<InnerStats>(statsFile)?.connected === true,
		bytesDrawn: () => 0,
		output: () => errors,
		async stop() {
			child.kill('SIGTERM');
			await Promise.race([done, sleep(5000)]);
			if (child.exitCode === null) child.kill('SIGKILL');
		},
	};
}

// ------------------------------------------------------------------------------- publisher
type ReplayOut = {
	rate: number;
	seconds: number;
	sent_events: number;
	sent_messages: number;
	achieved_events_per_s: number;
	bytes: number;
	loops: number;
	unheard_messages: number;
	behind_max_events: number;
	cpu_s: number;
};

function replay(port: number, rate: number, seconds: number): Promise<ReplayOut> {
	const child = spawn(
		process.execPath,
		[
			'--import',
			'tsx',
			path.join(bench, 'replay.ts'),
			'--port',
			String(port),
			'--file',
			file!,
			'--rate',
			String(rate),
			'--seconds',
			String(seconds),
		],
		{cwd: root, stdio: ['ignore', 'pipe', 'inherit']},
	);
	let out = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	const done = new Promise<ReplayOut>((resolve, reject) =>
		child.once('exit', (code) => {
			const line = out.trim().split('\n').at(-1);
			if (code === 0 && line) resolve(JSON.parse(line) as ReplayOut);
			else reject(new Error(`replay.ts exited with ${code}: ${out}`));
		}),
	);
	return done;
}

// ----------------------------------------------------------------------------- server side
type ClientSample = {id: string; omem: number; qbuf: number};
function pubsubClients(listing: string): ClientSample[] {
	const out: ClientSample[] = [];
	for (const line of listing.split('\n')) {
		if (!/\bpsub=[1-9]/.test(line) && !/\bsub=[1-9]/.test(line)) continue;
		const field = (name: string) => new RegExp(`\\b${name}=(\\S*)`).exec(line)?.[1] ?? '';
		out.push({id: field('id'), omem: Number(field('omem')), qbuf: Number(field('qbuf'))});
	}
	return out;
}

function median(xs: number[]): number {
	const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (s.length === 0) return Number.NaN;
	const m = s.length >> 1;
	return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
function quantile(xs: number[], q: number): number {
	const s = [...xs].sort((a, b) => a - b);
	return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

// ------------------------------------------------------------------------------------ a run
export type RunResult = {
	impl: 'celerytop' | 'celery';
	rate: number;
	seconds: number;
	sent_events: number;
	sent_messages: number;
	achieved_events_per_s: number;
	received_events: number;
	received_messages?: number;
	malformed?: number;
	lost_events: number;
	unheard_messages: number;
	disconnects: number; // times the server cut the subscriber off (new client id, or counted by it)
	obl_disconnects: number | undefined; // INFO stats client_output_buffer_limit_disconnections
	peak_omem: number;
	cpu_percent: number; // of one core, while publishing
	redis_cpu_percent: number;
	publisher_cpu_percent: number;
	rss_peak: number;
	rss_end: number;
	lag_ms: {count: number; p50: number; p99: number; max: number};
	event_loop_delay_ms?: {p50: number; p99: number; max: number};
	snapshots_per_s?: number;
	draw_bytes_per_s?: number;
	tasks?: number;
	workers?: number;
	heap_used?: number; // the TUI's own figures at the end
	heap_total?: number;
	rss_series?: Array<[number, number]>; // [seconds since publishing started, RSS bytes]
	key_latency_ms?: number[];
	/** Keys typed at the start of the ui stage (a sort and a filter kept live for the whole run). */
	setup_keys?: string;
	caught_up_after_s: number | undefined;
};

type RunOptions = {
	impl: 'celerytop' | 'celery';
	rate: number;
	seconds: number;
	celerytopArgs?: string[];
	parseScreen?: boolean;
	/** Called once a second while publishing, with the seconds elapsed. */
	during?: (sub: Subscriber, elapsed: number) => Promise<void>;
	rssEvery?: number;
};

async function run(options: RunOptions): Promise<RunResult> {
	const {impl, rate, seconds} = options;
	const server = await startRedis({});
	const admin = new Redis({host: '127.0.0.1', port: server.port, lazyConnect: true, maxRetriesPerRequest: 1});
	await admin.connect();
	const limit = ((await admin.config('GET', 'client-output-buffer-limit')) as string[])[1];
	const sub =
		impl === 'celerytop'
			? startCelerytop(server.url, options.celerytopArgs ?? [], 160, 48, options.parseScreen)
			: startCelery(server.url);
	try {
		// Ready: it says it is connected and the server lists its pattern subscription.
		const readyBy = Date.now() + 30_000;
		while (!(sub.ready() && pubsubClients((await admin.client('LIST')) as string).length > 0)) {
			if (Date.now() > readyBy) throw new Error(`${impl} never subscribed: ${sub.output()}`);
			await sleep(50);
		}
		await sleep(500); // first frame drawn, start-up CPU spent
		const ids = new Set<string>();
		let peakOmem = 0;
		let sampling = true;
		const sampler = (async () => {
			while (sampling) {
				for (const c of pubsubClients((await admin.client('LIST')) as string)) {
					ids.add(c.id);
					if (c.omem > peakOmem) peakOmem = c.omem;
				}
				await sleep(100);
			}
		})();
		const publisher = replay(server.port, rate, seconds);
		// The publisher loads and templates the stream first (a few seconds): measure from when the
		// subscriber starts receiving.
		let t0 = 0;
		while (t0 === 0) {
			const s = readJson<InnerStats>(sub.statsFile);
			if ((s?.events ?? 0) > 0) t0 = Date.now();
			else await sleep(20);
		}
		const cpu0 = cpuSeconds(sub.pid);
		const redisCpu0 = cpuSeconds(server.pid);
		const draw0 = sub.bytesDrawn();
		const snaps0 = readJson<InnerStats>(sub.statsFile)?.snapshots ?? 0;
		let rssPeak = 0;
		const rssSeries: Array<[number, number]> = [];
		let publishing = true;
		void publisher.finally(() => (publishing = false));
		let lastSecond = 0;
		while (publishing) {
			await sleep(100);
			const m = memory(sub.pid);
			if (m.rss > rssPeak) rssPeak = m.rss;
			const elapsed = Math.floor((Date.now() - t0) / 1000);
			if (elapsed > lastSecond) {
				lastSecond = elapsed;
				if (options.rssEvery && elapsed % options.rssEvery === 0) rssSeries.push([elapsed, m.rss]);
				if (options.during) await options.during(sub, elapsed);
			}
		}
		const wall = (Date.now() - t0) / 1000;
		const cpu = (cpuSeconds(sub.pid) - cpu0) / wall;
		const redisCpu = (cpuSeconds(server.pid) - redisCpu0) / wall;
		const draw = (sub.bytesDrawn() - draw0) / wall;
		const snaps = ((readJson<InnerStats>(sub.statsFile)?.snapshots ?? 0) - snaps0) / wall;
		const published = await publisher;
		// Let it catch up: up to 20 s, or until the count stops moving for 3 s.
		let caughtUp: number | undefined;
		const sentAt = Date.now();
		let last = -1;
		let still = Date.now();
		for (;;) {
			const s = readJson<InnerStats>(sub.statsFile);
			const got = s?.events ?? 0;
			if (got >= published.sent_events) {
				caughtUp = (Date.now() - sentAt) / 1000;
				break;
			}
			if (got !== last) {
				last = got;
				still = Date.now();
			}
			if (Date.now() - still > 3000 || Date.now() - sentAt > 20_000) break;
			await sleep(200);
		}
		await sleep(1100); // one more stats write
		sampling = false;
		await sampler;
		const m = memory(sub.pid);
		const info = (await admin.info('stats')) as string;
		const obl = /client_output_buffer_limit_disconnections:(\d+)/.exec(info)?.[1];
		await sub.stop();
		const inner = readJson<InnerStats>(sub.statsFile)!;
		const disconnects = Math.max(ids.size - 1, inner.disconnects ?? 0, inner.gaps ?? 0);
		log(
			`${impl} @ ${rate}/s: sent ${published.sent_events}, got ${inner.events}, cut off ${disconnects}×, peak omem ${(peakOmem / 1048576).toFixed(1)} MB, CPU ${(cpu * 100).toFixed(0)} %, lag p99 ${inner.lagMs.p99} ms (limit ${limit})`,
		);
		return {
			impl,
			rate,
			seconds: published.seconds,
			sent_events: published.sent_events,
			sent_messages: published.sent_messages,
			achieved_events_per_s: published.achieved_events_per_s,
			received_events: inner.events,
			received_messages: inner.messages,
			malformed: inner.malformed,
			lost_events: Math.max(0, published.sent_events - inner.events),
			unheard_messages: published.unheard_messages,
			disconnects,
			obl_disconnects: obl === undefined ? undefined : Number(obl),
			peak_omem: peakOmem,
			cpu_percent: cpu * 100,
			redis_cpu_percent: redisCpu * 100,
			publisher_cpu_percent: (published.cpu_s / published.seconds) * 100,
			rss_peak: Math.max(rssPeak, m.hwm),
			rss_end: m.rss,
			lag_ms: inner.lagMs,
			event_loop_delay_ms: inner.eventLoopDelayMs,
			snapshots_per_s: impl === 'celerytop' ? snaps : undefined,
			draw_bytes_per_s: impl === 'celerytop' ? draw : undefined,
			tasks: inner.tasks,
			workers: inner.workers,
			heap_used: inner.memory?.heapUsed,
			heap_total: inner.memory?.heapTotal,
			rss_series: options.rssEvery ? rssSeries : undefined,
			caught_up_after_s: caughtUp,
		};
	} finally {
		await sub.stop();
		admin.disconnect();
		await server.stop();
	}
}

// ------------------------------------------------------------------------- key latency (ui)
function screenText(terminal: InstanceType<typeof xterm.Terminal>): Promise<string> {
	return new Promise((resolve) =>
		terminal.write('', () => {
			const buffer = terminal.buffer.active;
			const rows: string[] = [];
			for (let i = 0; i < terminal.rows; i++)
				rows.push(buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? '');
			resolve(rows.join('\n'));
		}),
	);
}

/** Press a key and time until the screen shows (or stops showing) `marker`. */
async function keyLatency(sub: Subscriber, key: string, marker: string, shown: boolean): Promise<number> {
	const started = performance.now();
	sub.write!(key);
	for (;;) {
		if ((await screenText(sub.terminal!)).includes(marker) === shown) return performance.now() - started;
		if (performance.now() - started > 5000) return Number.POSITIVE_INFINITY;
		await sleep(1);
	}
}

// ----------------------------------------------------------------------------------- startup
function timeSpawn(cmd: string, args: string[]): number {
	const started = performance.now();
	const r = spawnSync(cmd, args, {stdio: ['ignore', 'pipe', 'pipe']});
	if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
	return performance.now() - started;
}

async function firstFrame(url: string): Promise<number> {
	const started = performance.now();
	const sub = startCelerytop(url, [], 120, 36, true);
	try {
		for (;;) {
			if ((await screenText(sub.terminal!)).includes('● connected')) return performance.now() - started;
			if (performance.now() - started > 10_000) throw new Error(`no first frame: ${sub.output()}`);
			await sleep(2);
		}
	} finally {
		await sub.stop();
	}
}

async function startup(runs: number) {
	const help: number[] = [];
	const celeryHelp: number[] = [];
	const frames: number[] = [];
	for (let i = 0; i < runs; i++) {
		help.push(timeSpawn(process.execPath, [CLI, '--help']));
		celeryHelp.push(timeSpawn(PYTHON, ['-m', 'celery', '--help']));
	}
	const server = await startRedis({});
	try {
		for (let i = 0; i < runs; i++) frames.push(await firstFrame(server.url));
	} finally {
		await server.stop();
	}
	log(
		`--help median ${median(help).toFixed(0)} ms (celery --help ${median(celeryHelp).toFixed(0)} ms), first frame median ${median(frames).toFixed(0)} ms`,
	);
	return {help_ms: help, celery_help_ms: celeryHelp, first_frame_ms: frames};
}

// ------------------------------------------------------------------------------------ stages
const results: RunResult[] = [];
let startupResult: Awaited<ReturnType<typeof startup>> | undefined;
try {
	if (stage === 'startup') {
		startupResult = await startup(num('--runs', 10));
	} else if (stage === 'live') {
		const rates = (get('--rates') ?? '10000,20000,30000,50000').split(',').map(Number);
		const seconds = num('--seconds', 60);
		for (const [i, rate] of rates.entries()) {
			const order: Array<'celerytop' | 'celery'> =
				i % 2 === 0 ? ['celerytop', 'celery'] : ['celery', 'celerytop'];
			for (const impl of order) if (impls.includes(impl)) results.push(await run({impl, rate, seconds}));
		}
	} else if (stage === 'ui') {
		const rate = num('--rate', 20_000);
		const seconds = num('--seconds', 90);
		const maxTasks = num('--max-tasks', 100_000);
		// Keys typed once at the start (a sort and a filter: `>>>>>>/shop\r`), so every later frame keeps
		// them up to date.
		const setup = get('--setup-keys') ?? '';
		let typed = setup === '';
		let setupSeen = false;
		const latencies: number[] = [];
		const result = await run({
			impl: 'celerytop',
			rate,
			seconds,
			parseScreen: true,
			celerytopArgs: ['--max-tasks', String(maxTasks), '--max-workers', '5000'],
			// Once the task cap is reached (about half-way), open and close the help overlay every second.
			async during(sub, elapsed) {
				if (!typed && elapsed > 1) {
					typed = true;
					for (const key of setup) {
						sub.write!(key);
						await sleep(50);
					}
					// The keys took: the Tasks pane's title names the sort and the header the filter.
					for (let tries = 0; tries < 300 && !setupSeen; tries++) {
						const text = await screenText(sub.terminal!);
						setupSeen = /Tasks · sort RUNTIME/.test(text) && /filter: shop/.test(text);
						if (!setupSeen) await sleep(10);
					}
				}
				if (elapsed < seconds / 2 || elapsed > seconds - 3) return;
				latencies.push(await keyLatency(sub, '?', 'Everywhere', true));
				await sleep(100);
				latencies.push(await keyLatency(sub, '\u001B', 'Everywhere', false));
			},
		});
		result.key_latency_ms = latencies;
		result.setup_keys = setup;
		if (setup && !setupSeen)
			throw new Error(`the setup keys ${JSON.stringify(setup)} did not show on the screen`);
		log(
			`keys: ${latencies.length} presses, p50 ${quantile(latencies, 0.5).toFixed(0)} ms, p95 ${quantile(latencies, 0.95).toFixed(0)} ms`,
		);
		results.push(result);
	} else {
		const rate = num('--rate', 5000);
		const seconds = num('--seconds', 600);
		const maxTasks = num('--max-tasks', 100_000);
		results.push(
			await run({
				impl: 'celerytop',
				rate,
				seconds,
				rssEvery: 10,
				celerytopArgs: ['--max-tasks', String(maxTasks)],
			}),
		);
	}
} finally {
	rmSync(tmp, {recursive: true, force: true});
}
console.log(JSON.stringify({stage, file, results, startup: startupResult}));
process.exit(0);
