// npm run screenshots: a real demo cluster (private redis, two real Celery workers, a producer),
// the real binary in a pseudo-terminal, and SVGs of what its screen showed.
import {writeFileSync, mkdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {startProducer, startRedis, startWorker} from '../demo/cluster.mjs';
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
const screen = runInTerminal(['-b', redis.url], {cols: 132, rows: 40});
const save = async (name: string, title: string) => {
	await new Promise<void>((resolve) => screen.terminal.write('', resolve));
	writeFileSync(dir + name, terminalToSvg(screen.terminal, title));
	console.log(`screenshots/${name}`);
};
try {
	await screen.waitForText(/online/);
	await pause(15_000);
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
	screen.write(ESCAPE);
	screen.write(ESCAPE);
	await screen.waitForText(/Workers/);
	screen.write('c');
	await screen.waitForText(/Revoke .*\?/);
	await save('revoke-confirm.svg', 'celerytop — revoke asks for confirmation');
	screen.write('y');
	await screen.waitForText(/flagged as revoked/);
	await pause(1500);
	await save('revoke-replies.svg', 'celerytop — replies of every worker after a revoke');
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
	// Every saved SVG also as PNG where rsvg-convert is installed (librsvg2-bin), for the README.

	screen.write('q');
	screen.write('q');
	await screen.exited;
} finally {
	screen.kill();
	await producer.stop('SIGTERM', 2000);
	await Promise.all(workers.map((w) => w.stop('SIGTERM', 5000)));
	await redis.stop();
}
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
