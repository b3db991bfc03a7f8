import {Box, Text} from 'ink';
import {sanitize} from '../../protocol/sanitize.js';
import type {Modal} from '../modal.js';

/** The dialog on top of the footer: a confirmation, a prompt or a choice. */
export function Dialog({modal, width}: {readonly modal: Modal; readonly width: number}) {
	const step = modal.steps[0];
	if (!step) return null;
	const danger = step.kind === 'confirm' || step.kind === 'typed';
	return (
		<Box
			flexDirection="column"
			width={width}
			borderStyle="double"
			borderColor={danger ? 'red' : 'yellow'}
			paddingX={1}
		>
			<Box height={2} overflow="hidden">
				<Text bold color={danger ? 'red' : 'yellow'} wrap="wrap">
					{sanitize(step.title)}
				</Text>
			</Box>
			{step.kind === 'confirm' ? (
				<Text>
					<Text bold>y</Text> yes <Text bold>n</Text>/<Text bold>Esc</Text> no
				</Text>
			) : null}
			{step.kind === 'prompt' || step.kind === 'typed' ? (
				<Text wrap="truncate-end">
					{'> '}
					{sanitize(modal.text)}
					<Text inverse> </Text>
					<Text dimColor>
						{step.kind === 'typed'
							? `  type ${sanitize(step.expected)} then Enter · anything else or Esc cancels`
							: `  ${step.hint}  (Enter ok · Esc cancel)`}
					</Text>
				</Text>
			) : null}
			{step.kind === 'choice' ? (
				<Text wrap="truncate-end">
					{step.options.map((option, i) => (
						<Text key={option} inverse={i === modal.index}>{` ${i + 1} ${option} `}</Text>
					))}
					<Text dimColor>{'  (←/→ or j/k, Enter ok · Esc cancel)'}</Text>
				</Text>
			) : null}
		</Box>
	);
}

/** Lines the dialog takes on screen. */
export function dialogRows(modal: Modal | undefined): number {
	if (!modal || modal.steps.length === 0) return 0;
	return 5; // border 2, title (two lines), body
}
