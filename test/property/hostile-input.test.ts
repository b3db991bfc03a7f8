// Property-based tests (fast-check) of everything hostile wire input reaches: the envelope decoder,
// the event parser, the cluster state, the store, the selectors and the formatters the views use.
// Inputs are random and mutated copies of the real captured messages (test/fixtures/events-pubsub.jsonl).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {Buffer} from 'node:buffer';
import fc from 'fast-check';
import {formatDumpLine} from '../../source/present/event-dump.js';
import {decodeEnvelope} from '../../source/protocol/envelope.js';
import {
	decodeEventMessage,
	MAX_EVENT_CHARS,
	MAX_EVENT_DEPTH,
	parseEvent,
} from '../../source/protocol/events.js';
import {sanitize} from '../../source/protocol/sanitize.js';
import type {CeleryEvent, MalformedReason} from '../../source/protocol/types.js';
import {ClusterState, MAX_EVENT_TYPES} from '../../source/state/cluster.js';
import {Store} from '../../source/state/store.js';
import {
	aliveCount,
	filterTasks,
	taskMatches,
	tasksNewestFirst,
	workersSorted,
} from '../../source/state/selectors.js';
import {heartbeatAge, heartbeatExpires, isAlive, lastHeartbeat} from '../../source/state/worker.js';
import type {Task, Worker} from '../../source/state/types.js';
import {
	cellWidth,
	eventKind,
	fit,
	formatAge,
	formatClock,
	formatDateTime,
	formatDuration,
	formatLoad,
	shortId,
	shownException,
} from '../../source/ui/format.js';
import {eventDetails} from '../../source/ui/panes/task-stream.js';
import {readJsonLines, type PubSubLine} from '../helpers/fixtures.js';

const REASONS: ReadonlySet<MalformedReason> = new Set<MalformedReason>([
	'not-json',
	'bad-envelope',
	'bad-base64',
	'bad-utf8',
	'unsupported-serializer',
	'body-not-json',
	'not-an-event',
	'missing-type',
	'missing-hostname',
	'bad-timestamp',
	'missing-uuid',
	'too-deep',
	'too-large',
]);

// C0, DEL, C1 (ESC included), plus the line separators and bidi controls sanitize also escapes.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

// ---------------------------------------------------------------------------------------------
// Material: the captured session.

const captured = readJsonLines<PubSubLine>('events-pubsub.jsonl').filter((line) =>
	line.channel.includes('celeryev'),
);
const capturedEnvelopes = captured.map((line) => JSON.parse(line.data) as Record<string, unknown>);
const capturedEvents: Array<Record<string, unknown>> = captured.flatMap(
	(line) => decodeEventMessage(line.data).events as unknown as Array<Record<string, unknown>>,
);
assert.ok(capturedEvents.length > 50, 'the capture holds events');
const fieldNames = [...new Set(capturedEvents.flatMap((event) => Object.keys(event)))];

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * RUNS));

// ---------------------------------------------------------------------------------------------
// Arbitraries.

const controlString = fc.string({
	unit: fc.oneof(
		fc.constantFrom('\x1b', '\x07', '\x9b', '\x9d', '\x00', '\x7f', '\r', '\n', '\t', '\u2028', '\u202e'),
		fc.constantFrom('[2J', ']0;pwned', '[H', '[31m', 'a', 'é', '🐍'),
		fc.string({unit: 'binary', minLength: 1, maxLength: 1}),
	),
	maxLength: 40,
});

const hostileNumber = fc.oneof(
	fc.double(), // includes NaN, ±Infinity, -0
	fc.constantFrom(
		Number.NaN,
		-1,
		0,
		-0,
		1e308,
		-1e308,
		Number.MAX_SAFE_INTEGER,
		Number.MIN_VALUE,
		8.64e12, // far beyond the last Date
		4_102_444_800, // 2100
		1e20,
	),
	fc.integer(),
);

/** Anything JSON can carry, with hostile strings and numbers. */
const junk: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
	value: fc.oneof(
		{depthSize: 'small', withCrossShrink: true},
		controlString,
		hostileNumber,
		fc.boolean(),
		fc.constant(null),
		fc.array(tie('value'), {maxLength: 4}),
		fc.dictionary(
			fc.oneof(controlString, fc.constantFrom(...fieldNames, '__proto__', 'constructor')),
			tie('value'),
			{
				maxKeys: 4,
			},
		),
	),
})).value;

/** Nested arrays/objects `depth` levels deep, built as text (fast to make, deep enough to hurt). */
function deepText(depth: number, kind: 'array' | 'object' | 'mixed'): string {
	let open = '';
	let close = '';
	for (let i = 0; i < depth; i++) {
		const object = kind === 'object' || (kind === 'mixed' && i % 2 === 1);
		open += object ? '{"k":' : '[';
		close += object ? '}' : ']';
	}
	return open + '1' + [...close].reverse().join('');
}

const deepValue = fc
	.tuple(
		fc.integer({min: MAX_EVENT_DEPTH - 2, max: 2_500}), // deeper: the explicit test (the test itself stringifies these)
		fc.constantFrom('array', 'object', 'mixed') as fc.Arbitrary<'array' | 'object' | 'mixed'>,
	)
	.map(([depth, kind]) => JSON.parse(deepText(depth, kind)) as unknown);

const eventType = fc.oneof(
	fc.constantFrom(
		'task-sent',
		'task-received',
		'task-started',
		'task-succeeded',
		'task-failed',
		'task-retried',
		'task-revoked',
		'task-rejected',
		'task-custom-thing',
		'task-',
		'worker-online',
		'worker-heartbeat',
		'worker-offline',
		'worker-',
		'group-x',
		'__proto__',
		'constructor',
		'hasOwnProperty',
	),
	controlString,
	controlString.map((s) => 'task-' + s),
	controlString.map((s) => 'worker-' + s),
);

type Mutation = (event: Record<string, unknown>) => void;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	// a field of any captured event (or a new one) set to junk
	fc
		.tuple(fc.constantFrom(...fieldNames, 'extra', '__proto__'), junk)
		.map(([field, value]): Mutation => (event) => {
			event[field] = value;
		}),
	fc.constantFrom(...fieldNames).map((field): Mutation => (event) => {
		delete event[field];
	}),
	hostileNumber.map((value): Mutation => (event) => {
		event['timestamp'] = value;
	}),
	hostileNumber.map((value): Mutation => (event) => {
		event['freq'] = value;
	}),
	eventType.map((type): Mutation => (event) => {
		event['type'] = type;
	}),
	fc
		.oneof(controlString, fc.constantFrom('', 'w1@vm', 'w2@vm', '\x1b]0;pwned\x07@vm'))
		.map((hostname): Mutation => (event) => {
			event['hostname'] = hostname;
		}),
	fc.oneof(controlString, fc.constantFrom('u1', 'u2', 'u3', '__proto__')).map((uuid): Mutation => (event) => {
		event['uuid'] = uuid;
	}),
	fc
		.tuple(fc.constantFrom('args', 'kwargs', 'result', 'traceback', 'exception', 'name'), controlString)
		.map(([field, text]): Mutation => (event) => {
			event[field] = text;
		}),
	fc.tuple(fc.constantFrom(...fieldNames, 'deep'), deepValue).map(([field, value]): Mutation => (event) => {
		event[field] = value;
	}),
	fc.array(hostileNumber, {maxLength: 20}).map((loadavg): Mutation => (event) => {
		event['loadavg'] = loadavg;
	}),
);

/** A captured event with up to 4 mutations; sometimes a random object or non-object instead. */
const hostileItem: fc.Arbitrary<unknown> = fc.oneof(
	{
		weight: 6,
		arbitrary: fc
			.tuple(fc.nat(capturedEvents.length - 1), fc.array(mutation, {maxLength: 4}))
			.map(([index, mutations]) => {
				const event = structuredClone(capturedEvents[index]!);
				for (const mutate of mutations) mutate(event);
				return event as unknown;
			}),
	},
	{weight: 1, arbitrary: junk},
	{
		weight: 1,
		arbitrary: fc.record(
			{type: eventType, hostname: junk, timestamp: hostileNumber, uuid: junk, freq: hostileNumber},
			{requiredKeys: []},
		),
	},
);

/** What parseEvent must decide, written independently. */
function expectedReason(value: unknown): MalformedReason | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not-an-event';
	const record = value as Record<string, unknown>;
	if (typeof record['type'] !== 'string') return 'missing-type';
	if (typeof record['hostname'] !== 'string') return 'missing-hostname';
	const ts = record['timestamp'];
	if (typeof ts !== 'number' || Number.isNaN(ts) || ts < 0 || !Number.isFinite(ts)) return 'bad-timestamp';
	if (record['type'].startsWith('task-') && typeof record['uuid'] !== 'string') return 'missing-uuid';
	if (depthOf(record) > MAX_EVENT_DEPTH) return 'too-deep';
	return undefined;
}

function depthOf(value: unknown): number {
	// Iterative, so the oracle itself survives 20 000 levels.
	let max = 0;
	const stack: Array<[unknown, number]> = [[value, 1]];
	while (stack.length > 0) {
		const [item, depth] = stack.pop()!;
		if (typeof item !== 'object' || item === null) continue;
		if (depth > max) max = depth;
		for (const child of Object.values(item)) stack.push([child, depth + 1]);
	}
	return max;
}

function envelopeFor(bodyText: string, base: Record<string, unknown>): string {
	return JSON.stringify({...base, body: Buffer.from(bodyText, 'utf8').toString('base64')});
}

type Built = {raw: string; items: number | undefined};

/** An envelope around hostile items (a task.multi array or a single event), or a broken envelope. */
const hostileMessage: fc.Arbitrary<Built> = fc.oneof(
	{
		weight: 4,
		arbitrary: fc
			.tuple(fc.nat(capturedEnvelopes.length - 1), fc.array(hostileItem, {maxLength: 8}), fc.boolean())
			.map(([index, items, asArray]): Built => {
				const payload = asArray ? items : items[0];
				if (!asArray && items.length === 0)
					return {raw: envelopeFor('{}', capturedEnvelopes[index]!), items: 1};
				return {
					raw: envelopeFor(JSON.stringify(payload), capturedEnvelopes[index]!),
					items: Array.isArray(payload) ? payload.length : 1,
				};
			}),
	},
	{
		weight: 3,
		arbitrary: fc
			.tuple(
				fc.nat(capturedEnvelopes.length - 1),
				fc.constantFrom(
					'drop-body',
					'body-number',
					'not-base64',
					'url-safe',
					'bad-padding',
					'bad-utf8',
					'not-json-body',
					'pickle',
					'no-content-type',
					'plain-body',
					'truncate',
					'array',
					'properties-junk',
					'headers-junk',
				),
				fc.string({maxLength: 30}),
				fc.nat(),
			)
			.map(([index, kind, text, cut]): Built => {
				const envelope = structuredClone(capturedEnvelopes[index]!);
				const properties = envelope['properties'] as Record<string, unknown>;
				switch (kind) {
					case 'drop-body':
						delete envelope['body'];
						break;
					case 'body-number':
						envelope['body'] = cut;
						break;
					case 'not-base64':
						envelope['body'] = '!!' + text + '*';
						break;
					case 'url-safe':
						envelope['body'] = 'ab-_';
						break;
					case 'bad-padding':
						envelope['body'] = 'a=bc';
						break;
					case 'bad-utf8':
						envelope['body'] = Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]).toString('base64');
						break;
					case 'not-json-body':
						envelope['body'] = Buffer.from('{' + text, 'utf8').toString('base64');
						break;
					case 'pickle':
						envelope['content-type'] = 'application/x-python-serialize';
						break;
					case 'no-content-type':
						delete envelope['content-type'];
						break;
					case 'plain-body':
						delete properties['body_encoding'];
						envelope['body'] = text;
						break;
					case 'truncate': {
						const raw = JSON.stringify(envelope);
						return {raw: raw.slice(0, cut % raw.length), items: undefined};
					}
					case 'array':
						return {raw: JSON.stringify([envelope]), items: undefined};
					case 'properties-junk':
						envelope['properties'] = text;
						break;
					case 'headers-junk':
						envelope['headers'] = [text];
						break;
				}
				return {raw: JSON.stringify(envelope), items: undefined};
			}),
	},
	{
		weight: 1,
		arbitrary: fc.string({unit: 'binary', maxLength: 200}).map((raw): Built => ({raw, items: undefined})),
	},
	{weight: 1, arbitrary: fc.json().map((raw): Built => ({raw, items: undefined}))},
);

// ---------------------------------------------------------------------------------------------
// Checks shared by the properties.

function checkDecoded(built: Built): {events: CeleryEvent[]; errors: MalformedReason[]} {
	const decoded = decodeEventMessage(built.raw);
	for (const reason of decoded.errors) assert.ok(REASONS.has(reason), `unknown reason ${reason}`);
	if (built.items !== undefined) {
		// events + errors account for every item of the payload
		assert.equal(decoded.events.length + decoded.errors.length, built.items);
	} else if (decoded.events.length === 0) {
		// a broken envelope is one error, or an empty task.multi array nothing at all
		assert.ok(decoded.errors.length <= 1);
	}
	for (const event of decoded.events) {
		assert.equal(expectedReason(event), undefined, 'only valid events are returned');
	}
	return decoded;
}

function checkFormatters(task: Task): void {
	for (const value of [
		task.uuid,
		task.name,
		task.args,
		task.kwargs,
		task.result,
		task.exception,
		task.traceback,
		task.worker,
		task.client,
		task.state,
	]) {
		if (value !== undefined) assert.doesNotMatch(sanitize(value), CONTROL);
	}
	formatDuration(task.runtime);
	for (const t of [task.sent, task.received, task.started, task.succeeded, task.failed, task.timestamp]) {
		formatClock(t);
		formatDateTime(t);
	}
	const exception = shownException(task.exception, task.traceback);
	if (exception !== undefined) assert.doesNotMatch(sanitize(exception), CONTROL);
	// 20 terminal cells (a wide character takes two, a combining mark none), whatever the text.
	assert.equal(cellWidth(fit(sanitize(task.name ?? task.uuid), 20)), 20);
	shortId(task.uuid, 8);
	for (const entry of task.timeline) eventKind(entry.type);
	assert.ok(task.timeline.length <= 16);
}

function checkWorker(worker: Worker, now: number): void {
	assert.ok(Number.isFinite(worker.freq) && worker.freq > 0, `freq ${worker.freq}`);
	const alive = isAlive(worker, now);
	assert.equal(typeof alive, 'boolean');
	const age = heartbeatAge(worker, now);
	if (age === undefined) {
		assert.equal(alive, false);
		assert.equal(lastHeartbeat(worker), undefined);
	} else {
		assert.ok(Number.isFinite(age), `age ${age}`);
		assert.equal(alive, now < heartbeatExpires(worker)!);
	}
	assert.ok(worker.heartbeats.length <= 4);
	formatAge(age);
	formatLoad(worker.loadavg);
	assert.doesNotMatch(sanitize(worker.hostname), CONTROL);
	for (const field of [worker.swIdent, worker.swVer, worker.swSys]) if (field !== undefined) sanitize(field);
}

// ---------------------------------------------------------------------------------------------
// Properties.

test('sanitize never leaves a C0/C1 control character or ESC, and is idempotent', () => {
	fc.assert(
		fc.property(fc.oneof(controlString, fc.string({unit: 'binary', maxLength: 300})), (text) => {
			const clean = sanitize(text);
			assert.doesNotMatch(clean, CONTROL);
			assert.ok(!clean.includes('\x1b') && !clean.includes('\x9b'));
			assert.equal(sanitize(clean), clean);
			if (!CONTROL.test(text)) assert.equal(clean, text);
		}),
		{numRuns: runs(3000)},
	);
});

test('decodeEnvelope never throws and rejects with a known reason', () => {
	fc.assert(
		fc.property(hostileMessage, (built) => {
			const result = decodeEnvelope(built.raw);
			if (!result.ok) assert.ok(REASONS.has(result.reason));
			else {
				assert.equal(typeof result.headers, 'object');
				assert.equal(typeof result.properties, 'object');
			}
		}),
		{numRuns: runs(800)},
	);
});

test('parseEvent decides exactly as the written rules say, for any item', () => {
	fc.assert(
		fc.property(hostileItem, (item) => {
			const parsed = parseEvent(item);
			const expected = expectedReason(item);
			if (expected === undefined) assert.ok(parsed.ok);
			else assert.deepEqual(parsed, {ok: false, reason: expected});
		}),
		{numRuns: runs(1500)},
	);
});

test('decodeEventMessage never throws; every item is an event or an error with a known reason', () => {
	fc.assert(
		fc.property(hostileMessage, (built) => void checkDecoded(built)),
		{numRuns: runs(800)},
	);
});

test('dump lines and event details never throw and carry no live control characters', () => {
	fc.assert(
		fc.property(fc.array(hostileItem, {minLength: 1, maxLength: 6}), (items) => {
			for (const item of items) {
				const parsed = parseEvent(item);
				if (!parsed.ok) continue;
				const line = formatDumpLine(parsed.event, 'x\x1b[2J');
				assert.doesNotMatch(line, CONTROL);
				assert.doesNotMatch(sanitize(eventDetails(parsed.event, () => '\x1b]0;pwned\x07')), CONTROL);
				JSON.stringify(parsed.event); // what `events --json` prints: must not overflow
			}
		}),
		{numRuns: runs(800)},
	);
});

test('deep nesting (thousands of levels) is rejected as too-deep, never a stack overflow', () => {
	for (const depth of [MAX_EVENT_DEPTH, MAX_EVENT_DEPTH + 1, 1_000, 10_000, 100_000]) {
		for (const kind of ['array', 'object', 'mixed'] as const) {
			const body = `{"type":"task-received","hostname":"w1@vm","timestamp":1,"uuid":"u","args":${deepText(depth, kind)}}`;
			const decoded = decodeEventMessage(envelopeFor(body, capturedEnvelopes[0]!));
			// the event itself is one level, so args may hold MAX_EVENT_DEPTH - 1 levels
			if (depth <= MAX_EVENT_DEPTH - 1) assert.equal(decoded.events.length, 1);
			else assert.deepEqual(decoded, {events: [], errors: ['too-deep']}, `depth ${depth} ${kind}`);
			// a payload that is only nesting
			const bare = decodeEventMessage(envelopeFor(deepText(depth, kind), capturedEnvelopes[0]!));
			assert.equal(bare.events.length, 0);
		}
	}
	// deep nesting of the envelope itself
	assert.deepEqual(decodeEventMessage(deepText(100_000, 'mixed')).errors.length, 1);
});

test('multi-megabyte bodies are refused as too-large; large events are bounded; all promptly', () => {
	const base = capturedEnvelopes[0]!;
	const started = performance.now();
	const event = (args: string) =>
		envelopeFor(
			JSON.stringify({type: 'task-received', hostname: 'w@h', timestamp: 1, uuid: 'u', args}),
			base,
		);
	// Over MAX_MESSAGE_CHARS: refused whole, before any decoding.
	const huge = 'L'.repeat(4 * 1024 * 1024);
	assert.deepEqual(decodeEventMessage(event(huge)).errors, ['too-large']);
	assert.deepEqual(decodeEventMessage(huge).errors, ['too-large']);
	// Under it but large: kept, with its strings cut to MAX_EVENT_CHARS in all and the cut marked.
	const big = 'L'.repeat(300 * 1024);
	const kept = decodeEventMessage(event(big));
	assert.equal(kept.events.length, 1);
	const args = kept.events[0]!['args'] as string;
	assert.ok(args.length < MAX_EVENT_CHARS + 64, `args cut to ${args.length}`);
	assert.match(args, /…\[\d+ characters cut\]$/);
	// An event with too many values is refused; its neighbours in the batch are kept.
	const crowded = {
		type: 'worker-heartbeat',
		hostname: 'h',
		timestamp: 1,
		loadavg: Array.from({length: 20_000}, () => 1),
	};
	const mixed = decodeEventMessage(
		envelopeFor(JSON.stringify([crowded, {type: 'task-sent', hostname: 'h', timestamp: 1, uuid: 'x'}]), base),
	);
	assert.deepEqual(mixed.errors, ['too-large']);
	assert.equal(mixed.events.length, 1);
	// A big batch of small events under the limit is decoded whole.
	const many = Array.from({length: 5_000}, (_, i) => ({
		type: 'task-sent',
		hostname: 'h',
		timestamp: i,
		uuid: `u${i}`,
	}));
	assert.equal(decodeEventMessage(envelopeFor(JSON.stringify(many), base)).events.length, 5_000);
	// The other reasons still hold for large (but not too large) junk.
	const junk = 'L'.repeat(512 * 1024);
	assert.deepEqual(decodeEventMessage(JSON.stringify({...base, body: junk + '!'})).errors, ['bad-base64']);
	assert.deepEqual(
		decodeEventMessage(JSON.stringify({...base, body: Buffer.alloc(512 * 1024, 0xff).toString('base64')}))
			.errors,
		['bad-utf8'],
	);
	assert.deepEqual(decodeEventMessage(junk).errors, ['not-json']);
	assert.ok(performance.now() - started < 5_000, 'decoded in seconds, not minutes');
});

test('ClusterState and Store stay bounded and consistent over long hostile runs', () => {
	const maxTasks = 40;
	const maxWorkers = 8;
	const streamSize = 25;
	fc.assert(
		fc.property(
			fc.array(
				fc.record({
					messages: fc.array(hostileMessage, {maxLength: 6}),
					dt: fc.oneof(fc.double({min: 0, max: 400, noNaN: true}), fc.constant(-5)),
					connection: fc.constantFrom(
						undefined,
						'connected',
						'reconnecting',
						'error',
						'closed',
					) as fc.Arbitrary<'connected' | 'reconnecting' | 'error' | 'closed' | undefined>,
					filter: controlString,
				}),
				{minLength: 5, maxLength: 40},
			),
			(steps) => {
				let now = 1_795_771_600;
				const store = new Store({maxTasks, maxWorkers, streamSize, now});
				const cluster = store.cluster;
				let applied = 0;
				let rejected = 0;
				for (const step of steps) {
					now += step.dt;
					for (const built of step.messages) {
						const decoded = checkDecoded(built);
						store.applyBatch(decoded.events, now);
						for (const reason of decoded.errors) store.recordMalformed(reason);
						applied += decoded.events.length;
						rejected += decoded.errors.length;
					}
					if (step.connection !== undefined) store.setConnection(step.connection, now);
					store.flush(now);
					const snapshot = store.getSnapshot();

					assert.ok(cluster.tasks.size <= maxTasks);
					assert.ok(cluster.workers.size <= maxWorkers);
					assert.ok(cluster.stream.size <= streamSize);
					assert.ok(cluster.eventsByType.size <= MAX_EVENT_TYPES + 1);
					assert.equal(cluster.eventCount, applied);
					assert.equal(cluster.malformedTotal, rejected);
					assert.equal(
						[...cluster.malformed.values()].reduce((a, b) => a + b, 0),
						rejected,
					);
					const counts = Object.values(cluster.countsByState()).reduce((a, b) => a + b, 0);
					assert.equal(counts, cluster.tasks.size, 'tasks per state add up to the tasks held');
					assert.ok(snapshot.allTasks().length <= maxTasks);
					assert.ok(snapshot.connection.gaps.length <= 20);
					for (const rate of Object.values(snapshot.rates)) assert.ok(Number.isFinite(rate) && rate >= 0);

					for (const task of tasksNewestFirst(cluster)) {
						checkFormatters(task);
						taskMatches(task, step.filter);
					}
					filterTasks(cluster, step.filter, 10);
					for (const worker of workersSorted(cluster)) {
						checkWorker(worker, now);
						for (const hostileNow of [Number.NaN, -1, 0, 1e12, Number.MAX_VALUE]) {
							assert.equal(typeof isAlive(worker, hostileNow), 'boolean');
							heartbeatAge(worker, hostileNow);
						}
					}
					assert.ok(aliveCount(cluster, now) <= cluster.workers.size);
					for (const entry of snapshot.stream) {
						assert.doesNotMatch(formatDumpLine(entry.event), CONTROL);
						eventDetails(entry.event, (uuid) => snapshot.taskById(uuid)?.name);
					}
				}
			},
		),
		{numRuns: runs(150)},
	);
});

test('eventsByType is capped at 256 names plus (other) under a flood of unknown types', () => {
	const cluster = new ClusterState({maxTasks: 10, maxWorkers: 10, streamSize: 10});
	fc.assert(
		fc.property(fc.array(eventType, {minLength: 50, maxLength: 200}), (types) => {
			for (const type of types) {
				const event = {type, hostname: 'h', timestamp: 1, uuid: 'u'} as CeleryEvent;
				cluster.apply(event, 1_795_771_600);
			}
			assert.ok(cluster.eventsByType.size <= MAX_EVENT_TYPES + 1);
			assert.ok(cluster.tasks.size <= 10 && cluster.workers.size <= 10);
		}),
		{numRuns: runs(100)},
	);
	for (let i = 0; i < 1_000; i++) cluster.apply({type: `x-${i}`, hostname: 'h', timestamp: 1}, 1);
	assert.equal(cluster.eventsByType.size, MAX_EVENT_TYPES + 1);
});
