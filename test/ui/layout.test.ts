import {test} from 'node:test';
import assert from 'node:assert/strict';
import {computeLayout, tooSmall} from '../../source/ui/layout.js';
import {scrollOffset} from '../../source/ui/hooks/use-scroll-window.js';
import {moveSelection, resolveIndex} from '../../source/ui/ui-state.js';

test('the layout fills the terminal but one row, at every size', () => {
	for (const rows of [20, 24, 40, 80]) {
		for (const workers of [0, 2, 50]) {
			for (const extra of [0, 1, 4]) {
				const l = computeLayout(rows, workers, extra);
				assert.equal(
					l.header + l.workers + l.tasks + l.stream + l.footer,
					rows - 1,
					`${rows} rows, ${workers} workers`,
				);
				assert.ok(l.tasks >= 5 && (l.stream === 0 || l.stream >= 5) && l.workers >= 5, JSON.stringify(l));
			}
		}
	}
	assert.ok(tooSmall(59, 40) && tooSmall(100, 19) && !tooSmall(60, 20));
});

test('the window keeps the cursor visible', () => {
	assert.equal(scrollOffset(0, 0, 10, 100), 0);
	assert.equal(scrollOffset(15, 0, 10, 100), 6);
	assert.equal(scrollOffset(3, 6, 10, 100), 3);
	assert.equal(scrollOffset(99, 0, 10, 100), 90);
	assert.equal(scrollOffset(5, 90, 10, 20), 5);
});

test('a selection holds its row as new rows arrive on top; back at the top it holds the first row', () => {
	const keys = ['c', 'b', 'a'];
	const moved = moveSelection({key: undefined, index: 0, offset: 0}, keys, 1);
	assert.equal(moved.key, 'b');
	assert.equal(resolveIndex(moved, ['d', 'c', 'b', 'a']), 2, 'still on b after d arrived');
	const top = moveSelection(moved, ['d', 'c', 'b', 'a'], 'top');
	assert.equal(top.key, 'd', 'a move never goes back to following: the first row is held');
	assert.equal(resolveIndex(top, ['e', 'd']), 1);
	assert.equal(resolveIndex({key: undefined, index: 0, offset: 0}, ['e', 'd']), 0, 'following: row 1');
});

test('squeezed by a dialog, the workers pane gives the tasks pane a row, unless the workers pane is focused', () => {
	// 20 rows, a dialog of 6 rows and a log line: 9 rows for the panes.
	const tasksFocused = computeLayout(20, 2, 7);
	assert.equal(tasksFocused.tasks, 5, JSON.stringify(tasksFocused));
	assert.equal(tasksFocused.workers + tasksFocused.tasks + tasksFocused.stream, 9);
	const workersFocused = computeLayout(20, 2, 7, 'workers');
	assert.equal(workersFocused.workers, 5, 'the worker a dialog names keeps its row');
	// Up to the largest footer: filter line, a log line and the tallest dialog (10 rows).
	for (const extra of [0, 4, 7, 9, 12]) {
		for (const focus of ['tasks', 'workers'] as const) {
			const l = computeLayout(20, 2, extra, focus);
			assert.equal(l.header + l.workers + l.tasks + l.stream + l.footer, 19, `extra ${extra}, ${focus}`);
			assert.ok(l.workers >= 0 && l.tasks >= 0, JSON.stringify(l));
		}
	}
});
