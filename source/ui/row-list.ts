// Pure: what a list pane and its cursor need of the rows, so a pane draws a window of them without
// the whole list being copied each frame: the Tasks pane's rows come from an index of 100,000 tasks
// (task-index.ts), the others from plain arrays (which have this shape already).

/** The rows a pane shows, by position. */
export type RowList<T> = {
	readonly length: number;
	at(index: number): T | undefined;
	slice(start: number, end?: number): readonly T[];
};

/** The rows' keys, for the cursor (selection.ts): a held row is found by its key. */
export type KeyList = {
	readonly length: number;
	at(index: number): string | undefined;
	indexOf(key: string): number;
};

export const NO_ROWS: RowList<never> & KeyList = {
	length: 0,
	at: () => undefined,
	slice: () => [],
	indexOf: () => -1,
};
