// Run `runRedisCommand` / `runQueuesCommand` in a child process, as cli.ts does, and capture its
// output and exit code: node --import tsx test/helpers/redis-command.ts <broker> <options-json> <args…>
import {fileURLToPath} from 'node:url';
import {buildConfig} from '../../source/config.js';
import {runQueuesCommand, runRedisCommand} from '../../source/commands/redis.js';
import {spawnCaptured} from './run-cli.js';

export type CommandRun = {code: number | null; stdout: string; stderr: string};

const self = fileURLToPath(import.meta.url);

/** `celerytop redis <args>` (or `celerytop queues` when args[0] is 'queues'). */
export function runCommand(broker: string, args: string[], options: object = {}): Promise<CommandRun> {
	return spawnCaptured(process.execPath, [
		'--import',
		'tsx',
		self,
		broker,
		JSON.stringify({json: false, ...options}),
		...args,
	]);
}

if (process.argv[1] === self) {
	const [broker, options, ...args] = process.argv.slice(2);
	const config = buildConfig({broker}, {});
	if (!config.ok) throw new Error(config.error);
	const parsed = JSON.parse(options!) as Parameters<typeof runRedisCommand>[2];
	const code =
		args[0] === 'queues'
			? await runQueuesCommand(config.value, parsed)
			: await runRedisCommand(config.value, args, parsed);
	process.exit(code);
}
