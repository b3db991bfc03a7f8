// npm run screenshots: a real demo cluster (private redis, two real Celery workers, a producer),
// the real binary in a pseudo-terminal, and SVGs of what its screen showed.
import {writeFileSync, mkdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {Redis} from 'ioredis';
import {sendTasks, startProducer, startRedis, startWorker} from '../demo/cluster.mjs';
import {runInTerminal} from '../test/helpers/screen.js';
import {ENTER, ESCAPE, TAB} from '../test/helpers/keys.js';
import {terminalToSvg} from './terminal-svg.js';

const dir = fileURLToPath(new URL('../screenshots/', import.meta.url));
mkdirSync(dir, {recursive: true});
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const redis = await startRedis();
const workers = await Promise.all(
	['w1', 'w2'].map((name) => startWorker({brokerUrl: redis.url, name, concurrency: 2})),
);
const producer = startProducer({brokerUrl: redis.url, rate: 4});
// For the Redis views: the application's own keys beside Celery's, a queue no worker consumes
// ('emails'), and ETA tasks the workers hold unacked (one beyond the visibility timeout).
const client = new Redis({host: redis.host, port: redis.port});
await seedAppKeys(client);
await sendTasks(redis.url, [
	...['ana', 'bo', 'chen', 'dana', 'eli', 'farah', 'gus', 'hana', 'ivo', 'jo', 'kim', 'lu'].map(
		(user, i) => ({
			task: 'demo.send_email',
			args: [`${user}@example.com`],
			kwargs: {subject: i % 3 ? 'Your weekly digest' : 'Invoice ready'},
			queue: 'emails',
		}),
	),
	{task: 'demo.slow_report', args: ['churn', 20000], queue: 'emails', priority: 6},
	{task: 'demo.slow_report', args: ['daily-sales'], countdown: 900},
	{task: 'demo.send_email', args: ['ops@example.com'], kwargs: {subject: 'Nightly summary'}, countdown: 7200},
]);
const screen = runInTerminal(['-b', redis.url], {cols: 132, rows: 40});
// The sizes the main screen is built for: 80×24 (every terminal's first size) and a wide 200×50.
const small = runInTerminal(['-b', redis.url], {cols: 80, rows: 24});
const wide = runInTerminal(['-b', redis.url], {cols: 200, rows: 50});
const saveFrom = async (from: typeof screen, name: string, title: string) => {
	await new Promise<void>((resolve) => from.terminal.write('', resolve));
	writeFileSync(dir + name, terminalToSvg(from.terminal, title));
	console.log(`screenshots/${name}`);
};
const save = (name: string, title: string) => saveFrom(screen, name, title);
try {
	await screen.waitForText(/online/);
	await wide.waitForText(/prefork 2/);
	for (let i = 0; i < 6; i++) wide.write('>'); // sort by RUNTIME: the running tasks on top
	await pause(15_000);
	await saveFrom(small, 'main-80x24.svg', 'celerytop at 80×24 — the Tasks pane gets the room');
	await saveFrom(wide, 'main-200x50.svg', 'celerytop at 200×50 — pools, queue depth, sorted by runtime');
	for (const extra of [small, wide]) extra.kill();
	await save('main.svg', 'celerytop — live demo cluster (2 workers, real Celery 5.2)');
	screen.write('/');
	screen.write('retrying');
	await pause(800);
	screen.write(ENTER);
	await screen.waitForText(/filter: retrying/);
	screen.write(ENTER);
	await screen.waitForText(/Timeline/);
	await pause(500);
	await save('task-detail.svg', 'celerytop — task detail');
	screen.write(ESCAPE); // close the detail
	await pause(300); // two Esc bytes written together read as one key (meta+Esc)
	screen.write(ESCAPE); // clear the filter
	await screen.waitForText(/Workers/);
	screen.write('c');
	await screen.waitForText(/Revoke .*\?/);
	await save('revoke-confirm.svg', 'celerytop — revoke asks for confirmation');
	screen.write('y');
	await screen.waitForText(/flagged as revoked/);
	await pause(1500);
	await save('revoke-replies.svg', 'celerytop — replies of every worker after a revoke');
	// Marked tasks (Space), revoked together: one confirmation names them all.
	screen.write('f');
	await pause(300);
	screen.write('   ');
	await screen.waitForText(/3 marked/);
	screen.write('c');
	await screen.waitForText(/Revoke 3 marked tasks\?/);
	await save('revoke-marked.svg', 'celerytop — three marked tasks, one confirmation');
	screen.write('n');
	screen.write('U');
	await screen.waitForText(/^(?![\s\S]*marked)/);
	screen.write(TAB + TAB + ENTER);
	await screen.waitForText(/Inspect w1@\S+ — stats/);
	await screen.waitForText(/max-concurrency/);
	await save('inspect-stats.svg', 'celerytop — inspect a worker: stats');
	screen.write('a');
	await screen.waitForText(/active tasks/);
	await pause(1200);
	await save('inspect-active.svg', 'celerytop — inspect a worker: active tasks');
	screen.write('q');
	screen.write('?');
	await screen.waitForText(/Help/);
	await save('help.svg', 'celerytop — help');
	screen.write('q');
	await screen.waitForText(/Workers/);
	screen.write(ESCAPE); // clear the filter and the log lines of the revoke
	await screen.waitForText(/^(?![\s\S]*filter: retrying)/);
	// The Redis inspector.
	screen.write('2');
	await screen.waitForText(/Redis server · db 0/);
	await pause(12_000); // sparklines with some history
	await save('redis-overview.svg', 'celerytop — Redis server overview (2)');
	screen.write('3');
	await screen.waitForText(/exact \(MEMORY USAGE of every key\)/);
	screen.write('j'); // the second family (sessions), with its biggest keys
	await screen.waitForText(/2\/\d+ families/);
	await pause(500);
	await save('redis-memory.svg', 'celerytop — where the memory goes (3)');
	screen.write('4');
	await screen.waitForText(/Queue emails: next messages/);
	await pause(500);
	await save('redis-queues.svg', 'celerytop — queues: waiting messages decoded (4)');
	screen.write('j');
	await screen.waitForText(/Queue celery: next messages/);
	await pause(1500);
	await save(
		'redis-queues-unacked.svg',
		'celerytop — queues: unacked ETA tasks counting down to redelivery (4)',
	);
	screen.write('5/celery-task-meta-*' + ENTER);
	await screen.waitForText(/pattern celery-task-meta-\*/);
	await screen.waitForText(/key\(s\) of/);
	screen.write(ENTER);
	await screen.waitForText(/date_done/);
	await save('redis-key-detail.svg', 'celerytop — a result key decoded in the key browser (5)');
	screen.write(ESCAPE);
	screen.write('6m');
	await screen.waitForText(/MONITOR running/);
	await pause(3000);
	await save('redis-monitor.svg', 'celerytop — MONITOR, opt-in (6)');
	screen.write('q');
	await screen.exited;
} finally {
	for (const extra of [small, wide]) {
		try {
			extra.kill(); // already gone after its shot: that is fine
		} catch {}
	}
	screen.kill();
	client.disconnect();
	await producer.stop('SIGTERM', 2000);
	await Promise.all(workers.map((w) => w.stop('SIGTERM', 5000)));
	await redis.stop();
}
// Every saved SVG also as PNG where rsvg-convert is installed (librsvg2-bin), for the README.
const {spawnSync} = await import('node:child_process');
const {readdirSync} = await import('node:fs');
for (const name of readdirSync(dir).filter((f) => f.endsWith('.svg'))) {
	const png = name.replace(/\.svg$/, '.png');
	const result = spawnSync('rsvg-convert', [dir + name, '-o', dir + png]);
	if (result.error) {
		console.log('rsvg-convert not found (apt-get install librsvg2-bin): SVGs only');
		break;
	}
}

/** Keys an application keeps in the same Redis: sessions with a TTL, cache hashes without, a big blob. */
async function seedAppKeys(redis: Redis): Promise<void> {
	const p = redis.pipeline();
	for (let i = 0; i < 400; i++) p.set(`session:${i}`, 's'.repeat(150 + (i % 7) * 40), 'EX', 1800 + i);
	for (let i = 0; i < 120; i++)
		p.hset(`cache:user:${i}`, {name: `user ${i}`, email: `u${i}@example.com`, plan: 'pro'});
	for (let i = 0; i < 30; i++) p.set(`ratelimit:api:${i}`, String(i), 'EX', 60);
	p.set('report:2026-q3:export', 'x'.repeat(1_500_000));
	await p.exec();
}
