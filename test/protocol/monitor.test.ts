// MONITOR lines → records. Redis quotes every argument with sdscatrepr; the captured commands of
// lifecycle-monitor.jsonl (kombu's SEP bytes, JSON with quotes, non-ASCII) must survive the trip.
import assert from 'node:assert/strict';
import {Buffer} from 'node:buffer';
import {describe, test} from 'node:test';
import {
	commandRates,
	matchesFilter,
	parseMonitorLine,
	type MonitorRecord,
} from '../../source/protocol/monitor.js';
import {readJsonLines} from '../helpers/fixtures.js';

/** What Redis' sdscatrepr writes for one argument (byte-wise). */
function repr(arg: string): string {
	let out = '"';
	for (const byte of Buffer.from(arg, 'utf8')) {
		const char = String.fromCharCode(byte);
		if (char === '\\' || char === '"') out += '\\' + char;
		else if (char === '\n') out += '\\n';
		else if (char === '\r') out += '\\r';
		else if (char === '\t') out += '\\t';
		else if (byte === 7) out += '\\a';
		else if (byte === 8) out += '\\b';
		else if (byte >= 0x20 && byte < 0x7f) out += char;
		else out += '\\x' + byte.toString(16).padStart(2, '0');
	}
	return out + '"';
}

describe('parseMonitorLine', () => {
	test('a plain line, with or without the RESP "+" and CRLF', () => {
		const expected = {
			time: 1795771581.536939,
			db: 0,
			client: '127.0.0.1:52572',
			command: 'LLEN',
			args: ['celery'],
		};
		assert.deepEqual(parseMonitorLine('1795771581.536939 [0 127.0.0.1:52572] "LLEN" "celery"'), expected);
		assert.deepEqual(
			parseMonitorLine('+1795771581.536939 [0 127.0.0.1:52572] "llen" "celery"\r\n'),
			expected,
		);
	});

	test('lua and unix-socket clients, other dbs', () => {
		assert.deepEqual(parseMonitorLine('1.5 [3 lua] "del" "k"'), {
			time: 1.5,
			db: 3,
			client: 'lua',
			command: 'DEL',
			args: ['k'],
		});
		assert.equal(parseMonitorLine('2 [0 unix:/run/redis.sock] "PING"')?.client, 'unix:/run/redis.sock');
	});

	test('every captured command round-trips through the escapes', () => {
		const lines = readJsonLines<{t: number; db: number; args: string[]}>('lifecycle-monitor.jsonl');
		assert.ok(lines.length > 300);
		let withSep = 0;
		for (const line of lines) {
			const text = `${line.t.toFixed(6)} [${line.db} 127.0.0.1:6000] ${line.args.map(repr).join(' ')}`;
			const record = parseMonitorLine(text);
			assert.ok(record, text);
			assert.equal(record.command, line.args[0]!.toUpperCase());
			assert.deepEqual(record.args, line.args.slice(1));
			if (line.args.some((a) => a.includes('\x06\x16'))) withSep++;
		}
		assert.ok(withSep > 10, 'kombu separator bytes were exercised');
	});

	test('non-ASCII text and every escape', () => {
		const args = ['SET', 'héllo ✓', 'a"b\\c\n\r\t\x07\x08\x00'];
		assert.deepEqual(parseMonitorLine(`1 [0 x:1] ${args.map(repr).join(' ')}`)?.args, args.slice(1));
	});

	test('malformed lines give undefined', () => {
		for (const bad of ['', 'OK', '1 [0 x:1]', '1 [0 x:1] "unterminated', '1 [0 x:1] bare', 'x [0 a] "GET"']) {
			assert.equal(parseMonitorLine(bad), undefined, bad);
		}
	});
});

describe('rates and filter', () => {
	const record = (time: number, command: string, ...args: string[]): MonitorRecord => ({
		time,
		db: 0,
		client: '127.0.0.1:1',
		command,
		args,
	});
	const records = [
		record(100, 'BRPOP', 'celery'),
		record(101, 'PUBLISH', '/0.celeryev/worker.heartbeat'),
		record(101.5, 'BRPOP', 'celery'),
		record(90, 'GET', 'old'),
	];

	test('per-command counts and rates in the window before now', () => {
		assert.deepEqual(commandRates(records, 102, 4), [
			{command: 'BRPOP', count: 2, perSecond: 0.5},
			{command: 'PUBLISH', count: 1, perSecond: 0.25},
		]);
	});

	test('the filter matches command, argument, client or db:N', () => {
		assert.equal(records.filter((r) => matchesFilter(r, 'brpop')).length, 2);
		assert.equal(records.filter((r) => matchesFilter(r, 'celeryev')).length, 1);
		assert.equal(records.filter((r) => matchesFilter(r, 'db:0')).length, 4);
		assert.equal(records.filter((r) => matchesFilter(r, 'db:1')).length, 0);
		assert.equal(records.filter((r) => matchesFilter(r, '  ')).length, 4);
	});
});
