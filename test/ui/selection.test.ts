// Pure cursor rules: a held row keeps its screen row while rows arrive above it; a row that goes
// hands the cursor to the nearest row, where it was last seen; an action holds the row it names.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	holdSelection,
	isFollowing,
	moveInList,
	reconcileSelection,
	resolveIndex,
	TOP,
	windowOf,
} from '../../source/ui/ui-state.js';

const list = (from: number, to: number) => Array.from({length: to - from + 1}, (_, i) => `t${to - i}`); // newest first

test('following the newest: row 1 whatever arrives', () => {
	assert.ok(isFollowing(TOP));
	assert.deepEqual(windowOf(TOP, list(1, 50), 10), {index: 0, offset: 0});
	assert.deepEqual(windowOf(TOP, list(1, 60), 10), {index: 0, offset: 0});
});

test('a held row keeps its screen row when rows are inserted above it', () => {
	const rows = 10;
	let selection = TOP;
	for (let i = 0; i < 4; i++) selection = moveInList(selection, list(1, 50), rows, 1);
	assert.equal(selection.key, 't46');
	assert.ok(!isFollowing(selection));
	const before = windowOf(selection, list(1, 50), rows);
	assert.deepEqual(before, {index: 4, offset: 0});
	const after = windowOf(selection, list(1, 57), rows); // seven newer tasks on top
	assert.equal(after.index, 11, 'still t46');
	assert.equal(after.index - after.offset, before.index - before.offset, 'on the same screen row');
	// A move from there starts from where the row is now.
	const down = moveInList(selection, list(1, 57), rows, 1);
	assert.equal(down.key, 't45');
	assert.equal(windowOf(down, list(1, 57), rows).index - windowOf(down, list(1, 57), rows).offset, 5);
});

test('a held row that goes: the nearest row to where it was last seen, then held', () => {
	const selection = {key: 't46', index: 4, offset: 0};
	const seen = {key: 't46', index: 11}; // last drawn at index 11 after seven arrivals
	const keys = list(1, 57).filter((k) => k !== 't46');
	assert.equal(resolveIndex(selection, keys, seen), 11, 'where it was last seen');
	assert.equal(resolveIndex(selection, keys), 4, 'without a sighting: where the cursor was put');
	const shown = windowOf(selection, keys, 10, seen);
	const next = reconcileSelection(selection, keys, shown);
	assert.deepEqual(next, {key: keys[11], index: 11, offset: shown.offset});
	assert.equal(reconcileSelection(selection, list(1, 57), windowOf(selection, list(1, 57), 10)), undefined);
	assert.equal(reconcileSelection(TOP, keys, {index: 0, offset: 0}), undefined, 'following: nothing to do');
	assert.equal(reconcileSelection(selection, [], {index: 0, offset: 0}), undefined, 'empty: keep the id');
	// Past the end (the oldest rows evicted): the last row.
	assert.equal(resolveIndex({key: 'gone', index: 40, offset: 35}, list(1, 10)), 9);
});

test('an action holds the row it names: following stops there', () => {
	const held = holdSelection(TOP, list(1, 5), 10);
	assert.deepEqual(held, {key: 't5', index: 0, offset: 0});
	assert.equal(resolveIndex(held, list(1, 8)), 3, 't5 after three arrivals');
	assert.equal(holdSelection(held, list(1, 5), 10), held, 'already held: the same object');
	assert.equal(holdSelection(TOP, [], 10), TOP, 'nothing to hold');
});
