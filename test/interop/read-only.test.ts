// --read-only, watched from the server: the whole TUI (every action key pressed) and every CLI
// command run under --read-only against a real worker, with MONITOR attached. Nothing that changes the
// cluster or the data may reach Redis; inspect round trips (their own reply binding and list) may.
// The password must appear in no output, no screen and no audit log.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {fileURLToPath} from 'node:url';
import {parseBrokerUrl} from '../../source/config.js';
import {decodeEnvelope} from '../../source/protocol/envelope.js';
import type {MonitorRecord} from '../../source/protocol/monitor.js';
import {findCommand} from '../../source/protocol/control.js';
import {startMonitor, type MonitorTap} from '../../source/redis/monitor-tap.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {requireCelery, sendTasks, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {runInTerminal} from '../helpers/screen.js';
import {ENTER, ESCAPE, TAB} from '../helpers/keys.js';
import {waitFor} from '../helpers/wait-for.js';
import {hermeticEnv} from '../helpers/hermetic-env.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const PASSWORD = 'ro-Pa55-do-not-print';
const auditDir = mkdtempSync(`${tmpdir()}/celerytop-ro-`);
const auditFile = `${auditDir}/audit.jsonl`;
let redis: RedisServer;
let worker: CeleryWorker;
let tap: MonitorTap;
const seen: MonitorRecord[] = [];
const outputs: string[] = [];
let judgedFrom = 0;

before(async () => {
	requireCelery();
	redis = await startRedis({password: PASSWORD});
	worker = await startWorker({brokerUrl: redis.url, name: 'ro'});
	// Messages waiting in a queue nobody reads, for the queue view.
	await sendTasks(redis.url, [
		{task: 'demo.add', args: [3, 4], queue: 'parked'},
		{task: 'demo.add', args: [5, 6], queue: 'parked'},
	]);
	const parsed = parseBrokerUrl(redis.url);
	assert.ok(parsed.ok);
	tap = await startMonitor(parsed.value, {display: 'test', capSeconds: 600, onRecord: (r) => seen.push(r)});
});

after(async () => {
	await tap?.stop();
	await worker?.stop('SIGKILL', 1000);
	await redis?.stop();
});

function cli(args: string[]): number | null {
	const result = spawnSync(
		process.execPath,
		[CLI, ...args, '-b', redis.url, '--read-only', '--audit-log-file', auditFile],
		{
			encoding: 'utf8',
			timeout: 30_000,
			env: hermeticEnv(),
		},
	);
	outputs.push(result.stdout, result.stderr);
	return result.status;
}

/** What a read-only celerytop may write: only the reply binding and reply lists of inspect calls. */
function forbidden(record: MonitorRecord): string | undefined {
	const [first, second] = record.args;
	const reply = (key: string | undefined) => key !== undefined && /\.reply\.celery\.pidbox/.test(key);
	switch (record.command) {
		case 'PUBLISH': {
			if (!first?.endsWith('celery.pidbox')) return undefined; // events, result notifications: workers'
			const decoded = decodeEnvelope(second ?? '');
			const method = decoded.ok ? String((decoded.payload as {method?: unknown}).method) : '?';
			return findCommand(method)?.kind === 'inspect' ? undefined : `PUBLISH of control method ${method}`;
		}
		case 'SADD':
		case 'SREM':
			return first === '_kombu.binding.reply.celery.pidbox' ? undefined : `${record.command} ${first}`;
		case 'DEL':
		case 'UNLINK':
			return record.args.every(reply) ? undefined : `${record.command} ${record.args.join(' ')}`;
		case 'LPUSH': // a worker's reply to an inspect call
			return reply(first) ? undefined : `LPUSH ${first}`;
		case 'FLUSHDB':
		case 'FLUSHALL':
		case 'RPUSH':
		case 'LTRIM':
		case 'LREM':
		case 'SET':
		case 'HSET':
		case 'HDEL':
		case 'ZREM':
		case 'EXPIRE':
		case 'CONFIG':
			return record.command === 'CONFIG' && first?.toUpperCase() === 'GET'
				? undefined
				: `${record.command} ${first ?? ''}`;
		default:
			return undefined;
	}
}

test('every CLI command under --read-only: control refused (exit 2), the rest works', () => {
	for (const args of [
		['control', 'revoke', '00000000-0000-4000-8000-000000000000'],
		['control', 'terminate', 'SIGKILL', '00000000-0000-4000-8000-000000000000'],
		['control', 'shutdown'],
		['control', 'pool_shrink', '1'],
		['control', 'rate_limit', 'demo.add', '1/m'],
		['control', 'heartbeat'],
	])
		assert.equal(cli(args), 2, args.join(' '));
	for (const args of [
		['inspect', 'ping', '-t', '0.5'],
		['inspect', 'stats', '-t', '0.5'],
		['redis', 'info'],
		['redis', 'memory'],
		['redis', 'keys'],
		['queues'],
		['events', '--json', '--duration', '1'],
	])
		assert.equal(cli(args), 0, args.join(' '));
	assert.equal(existsSync(auditFile), false, 'nothing was sent, so nothing was audited');
	const violations = seen.map(forbidden).filter((v): v is string => v !== undefined);
	assert.deepEqual(violations, [], 'no write reached Redis');
	assert.ok(!seen.some((r) => r.command === 'KEYS'), 'never KEYS');
});

test('the whole TUI under --read-only, every action key pressed: nothing reaches Redis', async () => {
	const screen = runInTerminal(['-b', redis.url, '--read-only', '--audit-log-file', auditFile], {
		cols: 130,
		rows: 36,
	});
	const press = async (keys: string, until: RegExp | string) => {
		screen.write(keys);
		await screen.waitForText(until);
	};
	try {
		await screen.waitForText(/ro@\S+\s+online/);
		// Publishing the tasks and the worker's own bookkeeping (acks, results) are not celerytop's:
		// judge only what MONITOR sees once both tasks are taken and acknowledged.
		const before = seen.length;
		await sendTasks(redis.url, [
			{task: 'demo.add', args: [1, 2]},
			{task: 'demo.sleep', args: [20]},
		]);
		await screen.waitForText(/demo\.sleep.*STARTED/);
		await screen.waitForText(/demo\.add.*SUCCESS/);
		await waitFor(() => seen.slice(before).filter((r) => r.command === 'HDEL').length >= 2, {
			message: 'both acks seen',
		});
		judgedFrom = seen.length;
		await press('c', 'disabled by --read-only');
		await press('T', 'task terminate is disabled');
		await press('l', 'task rateLimit is disabled');
		await press(TAB + TAB, 'shut down');
		for (const key of ['+', '-', 'a', 'A', 'C', 'l', 'L', 'e', 'S']) {
			screen.write(key);
			await screen.waitForText('disabled by --read-only');
		}
		await press(ENTER, /Inspect ro@\S+ — stats/); // inspect stays allowed
		await press('q', 'Workers');
		await press('3', /Memory breakdown/);
		await screen.waitForText(/exact|ESTIMATED/);
		await press('F', /read-only/);
		await press('4', /parked/);
		await press('P', /read-only/);
		await press('5', /Keys/);
		screen.write('D');
		await press(ESCAPE + '1', 'Workers');
		screen.write('q');
		await screen.exited;
		outputs.push(screen.raw());
	} finally {
		screen.kill('SIGKILL');
	}
	await waitFor(() => seen.length > 0);
	const violations = seen
		.slice(judgedFrom)
		.map(forbidden)
		.filter((v): v is string => v !== undefined);
	assert.deepEqual(violations, [], 'no write reached Redis');
	assert.ok(
		seen.some((r) => r.command === 'SCAN'),
		'the scans really ran (MONITOR saw them)',
	);
	assert.ok(
		seen.some((r) => r.command === 'PUBLISH' && r.args[0]?.endsWith('celery.pidbox')),
		'inspect calls were sent',
	);
	assert.ok(!seen.some((r) => r.command === 'KEYS'), 'never KEYS');
	assert.equal(existsSync(auditFile), false);
});

test('the password appears in no output, screen or audit log', () => {
	assert.ok(outputs.length > 10);
	for (const text of outputs)
		assert.ok(!text.includes(PASSWORD), `password leaked in: ${text.slice(0, 200)}`);
	if (existsSync(auditFile)) assert.ok(!readFileSync(auditFile, 'utf8').includes(PASSWORD));
});
