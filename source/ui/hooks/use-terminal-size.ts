import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

export type Size = {readonly columns: number; readonly rows: number};

/** The terminal's size, updated on resize. */
export function useTerminalSize(): Size {
	const {stdout} = useStdout();
	const read = (): Size => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const [size, setSize] = useState<Size>(read);
	useEffect(() => {
		const onResize = () => setSize(read());
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
