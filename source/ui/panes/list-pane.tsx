// The one list pane the Celery panes share: a bordered pane with a title and info, the table of the
// rows in its window (the app gives `offset` and `selected`), and a line for when there is none.
// A pane is its columns, its row key and its texts (workers.tsx, tasks.tsx, task-stream.tsx).
import {Pane} from '../components/pane.js';
import {Table, type Column} from '../components/table.js';
import {fit} from '../format.js';
import {rowsInPane, type ListProps} from './list-props.js';

/** The title's suffix while the cursor stays on the newest row (row 1) rather than holding one. */
export const FOLLOWING = 'following newest';

type Props<T> = Omit<ListProps<T>, 'now'> & {
	readonly title: string;
	/** Adds ` · following newest` to the title. */
	readonly following?: boolean;
	/** The columns for the table's width (the pane's width less its border and padding). */
	readonly columns: (innerWidth: number) => ReadonlyArray<Column<T>>;
	readonly rowKey: (row: T) => string;
	readonly emptyText: string;
	/** Cut the empty text to one line (ending in …) instead of letting Ink wrap it. */
	readonly fitEmptyText?: boolean;
};

export function ListPane<T>(props: Props<T>) {
	const {rows, selected, offset, width, height, focused, info, title, following, emptyText} = props;
	const innerWidth = width - 4;
	return (
		<Pane
			title={following ? `${title} · ${FOLLOWING}` : title}
			focused={focused}
			width={width}
			height={height}
			info={info}
		>
			<Table
				rows={rows}
				columns={props.columns(innerWidth)}
				width={innerWidth}
				height={rowsInPane(height)}
				offset={offset}
				selected={selected}
				focused={focused}
				rowKey={props.rowKey}
				emptyText={props.fitEmptyText ? fit(emptyText, innerWidth) : emptyText}
			/>
		</Pane>
	);
}
