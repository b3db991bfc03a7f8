// npm run demo [-- --no-tui]
// A private redis-server on a free loopback port, two Celery workers (w1, w2;
// -E, concurrency 2), a task producer, and the celerytop TUI on top.
// --no-tui: keep the cluster running and print the broker URL until Ctrl-C.
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp} from 'node:fs/promises';
import {constants, tmpdir} from 'node:os';
import {join} from 'node:path';
import {DEMO_DIR, startProducer, startRedis, startWorker} from './cluster.mjs';
import {ensureSystemDeps} from './system-deps.mjs';

const noTui = process.argv.includes('--no-tui');
const cliPath = join(DEMO_DIR, '..', 'dist', 'cli.js');
const say = (msg) => console.error(`[demo] ${msg}`);

if (!noTui && !existsSync(cliPath)) {
	say(`${cliPath} not found: run "npm run demo" (it builds first) or "npm run build"`);
	process.exit(1);
}
if (!ensureSystemDeps('demo', say)) process.exit(1);

const logDir = await mkdtemp(join(tmpdir(), 'celerytop-demo-'));
let redis;
let producer;
let tui;
const workers = [];
let stopping;

function shutdown() {
	stopping ??= (async () => {
		await producer?.stop('SIGTERM', 2_000);
		await Promise.all(workers.map((w) => w.stop('SIGTERM', 5_000)));
		await redis?.stop();
		say(`cluster stopped; logs in ${logDir}`);
	})();
	return stopping;
}

async function exitWith(code) {
	await shutdown();
	process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(sig, () => {
		if (tui && tui.exitCode === null && tui.signalCode === null)
			tui.kill(sig); // its exit ends the demo
		else exitWith(128 + constants.signals[sig]);
	});
}

try {
	redis = await startRedis({logFile: join(logDir, 'redis.log')});
	say(`redis-server ${redis.url} (pid ${redis.pid})`);
	const started = await Promise.all(
		['w1', 'w2'].map((name) =>
			startWorker({brokerUrl: redis.url, name, concurrency: 2, logFile: join(logDir, `${name}.log`)}),
		),
	);
	workers.push(...started);
	say(`workers ready: ${workers.map((w) => w.hostname).join(', ')}`);
	producer = startProducer({brokerUrl: redis.url, logFile: join(logDir, 'producer.log')});
	say(`producer started (pid ${producer.pid}); logs in ${logDir}`);
} catch (err) {
	say(`could not start the cluster: ${err.message}`);
	await exitWith(1);
}

if (noTui) {
	say(`cluster running. broker: ${redis.url}`);
	say(`try: node dist/cli.js --broker ${redis.url}`);
	say('Ctrl-C to stop');
	console.log(redis.url);
} else {
	tui = spawn(process.execPath, [cliPath, '--broker', redis.url], {stdio: 'inherit'});
	tui.on('exit', (code, signal) => exitWith(code ?? 128 + (constants.signals[signal] ?? 0)));
}
