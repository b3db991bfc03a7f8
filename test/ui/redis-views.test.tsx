// The Redis inspector views (keys 2–6) with fake Redis services built from captured fixtures: what
// each view shows, the keys that drive it, and that nothing reaches Redis without being asked.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {Services} from '../../source/ui/services.js';
import {formatBytes} from '../../source/present/redis-format.js';
import {fakeServices} from '../helpers/fake-services.js';
import {BACKSPACE, ENTER, ESCAPE, TAB} from '../helpers/keys.js';
import {waitFor} from '../helpers/wait-for.js';
import {fakeRedis, KEYS, results, T, type FakeRedis} from './fake-redis.js';
import {mountApp} from './mount.js';

function setup(options: {readOnly?: boolean; redis?: FakeRedis; rows?: number} = {}) {
	const redis = options.redis ?? fakeRedis();
	const base = fakeServices({now: T, readOnly: options.readOnly});
	const services: Services = {...base, redis};
	return {...mountApp(services, {rows: options.rows}), redis, services: base};
}

test('2: the overview polls INFO only while shown, with the warnings first, and CLIENT LIST / SLOWLOG', async () => {
	const {r, frame, press, redis} = setup();
	await waitFor(() => frame().includes('Workers'));
	assert.equal(redis.statsByDb.size, 0, 'no poller before the view is opened');
	await press('2', (f) => f.includes('Redis server · db 0') && f.includes('ops/s'), 'overview');
	const stats = redis.statsByDb.get(0)!;
	await waitFor(() => stats.started === 1, {message: 'the poller starts with the view'});
	const f = frame();
	assert.match(f, /maxmemory-policy allkeys-lru may evict Celery queues/, 'the eviction policy warning');
	assert.match(f, /memory\s+1\.2 MB of 10 MB \(12%\)/);
	assert.match(f, /redis 7\.0\.15/);
	assert.match(f, /Clients · 3 connected · 1 blocked \(BRPOP\) · 1 subscribed · 1 celerytop/);
	assert.match(f, /blocked\s+0\s+brpop/, 'a worker blocked in BRPOP');
	await press(TAB, (f) => f.includes('SLOWLOG') && f.includes('client LIST'), 'Tab shows the slowlog');
	stats.set({
		...stats.getSnapshot(),
		warnings: [{code: 'evicting', level: 'critical', message: 'evicting 3.0 keys/s now'}],
	});
	await press('', (f) => f.includes('✖ evicting 3.0 keys/s now'), 'a new warning shows at once');
	await press('1', (f) => f.includes('Workers'), 'back to Celery');
	// The poller stops in the view's effect cleanup, which React runs after the frame is drawn: wait for
	// it rather than read the counter at the moment the frame changed (that raced on a loaded machine).
	await waitFor(() => stats.stopped > 0, {message: 'the poller stops when the overview is left'});
	assert.equal(stats.stopped, 1, 'stopped once');
	assert.equal(stats.started, 1, 'and not started again');
	r.unmount();
});

test('3: the memory breakdown scans on opening, shows families, bytes, share, TTLs, the biggest keys and flags', async () => {
	const {r, frame, press, redis} = setup({rows: 40});
	await press('3', (f) => f.includes('exact (MEMORY USAGE of every key)'), 'the report');
	assert.deepEqual(redis.calls.memory, [{db: 0, pattern: undefined, sample: undefined}]);
	const total = KEYS.reduce((sum, k) => sum + (k.bytes ?? 0), 0);
	const f = frame();
	assert.match(f, new RegExp(`db 0: ${KEYS.length} keys, ${formatBytes(total).replace('.', '\\.')}`));
	assert.match(f, /blob\s+app\s+1\s+2\.1 MB\s+9\d\.\d%/, 'the biggest family first, with its share');
	assert.match(f, /session\s+app\s+40\s+7\.8 KB/);
	assert.match(f, new RegExp(`celery-task-meta\\s+results\\s+${results.length}\\s`));
	assert.match(f, /blob \(app\)/, 'the selected family below');
	assert.match(f, /blob:big\s+string\s+none\s+2\.1 MB/, 'its biggest keys');
	assert.match(f, /huge-key: huge key blob:big/, 'flags');
	assert.match(f, /evil\\x1b\[2J\\x1b\]0;pwn/, 'a key name with escape sequences shows them as text');
	assert.ok(!f.includes('\u001B[2J') && !f.includes('\u001B]0;'), 'and never live');
	await press('j', (f) => f.includes('celery (celery-queue)'), 'the cursor moves');
	await press('G', (f) => /\d+\/\d+ families/.test(f), 'G');
	r.unmount();
});

test('3: a scan shows its progress, Esc cancels it; S asks for a sampled scan, labelled as estimated', async () => {
	const redis = fakeRedis();
	let release!: () => void;
	redis.hold = new Promise((resolve) => (release = resolve));
	const {r, press} = setup({redis});
	await press(
		'3',
		(f) => /█*░+ \d+%\s+25 \/ \d+ keys\s+\(Esc cancels\)/.test(f),
		'a progress bar against DBSIZE',
	);
	await press(ESCAPE, (f) => f.includes('memory scan cancelled'), 'Esc cancels');
	release();
	redis.hold = undefined;
	await press('S', (f) => f.includes('Sampled memory scan'), 'sample prompt');
	await press(BACKSPACE.repeat(6) + '2' + ENTER, (f) => f.includes('bytes ESTIMATED from'), 'sampled report');
	assert.deepEqual(redis.calls.memory.at(-1), {db: 0, pattern: undefined, sample: 2});
	r.unmount();
});

test('4: queues with their length over priorities, the next messages decoded and unacked ones counting down', async () => {
	const {r, frame, press, redis, services} = setup();
	await press('4', (f) => f.includes('Queue celery: next messages'), 'queues');
	assert.deepEqual(redis.calls.queues, [0]);
	const f = frame();
	const waiting = f.match(/celery\s+(\d+)\s+p0:(\d+) p3:2/);
	assert.ok(waiting, 'celery: messages summed over its priority sub-lists');
	assert.equal(Number(waiting[1]), Number(waiting[2]) + 2);
	assert.match(f, /lost\s+1\s+p0:1/);
	assert.match(f, /next #1\s+app\.kw\s+\(\) \{'a': 0\}\s+in 4m 30s\s+priority 0/, 'decoded');
	assert.match(f, /next #2\s+app\.add\s+\[100, 1\] \{\}/);
	await press(TAB + 'G', (f) => /11\/11 · Tab: queues/.test(f), 'the last message row');
	assert.match(frame(), /unacked 1b095d6e\s+app\.\w+/, 'the unacked message, decoded');
	assert.match(frame(), /age 1m 40s, redelivery in 58m 20s/);
	assert.match(frame(), /unacked: app\.\w+\[[0-9a-f-]{36}\] \(2, 3\) \{\} · eta - · age 1m 40s/, 'in full');
	services.setNow(T + 10);
	await press('', (f) => f.includes('age 1m 50s, redelivery in 58m 10s'), 'the countdown ticks');
	await press(TAB + 'j', (f) => f.includes('Queue lost'), 'the next queue');
	assert.match(frame(), /no _kombu\.binding\.\* names queue 'lost'/);
	r.unmount();
});

test('4: P purges a queue only after its name is typed', async () => {
	const {r, press, redis} = setup();
	await press('4', (f) => f.includes('Queue celery'), 'queues');
	await press('P', (f) => f.includes('Type the queue name to confirm'), 'typed confirmation');
	await press('lost' + ENTER, (f) => f.includes('not confirmed: typed "lost", not "celery"'), 'wrong name');
	assert.equal(redis.calls.admin.length, 0);
	await press('P', (f) => f.includes('Type the queue name'), 'asked again');
	await press('celery' + ENTER, (f) => f.includes('purge celery (db 0): removed 8 message(s)'), 'purged');
	assert.deepEqual(redis.calls.admin, [{db: 0, op: {op: 'purge', queue: 'celery'}}]);
	await waitFor(() => redis.calls.queues.length === 2, {message: 'the queues are read again'});
	r.unmount();
});

test('5: the key browser sorts by size or TTL, filters by pattern and decodes a celery-task-meta key', async () => {
	const {r, frame, press, redis} = setup();
	await press('5', (f) => f.includes('sorted by size') && f.includes('blob:big'), 'keys');
	const firstKey = () => {
		const lines = frame().split('\n');
		const header = lines.findIndex((l) => /│ KEY\s+FAMILY/.test(l));
		return lines[header + 1]?.split(/\s+/)[1];
	};
	assert.equal(firstKey(), 'blob:big', 'biggest first');
	await press('s', (f) => f.includes('sorted by TTL'), 'sort by TTL');
	assert.match(firstKey() ?? '', /^celery-task-meta-/, 'soonest to expire first (results have 300 s)');
	await press('/', (f) => f.includes('SCAN MATCH pattern for the key browser'), 'pattern prompt');
	await press(
		'celery-task-meta-*' + ENTER,
		(f) => f.includes('pattern celery-task-meta-*'),
		'pattern applied',
	);
	assert.deepEqual(redis.calls.keys.at(-1), {db: 0, pattern: 'celery-task-meta-*'});
	await waitFor(() => !frame().includes('session:'));
	await press('g' + ENTER, (f) => f.includes('status') && f.includes('date_done'), 'detail');
	const f = frame();
	assert.match(f, /family\s+celery-task-meta \(celery-results\)/);
	assert.match(f, /status\s+REVOKED/);
	assert.match(f, /result\s+TaskRevokedError: expired/);
	assert.match(f, /task_id\s+[0-9a-f-]{36}/);
	await press(ESCAPE, (f) => f.includes('sorted by TTL'), 'Esc goes back');
	r.unmount();
});

test('5: D deletes the selected key after a yes; errors of a scan show as a line', async () => {
	const redis = fakeRedis();
	const {r, frame, press} = setup({redis});
	await press('5', (f) => f.includes('blob:big'), 'keys');
	await press('D', (f) => f.includes('Delete the key blob:big from db 0?'), 'confirmation names the key');
	await press('n', (f) => f.includes('cancelled'), 'n cancels');
	assert.equal(redis.calls.admin.length, 0);
	await press('D', (f) => f.includes('Delete the key blob:big'), 'asked again');
	await press('y', (f) => f.includes('DEL blob:big (db 0): removed 1 key(s)'), 'deleted');
	assert.deepEqual(redis.calls.admin, [{db: 0, op: {op: 'del', key: 'blob:big'}}]);
	await waitFor(() => !frame().includes('blob:big  '), {message: () => frame()});
	redis.scanKeys = async () => ({keys: KEYS.slice(0, 3), total: 1_000_000, capped: true, cancelled: false});
	await press('r', (f) => f.includes('the first 3 keys SCAN returned, of 1,000,000 in db 0'), 'capped');
	redis.scanKeys = async () => {
		throw new Error('NOPERM this user has no permissions to run the scan command');
	};
	await press('r', (f) => f.includes('key scan failed: NOPERM'), 'an error is a line, not a crash');
	r.unmount();
});

test('6: MONITOR starts only on its key, with the warning on screen; filter; leaving the view stops it', async () => {
	const {r, frame, press, redis} = setup();
	await press('6', (f) => f.includes('MONITOR copies every command'), 'the warning');
	assert.match(frame(), /MONITOR is off\. m starts it/);
	assert.equal(redis.calls.monitor.length, 0, 'nothing started by opening the view');
	await press('m', (f) => f.includes('MONITOR running'), 'started by m');
	assert.deepEqual(redis.calls.monitor, [60]);
	const tap = redis.monitors[0]!;
	tap.push({time: T, db: 0, client: '127.0.0.1:5555', command: 'SET', args: ['probe', '1']});
	for (let i = 1; i <= 4; i++)
		tap.push({time: T + i, db: 1, client: '127.0.0.1:5556', command: 'GET', args: ['evil\u001B[2J']});
	await press(
		'',
		(f) => f.includes('SET "probe" "1"') && f.includes('[1 127.0.0.1:5556] GET'),
		'live commands',
	);
	assert.ok(!frame().includes('\u001B[2J'), 'arguments are shown inert');
	assert.match(frame(), /Per command, last 4 s/, 'the window the buffer covers');
	assert.match(frame(), /GET\s+4\s+1\.0\/s/, 'per-command rates');
	assert.match(frame(), /SET\s+1\s+0\.3\/s/);
	assert.match(frame(), /5 commands seen/);
	await press('/', (f) => f.includes('Show only the commands'), 'filter prompt');
	await press(
		'db:0' + ENTER,
		(f) => f.includes('filter: db:0') && !f.includes('127.0.0.1:5556] GET'),
		'filtered',
	);
	await press('2', (f) => f.includes('Redis server'), 'leave the view');
	await waitFor(() => tap.stopped, {message: 'MONITOR stopped on leaving its view'});
	r.unmount();
});

test('FLUSHDB needs "flush N" typed; under --read-only it is disabled and nothing reaches Redis', async () => {
	const {r, press, redis} = setup();
	await press('3', (f) => f.includes('Memory breakdown'), 'memory view');
	await press(
		'F',
		(f) => f.includes('FLUSHDB db 0?') && f.includes('type flush 0'),
		'a typed confirmation, its title naming the operation and the db',
	);
	await press('0' + ENTER, (f) => f.includes('not confirmed'), 'the bare db number, a slip, cancels');
	assert.equal(redis.calls.admin.length, 0);
	await press('F', (f) => f.includes('type flush 0'), 'asked again');
	await press('flush 0' + ENTER, (f) => f.includes('FLUSHDB db 0 (db 0): removed 1 key(s)'), 'flushed');
	assert.deepEqual(redis.calls.admin, [{db: 0, op: {op: 'flushdb', db: 0}}]);
	await waitFor(() => redis.calls.memory.length === 2, {message: 'the breakdown is read again'});
	r.unmount();

	const ro = setup({readOnly: true});
	await ro.press(
		'3',
		(f) => f.includes('Memory breakdown') && f.includes('read-only'),
		'memory view, read-only',
	);
	await ro.press('F', (f) => f.includes('redis flushdb is disabled by --read-only'), 'FLUSHDB refused');
	await ro.press('5', (f) => f.includes('blob:big'), 'keys');
	await ro.press('D', (f) => f.includes('redis del is disabled by --read-only'), 'DEL refused');
	await ro.press('4', (f) => f.includes('Queue celery'), 'queues');
	await ro.press('P', (f) => f.includes('redis purge is disabled by --read-only'), 'purge refused');
	assert.equal(ro.redis.calls.admin.length, 0, 'nothing reached the admin service');
	ro.r.unmount();
});

test('d switches the db: the views read the new one', async () => {
	const {r, press, redis} = setup();
	await press('3', (f) => f.includes('Memory breakdown · db 0'), 'memory db 0');
	await press('d', (f) => f.includes('Inspect database number'), 'db prompt');
	await press(
		BACKSPACE + '2' + ENTER,
		(f) => f.includes('Memory breakdown · db 2') && f.includes('inspecting db 2'),
		'db 2',
	);
	await waitFor(() => redis.calls.memory.at(-1)?.db === 2);
	await press('2', (f) => f.includes('Redis server · db 2'), 'overview of db 2');
	// Started in an effect after the frame (see the overview test): wait, then check it started once.
	await waitFor(() => (redis.statsByDb.get(2)?.started ?? 0) > 0, {message: 'the poller of db 2 starts'});
	assert.equal(redis.statsByDb.get(2)?.started, 1);
	assert.equal(redis.statsByDb.get(0)?.started ?? 0, 0, 'db 0 was never polled');
	r.unmount();
});

test('Enter on a family opens the key browser on its keys, biggest first', async () => {
	const {r, press, redis} = setup();
	await press('3', (f) => f.includes('exact (MEMORY USAGE'), 'report');
	await press('jj', (f) => f.includes('session (app)'), 'third family: session');
	await press(ENTER, (f) => f.includes('pattern session*') && f.includes('session:0'), 'its keys');
	assert.deepEqual(redis.calls.keys.at(-1), {db: 0, pattern: 'session*'});
	r.unmount();
});

test('every Redis view fits the terminal, from the smallest size up', async () => {
	for (const [columns, rows] of [
		[60, 20],
		[100, 24],
		[132, 40],
	] as const) {
		const {r, frame, press} = setup({rows, redis: fakeRedis()});
		Object.defineProperty(r.stdout, 'columns', {value: columns, configurable: true});
		r.stdout.emit('resize');
		for (const [key, title] of [
			['2', 'Redis server'],
			['3', 'Memory breakdown'],
			['4', 'Queues · db 0'],
			['5', 'Keys · db 0'],
			['6', 'MONITOR is off'],
		] as const) {
			await press(key, (f) => f.includes(title), `${key} at ${columns}x${rows}`);
			const lines = frame().split('\n');
			assert.ok(lines.length <= rows - 1, `${key} at ${columns}x${rows}: ${lines.length} lines`);
			assert.ok(
				lines.every((l) => [...l].length <= columns),
				`${key} at ${columns}x${rows}: a line is wider than the terminal`,
			);
			assert.match(lines.at(-1)!, /^\S/, 'the footer is the last line');
		}
		r.unmount();
	}
});
