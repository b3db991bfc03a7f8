// Debian's redis-sentinel on loopback: a config file per sentinel in a temp dir, watching one master.
import {execFileSync} from 'node:child_process';
import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {freePort, spawnTracked, HOST} from '../../demo/cluster.mjs';
import {waitFor} from './wait-for.js';

export const SENTINEL_INSTALL = 'apt-get install -y redis-sentinel';

export type Sentinel = {readonly port: number; readonly output: () => string; stop(): Promise<void>};

export function requireSentinel(): void {
	try {
		execFileSync('redis-sentinel', ['--version'], {stdio: 'ignore'});
	} catch {
		throw new Error(`redis-sentinel is missing: ${SENTINEL_INSTALL}`);
	}
}

function cli(port: number, ...args: string[]): string {
	return execFileSync('redis-cli', ['-h', HOST, '-p', String(port), ...args], {encoding: 'utf8'}).trim();
}

/** Start a sentinel monitoring `name` at masterPort (quorum 1, fast failure detection). */
export async function startSentinel(
	name: string,
	masterPort: number,
	masterPassword?: string,
): Promise<Sentinel> {
	requireSentinel();
	const dir = await mkdtemp(join(tmpdir(), 'celerytop-sentinel-'));
	const port = (await freePort()) as number;
	const conf = join(dir, 'sentinel.conf');
	await writeFile(
		conf,
		[
			`port ${port}`,
			`bind ${HOST}`,
			`dir ${dir}`,
			`sentinel monitor ${name} ${HOST} ${masterPort} 1`,
			`sentinel down-after-milliseconds ${name} 1000`,
			`sentinel failover-timeout ${name} 5000`,
			...(masterPassword ? [`sentinel auth-pass ${name} ${masterPassword}`] : []),
			'',
		].join('\n'),
	);
	const child = spawnTracked('redis-sentinel', [conf]);
	await waitFor(
		() => {
			try {
				return cli(port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name).includes(String(masterPort));
			} catch {
				return false;
			}
		},
		{timeout: 10_000, message: () => `sentinel on ${port} did not start:\n${child.output()}`},
	);
	return {
		port,
		output: () => child.output(),
		async stop() {
			await child.stop('SIGTERM', 3_000);
		},
	};
}

/** The master's port as this sentinel sees it now. */
export function masterPort(sentinelPort: number, name: string): number {
	const lines = cli(sentinelPort, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name).split('\n');
	return Number(lines[1]);
}

export function sentinelCommand(sentinelPort: number, ...args: string[]): string {
	return cli(sentinelPort, ...args);
}
