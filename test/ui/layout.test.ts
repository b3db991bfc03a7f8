import {test} from 'node:test';
import assert from 'node:assert/strict';
import {computeLayout, FOLD_WORKERS_BELOW, tooSmall} from '../../source/ui/layout.js';
import {rowsInPane} from '../../source/ui/panes/list-props.js';
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
				// The list not focused: a pane of at least two rows, or folded into one line.
				assert.ok(
					l.tasks >= 5 && (l.otherFolded ? l.stream === 1 : l.stream === 0 || l.stream >= 6),
					JSON.stringify(l),
				);
				assert.ok(l.workersFolded ? l.workers === 1 : l.workers >= 5, JSON.stringify(l));
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
	// The workers fold into their one-line summary: the tasks pane gets the other 8 rows.
	assert.equal(tasksFocused.workersFolded, true);
	assert.equal(tasksFocused.tasks, 8, JSON.stringify(tasksFocused));
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

test('at 80×24 the focused pane gets the room: 10 task rows, the workers folded into one line', () => {
	const tasks = computeLayout(24, 2, 0, 'tasks');
	assert.equal(tasks.workersFolded, true);
	assert.equal(tasks.workers, 1);
	assert.ok(rowsInPane(tasks.tasks) >= 10, `${rowsInPane(tasks.tasks)} task rows`);
	assert.ok(tasks.otherFolded && tasks.stream === 1, 'the events fold into one line (the newest event)');
	// With the queue-depth line too, still at least 10 task rows.
	assert.ok(rowsInPane(computeLayout(24, 2, 0, 'tasks', true).tasks) >= 10);
	const stream = computeLayout(24, 2, 0, 'stream');
	assert.ok(rowsInPane(stream.stream) >= 10, 'focused, the events pane gets the room');
	assert.ok(stream.otherFolded && stream.tasks === 1, 'and the tasks fold into one line');
	// Focused, the workers pane opens; the tasks pane keeps rows.
	const workers = computeLayout(24, 2, 0, 'workers');
	assert.equal(workers.workersFolded, false);
	assert.ok(rowsInPane(workers.workers) >= 2 && rowsInPane(workers.tasks) >= 1, JSON.stringify(workers));
	// Tall enough, nothing folds.
	const tall = computeLayout(FOLD_WORKERS_BELOW + 4, 2, 0, 'tasks');
	assert.equal(tall.workersFolded, false);
	assert.ok(tall.workers >= 5);
});
