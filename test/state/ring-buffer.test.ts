import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {RingBuffer} from '../../source/state/ring-buffer.js';

describe('RingBuffer', () => {
	test('keeps the newest `capacity` items and counts every push', () => {
		const ring = new RingBuffer<number>(3);
		assert.deepEqual(ring.newestFirst(), []);
		for (let i = 1; i <= 5; i++) ring.push(i);
		assert.equal(ring.size, 3);
		assert.equal(ring.capacity, 3);
		assert.equal(ring.totalPushed, 5);
		assert.deepEqual(ring.newestFirst(), [5, 4, 3]);
		assert.deepEqual(ring.toArray(), [3, 4, 5]);
	});

	test('newestFirst honours a limit, before and after wrapping', () => {
		const ring = new RingBuffer<string>(4);
		ring.push('a');
		ring.push('b');
		assert.deepEqual(ring.newestFirst(1), ['b']);
		assert.deepEqual(ring.newestFirst(10), ['b', 'a']);
		for (const item of ['c', 'd', 'e', 'f', 'g']) ring.push(item);
		assert.deepEqual(ring.newestFirst(2), ['g', 'f']);
		assert.deepEqual(ring.newestFirst(), ['g', 'f', 'e', 'd']);
		assert.deepEqual(ring.newestFirst(0), []);
	});

	test('clear empties it and resets the count', () => {
		const ring = new RingBuffer<number>(2);
		ring.push(1);
		ring.push(2);
		ring.push(3);
		ring.clear();
		assert.equal(ring.size, 0);
		assert.equal(ring.totalPushed, 0);
		ring.push(9);
		assert.deepEqual(ring.newestFirst(), [9]);
	});
});
