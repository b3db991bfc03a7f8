import {useState} from 'react';
import {Text, useInput} from 'ink';

type Props = {
	readonly initial: string;
	readonly onChange: (text: string) => void;
	readonly onDone: (text: string) => void;
};

/** The `/` filter line: typing filters live, Enter keeps the filter, Esc clears it. */
export function FilterBox({initial, onChange, onDone}: Props) {
	const [text, setText] = useState(initial);
	useInput((input, key) => {
		if (key.return) return onDone(text);
		if (key.escape) {
			onChange('');
			return onDone('');
		}
		let next = text;
		if (key.backspace || key.delete) next = [...text].slice(0, -1).join('');
		else if (!key.ctrl && !key.meta && input) next = text + [...input].filter((ch) => ch >= ' ' && ch !== '\u007F').join('');
		if (next !== text) {
			setText(next);
			onChange(next);
		}
	});
	return (
		<Text wrap="truncate-end">
			<Text color="yellow">filter (name, id, state, worker) /</Text>
			{text}
			<Text inverse> </Text>
			<Text dimColor>{'   Enter keep · Esc clear'}</Text>
		</Text>
	);
}
