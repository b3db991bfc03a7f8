import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import {theme} from '../theme.js';

type Props = {
	readonly title: string;
	readonly focused: boolean;
	readonly width: number;
	readonly height: number;
	/** Right side of the title line: counts, position. */
	readonly info?: string;
	readonly children: ReactNode;
};

/** A bordered box with a title; the focused pane's border is coloured. */
export function Pane({title, focused, width, height, info, children}: Props) {
	return (
		<Box
			flexDirection="column"
			width={width}
			height={height}
			borderStyle="round"
			borderColor={focused ? theme.focus : theme.border}
			paddingX={1}
			overflow="hidden"
		>
			<Box justifyContent="space-between" height={1} flexShrink={0}>
				<Text bold color={focused ? theme.focus : undefined} wrap="truncate-end">
					{title}
				</Text>
				{info ? (
					<Box flexShrink={0} marginLeft={1}>
						<Text dimColor>{info}</Text>
					</Box>
				) : null}
			</Box>
			{/* Content taller than the pane is cut at the bottom, never squeezed. */}
			<Box flexDirection="column" flexShrink={0}>
				{children}
			</Box>
		</Box>
	);
}
