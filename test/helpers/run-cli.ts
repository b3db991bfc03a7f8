// Run the built binary (or any program) as a child with its own HOME, and collect what it printed:
// the one way the tests spawn a one-shot command and wait for it.
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {hermeticEnv} from './hermetic-env.js';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export type Run = {
	readonly code: number | null;
	/** The signal that ended it: 'SIGKILL' when it was still running after `killAfterMs`. */
	readonly signal: NodeJS.Signals | null;
	readonly stdout: string;
	readonly stderr: string;
	/** Wall time from spawn to exit. */
	readonly ms: number;
};

export type RunOptions = {
	/** The child's environment (default: a fresh hermeticEnv()). */
	readonly env?: Record<string, string>;
	/** Kill it with SIGKILL after this long (a hang then shows as signal 'SIGKILL'). */
	readonly killAfterMs?: number;
	readonly cwd?: string;
};

export function spawnCaptured(file: string, args: readonly string[], options: RunOptions = {}): Promise<Run> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(file, args, {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: options.env ?? hermeticEnv(),
			...(options.cwd ? {cwd: options.cwd} : {}),
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		const guard =
			options.killAfterMs === undefined
				? undefined
				: setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(guard);
			resolve({code, signal, stdout, stderr, ms: performance.now() - started});
		});
	});
}

/** `node dist/cli.js ARGS`. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<Run> {
	return spawnCaptured(process.execPath, [CLI, ...args], options);
}
