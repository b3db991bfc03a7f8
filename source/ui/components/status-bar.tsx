import {Text} from 'ink';
import type {Scope} from '../../keys/keymap.js';
import {displayKey} from '../../keys/keymap.js';
import {footerHints} from '../../keys/match.js';
import {theme} from '../theme.js';

type Props = {
	readonly scopes: readonly Scope[];
	readonly readOnly: boolean;
};

/** Key hints for the focused pane, generated from the keymap; under --read-only control keys show as off. */
export function StatusBar({scopes, readOnly}: Props) {
	const hints = footerHints(scopes);
	return (
		<Text wrap="truncate-end">
			{readOnly ? <Text color={theme.warning}>read-only </Text> : null}
			{hints.map((hint, i) => {
				const off = readOnly && hint.control;
				return (
					<Text key={hint.label} dimColor={off} strikethrough={off}>
						<Text bold color={off ? theme.muted : theme.accent}>
							{hint.keys.slice(0, 2).map(displayKey).join('/')}
						</Text>
						<Text> {hint.label}</Text>
						{i < hints.length - 1 ? '  ' : ''}
					</Text>
				);
			})}
		</Text>
	);
}
