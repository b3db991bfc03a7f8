// The queue line's pure half: trends over the last reads (exact text), the window that keeps them,
// and the line fitted to a width: biggest first, `… +N more`, a hint when nothing waits, the error.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	cutParts,
	EMPTY_DEPTHS,
	formatDepth,
	formatTrend,
	queueLine,
	queueTrends,
	withError,
	withSample,
	type DepthReading,
	type QueueDepthState,
} from '../../source/present/queue-depth.js';

const T = 1_795_771_600;

/** Reads every 2 s from T, each a record of queue → length. */
function reads(...rows: Array<Record<string, number>>): QueueDepthState {
	let state = EMPTY_DEPTHS;
	rows.forEach((row, i) => {
		const readings: DepthReading[] = Object.entries(row).map(([queue, messages]) => ({queue, messages}));
		state = withSample(state, T + 2 * i, readings);
	});
	return state;
}

test('the trend is the change per second since the oldest read in the window', () => {
	const state = reads({celery: 100, emails: 40}, {celery: 112, emails: 37}, {celery: 148, emails: 34});
	assert.deepEqual(queueTrends(state), [
		{queue: 'celery', messages: 148, perSecond: 12},
		{queue: 'emails', messages: 34, perSecond: -1.5},
	]);
});

test('trend text: + and − with a real minus sign, = for still, nothing before two reads', () => {
	assert.equal(formatTrend(12), '+12/s');
	assert.equal(formatTrend(-3), '\u22123/s');
	assert.equal(formatTrend(-1.5), '\u22122/s');
	assert.equal(formatTrend(0.4), '+0.4/s');
	assert.equal(formatTrend(0.96), '+1/s');
	assert.equal(formatTrend(1520), '+1.5k/s');
	assert.equal(formatTrend(0.01), '=');
	assert.equal(formatTrend(0), '=');
	assert.equal(formatTrend(undefined), '');
	assert.equal(formatDepth(1204), '1,204');
	assert.equal(formatDepth(3_400_000), '3.4M');
});

test('a queue first seen in the last read has no trend yet; one that left is not shown', () => {
	const state = reads({celery: 5, old: 9}, {celery: 5, reports: 7});
	assert.deepEqual(queueTrends(state), [
		{queue: 'reports', messages: 7, perSecond: undefined},
		{queue: 'celery', messages: 5, perSecond: 0},
	]);
	assert.equal(queueLine(state, 80).text, 'queues reports 7 · celery 5 =');
});

test('the window keeps the reads of the last 10 s: the trend forgets an old burst', () => {
	// 0, 2, …, 14 s: a burst of 100 between the first two reads, then still.
	const state = reads({q: 0}, {q: 100}, {q: 100}, {q: 100}, {q: 100}, {q: 100}, {q: 100}, {q: 100});
	assert.deepEqual(
		state.samples.map((s) => s.at - T),
		[4, 6, 8, 10, 12, 14],
	);
	assert.equal(formatTrend(queueTrends(state)[0]!.perSecond), '=');
	// After a gap longer than the window (the screen was hidden), only the new read is left.
	const later = withSample(state, T + 60, [{queue: 'q', messages: 40}]);
	assert.equal(later.samples.length, 1);
	assert.equal(queueLine(later, 80).text, 'queues q 40');
});

test('the line at a width: biggest first, then … +N more when the rest does not fit', () => {
	const state = reads(
		{celery: 1180, emails: 43, reports: 2, default: 0, 'video-transcode': 310, beat: 1},
		{celery: 1204, emails: 37, reports: 2, default: 0, 'video-transcode': 300, beat: 1},
	);
	const full =
		'queues celery 1,204 +12/s · video-transcode 300 \u22125/s · emails 37 \u22123/s · reports 2 = · beat 1 = · default 0 =';
	assert.equal(queueLine(state, 200).text, full);
	assert.equal(queueLine(state, full.length).text, full);
	assert.equal(
		queueLine(state, full.length - 1).text,
		'queues celery 1,204 +12/s · video-transcode 300 \u22125/s · emails 37 \u22123/s · reports 2 = · beat 1 = · … +1 more',
	);
	assert.equal(
		queueLine(state, 81).text,
		'queues celery 1,204 +12/s · video-transcode 300 \u22125/s · emails 37 \u22123/s · … +3 more',
	);
	assert.equal(
		queueLine(state, 80).text,
		'queues celery 1,204 +12/s · video-transcode 300 \u22125/s · … +4 more',
	);
	assert.equal(queueLine(state, 63).text, 'queues celery 1,204 +12/s · … +5 more');
	assert.equal(queueLine(state, 37).text, 'queues celery 1,204 +12/s · … +5 more');
	// Narrower than the biggest queue and the count: the queue is cut, the count of the rest kept.
	assert.equal(queueLine(state, 30).text, 'queues celery 1,2… · … +5 more');
	assert.equal(queueLine(state, 36).text, 'queues celery 1,204 +12… · … +5 more');
	for (let width = 1; width <= 120; width++)
		assert.ok([...queueLine(state, width).text].length <= width, `width ${width}`);
});

test('the parts carry tones the component colours: rising, falling, still, empty', () => {
	const state = reads({up: 10, down: 10, still: 3, empty: 0}, {up: 20, down: 4, still: 3, empty: 0});
	const tones = queueLine(state, 120).parts.map((p) => `${p.tone}:${p.text.trim()}`);
	assert.deepEqual(tones, [
		'label:queues',
		'name:up',
		'count:20',
		'up:+5/s',
		'muted:·',
		'name:down',
		'count:4',
		'down:\u22123/s',
		'muted:·',
		'name:still',
		'count:3',
		'flat:=',
		'muted:·',
		'name:empty',
		'idle:0',
		'flat:=',
	]);
});

test('nothing to show is one short hint: before the first read, every queue empty and still', () => {
	assert.equal(queueLine(EMPTY_DEPTHS, 80).text, 'queues reading…');
	assert.equal(queueLine(reads({celery: 0}), 80).text, 'queues celery empty');
	assert.equal(
		queueLine(reads({celery: 0, emails: 0}, {celery: 0, emails: 0}), 80).text,
		'queues all 2 empty (celery, emails)',
	);
	// A queue that just emptied is still moving: it is shown with its trend.
	assert.equal(queueLine(reads({celery: 8}, {celery: 0}), 80).text, 'queues celery 0 \u22124/s');
});

test('an error replaces the line (one line, cut to the width), and the next read mends it', () => {
	const state = withError(reads({celery: 3}), 'db 99 does not exist on 127.0.0.1:6390 (it has 16: 0-15)');
	assert.equal(queueLine(state, 200).text, 'queues db 99 does not exist on 127.0.0.1:6390 (it has 16: 0-15)');
	assert.equal(queueLine(state, 30).text, 'queues db 99 does not exist o…');
	assert.equal(queueLine(state, 30).parts[1]!.tone, 'error');
	const mended = withSample(state, T + 2, [{queue: 'celery', messages: 7}]);
	assert.equal(queueLine(mended, 80).text, 'queues celery 7 +2/s');
});

test('queue names reach the screen inert and cut', () => {
	const state = reads({'evil\u001B[2Jname': 3, ['q'.repeat(40)]: 2});
	assert.equal(queueLine(state, 120).text, `queues evil\\x1b[2Jname 3 · ${'q'.repeat(23)}… 2`);
	assert.deepEqual(cutParts([{text: 'abcdef', tone: 'name'}], 4), [{text: 'abc…', tone: 'name'}]);
});
