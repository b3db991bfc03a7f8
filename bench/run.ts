// The ingest benchmark, in one run: celerytop (decodeEventMessage + ClusterState.applyBatch) side by
// side with Celery's own receiver (kombu decode + EventReceiver + celery.events.state.State) on the
// same recorded streams, then RSS with 10,000 and 100,000 tasks retained. Writes bench/RESULTS.md.
//
//   npm run bench              (= npm run build && node --import tsx bench/run.ts)
//   npm run bench -- --quick   2 rounds of 2 passes, RSS at 10,000 tasks only
//   options: --rounds N --passes N --no-mem --no-keyspace --no-live --no-ui --no-soak --no-startup
//            --live-rates 10000,20000 --live-seconds N --ui-seconds N --soak-seconds N --out FILE
//            --only STAGE,… (measure these, reuse the rest from bench/data/last-run.json)
//
// Streams are made by bench/gen_events.py (Celery's real EventDispatcher, kombu's real Redis
// transport with PUBLISH written to a file) into bench/data/ (git-ignored) when missing or made by
// another generator version. Every measurement runs in a fresh child process; celerytop and Celery
// alternate (the order flips each round) so that machine noise hits both.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';
import type {RunResult} from './live.js';

const PYTHON = '/usr/bin/python3'; // Debian's Celery 5.2.6; the python3 first on PATH has no Celery
const bench = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(bench);
const data = path.join(bench, 'data');
const rel = (p: string): string => path.relative(root, p);

// ------------------------------------------------------------------------------------------ options
const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(name);
const option = (name: string, fallback: number): number => {
	const i = argv.indexOf(name);
	return i === -1 ? fallback : Number(argv[i + 1]);
};
const quick = flag('--quick');
const rounds = option('--rounds', quick ? 2 : 5);
const passes = option('--passes', quick ? 2 : 3);
const memSizes = flag('--no-mem') ? [] : quick ? [10_000] : [10_000, 100_000];
// Live stages (bench/live.ts): the real TUI in a pseudo-terminal against a real redis-server.
const stringOption = (name: string, fallback: string): string => {
	const i = argv.indexOf(name);
	return i === -1 ? fallback : argv[i + 1]!;
};
const liveRates = stringOption('--live-rates', '10000,20000,30000,50000').split(',').map(Number);
const liveSeconds = option('--live-seconds', quick ? 10 : 60);
const uiSeconds = option('--ui-seconds', quick ? 30 : 90);
const soakSeconds = option('--soak-seconds', quick ? 60 : 600);
const outIndex = argv.indexOf('--out');
const resultsPath = outIndex === -1 ? path.join(bench, 'RESULTS.md') : path.resolve(argv[outIndex + 1]!);
// What produced the results: `npm run bench` (build, then this script) or this script on its own.
// Raw figures: bench/data/last-run.json, or next to --out so that a trial run does not overwrite them.
const rawPath = outIndex === -1 ? path.join(data, 'last-run.json') : resultsPath.replace(/(\.md)?$/, '.json');
const command =
	process.env['npm_lifecycle_event'] === 'bench'
		? 'npm run bench' + (argv.length > 0 ? ' -- ' + argv.join(' ') : '')
		: ['node --import tsx bench/run.ts', ...argv].join(' ') + ' (measuring the existing dist/)';

// --only ingest,keyspace,…: measure these stages now and take the others from the last run's raw
// figures (bench/data/last-run.json), e.g. to re-measure one stage after a change to it. The report
// says which sections come from which run.
const STAGES = ['ingest', 'memory', 'keyspace', 'live', 'ui', 'soak', 'startup'] as const;
type Stage = (typeof STAGES)[number];
const only = new Set(stringOption('--only', '').split(',').filter(Boolean));
for (const stage of only)
	if (!(STAGES as readonly string[]).includes(stage)) {
		console.error(`bench: --only takes ${STAGES.join(', ')}; got ${stage}`);
		process.exit(2);
	}
// Read before this run overwrites it.
const previousPath = path.join(data, 'last-run.json');
const previous =
	only.size > 0 && existsSync(previousPath)
		? (JSON.parse(readFileSync(previousPath, 'utf8')) as Record<string, unknown>)
		: undefined;
if (only.size > 0 && previous === undefined) {
	console.error(`bench: --only needs the raw figures of an earlier full run in ${rel(previousPath)}`);
	process.exit(2);
}
/** Whether a stage is measured in this run (else it is reused from `previous`, or left out). */
const measures = (stage: Stage): boolean => only.size === 0 || only.has(stage);
const reused: Stage[] = [];
const previousAt = previous
	? statSync(previousPath)
			.mtime.toISOString()
			.replace(/\.\d+Z$/, 'Z')
	: '';
function reuse<T>(stage: Stage, key: string): T | undefined {
	const value = previous?.[key] as T | undefined;
	if (value !== undefined && !reused.includes(stage)) reused.push(stage);
	return value;
}

const log = (...parts: unknown[]): void => console.error('[bench]', ...parts);
const started = Date.now();

// --------------------------------------------------------------------------------------- children
function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
	return execFileSync(file, args, {
		cwd: root,
		env,
		encoding: 'utf8',
		maxBuffer: 64 << 20,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
}

function runJson<T>(file: string, args: string[]): T {
	const out = run(file, args).trim().split('\n');
	return JSON.parse(out[out.length - 1]!) as T;
}

// ------------------------------------------------------------------------------------------- data
type Meta = {
	generator_version: number;
	generator_sha256?: string;
	variant: string;
	workers: number;
	tasks: number;
	rate: number;
	seed: number;
	messages: number;
	events: number;
	distinct_tasks: number;
	types: Record<string, number>;
	task_multi_batch_sizes: Record<string, number>;
	bytes: number;
	simulated_seconds: number;
	generated_in_s: number;
	celery: string;
	kombu: string;
};

const genScript = path.join(bench, 'gen_events.py');
// Same hash as gen_events.py's generator_sha256(): any change to the generator regenerates the streams.
const genHash = createHash('sha256')
	.update(readFileSync(genScript))
	.update(readFileSync(path.join(bench, 'kombu_offline.py')))
	.digest('hex');

function ensureData(variant: string): {file: string; meta: Meta} {
	mkdirSync(data, {recursive: true});
	const file = path.join(data, `events-${variant}.jsonl`);
	const metaFile = path.join(data, `events-${variant}.meta.json`);
	if (existsSync(file) && existsSync(metaFile)) {
		const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta;
		if (meta.generator_sha256 === genHash) return {file, meta};
		log(`${rel(file)} was made by another version of bench/gen_events.py: regenerating`);
	}
	log(`generating ${rel(file)} (Celery's EventDispatcher + kombu's Redis transport, recorded)…`);
	const meta = runJson<Meta>(PYTHON, [genScript, '--variant', variant, '--out', file, '--meta', metaFile]);
	log(
		`  ${meta.events} events in ${meta.messages} messages, ${meta.distinct_tasks} tasks, ${(meta.bytes / 1e6).toFixed(0)} MB, ${meta.generated_in_s} s`,
	);
	return {file, meta};
}

// The TS harness as plain JS (types stripped), so that children run on bare node: no tsx loader
// thread in the RSS figures or competing for the 2 cores. Falls back to tsx if that fails.
function nodeHarness(): string[] {
	const hasDist =
		existsSync(path.join(root, 'dist/lib/state/cluster.js')) &&
		existsSync(path.join(root, 'dist/lib/protocol/events.js'));
	if (hasDist) {
		try {
			const source = readFileSync(path.join(bench, 'ingest.ts'), 'utf8');
			const js = ts.transpileModule(source, {
				compilerOptions: {
					module: ts.ModuleKind.ESNext,
					target: ts.ScriptTarget.ES2022,
					verbatimModuleSyntax: false,
				},
			}).outputText;
			const out = path.join(data, 'ingest.mjs');
			writeFileSync(
				out,
				'// Generated by bench/run.ts from bench/ingest.ts (types stripped). Do not edit.\n' + js,
			);
			return ['--expose-gc', out];
		} catch (error) {
			log('could not transpile bench/ingest.ts, using tsx:', error);
		}
	} else {
		log('dist/ is missing: measuring source/ through tsx');
	}
	return ['--import', 'tsx', '--expose-gc', path.join(bench, 'ingest.ts')];
}

// ------------------------------------------------------------------------------------- statistics
const median = (xs: number[]): number => {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtX = (n: number): string => n.toFixed(1) + '×';
const mb = (bytes: number): string => (bytes / 1048576).toFixed(0) + ' MB';

type Pass = {
	pass: number;
	events: number;
	messages: number;
	seconds: number;
	events_per_s: number;
	tasks: number;
	workers: number;
	rss: number;
	errors?: number;
};
type SpeedOut = {
	impl: string;
	passes: Pass[];
	states: Record<string, number>;
	/** Celery only: tasks with a task-rejected event that its State leaves in another state, by state. */
	rejected_elsewhere?: Record<string, number>;
	node?: string;
	python?: string;
	celery?: string;
	kombu?: string;
	code?: string;
	peak_rss?: number;
};
type MemOut = {
	impl: string;
	max_tasks: number;
	events: number;
	tasks: number;
	workers: number;
	seconds: number;
	rss_baseline: number;
	rss: number;
	heap_used?: number;
	heap_total?: number;
	heap_used_baseline?: number;
	taskheap?: number;
	errors?: number;
	states: Record<string, number>;
};

/** A child's figure: the median of its passes after the first (the first is a warm-up for both). */
function childValue(out: SpeedOut): number {
	const counted = out.passes.length > 1 ? out.passes.slice(1) : out.passes;
	return median(counted.map((p) => p.events_per_s));
}

// ----------------------------------------------------------------------------------------- facts
function machineFacts(): Record<string, string> {
	const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
	const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
	const mhz = /^cpu MHz\s*:\s*(.*)$/m.exec(cpuinfo)?.[1];
	const memTotal = /^MemTotal:\s*(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
	let distro = 'unknown';
	try {
		distro = /^PRETTY_NAME="?(.*?)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? distro;
	} catch {}
	let nproc = String(os.availableParallelism());
	try {
		nproc = run('nproc', []).trim();
	} catch {}
	const py = run(PYTHON, [
		'-c',
		'import sys, celery, kombu, redis; print(sys.version.split()[0], celery.__version__, kombu.__version__, redis.__version__)',
	])
		.trim()
		.split(' ');
	return {
		nproc,
		cpu: model + (mhz ? ` (${Math.round(Number(mhz))} MHz reported)` : ''),
		memory: memTotal ? `${(Number(memTotal) / 1048576).toFixed(1)} GiB` : 'unknown',
		os: `${distro}, Linux ${os.release()}`,
		node: process.version,
		typescript: ts.version,
		python: `${py[0]} (${PYTHON})`,
		celery: py[1]!,
		kombu: py[2]!,
		'redis-py': py[3]!,
	};
}

// ------------------------------------------------------------------------------------------ main
const facts = machineFacts();
log('machine:', JSON.stringify(facts));
const variants = ['100w', '1000w'];
const streams = Object.fromEntries(variants.map((v) => [v, ensureData(v)]));
const check = ensureData('check');
const memStream = memSizes.length > 0 ? ensureData('mem') : undefined;
const harness = nodeHarness();
log(`harness: node ${harness.join(' ')}`);

/** One child of either implementation on the same arguments: bench/ingest.ts or bench/celery_ingest.py. */
function ingestChild<T>(impl: 'celerytop' | 'celery', args: string[]): T {
	return impl === 'celerytop'
		? runJson<T>('node', [...harness, ...args])
		: runJson<T>(PYTHON, [path.join(bench, 'celery_ingest.py'), ...args]);
}

type Round = {
	round: number;
	variant: string;
	order: string;
	ts: SpeedOut;
	py: SpeedOut;
	tsValue: number;
	pyValue: number;
};
let checkTs: SpeedOut;
let checkPy: SpeedOut;
let checkAgrees: boolean;
let roundsDone: Round[] = [];
if (measures('ingest')) {
	// 1. semantic cross-check: same small stream, no eviction, task states must agree
	log('cross-check: task states after the check stream (no eviction on either side)…');
	const checkArgs = ['speed', '--file', check.file, '--passes', '1', '--max-tasks', '1000000'];
	checkTs = ingestChild<SpeedOut>('celerytop', checkArgs);
	checkPy = ingestChild<SpeedOut>('celery', checkArgs);
	// Celery's State keeps a task that was rejected after it started (or was received) in that state;
	// celerytop shows REJECTED (docs/STATE.md, "Where we depart from Celery"): those, and only those, move.
	const expected: Record<string, number> = {...checkPy.states};
	for (const [state, count] of Object.entries(checkPy.rejected_elsewhere ?? {})) {
		expected[state] = (expected[state] ?? 0) - count;
		if (expected[state] === 0) delete expected[state];
		expected['REJECTED'] = (expected['REJECTED'] ?? 0) + count;
	}
	const stateNames = [...new Set([...Object.keys(checkTs.states), ...Object.keys(expected)])].sort();
	checkAgrees =
		stateNames.every((s) => checkTs.states[s] === expected[s]) &&
		checkTs.passes[0]!.events === checkPy.passes[0]!.events;
	log(
		`  ${checkAgrees ? 'agree' : 'DIFFER'}: celerytop ${JSON.stringify(checkTs.states)} / Celery ${JSON.stringify(checkPy.states)}`,
	);

	// 2. speed rounds, alternating
	for (let r = 1; r <= rounds; r++) {
		for (const variant of variants) {
			const {file} = streams[variant]!;
			const tsFirst = r % 2 === 1;
			const speedArgs = ['speed', '--file', file, '--passes', String(passes)];
			const runTs = (): SpeedOut => ingestChild<SpeedOut>('celerytop', speedArgs);
			const runPy = (): SpeedOut => ingestChild<SpeedOut>('celery', speedArgs);
			let ts: SpeedOut;
			let py: SpeedOut;
			if (tsFirst) {
				ts = runTs();
				py = runPy();
			} else {
				py = runPy();
				ts = runTs();
			}
			const round: Round = {
				round: r,
				variant,
				order: tsFirst ? 'celerytop, Celery' : 'Celery, celerytop',
				ts,
				py,
				tsValue: childValue(ts),
				pyValue: childValue(py),
			};
			roundsDone.push(round);
			log(
				`round ${r}/${rounds} ${variant}: celerytop ${fmtInt(round.tsValue)} ev/s, Celery ${fmtInt(round.pyValue)} ev/s → ${fmtX(round.tsValue / round.pyValue)}` +
					`  [passes: ${ts.passes.map((p) => fmtInt(p.events_per_s)).join(' ')} | ${py.passes.map((p) => fmtInt(p.events_per_s)).join(' ')}]`,
			);
		}
	}
} else {
	const check = reuse<{ts: SpeedOut; py: SpeedOut; agrees: boolean}>('ingest', 'check')!;
	({ts: checkTs, py: checkPy, agrees: checkAgrees} = check);
	roundsDone = reuse<Round[]>('ingest', 'rounds') ?? [];
}

// 3. memory, each in a fresh process
type MemRow = {n: number; ts: MemOut; py: MemOut};
let memRows: MemRow[] = [];
if (!measures('memory')) memRows = reuse<MemRow[]>('memory', 'memory') ?? [];
else if (memStream !== undefined) {
	for (const n of memSizes) {
		log(`memory: ${fmtInt(n)} tasks retained…`);
		const memArgs = ['mem', '--file', memStream.file, '--max-tasks', String(n)];
		const tsOut = ingestChild<MemOut>('celerytop', memArgs);
		const pyOut = ingestChild<MemOut>('celery', memArgs);
		memRows.push({n, ts: tsOut, py: pyOut});
		log(`  celerytop RSS ${mb(tsOut.rss)} (heap ${mb(tsOut.heap_used ?? 0)}), Celery RSS ${mb(pyOut.rss)}`);
	}
}

// ------------------------------------------------------------------------------- keyspace stage
// `celerytop redis memory` (exact) against `redis-cli --memkeys` on the same generated Celery-like
// keyspace in a private redis-server, alternating, with a PING prober (bench/memkeys.ts).
type MemkeysSummary = {medianWallMs: number; medianWorstPingMs: number; maxWorstPingMs: number};
type MemkeysResult = {
	keys: number;
	rounds: number;
	accuracy?: {
		sampleSize: number;
		wallMs: number;
		p99PingMs: number;
		keysCounted: number;
		keysExact: number;
		totalErrorPct: number;
		worstFamilyErrorPct: number;
		families: Array<{family: string; kind: string; share: number; errorPct: number}>;
	};
	summary: Record<'celerytop' | 'redis-cli', MemkeysSummary>;
	runs: Array<{tool: string; wallMs: number; worstPingMs: number; p99PingMs: number; scanMs?: number}>;
};
const keyspaceKeys = option('--keyspace-keys', quick ? 200_000 : 1_000_000);
const keyspaceRounds = option('--keyspace-rounds', quick ? 1 : 3);
let keyspace: MemkeysResult | undefined;
if (!measures('keyspace')) keyspace = reuse<MemkeysResult>('keyspace', 'keyspace');
else if (!flag('--no-keyspace')) {
	log(
		`keyspace: ${fmtIntEarly(keyspaceKeys)} keys, ${keyspaceRounds} round(s) of celerytop vs redis-cli --memkeys`,
	);
	keyspace = runJson<MemkeysResult>(process.execPath, [
		'--import',
		'tsx',
		'bench/memkeys.ts',
		'--keys',
		String(keyspaceKeys),
		'--rounds',
		String(keyspaceRounds),
	]);
}

// ---------------------------------------------------------------------------------- live stages
// bench/live.ts: a recorded stream replayed with PUBLISH at fixed rates into a fresh redis-server
// while the real TUI (or Celery's live consumer) subscribes; see the header of bench/live.ts.
type LiveRun = RunResult;
type LiveOut = {
	stage: string;
	results: LiveRun[];
	startup?: {help_ms: number[]; celery_help_ms: number[]; first_frame_ms: number[]};
};
function liveStage(stage: string, args: string[]): LiveOut {
	return runJson<LiveOut>(process.execPath, ['--import', 'tsx', 'bench/live.ts', stage, ...args]);
}
let live: LiveOut | undefined;
let ui: LiveOut | undefined;
/** Sort the Tasks pane by RUNTIME (> six times from the default) and filter it to `shop` tasks. */
const UI_SETUP_KEYS = '>>>>>>/shop\r';
let soak: LiveOut | undefined;
let startup: LiveOut | undefined;
if (!measures('live')) live = reuse<LiveOut>('live', 'live');
else if (!flag('--no-live')) {
	log(
		`live: ${liveRates.join(', ')} events/s for ${liveSeconds} s each, celerytop's TUI and Celery's consumer`,
	);
	live = liveStage('live', [
		'--file',
		streams['100w']!.file,
		'--rates',
		liveRates.join(','),
		'--seconds',
		String(liveSeconds),
	]);
}
if (!measures('ui')) ui = reuse<LiveOut>('ui', 'ui');
else if (!flag('--no-ui')) {
	// The same load twice, with 100,000 and with 10,000 tasks retained, a sort and a filter active in
	// both: a frame must cost what is drawn and what changed, not what is retained.
	const runs = [100_000, 10_000].map((maxTasks) => {
		log(
			`ui under load: 20,000 events/s for ${uiSeconds} s, ${maxTasks} tasks, 1,000 workers, sorted, filtered, keys pressed`,
		);
		return liveStage('ui', [
			'--file',
			streams['1000w']!.file,
			'--seconds',
			String(uiSeconds),
			'--max-tasks',
			String(maxTasks),
			'--setup-keys',
			UI_SETUP_KEYS,
		]).results[0]!;
	});
	ui = {stage: 'ui', results: runs};
}
if (!measures('soak')) soak = reuse<LiveOut>('soak', 'soak');
else if (!flag('--no-soak')) {
	log(`soak: 5,000 events/s for ${soakSeconds} s, RSS every 10 s`);
	soak = liveStage('soak', ['--file', streams['100w']!.file, '--seconds', String(soakSeconds)]);
}
if (!measures('startup')) startup = reuse<LiveOut>('startup', 'startup');
else if (!flag('--no-startup')) {
	log('startup: --help and the first frame');
	startup = liveStage('startup', ['--runs', quick ? '3' : '10']);
}

function fmtIntEarly(n: number): string {
	return Math.round(n).toLocaleString('en-US');
}

// ---------------------------------------------------------------------------------------- report
// What the figures came from (this run's settings, or the reused run's).
const roundsRun = Math.max(0, ...roundsDone.map((r) => r.round));
const passesRun = roundsDone[0]?.ts.passes.length ?? passes;
const liveSecs = live ? Math.round(live.results[0]?.seconds ?? liveSeconds) : liveSeconds;
const elapsedMin = (Date.now() - started) / 60000;
const lines: string[] = [];
const p = (s = ''): void => {
	lines.push(s);
};
const table = (head: string[], rows: string[][], align?: string[]): void => {
	p('| ' + head.join(' | ') + ' |');
	p('| ' + head.map((_, i) => align?.[i] ?? '---').join(' | ') + ' |');
	for (const row of rows) p('| ' + row.join(' | ') + ' |');
};

p('# Benchmarks: celerytop vs Celery and redis-cli');
p();
p(
	`Produced by \`${command}\` on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} (the whole run took ${elapsedMin.toFixed(1)} min).`,
);
p(`Raw figures of every child process: \`${rel(rawPath)}\`${outIndex === -1 ? ' (git-ignored)' : ''}.`);
// When each stage's figures were measured (reused stages keep the time of the run that measured them).
const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const previousMeasuredAt = (previous?.['measured_at'] ?? {}) as Partial<Record<Stage, string>>;
const measuredAt: Partial<Record<Stage, string>> = {};
for (const stage of STAGES)
	measuredAt[stage] = reused.includes(stage) ? (previousMeasuredAt[stage] ?? previousAt) : now;
if (reused.length > 0)
	p(
		`Measured in this run: ${STAGES.filter((st) => only.has(st)).join(', ')}. Reused from earlier runs (raw figures carried over): ${reused.map((st) => `${st} (${measuredAt[st]})`).join(', ')}.`,
	);
p();
// Every goal of the issue with the figure measured beside it; filled in as the sections render.
const goals: string[][] = [];
const goal = (what: string, target: string, measured: string, met: boolean | undefined): void => {
	goals.push([what, target, measured, met === undefined ? '—' : met ? 'met' : '**not met**']);
};
const goalsAt = lines.length;
p('## Result');
p();
const summary: string[][] = [];
let allMet = true;
for (const variant of variants) {
	const rs = roundsDone.filter((r) => r.variant === variant);
	const tsVals = rs.map((r) => r.tsValue);
	const pyVals = rs.map((r) => r.pyValue);
	const ratios = rs.map((r) => r.tsValue / r.pyValue);
	const ratio = median(tsVals) / median(pyVals);
	if (ratio < 6) allMet = false;
	const m = streams[variant]!.meta;
	summary.push([
		`${m.workers} workers (${fmtInt(m.events)} events)`,
		fmtInt(median(tsVals)),
		`${fmtInt(Math.min(...tsVals))} – ${fmtInt(Math.max(...tsVals))}`,
		fmtInt(median(pyVals)),
		`${fmtInt(Math.min(...pyVals))} – ${fmtInt(Math.max(...pyVals))}`,
		`**${fmtX(ratio)}**`,
		`${fmtX(median(ratios))} (${fmtX(Math.min(...ratios))} – ${fmtX(Math.max(...ratios))})`,
	]);
}
p(
	`Events per second, decode + state update, ${roundsRun} alternating rounds (fresh child process each; every child runs ${passesRun} passes over the whole stream and counts the median of passes 2–${passesRun}; pass 1 is a warm-up for both).`,
);
p();
table(
	[
		'stream',
		'celerytop median',
		'celerytop min – max',
		'Celery median',
		'Celery min – max',
		'ratio of medians',
		'per-round ratio: median (min – max)',
	],
	summary,
	['---', '---:', '---:', '---:', '---:', '---:', '---:'],
);
p();
for (const row of summary)
	goal(
		`Ingest, ${row[0]}`,
		'≥ 6× Celery (aim 10×)',
		`${row[5]!.replace(/\*/g, '')} (${row[1]} vs ${row[3]} ev/s)`,
		Number(row[5]!.replace(/[^0-9.]/g, '')) >= 6,
	);
p(
	`Target (at least 6× Celery's rate): **${allMet ? 'met' : 'NOT met'}** for ${allMet ? 'both streams' : 'every stream'}${allMet ? '' : ' (see the per-stream ratios)'}.`,
);
p();
if (memRows.length > 0) {
	p(
		`Memory with N tasks retained: the ${fmtInt(memStream!.meta.events)}-event stream of ${fmtInt(memStream!.meta.distinct_tasks)} distinct tasks (full lifecycles, 100 workers) streamed line by line into a store bounded at N, then a forced full GC; RSS of a fresh process (\`/proc/self/status\` VmRSS for Python, \`process.memoryUsage()\` for Node).`,
	);
	p();
	table(
		[
			'tasks retained (celerytop / Celery)',
			'celerytop RSS',
			'celerytop RSS − baseline',
			'celerytop heapUsed / heapTotal',
			'Celery RSS',
			'Celery RSS − baseline',
			'RSS ratio Celery / celerytop',
		],
		memRows.map(({n, ts, py}) => [
			`${fmtInt(ts.tasks)}${ts.tasks !== n ? ' (!)' : ''} / ${fmtInt(py.tasks)}${py.tasks !== n ? ' (!)' : ''}`,
			mb(ts.rss),
			mb(ts.rss - ts.rss_baseline),
			`${mb(ts.heap_used ?? 0)} / ${mb(ts.heap_total ?? 0)}`,
			mb(py.rss),
			mb(py.rss - py.rss_baseline),
			(py.rss / ts.rss).toFixed(2),
		]),
		['---', '---:', '---:', '---:', '---:', '---:', '---:'],
	);
	p();
	if (memRows.length >= 2) {
		const lo = memRows[0]!;
		const hi = memRows[memRows.length - 1]!;
		const dn = hi.n - lo.n;
		const tsPer = ((hi.ts.heap_used ?? 0) - (lo.ts.heap_used ?? 0)) / dn;
		const tsRssPer = (hi.ts.rss - lo.ts.rss) / dn;
		const pyPer = (hi.py.rss - lo.py.rss) / dn;
		p(
			`Marginal cost per retained task (between ${fmtInt(lo.n)} and ${fmtInt(hi.n)}): celerytop ${fmtInt(tsPer)} B of heap (${fmtInt(tsRssPer)} B of RSS), Celery ${fmtInt(pyPer)} B of RSS (${(pyPer / tsRssPer).toFixed(1)}× celerytop's RSS).`,
		);
		p();
	}
	for (const row of memRows) {
		if (row.ts.rss > row.py.rss) {
			p(
				`At ${fmtInt(row.n)} tasks celerytop's RSS is above Celery's: node's own baseline is larger (${mb(row.ts.rss_baseline)} vs ${mb(row.py.rss_baseline)}) and V8 keeps the heap it grew while ${fmtInt(row.ts.events)} events streamed through (heapTotal ${mb(row.ts.heap_total ?? 0)} for ${mb(row.ts.heap_used ?? 0)} live after GC).`,
			);
			p();
		}
	}
	const largest = memRows[memRows.length - 1]!;
	if (largest.n >= 100_000)
		goal(
			'Memory, 100,000 tasks retained (store, after GC)',
			'RSS < 150 MB',
			mb(largest.ts.rss),
			largest.ts.rss < 150 * 1048576,
		);
	const b = memRows[0]!;
	p(
		`Baselines (same process, after imports, before the first event): celerytop ${mb(b.ts.rss_baseline)} (bare \`node\` with the dist modules loaded), Celery ${mb(b.py.rss_baseline)} (Python with celery + kombu imported). Celery's State also keeps its task heap of ${fmtInt(memRows[memRows.length - 1]!.py.taskheap ?? 0)} entries at the largest N (4 per task).`,
	);
	p();
}

if (keyspace) {
	const ours = keyspace.summary.celerytop;
	const theirs = keyspace.summary['redis-cli'];
	const pctl = (tool: string, pick: (r: MemkeysResult['runs'][number]) => number) =>
		median(keyspace!.runs.filter((r) => r.tool === tool).map(pick));
	p('## Keyspace: where the memory goes, vs `redis-cli --memkeys`');
	p();
	p(
		`${fmtInt(keyspace.keys)} Celery-like keys (\`bench/gen_keyspace.ts\` piped into \`redis-cli --pipe\`: results with TTLs, queues with priority sub-lists, unacked, bindings, pidbox replies, application keys), one private redis-server, ${keyspace.rounds} alternating round(s); a third client sends a PING every millisecond during each scan. Wall time is the whole process as a user sees it (start-up included).`,
	);
	p();
	table(
		['tool', 'wall time (median)', 'PING p99 during it (median)', 'worst PING (median of rounds)'],
		[
			[
				'`celerytop redis memory` (exact: MEMORY USAGE of every key)',
				`${(ours.medianWallMs / 1000).toFixed(2)} s`,
				`${pctl('celerytop', (r) => r.p99PingMs).toFixed(2)} ms`,
				`${ours.medianWorstPingMs.toFixed(2)} ms`,
			],
			[
				'`redis-cli --memkeys`',
				`${(theirs.medianWallMs / 1000).toFixed(2)} s`,
				`${pctl('redis-cli', (r) => r.p99PingMs).toFixed(2)} ms`,
				`${theirs.medianWorstPingMs.toFixed(2)} ms`,
			],
		],
	);
	p();
	const acc = keyspace.accuracy;
	if (acc) {
		p(
			`Sampled mode (\`--sample ${fmtInt(acc.sampleSize)}\`): ${(acc.wallMs / 1000).toFixed(2)} s, PING p99 ${acc.p99PingMs.toFixed(2)} ms; every key counted (${fmtInt(acc.keysCounted)} of ${fmtInt(acc.keysExact)}), bytes estimated: total error **${acc.totalErrorPct.toFixed(2)}%**, worst family with at least 1% of the bytes **${acc.worstFamilyErrorPct.toFixed(2)}%** (${acc.families.map((f) => `${f.family} ${f.errorPct.toFixed(2)}%`).join(', ')}). Goal: under 4 s and under 2% error.`,
		);
		p();
	}
	const wallRatio = ours.medianWallMs / theirs.medianWallMs;
	const ourP99 = pctl('celerytop', (r) => r.p99PingMs);
	goal(
		`Keyspace, ${fmtInt(keyspace.keys)} keys, exact`,
		'wall time ≤ memkeys (aim ½)',
		`${(ours.medianWallMs / 1000).toFixed(2)} s vs ${(theirs.medianWallMs / 1000).toFixed(2)} s = ${wallRatio.toFixed(2)}`,
		wallRatio <= 1,
	);
	goal('Keyspace, PING p99 during the exact scan', '< 2 ms', `${ourP99.toFixed(2)} ms`, ourP99 < 2);
	if (acc)
		goal(
			`Keyspace, sampled (--sample ${fmtInt(acc.sampleSize)})`,
			'< 4 s, < 2% error (total and per family)',
			`${(acc.wallMs / 1000).toFixed(2)} s, ${acc.totalErrorPct.toFixed(2)}% total, ${acc.worstFamilyErrorPct.toFixed(2)}% worst family`,
			acc.wallMs < 4000 && acc.totalErrorPct < 2 && acc.worstFamilyErrorPct < 2,
		);
	p(
		`Wall-time ratio celerytop / redis-cli: **${(ours.medianWallMs / theirs.medianWallMs).toFixed(2)}** (goal: at most 1, aim 0.5). celerytop also groups every key into Celery families with TTL buckets and the biggest keys; \`--memkeys\` prints only per-type totals.`,
	);
	p();
}

const pct = (x: number): string => `${x.toFixed(0)} %`;
const ms = (x: number): string => `${Math.round(x)} ms`;
const quantileOf = (xs: number[], q: number): number => {
	const sorted = [...xs].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};
/** Nothing lost and never cut off. */
const clean = (r: LiveRun): boolean => r.lost_events === 0 && r.disconnects === 0 && r.unheard_messages === 0;

if (live) {
	p('## Live: a real redis-server, the real TUI, fixed rates');
	p();
	p(
		`The 100-worker stream replayed with PUBLISH (\`bench/replay.ts\`: every event re-stamped with its send time, task ids renewed on each pass over the stream) at fixed rates for ${liveSecs} s each into a fresh redis-server with its default \`client-output-buffer-limit pubsub 32mb 8mb 60\`. Subscribers: **celerytop**, the real TUI (\`dist/cli.js --read-only\`) drawing into a 160×48 pseudo-terminal; **Celery**, its own live consumer as \`celery events\` runs it (\`bench/celery_live.py\`: \`app.events.Receiver(handlers={'*': …}).capture()\` into \`State\`, reconnecting when cut off; no curses drawing). They alternate (the order flips at each rate). Lost = sent − received after up to 20 s to catch up; cut off = the server dropped the subscriber (a new client id on the server, or the subscriber's own count); peak omem = the subscriber's output buffer on the server (CLIENT LIST every 100 ms); CPU = share of one core while publishing; lag = time the event was applied minus its timestamp.`,
	);
	p();
	table(
		[
			'rate (ev/s)',
			'subscriber',
			'sent',
			'received',
			'lost',
			'cut off',
			'peak omem',
			'CPU',
			'RSS peak',
			'lag p50 / p99 / max',
		],
		live.results.map((r) => [
			fmtInt(r.rate),
			r.impl === 'celerytop' ? 'celerytop' : 'Celery',
			fmtInt(r.sent_events),
			fmtInt(r.received_events),
			r.lost_events === 0
				? '0'
				: `**${fmtInt(r.lost_events)}** (${((100 * r.lost_events) / r.sent_events).toFixed(1)} %)`,
			r.disconnects === 0 ? '0' : `**${r.disconnects}**`,
			(r.peak_omem / 1048576).toFixed(1) + ' MB',
			pct(r.cpu_percent),
			mb(r.rss_peak),
			`${r.lag_ms.p50} / ${r.lag_ms.p99} / ${fmtInt(r.lag_ms.max)} ms`,
		]),
		['---:', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:'],
	);
	p();
	const best = (impl: string) =>
		Math.max(0, ...live!.results.filter((r) => r.impl === impl && clean(r)).map((r) => r.rate));
	const ours = live.results.filter((r) => r.impl === 'celerytop');
	p(
		`Highest rate with nothing lost and no disconnect: celerytop ${fmtInt(best('celerytop'))} ev/s, Celery ${best('celery') === 0 ? 'none of the rates' : fmtInt(best('celery')) + ' ev/s'}. The publisher and redis-server share the 2 cores: publisher ${pct(median(live.results.map((r) => r.publisher_cpu_percent)))}, redis-server ${pct(median(live.results.map((r) => r.redis_cpu_percent)))} of a core (medians). celerytop drew ${ours.map((r) => (r.snapshots_per_s ?? 0).toFixed(1)).join(', ')} frames/s at these rates (event-loop delay p99 ${ours.map((r) => ms(r.event_loop_delay_ms?.p99 ?? NaN)).join(', ')}).`,
	);
	p();
	for (const target of [30_000, 50_000]) {
		const r = ours.find((x) => x.rate === target);
		if (r)
			goal(
				`Live, ${fmtInt(target)} ev/s for ${liveSecs} s${target === 50_000 ? ' (aim)' : ''}`,
				'nothing lost, no disconnect',
				`${fmtInt(r.received_events)} / ${fmtInt(r.sent_events)}, cut off ${r.disconnects}×, peak omem ${(r.peak_omem / 1048576).toFixed(1)} MB, lag p99 ${r.lag_ms.p99} ms (Celery: ${(() => {
					const c = live!.results.find((x) => x.impl === 'celery' && x.rate === target);
					return c ? `${fmtInt(c.received_events)}, cut off ${c.disconnects}×` : 'not run';
				})()})`,
				clean(r),
			);
	}
}

if (ui) {
	const r = ui.results[0]!;
	const keys = r.key_latency_ms ?? [];
	const p95 = quantileOf(keys, 0.95);
	const sorted = r.setup_keys
		? ' After 1 s the Tasks pane is sorted by RUNTIME and filtered to `shop` (keys `>>>>>>/shop⏎`), for the rest of the run.'
		: '';
	p('## UI under load');
	p();
	p(
		`The real TUI (\`--max-tasks N\`) in a 160×48 pseudo-terminal while the 1000-worker stream is replayed at ${fmtInt(r.rate)} ev/s for ${Math.round(r.seconds)} s (task ids renewed on every pass, so the cap of N tasks is reached about half-way at 100,000, at once at 10,000).${sorted} From half-way on, once a second, \`?\` opens the help overlay and Escape closes it; latency = key written to the terminal until the screen (parsed by @xterm/headless) shows the change. The two rows are the same load in one run, with 100,000 and with 10,000 tasks retained.`,
	);
	p();
	table(
		[
			'tasks retained',
			'workers',
			'received / sent',
			'frames/s',
			'drawn',
			'CPU',
			'RSS peak',
			'heap used / total at end',
			'lag p99',
			'event-loop delay p99',
			'key → screen p50 / p95 / max (presses)',
		],
		ui.results.map((run) => {
			const pressed = run.key_latency_ms ?? [];
			return [
				fmtInt(run.tasks ?? 0),
				fmtInt(run.workers ?? 0),
				`${fmtInt(run.received_events)} / ${fmtInt(run.sent_events)}`,
				(run.snapshots_per_s ?? 0).toFixed(1),
				`${((run.draw_bytes_per_s ?? 0) / 1024).toFixed(0)} KB/s`,
				pct(run.cpu_percent),
				mb(run.rss_peak),
				`${mb(run.heap_used ?? 0)} / ${mb(run.heap_total ?? 0)}`,
				ms(run.lag_ms.p99),
				ms(run.event_loop_delay_ms?.p99 ?? NaN),
				`${ms(quantileOf(pressed, 0.5))} / ${ms(quantileOf(pressed, 0.95))} / ${ms(Math.max(...pressed))} (${pressed.length})`,
			];
		}),
	);
	p();
	goal(
		`UI, ${fmtInt(r.rate)} ev/s, ${fmtInt(r.tasks ?? 0)} tasks, ${fmtInt(r.workers ?? 0)} workers${r.setup_keys ? ', sorted and filtered' : ''}`,
		'key → screen p95 < 100 ms',
		`${ms(p95)} (frames ${(r.snapshots_per_s ?? 0).toFixed(1)}/s, CPU ${pct(r.cpu_percent)})`,
		p95 < 100,
	);
	const small = ui.results[1];
	if (small) {
		const p95small = quantileOf(small.key_latency_ms ?? [], 0.95);
		goal(
			`UI, the same with ${fmtInt(small.tasks ?? 0)} tasks retained (same run)`,
			'same p95 and CPU within noise',
			`p95 ${ms(p95small)} vs ${ms(p95)}, CPU ${pct(small.cpu_percent)} vs ${pct(r.cpu_percent)}`,
			Math.abs(p95 - p95small) <= Math.max(15, 0.2 * p95small) &&
				Math.abs(r.cpu_percent - small.cpu_percent) <= 10,
		);
	}
}

if (soak) {
	const r = soak.results[0]!;
	const series = r.rss_series ?? [];
	const at = (sec: number) => series.find(([t]) => t >= sec)?.[1];
	const half = at(series.length > 0 ? series[series.length - 1]![0] / 2 : 0) ?? NaN;
	const end = series.length > 0 ? series[series.length - 1]![1] : NaN;
	const growth = end / half - 1;
	p('## Soak');
	p();
	p(
		`The real TUI (\`--max-tasks 100000\`) at ${fmtInt(r.rate)} ev/s for ${Math.round(r.seconds / 60)} min (100-worker stream, task ids renewed on each pass): RSS sampled every 10 s from /proc. Received ${fmtInt(r.received_events)} of ${fmtInt(r.sent_events)}, cut off ${r.disconnects}×, ${fmtInt(r.tasks ?? 0)} tasks retained at the end, CPU ${pct(r.cpu_percent)}.`,
	);
	p();
	const marks = [60, 120, 180, 300, 450, 600, 900, 1200].filter((t) => t <= (series.at(-1)?.[0] ?? 0));
	table(['time', ...marks.map((t) => `${t / 60} min`)], [['RSS', ...marks.map((t) => mb(at(t) ?? NaN))]]);
	p();
	p(
		`RSS from half-way to the end: ${mb(half)} → ${mb(end)} (${(growth * 100).toFixed(1)} %); peak ${mb(r.rss_peak)}.`,
	);
	p();
	goal(
		`Soak, ${fmtInt(r.rate)} ev/s for ${Math.round(r.seconds / 60)} min`,
		'flat RSS (second half grows < 10 %)',
		`${mb(half)} → ${mb(end)} (${(growth * 100).toFixed(1)} %)`,
		growth < 0.1,
	);
}

if (startup?.startup) {
	const st = startup.startup;
	p('## Startup');
	p();
	table(
		['what', `median of ${st.help_ms.length}`, 'min – max'],
		[
			[
				'`celerytop --help`',
				ms(median(st.help_ms)),
				`${ms(Math.min(...st.help_ms))} – ${ms(Math.max(...st.help_ms))}`,
			],
			[
				'`python3 -m celery --help` (for reference)',
				ms(median(st.celery_help_ms)),
				`${ms(Math.min(...st.celery_help_ms))} – ${ms(Math.max(...st.celery_help_ms))}`,
			],
			[
				'celerytop first frame (spawn → "● connected" on screen, private redis-server)',
				ms(median(st.first_frame_ms)),
				`${ms(Math.min(...st.first_frame_ms))} – ${ms(Math.max(...st.first_frame_ms))}`,
			],
		],
	);
	p();
	goal('Startup, `--help`', '< 0.2 s', ms(median(st.help_ms)), median(st.help_ms) < 200);
	goal('Startup, first frame', '< 0.6 s', ms(median(st.first_frame_ms)), median(st.first_frame_ms) < 600);
}

// The goals table goes under the title.
lines.splice(
	goalsAt,
	0,
	'## Goals',
	'',
	'| benchmark | goal | measured | |',
	'| --- | --- | --- | --- |',
	...goals.map((g) => `| ${g.join(' | ')} |`),
	'',
);

p('## Machine');
p();
table(
	['fact', 'value'],
	Object.entries(facts).map(([k, v]) => [k, v]),
);
p();
p('## Streams');
p();
p(
	"Recorded by `bench/gen_events.py` (run with `/usr/bin/python3`): a seeded discrete-event simulation of a cluster drives Celery's own sending code and kombu's own Redis transport; only redis-py's PUBLISH is replaced by a write of `{\"t\", \"channel\", \"data\"}` (the format of `fixtures/events-pubsub.jsonl`; `data` is the exact envelope text). Prefork workers batch task events in `task.multi` arrays through `EventDispatcher(buffer_group=['task'])` flushed on the next loop turn; every 20th worker runs gevent (one event per message on `task.<kind>`). Heartbeats every 2 s through `Heart._send`; a few workers restart mid-run and 10 % shut down cleanly at the end; one `heartbeat` broadcast (`freq: 5` replies). Tasks: `task-sent` from 16 client processes, then received → started → succeeded for most; failures with tracebacks; retries with the §4.3 order (pool child's `task-sent`, the new `task-received`, then the failed attempt's `task-retried`) and ETA; revoked before receipt, expired, terminated while running; rejected; chain children sent from pool processes. Args/kwargs/results are `saferepr` strings (cut at 1024 chars).",
);
p();
const streamRows: string[][] = [];
for (const [name, s] of [
	...variants.map((v) => [v, streams[v]!] as const),
	...(memStream ? [['mem', memStream] as const] : []),
	['check', check] as const,
]) {
	const m = s.meta;
	const taskEvents = Object.entries(m.types)
		.filter(([k]) => k.startsWith('task-'))
		.reduce((a, [, v]) => a + v, 0);
	const hb =
		(m.types['worker-heartbeat'] ?? 0) + (m.types['worker-online'] ?? 0) + (m.types['worker-offline'] ?? 0);
	const batches = Object.entries(m.task_multi_batch_sizes)
		.map(([k, v]) => `${k}:${fmtInt(v)}`)
		.join(' ');
	streamRows.push([
		`\`${rel(s.file)}\``,
		String(m.workers),
		fmtInt(m.events),
		fmtInt(m.messages),
		fmtInt(m.distinct_tasks),
		`${((100 * taskEvents) / m.events).toFixed(0)} % / ${((100 * hb) / m.events).toFixed(0)} %`,
		batches,
		`${m.simulated_seconds} s`,
		mb(m.bytes),
	]);
	void name;
}
table(
	[
		'file',
		'workers',
		'events',
		'messages',
		'tasks',
		'task / worker events',
		'`task.multi` sizes (size:count)',
		'simulated',
		'size',
	],
	streamRows,
);
p();
const big = streams['100w']!.meta.types;
p(
	`Event mix of the 100-worker stream: ${Object.entries(big)
		.map(([k, v]) => `${k} ${fmtInt(v)}`)
		.join(', ')}.`,
);
p();
p('## Method');
p();
p(
	`* **celerytop** (\`bench/ingest.ts\`, run as plain JS on bare \`node --expose-gc\` after \`npm run build\`; code under test: \`${roundsDone[0]?.ts.code ?? '?'}/\`): the lines are loaded into memory first; the timed loop is \`decodeEventMessage(data)\` then \`state.applyBatch(events, t)\` for every message, \`t\` being the recorded arrival time (advancing). A fresh \`ClusterState({maxTasks: 10000, maxWorkers: 5000})\` per pass (Celery's defaults).`,
);
p(
	`* **Celery** (\`bench/celery_ingest.py\`, \`${PYTHON}\`): each line becomes the reply redis-py's PubSub would give kombu, \`[b'pmessage', b'/0.celeryev/*', channel, data]\` (bytes), and goes through kombu's \`Channel._receive_one\` (envelope \`loads\`) → \`Transport._deliver\` → \`Message\` (base64) → \`Consumer._receive_callback\` (\`decode()\`) → \`EventReceiver._receive\` → \`event_from_message\` (clock, timestamp adjustment) → \`State().event\`, on the consumer \`EventReceiver.get_consumers()\` builds. Default \`State()\` (max_tasks_in_memory 10000). Only the loop is timed. Differences from a live receiver: no socket read or RESP parsing (none on the celerytop side either), and \`local_received\` is the recorded \`t\` (a C-level partial instead of \`time.time\`): a replay runs minutes of traffic in seconds, so wall-clock receive times would trip State's 16 s drift warning on every event, which never happens live.`,
);
p(
	`* Cross-check on \`${rel(check.file)}\` with no eviction (max tasks 1,000,000 on both sides): ${checkAgrees ? `the task states agree exactly${Object.keys(checkPy.rejected_elsewhere ?? {}).length > 0 ? `, once the tasks Celery leaves ${JSON.stringify(checkPy.rejected_elsewhere)} after their task-rejected event count as REJECTED (docs/STATE.md)` : ''}` : '**the task states differ**'} (${fmtInt(checkTs.passes[0]!.events)} / ${fmtInt(checkPy.passes[0]!.events)} events; celerytop ${JSON.stringify(checkTs.states)}, Celery ${JSON.stringify(checkPy.states)}). celerytop reported ${checkTs.passes[0]!.errors ?? 0} malformed items.`,
);
p(
	"* With 10,000 tasks retained the two stores keep slightly different sets: Celery's LRU is in creation order (it reads tasks without touching the LRU), celerytop's is in last-seen order.",
);
p();
p('## Every round');
p();
table(
	['round', 'stream', 'order', 'celerytop passes (ev/s)', 'Celery passes (ev/s)', 'ratio'],
	roundsDone.map((r) => [
		String(r.round),
		r.variant,
		r.order,
		r.ts.passes.map((x) => fmtInt(x.events_per_s)).join(', '),
		r.py.passes.map((x) => fmtInt(x.events_per_s)).join(', '),
		fmtX(r.tsValue / r.pyValue),
	]),
);
p();
const tsCold = roundsDone.map((r) => r.ts.passes[0]!.events_per_s);
p(
	`celerytop's first (cold, JIT warming) pass: median ${fmtInt(median(tsCold))} ev/s over all rounds and streams.`,
);
p();

writeFileSync(resultsPath, lines.join('\n'));
writeFileSync(
	rawPath,
	JSON.stringify(
		{
			command,
			facts,
			rounds: roundsDone,
			memory: memRows,
			check: {ts: checkTs, py: checkPy, agrees: checkAgrees},
			measured_at: measuredAt,
			keyspace,
			live,
			ui,
			soak,
			startup,
		},
		null,
		1,
	),
);
log(`wrote ${rel(resultsPath)} in ${elapsedMin.toFixed(1)} min`);
console.log(lines.slice(0, lines.indexOf('## Machine')).join('\n'));
