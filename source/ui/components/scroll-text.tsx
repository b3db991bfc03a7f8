import {Box, Text} from 'ink';
import {sanitize} from '../../protocol/sanitize.js';
import {theme} from '../theme.js';
import {overlayRows, type Line} from './overlay-lines.js';
import {Pane} from './pane.js';

export {overlayRows, type Line} from './overlay-lines.js';

type Props = {
	readonly title: string;
	readonly lines: readonly Line[];
	readonly offset: number;
	readonly width: number;
	readonly height: number;
	readonly info?: string;
};

/** A scrollable full-screen text view (task detail, help). Text is sanitized: escapes stay inert. */
export function ScrollText({title, lines, offset, width, height, info}: Props) {
	const rows = overlayRows(height);
	const start = Math.max(0, Math.min(offset, lines.length - rows));
	const position =
		lines.length > rows ? `${start + 1}-${Math.min(lines.length, start + rows)} of ${lines.length}` : '';
	return (
		<Pane
			title={title}
			focused
			width={width}
			height={height}
			info={[info, position].filter(Boolean).join('  ')}
		>
			<Box flexDirection="column">
				{lines.slice(start, start + rows).map((line, i) => (
					<Text key={start + i} wrap="truncate-end" color={line.color} bold={line.bold}>
						{line.label === undefined ? (
							sanitize(line.text)
						) : (
							<>
								<Text color={theme.accent}>{line.label.padEnd(12)}</Text>
								{sanitize(line.text)}
							</>
						)}
					</Text>
				))}
			</Box>
		</Pane>
	);
}
