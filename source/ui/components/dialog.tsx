import {Box, Text} from 'ink';
import {sanitize} from '../../protocol/sanitize.js';
import {stepText, type Modal, type Step} from '../modal.js';
import {keyFor, keyNamesOf} from '../../keys/text-keymap.js';
import {theme} from '../theme.js';

// The key names the dialog shows, from the keymap's dialog scope.
const YES = keyFor('dialog.yes', 'dialog');
const NO = keyFor('dialog.no', 'dialog');
const OK = keyFor('dialog.accept', 'dialog');
const CANCEL = keyFor('dialog.cancel', 'dialog');
const [PREV = '', PREV_2 = ''] = keyNamesOf('dialog.prev', 'dialog');
const [NEXT = '', NEXT_2 = ''] = keyNamesOf('dialog.next', 'dialog');

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
					<Text bold>{YES}</Text> {step.yes ?? 'yes'}
					{(step.alternatives ?? []).map((other) => (
						<Text key={other.key}>
							{'  '}
							<Text bold>{other.key}</Text> {sanitize(other.label)}
						</Text>
					))}
					{'  '}
					<Text bold>{NO}</Text>/<Text bold>{CANCEL}</Text> no
				</Text>
			) : null}
			{step.kind === 'prompt' || step.kind === 'typed' ? (
				<Text wrap="truncate-end">
					{'> '}
					{sanitize(modal.text)}
					<Text inverse> </Text>
					<Text dimColor>
						{step.kind === 'typed'
							? `  type ${sanitize(step.expected)} then ${OK} · anything else or ${CANCEL} cancels`
							: `  ${step.hint}  (${OK} ok · ${CANCEL} cancel)`}
					</Text>
				</Text>
			) : null}
			{step.kind === 'choice' ? (
				<Text wrap="truncate-end">
					{step.options.map((option, i) => (
						<Text key={option} inverse={i === modal.index}>{` ${i + 1} ${option} `}</Text>
					))}
					<Text dimColor>{`  (${PREV}/${NEXT} or ${PREV_2}/${NEXT_2}, ${OK} ok · ${CANCEL} cancel)`}</Text>
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
