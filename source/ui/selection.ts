// Pure: a list's cursor (a Selection) and its arithmetic: where it is, how it moves, which window of
// rows shows it. The Celery panes and the Redis views' lists share it.
import {scrollOffset} from './hooks/use-scroll-window.js';
import type {KeyList} from './row-list.js';

/**
 * A list's cursor. With no key it follows the newest: it stays on the first row whatever arrives
 * (the panes say so). With a key it holds that row (a task id, a worker, an event) wherever the
 * row moves; `index` is where the row was when the cursor moved, and `index - offset` the screen
 * row it keeps while rows are inserted above it.
 */
export type Selection = {readonly key: string | undefined; readonly index: number; readonly offset: number};

/** Is this selection following the newest (the first row), rather than holding a row? */
export function isFollowing(selection: Selection): boolean {
	return selection.key === undefined;
}

export const TOP: Selection = {key: undefined, index: 0, offset: 0};

/** Where a held row was last seen on screen: the nearest row when it goes. */
export type Seen = {readonly key: string; readonly index: number};

/** Where the selection is now in `keys` (the pane's current row keys). */
export function resolveIndex(selection: Selection, keys: KeyList, seen?: Seen): number {
	if (keys.length === 0) return 0;
	if (selection.key !== undefined) {
		const found = keys.indexOf(selection.key);
		if (found !== -1) return found;
		// The row went (evicted, filtered out): the row nearest to where it was last seen.
		const last = seen?.key === selection.key ? seen.index : selection.index;
		return Math.min(last, keys.length - 1);
	}
	return Math.min(selection.index, keys.length - 1);
}

/** Move a pane's cursor by `delta` rows ('top'/'bottom' for the ends): it then holds that row. */
export function moveSelection(
	selection: Selection,
	keys: KeyList,
	delta: number | 'top' | 'bottom',
	seen?: Seen,
): Selection {
	if (keys.length === 0) return selection;
	const current = resolveIndex(selection, keys, seen);
	const target =
		delta === 'top'
			? 0
			: delta === 'bottom'
				? keys.length - 1
				: Math.max(0, Math.min(keys.length - 1, current + delta));
	// Any move leaves "following newest", the first row too (the follow key goes back to it).
	return {key: keys.at(target), index: target, offset: selection.offset};
}

/** Hold the row the cursor is on now (an action names it: the cursor must not slide off it). */
export function holdSelection(selection: Selection, keys: KeyList, rows: number, seen?: Seen): Selection {
	if (keys.length === 0) return selection;
	const {index, offset} = windowOf(selection, keys, rows, seen);
	if (selection.key === keys.at(index) && selection.index === index && selection.offset === offset)
		return selection;
	return {key: keys.at(index), index, offset};
}

/** Move a list's cursor and keep it in a window of `rows` visible rows. */
export function moveInList(
	current: Selection,
	keys: KeyList,
	rows: number,
	delta: number | 'top' | 'bottom',
	seen?: Seen,
): Selection {
	const currentOffset = windowOf(current, keys, rows, seen).offset;
	const moved = moveSelection(current, keys, delta, seen);
	return {...moved, offset: scrollOffset(moved.index, currentOffset, rows, keys.length)};
}

/**
 * Where a list's cursor is and which row is shown first, for rendering. A held row keeps its place
 * on screen: rows inserted above it scroll the window, they do not push the cursor down.
 */
export function windowOf(
	selection: Selection,
	keys: KeyList,
	rows: number,
	seen?: Seen,
): {readonly index: number; readonly offset: number} {
	const index = resolveIndex(selection, keys, seen);
	const onScreen = selection.index - selection.offset;
	const wanted = selection.key === undefined ? selection.offset : Math.max(0, index - onScreen);
	return {index, offset: scrollOffset(index, wanted, rows, keys.length)};
}

/**
 * The selection once its held row has gone (evicted, filtered out): it holds the nearest row, the
 * one `shown` (windowOf) put the cursor on. Undefined when nothing changes (the row is there, the
 * cursor follows, or the list is empty).
 */
export function reconcileSelection(
	selection: Selection,
	keys: KeyList,
	shown: {readonly index: number; readonly offset: number},
): Selection | undefined {
	if (selection.key === undefined || keys.length === 0 || keys.at(shown.index) === selection.key)
		return undefined;
	return {key: keys.at(shown.index), index: shown.index, offset: shown.offset};
}
