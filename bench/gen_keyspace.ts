// A Celery-like keyspace as RESP commands for `redis-cli --pipe` (deterministic, seeded):
//
//   node --import tsx bench/gen_keyspace.ts --keys 1000000 | redis-cli -p PORT --pipe
//
// Mix by key count (of --keys N, default 1,000,000): 55 % celery-task-meta-* results (SETEX 86400,
// 2 % without TTL), 1 % celery-taskset-meta-* groups, 25 % session:<uuid> hashes (EX 7200), 12 %
// cache:user:<n> strings (no TTL), 6.5 % ratelimit:<ip> counters (EX 3600; no TTL expires during a bench run), the rest: 200 orphaned
// <uuid>.reply.celery.pidbox lists, and fixed Celery keys: queues celery (+ priority lists), emails
// and reports with 100–20,000 kombu messages each, the _kombu.binding.* sets, unacked + unacked_index.
// --json prints the expected family counts instead of the commands.
import {Buffer} from 'node:buffer';
import {writeSync} from 'node:fs';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
	const i = argv.indexOf(name);
	return i === -1 ? fallback : Number(argv[i + 1]);
};
const total = option('--keys', 1_000_000);
const seedValue = option('--seed', 42);
const SEP = '\x06\x16';

let state = seedValue >>> 0 || 1;
function random(): number {
	// xorshift32
	state ^= state << 13;
	state >>>= 0;
	state ^= state >>> 17;
	state ^= state << 5;
	state >>>= 0;
	return state / 0x1_0000_0000;
}
const int = (n: number) => Math.floor(random() * n);
const hex = (n: number) => Array.from({length: n}, () => '0123456789abcdef'[int(16)]).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(4)]}${hex(3)}-${hex(12)}`;

let buffer = '';
function command(...args: string[]): void {
	buffer += `*${args.length}\r\n`;
	for (const arg of args) buffer += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
	if (buffer.length > 1 << 20) flush();
}
const pause = new Int32Array(new SharedArrayBuffer(4));
/** Write all of it: a pipe takes partial writes (and EAGAIN when it is non-blocking). */
function flush(): void {
	const bytes = Buffer.from(buffer, 'utf8');
	buffer = '';
	for (let offset = 0; offset < bytes.length;) {
		try {
			offset += writeSync(1, bytes, offset);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
			Atomics.wait(pause, 0, 0, 2);
		}
	}
}

function taskMessage(queue: string, name: string, args: unknown[], priority = 0): string {
	const id = uuid();
	const body = Buffer.from(
		JSON.stringify([args, {}, {callbacks: null, errbacks: null, chain: null, chord: null}]),
	).toString('base64');
	return JSON.stringify({
		body,
		'content-encoding': 'utf-8',
		'content-type': 'application/json',
		headers: {
			lang: 'py',
			task: name,
			id,
			shadow: null,
			eta: null,
			expires: null,
			group: null,
			group_index: null,
			retries: 0,
			timelimit: [null, null],
			root_id: id,
			parent_id: null,
			argsrepr: JSON.stringify(args),
			kwargsrepr: '{}',
			origin: 'gen4242@bench',
			ignore_result: false,
		},
		properties: {
			correlation_id: id,
			reply_to: uuid(),
			delivery_mode: 2,
			delivery_info: {exchange: '', routing_key: queue},
			priority,
			body_encoding: 'base64',
			delivery_tag: uuid(),
		},
	});
}

function result(id: string): string {
	const failed = random() < 0.05;
	return JSON.stringify({
		status: failed ? 'FAILURE' : 'SUCCESS',
		result: failed
			? {exc_type: 'ValueError', exc_message: ['boom'], exc_module: 'builtins'}
			: {rows: int(10_000), path: `/media/${hex(12)}.webp`},
		traceback: failed
			? 'Traceback (most recent call last):\n  File "app.py", line 42, in run\nValueError: boom\n'
			: null,
		children: [],
		date_done: '2026-11-27T09:26:36.634949',
		task_id: id,
	});
}

// Fixed Celery keys (queues hold many messages but count as few keys).
const fixed: Array<() => void> = [];
const queues: Array<[string, number]> = [
	['celery', 20_000],
	[`celery${SEP}3`, 2_000],
	[`celery${SEP}9`, 500],
	['emails', 5_000],
	['reports', 100],
];
for (const [key, messages] of queues) {
	fixed.push(() => {
		const queue = key.split(SEP)[0]!;
		for (let i = 0; i < messages; i += 100) {
			const batch = Array.from({length: Math.min(100, messages - i)}, () =>
				taskMessage(queue, 'demo.resize_image', [int(4000), int(3000)]),
			);
			command('LPUSH', key, ...batch);
		}
	});
}
for (const queue of ['celery', 'emails', 'reports'])
	fixed.push(() => command('SADD', `_kombu.binding.${queue}`, `${queue}${SEP}${SEP}${queue}`));
fixed.push(() =>
	command(
		'SADD',
		'_kombu.binding.celeryev',
		...Array.from({length: 20}, () => `worker.#${SEP}${SEP}celeryev.${uuid()}`),
	),
);
fixed.push(() =>
	command(
		'SADD',
		'_kombu.binding.celery.pidbox',
		...Array.from({length: 20}, (_, i) => `${SEP}${SEP}w${i}@bench.celery.pidbox`),
	),
);
fixed.push(() => {
	const now = 1_795_771_596;
	for (let i = 0; i < 500; i++) {
		const message = JSON.parse(taskMessage('celery', 'demo.sleep', [30])) as {
			properties: {delivery_tag: string};
		};
		const tag = message.properties.delivery_tag;
		command('HSET', 'unacked', tag, JSON.stringify([message, '', 'celery']));
		command('ZADD', 'unacked_index', String(now - int(7200)), tag);
	}
});

const orphanReplies = 200;
const fixedKeys = queues.length + 5 + 2; // queue lists, 5 binding sets, unacked + unacked_index
const rest = Math.max(0, total - fixedKeys - orphanReplies);
const shares: Array<[string, number]> = [
	['results', 0.55],
	['groups', 0.01],
	['sessions', 0.25],
	['cache', 0.12],
	['ratelimit', 0.065],
];
const counts = Object.fromEntries(shares.map(([name, share]) => [name, Math.floor(rest * share)])) as Record<
	string,
	number
>;
counts['results']! += rest - Object.values(counts).reduce((a, b) => a + b, 0);

if (argv.includes('--json')) {
	process.stdout.write(
		JSON.stringify({keys: total, fixedCeleryKeys: fixedKeys, orphanReplies, ...counts}) + '\n',
	);
	process.exit(0);
}

for (const write of fixed) write();
for (let i = 0; i < orphanReplies; i++)
	command('LPUSH', `${uuid()}.reply.celery.pidbox`, taskMessage('reply', 'reply', [{ok: 'pong'}]));
for (let i = 0; i < counts['results']!; i++) {
	const id = uuid();
	if (random() < 0.02) command('SET', `celery-task-meta-${id}`, result(id));
	else command('SETEX', `celery-task-meta-${id}`, '86400', result(id));
}
for (let i = 0; i < counts['groups']!; i++) {
	const id = uuid();
	const members = Array.from({length: 1 + int(5)}, () => [[uuid(), null], null]);
	command('SETEX', `celery-taskset-meta-${id}`, '86400', JSON.stringify({result: [[id, null], members]}));
}
for (let i = 0; i < counts['sessions']!; i++) {
	const key = `session:${uuid()}`;
	command(
		'HSET',
		key,
		'user_id',
		String(int(1e6)),
		'csrf',
		hex(32),
		'cart',
		JSON.stringify(Array.from({length: int(4)}, () => int(1e5))),
	);
	command('EXPIRE', key, '7200');
}
for (let i = 0; i < counts['cache']!; i++)
	command(
		'SET',
		`cache:user:${i}`,
		JSON.stringify({id: i, name: `user ${i}`, plan: ['free', 'pro', 'team'][int(3)]}),
	);
for (let i = 0; i < counts['ratelimit']!; i++)
	command('SETEX', `ratelimit:10.${int(256)}.${int(256)}.${i % 256}:${i}`, '3600', String(int(100)));
flush();
