import {Text} from 'ink';
import {sanitize} from '../../protocol/sanitize.js';
import {theme} from '../theme.js';

/** The `/` filter line (its keys are handled by the app's one input handler: editFilter). */
export function FilterBox({text}: {readonly text: string}) {
	return (
		<Text wrap="truncate-end">
			<Text color={theme.filter}>filter (name, id, state, worker) /</Text>
			{sanitize(text)}
			<Text inverse> </Text>
			<Text dimColor>{'   Enter keep · Esc clear'}</Text>
		</Text>
	);
}
