import {Text} from 'ink';
import type {Scope} from '../../keys/keymap.js';
import {displayKey} from '../../keys/keymap.js';
import {footerHints} from '../../keys/match.js';

type Props = {
	readonly scopes: readonly Scope[];
	readonly message?: string;
};

/** Key hints for the focused pane, generated from the keymap. */
export function StatusBar({scopes, message}: Props) {
	const hints = footerHints(scopes);
	return (
		<Text wrap="truncate-end">
			{message ? <Text color="yellow">{message} </Text> : null}
			{hints.map((hint, i) => (
				<Text key={hint.label}>
					<Text bold color="cyan">
						{hint.keys.slice(0, 2).map(displayKey).join('/')}
					</Text>
					<Text> {hint.label}</Text>
					{i < hints.length - 1 ? '  ' : ''}
				</Text>
			))}
		</Text>
	);
}
