// Run dist/cli.js for the locked-down deployment tests: one-shot commands and a long-running
// `events --json` whose lines are collected, with every byte of output kept to search for secrets.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {rawEnvelope} from './fixtures.js';
import {runCli as runCapturedCli} from './run-cli.js';
import {hermeticEnv} from './hermetic-env.js';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export type Run = {code: number | null; stdout: string; stderr: string};

/** Every byte any CLI run printed, for the "password never appears" assertions. */
export const captured: string[] = [];

export async function runCli(args: string[], timeoutMs = 15_000): Promise<Run> {
	const run = await runCapturedCli(args, {killAfterMs: timeoutMs});
	captured.push(run.stdout, run.stderr);
	return run;
}

export type EventsWatch = {
	readonly child: ChildProcess;
	readonly lines: () => Array<Record<string, unknown>>;
	readonly stderr: () => string;
	readonly stdout: () => string;
	stop(): Promise<void>;
};

export function watchEvents(args: string[]): EventsWatch {
	const child = spawn(process.execPath, [CLI, 'events', '--json', ...args], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: hermeticEnv(),
	});
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
	const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
	return {
		child,
		lines: () =>
			stdout
				.split('\n')
				.filter((l) => l.trim() !== '')
				.map((l) => JSON.parse(l) as Record<string, unknown>),
		stderr: () => stderr,
		stdout: () => stdout,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
			await closed;
			captured.push(stdout, stderr);
		},
	};
}

/** A worker-heartbeat as Celery publishes it, from `hostname`. */
export function heartbeatEnvelope(hostname: string): string {
	const body = {
		type: 'worker-heartbeat',
		hostname,
		timestamp: Date.now() / 1000,
		utcoffset: 0,
		pid: 1,
		clock: 1,
		freq: 2,
		active: 0,
		processed: 0,
		loadavg: [0, 0, 0],
		sw_ident: 'py-celery',
		sw_ver: '5.2.6',
		sw_sys: 'Linux',
	};
	return rawEnvelope(JSON.stringify(body), {headers: {hostname}});
}

/** redis-cli with the given connection arguments (e.g. ['-p', port, '-a', pw] or ['-s', socket]). */
export function redisCli(connection: string[], ...command: string[]): string {
	return execFileSync('redis-cli', ['--no-auth-warning', ...connection, ...command], {
		encoding: 'utf8',
	}).trim();
}

export function publishHeartbeat(connection: string[], hostname: string, db = 0): void {
	redisCli(connection, 'PUBLISH', `/${db}.celeryev/worker.heartbeat`, heartbeatEnvelope(hostname));
}
