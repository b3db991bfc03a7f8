// Memory breakdown of a Celery-like keyspace: celerytop's exact `redis memory` scan versus
// `redis-cli --memkeys` on the same private redis-server, alternating, with a concurrent client
// sending a PING every millisecond to record the worst latency each one causes.
//
//   node --import tsx bench/memkeys.ts [--keys 100000] [--rounds 3] [--sample N] [--count N] [--in-flight N]
//
// celerytop runs in a child process (`node --import tsx bench/memkeys.ts --child PORT`), so its
// wall time includes Node and module start-up, as a user would see it; the scan time alone is
// reported too. Prints one JSON line of results to stdout (progress on stderr).
import {execFileSync, spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Redis} from 'ioredis';
import {startRedis} from '../demo/cluster.mjs';
import {memoryReport} from '../source/redis/memory.js';
import {RespConnection} from '../source/redis/resp-connection.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
	const i = argv.indexOf(name);
	return i === -1 ? fallback : Number(argv[i + 1]);
};
const self = fileURLToPath(import.meta.url);
const log = (...parts: unknown[]) => console.error('[memkeys]', ...parts);

if (argv[0] === '--child') {
	// The measured celerytop process: connect, exact breakdown, print timing.
	const started = performance.now();
	const redis = await RespConnection.open(
		{
			host: '127.0.0.1',
			port: Number(argv[1]),
			path: undefined,
			username: undefined,
			password: undefined,
			db: 0,
			tls: false,
		},
		'bench',
	);
	const scanStarted = performance.now();
	const sample = option('--sample', 0);
	const count = option('--count', 0) || undefined;
	const inFlight = option('--in-flight', 0) || undefined;
	const report = await memoryReport(redis, {
		db: 0,
		exact: sample === 0,
		sample: sample || undefined,
		count,
		inFlight,
	});
	const scanMs = performance.now() - scanStarted;
	redis.close();
	process.stdout.write(
		JSON.stringify({
			keys: report.keys,
			bytes: report.bytes,
			families: report.families.length,
			perFamily: report.families.map((f) => ({family: f.family, kind: f.kind, keys: f.keys, bytes: f.bytes})),
			sampled: report.sampled,
			scanMs,
			inProcessMs: performance.now() - started,
		}) + '\n',
	);
	process.exit(0);
}

type ChildDetail = {
	keys: number;
	bytes: number;
	perFamily: Array<{family: string; kind: string; keys: number; bytes: number}>;
};

type Run = {
	tool: string;
	wallMs: number;
	worstPingMs: number;
	p99PingMs: number;
	pings: number;
	detail: Record<string, unknown>;
};

/** A PING every millisecond (not a busy loop: it would steal a core) until stopped; worst and p99. */
function pinger(port: number) {
	const client = new Redis({host: '127.0.0.1', port, lazyConnect: true});
	let running = true;
	const samples: number[] = [];
	const done = (async () => {
		await client.connect();
		while (running) {
			const t = performance.now();
			await client.ping();
			samples.push(performance.now() - t);
			await new Promise((resolve) => setTimeout(resolve, 1));
		}
		client.disconnect();
	})();
	return {
		async stop() {
			running = false;
			await done;
			const sorted = [...samples].sort((a, b) => a - b);
			return {
				worst: sorted.at(-1) ?? 0,
				p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
				count: sorted.length,
			};
		},
	};
}

function runChild(file: string, args: string[]): Promise<{ms: number; stdout: string}> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(file, args, {stdio: ['ignore', 'pipe', 'inherit']});
		let stdout = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0
				? resolve({ms: performance.now() - started, stdout})
				: reject(new Error(`${file} exit ${code}`)),
		);
	});
}

async function measure(
	tool: string,
	port: number,
	run: () => Promise<{ms: number; stdout: string}>,
): Promise<Run> {
	const ping = pinger(port);
	await new Promise((resolve) => setTimeout(resolve, 200)); // a baseline of pings first
	const {ms, stdout} = await run();
	const latency = await ping.stop();
	const detail = tool.startsWith('celerytop')
		? (JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>)
		: {summary: stdout.trim().split('\n').slice(-8)};
	return {tool, wallMs: ms, worstPingMs: latency.worst, p99PingMs: latency.p99, pings: latency.count, detail};
}

const keys = option('--keys', 100_000);
const rounds = option('--rounds', 3);
const sample = option('--sample', 0);
const server = await startRedis();
try {
	log(`loading ${keys.toLocaleString('en-US')} keys into redis on port ${server.port}`);
	const loadStarted = performance.now();
	execFileSync(
		'bash',
		[
			'-c',
			`node --import tsx ${JSON.stringify(path.join(path.dirname(self), 'gen_keyspace.ts'))} --keys ${keys} | redis-cli -p ${server.port} --pipe > /dev/null`,
		],
		{stdio: 'inherit'},
	);
	log(
		`loaded ${await server.cli('DBSIZE')} keys in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s, used_memory ${(await server.cli('INFO', 'memory')).match(/used_memory_human:(\S+)/)?.[1]}`,
	);
	/** The measured celerytop child: exact (sample 0) or sampled, with the --count/--in-flight knobs. */
	const runCelerytop = (sampleCount: number) =>
		runChild(process.execPath, [
			'--import',
			'tsx',
			self,
			'--child',
			String(server.port),
			'--sample',
			String(sampleCount),
			'--count',
			String(option('--count', 0)),
			'--in-flight',
			String(option('--in-flight', 0)),
		]);
	const runs: Run[] = [];
	for (let round = 0; round < rounds; round++) {
		const order = round % 2 === 0 ? ['celerytop', 'redis-cli'] : ['redis-cli', 'celerytop'];
		for (const tool of order) {
			const result =
				tool === 'celerytop'
					? await measure(tool, server.port, () => runCelerytop(sample))
					: await measure(tool, server.port, () =>
							runChild('redis-cli', ['-p', String(server.port), '--memkeys']),
						);
			log(
				`round ${round + 1} ${tool}: ${(result.wallMs / 1000).toFixed(2)} s, worst PING ${result.worstPingMs.toFixed(2)} ms, p99 ${result.p99PingMs.toFixed(2)} ms`,
			);
			runs.push(result);
		}
	}
	// Sampled mode against the last exact run: every key still counted, bytes estimated.
	const sampleSize = option('--sample-size', 50_000);
	let accuracy: Record<string, unknown> | undefined;
	if (sampleSize > 0) {
		const sampledRun = await measure('celerytop-sampled', server.port, () => runCelerytop(sampleSize));
		const exact = runs.filter((r) => r.tool === 'celerytop').at(-1)!.detail as ChildDetail;
		const est = sampledRun.detail as ChildDetail;
		const exactBytes = new Map(exact.perFamily.map((f) => [`${f.kind}:${f.family}`, f.bytes]));
		const families = est.perFamily
			.map((f) => {
				const truth = exactBytes.get(`${f.kind}:${f.family}`) ?? 0;
				return {
					family: f.family,
					kind: f.kind,
					share: truth / exact.bytes,
					errorPct: truth === 0 ? 0 : (100 * Math.abs(f.bytes - truth)) / truth,
				};
			})
			.filter((f) => f.share >= 0.01);
		accuracy = {
			sampleSize,
			wallMs: sampledRun.wallMs,
			worstPingMs: sampledRun.worstPingMs,
			p99PingMs: sampledRun.p99PingMs,
			keysCounted: est.keys,
			keysExact: exact.keys,
			totalErrorPct: (100 * Math.abs(est.bytes - exact.bytes)) / exact.bytes,
			worstFamilyErrorPct: Math.max(0, ...families.map((f) => f.errorPct)),
			families,
		};
		log(
			`sampled (${sampleSize}): ${(sampledRun.wallMs / 1000).toFixed(2)} s, total error ${(accuracy['totalErrorPct'] as number).toFixed(2)}%, worst family ${(accuracy['worstFamilyErrorPct'] as number).toFixed(2)}%`,
		);
	}
	const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
	const summary = Object.fromEntries(
		['celerytop', 'redis-cli'].map((tool) => {
			const mine = runs.filter((r) => r.tool === tool);
			return [
				tool,
				{
					medianWallMs: median(mine.map((r) => r.wallMs)),
					medianWorstPingMs: median(mine.map((r) => r.worstPingMs)),
					maxWorstPingMs: Math.max(...mine.map((r) => r.worstPingMs)),
				},
			];
		}),
	);
	process.stdout.write(JSON.stringify({keys, rounds, sample, summary, accuracy, runs}) + '\n');
} finally {
	await server.stop();
}
