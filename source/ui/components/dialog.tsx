import {Box, Text} from 'ink';
import {sanitize} from '../../protocol/sanitize.js';
import {stepText, type Modal, type Step} from '../modal.js';
import {theme} from '../theme.js';

const TITLE_LINES = 3;
const DETAIL_LINES = 4;

/** Lines `text` takes wrapped at word boundaries to `width` (as Ink wraps), at most `cap`. */
export function wrappedLines(text: string, width: number, cap: number): number {
	if (text === '') return 0;
	const room = Math.max(1, width);
	let lines = 1;
	let used = 0;
	for (const word of text.split(/\s+/).filter(Boolean)) {
		const length = [...word].length;
		if (used === 0) used = length;
		else if (used + 1 + length <= room) used += 1 + length;
		else {
			lines++;
			used = length;
		}
		while (used > room) {
			lines++;
			used -= room;
		}
	}
	return Math.min(cap, lines);
}

function texts(modal: Modal, step: Step): {title: string; detail: string} {
	return {
		title: sanitize(stepText(step.title, modal.action)),
		detail: sanitize('detail' in step ? stepText(step.detail, modal.action) : ''),
	};
}

/** The dialog on top of the footer: a confirmation, a prompt or a choice. */
export function Dialog({modal, width}: {readonly modal: Modal; readonly width: number}) {
	const step = modal.steps[0];
	if (!step) return null;
	const danger = step.kind === 'confirm' || step.kind === 'typed';
	const {title, detail} = texts(modal, step);
	const inner = width - 4;
	return (
		<Box
			flexDirection="column"
			width={width}
			borderStyle="double"
			borderColor={danger ? theme.danger : theme.dialog}
			paddingX={1}
		>
			<Box height={Math.max(1, wrappedLines(title, inner, TITLE_LINES))} overflow="hidden">
				<Text bold color={danger ? theme.danger : theme.dialog} wrap="wrap">
					{title}
				</Text>
			</Box>
			{detail ? (
				<Box height={wrappedLines(detail, inner, DETAIL_LINES)} overflow="hidden">
					<Text wrap="wrap">{detail}</Text>
				</Box>
			) : null}
			{step.kind === 'confirm' ? (
				<Text wrap="truncate-end">
					<Text bold>y</Text> {step.yes ?? 'yes'}
					{(step.alternatives ?? []).map((other) => (
						<Text key={other.key}>
							{'  '}
							<Text bold>{other.key}</Text> {sanitize(other.label)}
						</Text>
					))}
					{'  '}
					<Text bold>n</Text>/<Text bold>Esc</Text> no
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

/** Lines the dialog takes on screen at `width`: border 2, title, detail, the key line. */
export function dialogRows(modal: Modal | undefined, width: number): number {
	const step = modal?.steps[0];
	if (!modal || !step) return 0;
	const {title, detail} = texts(modal, step);
	const inner = width - 4;
	return (
		2 + Math.max(1, wrappedLines(title, inner, TITLE_LINES)) + wrappedLines(detail, inner, DETAIL_LINES) + 1
	);
}
