// The Redis inspector views of the real built binary in a pseudo-terminal, against a private
// redis-server seeded with a Celery-like keyspace and a real Celery worker: 3 shows the families, 4
// a queue no worker consumes with its messages decoded, 6 + m shows a command this test issues;
// quitting stops MONITOR (its connection is gone).
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {Redis} from 'ioredis';
import {requireCelery, sendTasks, startWorker, type CeleryWorker} from '../helpers/celery-worker.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {runInTerminal, type Screen} from '../helpers/screen.js';
import {seedKeyspace} from '../helpers/seed-keyspace.js';
import {waitFor} from '../helpers/wait-for.js';

let server: RedisServer;
let redis: Redis;
let worker: CeleryWorker;
let screen: Screen;
let waiting: string[] = [];

before(async () => {
	requireCelery();
	server = await startRedis();
	redis = new Redis({host: server.host, port: server.port, lazyConnect: true});
	await redis.connect();
	await seedKeyspace(redis);
	// The worker consumes 'other' only: what is sent to 'waiting' stays there.
	worker = await startWorker({brokerUrl: server.url, name: 'rpty', queues: ['other']});
	waiting = await sendTasks(
		server.url,
		Array.from({length: 10}, (_, i) => ({task: 'demo.add', args: [i, 100], queue: 'waiting'})),
	);
	screen = runInTerminal(['-b', server.url], {cols: 130, rows: 40});
});

after(async () => {
	screen?.kill();
	await worker?.stop('SIGKILL', 1000);
	redis?.disconnect();
	await server?.stop();
});

test('3 shows where the memory goes, by family, exact', async () => {
	await screen.waitForText(/online/);
	screen.write('3');
	await screen.waitForText(/exact \(MEMORY USAGE of every key\)/);
	const text = screen.text();
	assert.match(text, /Memory breakdown · db 0/);
	assert.match(text, /session\s+app\s+200\s/, 'the 200 session keys');
	assert.match(text, /celery-task-meta\s+results\s+32\s/, 'the 32 results');
	assert.match(text, /blob\s+app\s+1\s+2\.\d MB/, 'the huge key');
	assert.match(text, /waiting\s+queue\s+1\s/, 'the queue the worker does not consume');
	assert.match(text, /results-without-ttl: 2 of 32/);
});

test('4 shows the queue nobody consumes with its next messages decoded', async () => {
	screen.write('4');
	await screen.waitForText(/Queue waiting: next messages/);
	const text = screen.text();
	assert.match(text, /waiting\s+10\s+p0:10/, 'ten messages waiting');
	assert.match(text, new RegExp(`next #1\\s+demo\\.add\\s+${waiting[0]!.slice(0, 7)}…\\s+\\[0, 100\\]`));
	assert.match(text, new RegExp(`next #2\\s+demo\\.add\\s+${waiting[1]!.slice(0, 7)}…\\s+\\[1, 100\\]`));
});

test('6 starts MONITOR only on m, shows a command this test issues; quitting stops it', async () => {
	screen.write('6');
	await screen.waitForText(/MONITOR is off\. m starts it/);
	assert.match(screen.text(), /MONITOR copies every command to this client and costs the server throughput/);
	assert.doesNotMatch(
		await server.cli('CLIENT', 'LIST'),
		/celerytop-monitor/,
		'not started by opening the view',
	);
	screen.write('m');
	await screen.waitForText(/MONITOR running/);
	await redis.set('celerytop-pty-probe', 'hello');
	await screen.waitForText(/SET "celerytop-pty-probe" "hello"/);
	assert.match(screen.text(), /\[0 127\.0\.0\.1:\d+\] SET/, 'client and db shown');
	screen.write('q');
	assert.equal(await screen.exited, 0);
	await waitFor(async () => !(await server.cli('CLIENT', 'LIST')).includes('celerytop-'), {
		message: 'every celerytop connection is closed after quitting',
	});
});
