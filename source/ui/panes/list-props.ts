import type {RowList} from '../row-list.js';

/** What every list pane gets from the app: its rows (already filtered) and its window. */
export type ListProps<T> = {
	/** An array, or an index read by position: a pane reads only the window it draws. */
	readonly rows: Pick<RowList<T>, 'length' | 'slice'>;
	readonly selected: number;
	readonly offset: number;
	readonly width: number;
	readonly height: number;
	readonly focused: boolean;
	readonly info?: string;
	readonly now: number;
};

/** Lines a bordered list pane has for rows: border 2, title 1, table header 1. */
export function rowsInPane(height: number): number {
	return Math.max(0, height - 4);
}
