import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import {LruMap} from '../../source/state/lru-map.js';

describe('LruMap', () => {
	test('set evicts the least recently used entry past capacity and returns it', () => {
		const map = new LruMap<string, number>(3);
		assert.equal(map.set('a', 1), undefined);
		assert.equal(map.set('b', 2), undefined);
		assert.equal(map.set('c', 3), undefined);
		assert.deepEqual(map.set('d', 4), ['a', 1]);
		assert.deepEqual([...map.keys()], ['b', 'c', 'd']);
		assert.equal(map.size, 3);
	});

	test('get does not reorder; touch moves to the newest end', () => {
		const map = new LruMap<string, number>(3);
		map.set('a', 1);
		map.set('b', 2);
		map.set('c', 3);
		assert.equal(map.get('a'), 1);
		assert.deepEqual([...map.keys()], ['a', 'b', 'c']);
		assert.equal(map.touch('a'), true);
		assert.equal(map.touch('zz'), false);
		assert.deepEqual([...map.keys()], ['b', 'c', 'a']);
		assert.deepEqual(map.set('d', 4), ['b', 2]);
	});

	test('set on an existing key replaces and refreshes it without evicting', () => {
		const map = new LruMap<string, number>(2);
		map.set('a', 1);
		map.set('b', 2);
		assert.equal(map.set('a', 10), undefined);
		assert.deepEqual([...map.values()], [2, 10]);
		assert.deepEqual(map.set('c', 3), ['b', 2]);
	});

	test('valuesNewestFirst, with and without a limit', () => {
		const map = new LruMap<number, string>(10);
		for (let i = 0; i < 5; i++) map.set(i, `v${i}`);
		map.touch(1);
		assert.deepEqual(map.valuesNewestFirst(), ['v1', 'v4', 'v3', 'v2', 'v0']);
		assert.deepEqual(map.valuesNewestFirst(2), ['v1', 'v4']);
		assert.deepEqual(map.valuesNewestFirst(0), []);
		assert.deepEqual([...map.values()], ['v0', 'v2', 'v3', 'v4', 'v1']);
	});

	test('delete and clear; the map keeps evicting correctly afterwards', () => {
		const map = new LruMap<string, number>(2);
		map.set('a', 1);
		map.set('b', 2);
		assert.equal(map.delete('b'), true);
		assert.equal(map.delete('b'), false);
		map.set('c', 3);
		assert.deepEqual(map.set('d', 4), ['a', 1]);
		map.clear();
		assert.equal(map.size, 0);
		map.set('x', 1);
		map.set('y', 2);
		assert.deepEqual(map.set('z', 3), ['x', 1]);
	});

	test('eviction order matches a reference model under random churn', () => {
		const capacity = 50;
		const map = new LruMap<number, number>(capacity);
		const model: number[] = []; // keys oldest → newest
		let seed = 1;
		for (let step = 0; step < 20_000; step++) {
			seed = (seed * 48271) % 2147483647;
			const key = seed % 120;
			const action = seed % 7;
			if (action === 0) {
				assert.equal(map.delete(key), model.includes(key));
				if (model.includes(key)) model.splice(model.indexOf(key), 1);
			} else if (action < 3 && model.includes(key)) {
				map.touch(key);
				model.splice(model.indexOf(key), 1);
				model.push(key);
			} else {
				const evicted = map.set(key, step);
				if (model.includes(key)) model.splice(model.indexOf(key), 1);
				model.push(key);
				const expected = model.length > capacity ? model.shift() : undefined;
				assert.equal(evicted?.[0], expected, `step ${step}`);
			}
		}
		assert.deepEqual([...map.keys()], model);
	});

	test('long runs of touches without eviction (the iterator is dropped and remade) keep exact order', () => {
		const capacity = 300;
		const map = new LruMap<string, number>(capacity);
		const model: string[] = [];
		let seed = 7;
		const next = (): number => (seed = (seed * 48271) % 2147483647);
		for (let round = 0; round < 5; round++) {
			// Thousands of touches (several table rehashes, no eviction), then a burst of new keys.
			for (let i = 0; i < 3_000 && model.length > 0; i++) {
				const key = model[next() % model.length]!;
				assert.equal(map.touch(key), true);
				model.splice(model.indexOf(key), 1);
				model.push(key);
			}
			for (let i = 0; i < 200; i++) {
				const key = `r${round}k${i}`;
				const evicted = map.set(key, i);
				model.push(key);
				assert.equal(evicted?.[0], model.length > capacity ? model.shift() : undefined, key);
			}
			if (round === 2) assert.equal(map.delete(model.splice(10, 1)[0]!), true);
		}
		assert.deepEqual([...map.keys()], model);
	});

	test('touches without evictions retain no memory (a long-lived iterator pinned old tables)', () => {
		v8.setFlagsFromString('--expose-gc');
		const gc = vm.runInNewContext('gc') as () => void;
		const map = new LruMap<string, number>(5_000); // like the workers map: never full
		const keys = Array.from({length: 100}, (_, i) => `celery@w${i}`);
		for (const key of keys) map.set(key, 0);
		const heapUsed = (): number => (gc(), gc(), process.memoryUsage().heapUsed);
		const before = heapUsed();
		for (let i = 0; i < 1_000_000; i++) map.touch(keys[i % 97]!);
		const grown = heapUsed() - before;
		// With the pinned chain of tables it grew by about 45 MB; what is left now is noise.
		assert.ok(grown < 2_000_000, `heap grew by ${grown} bytes`);
		assert.equal(map.size, 100);
	});

	test('touch re-inserts the key it is given (pass the stored one)', () => {
		const map = new LruMap<string, number>(4);
		const stored = ['task', 'id'].join('-');
		map.set(stored, 1);
		map.set('other', 2);
		const copy = ['task', 'id'].join('-'); // equal, another string
		assert.equal(map.touch(copy), true);
		assert.deepEqual([...map.keys()], ['other', 'task-id']);
	});

	test('rejects a capacity below 1', () => {
		assert.throws(() => new LruMap(0), RangeError);
	});
});
