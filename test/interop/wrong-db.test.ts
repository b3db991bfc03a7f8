// The built binary aimed at a db the server does not have (redis://…/99 on a 16-db server): every
// command says so in one line and exits 1 before it reads, listens, publishes or draws anything; db 0
// (seeded like a broker) is never read or written instead. Each child has its own HOME.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import type {Redis} from 'ioredis';
import {buildConfig} from '../../source/config.js';
import type {MonitorRecord} from '../../source/protocol/monitor.js';
import {startMonitor, type MonitorTap} from '../../source/redis/monitor-tap.js';
import {runCli} from '../helpers/run-cli.js';
import type {RedisServer} from '../helpers/redis-server.js';
import {runInTerminal} from '../helpers/screen.js';
import {startSeededRedis, stopSeededRedis} from '../helpers/seed-keyspace.js';
import {waitFor} from '../helpers/wait-for.js';

let server: RedisServer;
let redis: Redis;
let tap: MonitorTap;
const seen: MonitorRecord[] = [];

before(async () => {
	({server, redis} = await startSeededRedis());
	const config = buildConfig({broker: server.url}, {});
	assert.ok(config.ok);
	tap = await startMonitor(config.value.connection, {display: server.url, onRecord: (r) => seen.push(r)});
});

after(async () => {
	await tap?.stop();
	await stopSeededRedis({server, redis});
});

const run = async (args: string[]) => {
	const {code, stdout, stderr} = await runCli(args);
	return {code, stdout, stderr};
};

/** What clients other than the test's own sent from now until `work` is done (read through MONITOR). */
async function sentDuring(work: () => Promise<void>): Promise<MonitorRecord[]> {
	const own = /addr=(\S+)/.exec(String(await redis.client('INFO')))![1]!;
	const from = seen.length;
	await work();
	const marker = `done-${from}`;
	await redis.echo(marker);
	await waitFor(() => seen.slice(from).some((r) => r.command === 'ECHO' && r.args[0] === marker));
	return seen.slice(from).filter((r) => r.client !== own && r.command !== 'MONITOR');
}

const CHECK_COMMANDS = new Set(['AUTH', 'SELECT', 'CLIENT', 'CONFIG', 'PING', 'HELLO', 'INFO']);

test('events, inspect, control, queues, redis … at db 99: one line, exit 1, nothing read from db 0', async () => {
	const broker = server.url.replace(/\/\d*$/, '') + '/99';
	const line = `celerytop: db 99 does not exist on 127.0.0.1:${server.port} (it has 16: 0-15)\n`;
	const sent = await sentDuring(async () => {
		for (const args of [
			['events', '--json', '--duration', '2'],
			['events', '--dump', '--duration', '2'],
			['inspect', 'ping'],
			['control', 'enable_events'],
			['queues'],
			['queues', '--json'],
			['redis', 'info'],
			['redis', 'keys'],
			['redis', 'memory'],
			['redis', 'monitor', '--duration', '1'],
		]) {
			const result = await run([...args, '-b', broker]);
			assert.deepEqual(result, {code: 1, stdout: '', stderr: line}, args.join(' '));
		}
	});
	const other = sent.filter((r) => !CHECK_COMMANDS.has(r.command.toUpperCase()));
	assert.deepEqual(
		other.map((r) => [r.command, ...r.args]),
		[],
		'only the connection set-up and the db check reached the server',
	);
	assert.ok(sent.some((r) => r.command.toUpperCase() === 'SELECT' && r.args[0] === '99'));
});

test('the TUI at db 99 stops at once: the screen restored, then the line, exit 1', async () => {
	const broker = server.url.replace(/\/\d*$/, '') + '/99';
	const screen = runInTerminal(['-b', broker]);
	const code = await screen.exited;
	assert.equal(code, 1);
	// The TUI draws while it connects; a missing db is final: it leaves the alternate screen, then says why.
	const raw = screen.raw();
	const after = raw.slice(raw.lastIndexOf('\u001B[?1049l'));
	assert.match(after, /celerytop: db 99 does not exist on 127\.0\.0\.1:\d+ \(it has 16: 0-15\)/);
	assert.doesNotMatch(raw, /● connected/, 'it never says connected');
});
