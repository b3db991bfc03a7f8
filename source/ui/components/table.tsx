// Our table (ink-table 3.1.0 cannot load beside Ink 6: see README). Same data/columns idea;
// renders only the rows in view, one line per row, each cell cut to its column width.
import {Box, Text} from 'ink';
import {fit} from '../format.js';
import {sanitize} from '../../protocol/sanitize.js';

export type Column<T> = {
	readonly key: string;
	readonly header: string;
	/** Fixed width, or 'flex' to share what is left. */
	readonly width: number | 'flex';
	readonly minWidth?: number;
	readonly align?: 'left' | 'right';
	readonly value: (row: T) => string;
	readonly color?: (row: T) => string | undefined;
};

type Props<T> = {
	readonly rows: readonly T[];
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

/** Column widths for a total width: fixed ones as given, flex ones share the rest. */
export function layoutColumns<T>(columns: ReadonlyArray<Column<T>>, width: number): number[] {
	const gaps = Math.max(0, columns.length - 1);
	const fixed = columns.reduce((sum, c) => sum + (c.width === 'flex' ? 0 : c.width), 0);
	const flexCount = columns.filter((c) => c.width === 'flex').length;
	const left = Math.max(0, width - fixed - gaps);
	const share = flexCount > 0 ? Math.floor(left / flexCount) : 0;
	let extra = flexCount > 0 ? left - share * flexCount : 0;
	return columns.map((c) => {
		if (c.width !== 'flex') return c.width;
		const w = share + (extra > 0 ? 1 : 0);
		if (extra > 0) extra--;
		return Math.max(c.minWidth ?? 0, w);
	});
}

export function Table<T>({
	rows,
	columns,
	width,
	height,
	offset,
	selected,
	focused,
	rowKey,
	emptyText,
}: Props<T>) {
	const widths = layoutColumns(columns, width);
	const visible = rows.slice(offset, offset + Math.max(0, height));
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
