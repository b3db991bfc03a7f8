/** What every list pane gets from the app: its rows (already filtered) and its window. */
export type ListProps<T> = {
	readonly rows: readonly T[];
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
