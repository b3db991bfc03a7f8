import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {CHUNK, SortedList} from '../../source/state/sorted-list.js';
import {random} from '../helpers/random.js';

type Item = {readonly key: number; readonly id: number};
const byKey = (a: Item, b: Item) => a.key - b.key || a.id - b.id;

describe('SortedList', () => {
	test('keeps every operation equal to a sorted array across thousands of random inserts and deletes', () => {
		const next = random(15);
		const list = new SortedList<Item>(byKey);
		let model: Item[] = [];
		let id = 0;
		for (let round = 0; round < 20_000; round++) {
			if (model.length > 0 && next() < 0.4) {
				const victim = model[Math.floor(next() * model.length)]!;
				assert.equal(list.delete(victim), true);
				model = model.filter((item) => item !== victim);
			} else {
				const item = {key: Math.floor(next() * 500), id: id++};
				list.insert(item);
				model.push(item);
				model.sort(byKey);
			}
			if (round % 997 === 0 || round === 19_999) {
				assert.equal(list.length, model.length);
				assert.deepEqual([...list], model);
				const probe = Math.floor(next() * model.length);
				assert.equal(list.at(probe), model[probe]);
				if (model.length > 0) assert.equal(list.indexOf(model[probe]!), probe);
				assert.deepEqual(list.slice(probe, probe + 40), model.slice(probe, probe + 40));
			}
		}
		assert.ok(model.length > 3 * CHUNK, `spans several chunks (${model.length} items)`);
	});

	test('finds nothing that is not there; out-of-range positions give undefined', () => {
		const list = SortedList.fromSorted(
			[1, 2, 3].map((key) => ({key, id: key})),
			byKey,
		);
		assert.equal(list.delete({key: 2, id: 99}), false);
		assert.equal(list.indexOf({key: 4, id: 4}), -1);
		assert.equal(list.at(3), undefined);
		assert.equal(list.at(-1), undefined);
		assert.deepEqual(list.slice(2, 10), [{key: 3, id: 3}]);
		assert.deepEqual(list.slice(5, 10), []);
		assert.equal(new SortedList<Item>(byKey).delete({key: 1, id: 1}), false);
	});

	test('a list built from a sorted array of 100,000 answers at, indexOf and slice like the array', () => {
		const items = Array.from({length: 100_000}, (_, i) => ({key: i, id: i}));
		const list = SortedList.fromSorted(items, byKey);
		assert.equal(list.length, 100_000);
		assert.equal(list.at(54_321), items[54_321]);
		assert.equal(list.indexOf(items[99_999]!), 99_999);
		list.insert({key: 50_000, id: -1});
		assert.equal(list.indexOf({key: 50_000, id: -1}), 50_000);
		assert.equal(list.at(50_001), items[50_000]);
	});
});
