import {Text} from 'ink';
import type {Scope} from '../../keys/keymap.js';
import {displayKey} from '../../keys/keymap.js';
import {footerHints, type Hint} from '../../keys/match.js';
import {keyFor} from '../../keys/text-keymap.js';
import {theme} from '../theme.js';

type Props = {
	readonly scopes: readonly Scope[];
	readonly readOnly: boolean;
	/** Columns the footer has: the hints that fit, most specific first, then `? more`. */
	readonly width: number;
};

const READ_ONLY = 'read-only ';
const keysText = (hint: Hint) => hint.keys.slice(0, 2).map(displayKey).join('/');

/** Always shown, after the pane's keys: how to leave. */
const PINNED: ReadonlySet<string> = new Set(['app.quit']);

const costOf = (hints: readonly Hint[]) =>
	hints.reduce((n, h, i) => n + (i > 0 ? 2 : 0) + keysText(h).length + 1 + h.label.length, 0);

/**
 * The hints that fit in `width` columns: the focused pane's first (the order given), then quit, then
 * `? more` when some were left out (the help overlay lists them all).
 */
export function fitHints(all: readonly Hint[], width: number): {shown: Hint[]; more: boolean} {
	if (costOf(all) <= width) return {shown: [...all], more: false};
	const pinned = all.filter((h) => PINNED.has(h.id));
	// Cut: `? more` takes the place of `? help`.
	const rest = all.filter((h) => !PINNED.has(h.id) && h.id !== 'help.toggle');
	const more = `${keyFor('help.toggle')} more`.length;
	const shown: Hint[] = [];
	for (const hint of rest) {
		if (costOf([...shown, hint, ...pinned]) + 2 + more > width) break;
		shown.push(hint);
	}
	return {shown: [...shown, ...pinned], more: true};
}

/** Key hints for the focused pane, generated from the keymap; under --read-only control keys show as off. */
export function StatusBar({scopes, readOnly, width}: Props) {
	const {shown: hints, more} = fitHints(footerHints(scopes), width - (readOnly ? READ_ONLY.length : 0));
	return (
		<Text wrap="truncate-end">
			{readOnly ? <Text color={theme.warning}>{READ_ONLY}</Text> : null}
			{hints.map((hint, i) => {
				const off = readOnly && hint.control;
				return (
					<Text key={hint.label} dimColor={off} strikethrough={off}>
						<Text bold color={off ? theme.muted : theme.accent}>
							{keysText(hint)}
						</Text>
						<Text> {hint.label}</Text>
						{i < hints.length - 1 ? '  ' : ''}
					</Text>
				);
			})}
			{more ? (
				<Text>
					{hints.length > 0 ? '  ' : ''}
					<Text bold color={theme.accent}>
						{keyFor('help.toggle')}
					</Text>
					<Text> more</Text>
				</Text>
			) : null}
		</Text>
	);
}
