import {Text} from 'ink';
import {sanitize} from '../../protocol/sanitize.js';
import {keyFor} from '../../keys/text-keymap.js';
import {theme} from '../theme.js';

const HINT = `   ${keyFor('filter.done', 'filter')} keep · ${keyFor('filter.cancel', 'filter')} clear`;

/** The `/` filter line (its keys are the keymap's filter scope, handled by reduceKey). */
export function FilterBox({text}: {readonly text: string}) {
	return (
		<Text wrap="truncate-end">
			<Text color={theme.filter}>filter (name, id, state, worker) /</Text>
			{sanitize(text)}
			<Text inverse> </Text>
			<Text dimColor>{HINT}</Text>
		</Text>
	);
}
