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

	test('matches a Map-based model with string keys, growth, deletes and clears', () => {
		const capacity = 700; // slots grow 16 → 32 → … → 700
		const map = new LruMap<string, number>(capacity);
		const model = new Map<string, number>(); // insertion order = recency order
		let seed = 3;
		const next = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
		for (let step = 0; step < 60_000; step++) {
			const key = `6260cf19-${next(1_500)}`;
			const action = next(20);
			if (action === 0) {
				assert.equal(map.delete(key), model.delete(key), `delete ${step}`);
			} else if (action < 6) {
				const had = model.has(key);
				assert.equal(map.touch(key), had, `touch ${step}`);
				if (had) {
					const value = model.get(key)!;
					model.delete(key);
					model.set(key, value);
				}
			} else if (action < 9) {
				assert.equal(map.get(key), model.get(key), `get ${step}`);
				assert.equal(map.has(key), model.has(key));
			} else {
				const evicted = map.set(key, step);
				model.delete(key);
				model.set(key, step);
				let expected: [string, number] | undefined;
				if (model.size > capacity) {
					expected = model.entries().next().value!;
					model.delete(expected[0]);
				}
				assert.deepEqual(evicted, expected, `set ${step}`);
			}
			if (step === 30_000) {
				map.clear();
				model.clear();
			}
			assert.equal(map.size, model.size);
		}
		assert.deepEqual([...map.entries()], [...model.entries()]);
		assert.deepEqual(map.valuesNewestFirst(), [...model.values()].reverse());
	});

	test('number keys as a Map compares them: -0 is 0, NaN is NaN, 1 is not "1"', () => {
		const map = new LruMap<number | string, string>(10);
		map.set(0, 'zero');
		map.set(Number.NaN, 'nan');
		map.set(1.5, 'x');
		map.set('1', 'string one');
		map.set(1, 'one');
		assert.equal(map.get(-0), 'zero');
		assert.equal(map.get(Number.NaN), 'nan');
		assert.equal(map.get(1.5), 'x');
		assert.equal(map.get('1'), 'string one');
		assert.equal(map.get(1), 'one');
		assert.equal(map.size, 5);
		assert.throws(() => map.set({} as unknown as string, 'obj'), TypeError);
	});

	test('an entry costs about 40 bytes at capacity (a Map of touched entries: 73)', () => {
		v8.setFlagsFromString('--expose-gc');
		const gc = vm.runInNewContext('gc') as () => void;
		const used = (): number => {
			gc();
			gc();
			const m = process.memoryUsage();
			return m.heapUsed + m.arrayBuffers;
		};
		const keys = Array.from({length: 50_000}, (_, i) => `k${i}`);
		const before = used();
		const map = new LruMap<string, number>(keys.length);
		for (const key of keys) map.set(key, 1);
		for (let i = 0; i < 200_000; i++) map.touch(keys[(i * 7919) % keys.length]!);
		const perEntry = (used() - before) / keys.length;
		assert.ok(perEntry < 48, `${perEntry.toFixed(1)} bytes an entry`);
		assert.equal(map.size, keys.length);
	});

	test('rejects a capacity below 1', () => {
		assert.throws(() => new LruMap(0), RangeError);
	});
});
