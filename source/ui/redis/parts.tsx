// Small pieces the Redis views share: coloured text lines, a list's window, a table's inner width.
import {Text} from 'ink';
import {resolveIndex, windowOf, type Selection} from '../ui-state.js';
import {toneColor, type ListModel, type TextLine} from './model.js';

/** Text lines (already sanitized by the model), one row each, cut at the edge. */
export function Lines({lines}: {readonly lines: readonly TextLine[]}) {
	return (
		<>
			{lines.map((line, i) => (
				<Text key={i} color={toneColor(line.tone)} wrap="truncate-end">
					{line.text || ' '}
				</Text>
			))}
		</>
	);
}

/** Props for <Table/> from a list model and its selection. */
export function listWindow(list: ListModel, selection: Selection) {
	const {index, offset} = windowOf(selection, list.keys, list.rows);
	return {height: list.rows, selected: list.keys.length === 0 ? -1 : index, offset};
}

/** "3/12" for a pane's title line. */
export function position(list: ListModel, selection: Selection): string {
	if (list.keys.length === 0) return '0/0';
	return `${resolveIndex(selection, list.keys) + 1}/${list.keys.length}`;
}

/** The width a table gets inside a bordered pane with padding. */
export const inner = (width: number) => Math.max(10, width - 4);
