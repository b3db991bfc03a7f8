// Our table (ink-table 3.1.0 cannot load beside Ink 6: see README). Same data/columns idea;
// renders only the rows in view, one line per row, each cell cut to its column width.
import {Box, Text} from 'ink';
import {cellWidth, fit} from '../format.js';
import {sanitize} from '../../protocol/sanitize.js';
import type {RowList} from '../row-list.js';

export type Column<T> = {
	readonly key: string;
	readonly header: string;
	/**
	 * Fixed width; 'content' for the widest of its header and the rows shown (within minWidth and
	 * maxWidth); 'flex' to take what is left (at least minWidth).
	 */
	readonly width: number | 'flex' | 'content';
	readonly minWidth?: number;
	readonly maxWidth?: number;
	/**
	 * Unset: always shown. Otherwise shown when the width allows, the lowest number first; a column
	 * that does not fit is left out whole, never cut.
	 */
	readonly priority?: number;
	/** An optional column with nothing to show in the rows drawn is left out (ETA, retries). */
	readonly hideEmpty?: boolean;
	readonly align?: 'left' | 'right';
	readonly value: (row: T) => string;
	readonly color?: (row: T) => string | undefined;
};

type Props<T> = {
	/** All rows (an array, or an index read by position): only the window drawn is read. */
	readonly rows: Pick<RowList<T>, 'length' | 'slice'>;
	readonly columns: ReadonlyArray<Column<T>>;
	readonly width: number;
	/** Lines for the rows (the header line is extra). */
	readonly height: number;
	/** Index of the first row shown. */
	readonly offset: number;
	/** Selected row index, or -1. */
	readonly selected: number;
	readonly focused: boolean;
	readonly rowKey: (row: T) => string;
	readonly emptyText?: string;
};

/** The width a column wants: fixed as given, 'content' from its header and `rows`, 'flex' its least. */
function wanted<T>(column: Column<T>, rows: readonly T[]): number {
	if (typeof column.width === 'number') return column.width;
	const least = column.minWidth ?? 0;
	if (column.width === 'flex') return least;
	let widest = cellWidth(column.header);
	for (const row of rows) widest = Math.max(widest, cellWidth(sanitize(column.value(row))));
	return Math.max(least, Math.min(column.maxWidth ?? Number.POSITIVE_INFINITY, widest));
}

/**
 * The columns shown and their widths for a total width: the columns without a priority always, then
 * the others by priority while they fit whole; what is left goes to the flex columns.
 */
export function layoutColumns<T>(
	columns: ReadonlyArray<Column<T>>,
	width: number,
	rows: readonly T[] = [],
): {readonly columns: ReadonlyArray<Column<T>>; readonly widths: readonly number[]} {
	const sizes = new Map(columns.map((c) => [c, wanted(c, rows)]));
	const shown = new Set(columns.filter((c) => c.priority === undefined));
	let used = [...shown].reduce((sum, c) => sum + sizes.get(c)!, 0) + Math.max(0, shown.size - 1);
	const optional = columns.filter((c) => c.priority !== undefined).sort((a, b) => a.priority! - b.priority!);
	for (const c of optional) {
		if (c.hideEmpty && !rows.some((row) => c.value(row) !== '')) continue;
		const extra = sizes.get(c)! + (shown.size > 0 ? 1 : 0);
		if (used + extra > width) continue;
		shown.add(c);
		used += extra;
	}
	const kept = columns.filter((c) => shown.has(c));
	const flex = kept.filter((c) => c.width === 'flex');
	const left = Math.max(0, width - used);
	const share = flex.length > 0 ? Math.floor(left / flex.length) : 0;
	let extra = flex.length > 0 ? left - share * flex.length : 0;
	const widths = kept.map((c) => {
		const size = sizes.get(c)!;
		if (c.width !== 'flex') return size;
		const w = size + share + (extra > 0 ? 1 : 0);
		if (extra > 0) extra--;
		return w;
	});
	return {columns: kept, widths};
}

export function Table<T>({
	rows,
	columns: all,
	width,
	height,
	offset,
	selected,
	focused,
	rowKey,
	emptyText,
}: Props<T>) {
	const visible = rows.slice(offset, offset + Math.max(0, height));
	const laid = layoutColumns(all, width, visible);
	const {columns, widths} = laid;
	return (
		<Box flexDirection="column" width={width}>
			<Text bold wrap="truncate-end">
				{columns
					.map((c, i) => fit(c.header, widths[i]!, c.align) + (i < columns.length - 1 ? ' ' : ''))
					.join('')}
			</Text>
			{visible.length === 0 ? (
				<Text dimColor>{emptyText ?? ''}</Text>
			) : (
				visible.map((row, i) => {
					const isSelected = offset + i === selected;
					return (
						<Text
							key={rowKey(row)}
							inverse={isSelected && focused}
							bold={isSelected && !focused}
							wrap="truncate-end"
						>
							{columns.map((c, j) => (
								<Text key={c.key} color={isSelected && focused ? undefined : c.color?.(row)}>
									{fit(sanitize(c.value(row)), widths[j]!, c.align) + (j < columns.length - 1 ? ' ' : '')}
								</Text>
							))}
						</Text>
					);
				})
			)}
		</Box>
	);
}
