import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {LAG_BUCKETS, LagHistogram, startStatsFile} from '../source/stats-file.js';
import {Store} from '../source/state/store.js';

const T = 1_795_771_600;

test('lag histogram: quantiles in whole milliseconds, negatives as 0, the overflow bucket for the rest', () => {
	const h = new LagHistogram();
	assert.deepEqual(h.summary(), {count: 0, p50: 0, p99: 0, max: 0});
	for (let ms = 1; ms <= 100; ms++) h.add(ms + 0.7);
	assert.equal(h.quantile(0.5), 50);
	assert.equal(h.quantile(0.99), 99);
	assert.equal(h.quantile(1), 100);
	h.add(-5); // a sender clock ahead of ours
	assert.equal(h.counts[0], 1);
	h.add(10 * LAG_BUCKETS);
	assert.equal(h.counts[LAG_BUCKETS], 1);
	assert.equal(h.max, 10 * LAG_BUCKETS, 'the max is exact even past the last bucket');
	assert.equal(h.count, 102);
});

test('stats file: counters, lag of the applied events and snapshots, written at stop', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'celerytop-stats-'));
	try {
		const file = path.join(dir, 'stats.json');
		const store = new Store({now: T});
		let now = T;
		const stats = startStatsFile({
			path: file,
			store,
			received: () => 7,
			clock: () => now,
			intervalMs: 60_000,
		});
		const events = [
			{type: 'worker-heartbeat', hostname: 'w1@vm', timestamp: T, freq: 2},
			{type: 'task-received', hostname: 'w1@vm', timestamp: T + 0.5, uuid: 'a', name: 'add'},
		];
		now = T + 1;
		store.applyBatch(events, now);
		stats.onEvents(events); // applied 1000 ms and 500 ms after their timestamps
		store.flush(now);
		stats.stop();
		const written = JSON.parse(readFileSync(file, 'utf8'));
		assert.equal(written.messages, 7);
		assert.equal(written.events, 2);
		assert.equal(written.tasks, 1);
		assert.equal(written.workers, 1);
		assert.equal(written.snapshots, 1);
		assert.deepEqual(written.lagMs, {count: 2, p50: 500, p99: 1000, max: 1000});
		assert.equal(written.connection, 'connecting');
		assert.ok(written.memory.rss > 0);
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});
