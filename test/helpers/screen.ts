// Run the real built binary in a pseudo-terminal and read its screen like a person would.
import {fileURLToPath} from 'node:url';
import pty from 'node-pty';
import xterm from '@xterm/headless';
import {waitFor} from './wait-for.js';
import {hermeticEnv} from './hermetic-env.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const BEGIN_FRAME = '\u001B[?2026h';
const END_FRAME = '\u001B[?2026l';

export type Screen = {
	/** The visible screen, one string per row, trailing spaces trimmed. */
	lines(): string[];
	text(): string;
	write(keys: string): void;
	resize(cols: number, rows: number): void;
	/** Until the screen matches: a pattern, a string, or a test of the whole text. */
	waitForText(pattern: RegExp | string | ((text: string) => boolean), timeout?: number): Promise<void>;
	/** Resolves with the exit code. */
	readonly exited: Promise<number>;
	/** Everything the program wrote, raw. */
	raw(): string;
	terminal: InstanceType<typeof xterm.Terminal>;
	kill(signal?: string): void;
};

export function runInTerminal(
	args: string[],
	{cols = 120, rows = 36, env = {}}: {cols?: number; rows?: number; env?: Record<string, string>} = {},
): Screen {
	// Ink draws nothing until exit when CI is set: the child must not see it.
	// `env` adds to a fresh hermetic environment. CI is removed whatever `env` says: Ink draws nothing
	// until exit when it is set, and CI runs set it.
	const childEnv = hermeticEnv({TERM: 'xterm-256color', FORCE_COLOR: '1', ...env, CI: undefined});
	const terminal = new xterm.Terminal({cols, rows, allowProposedApi: true});
	const child = pty.spawn(process.execPath, [CLI, ...args], {
		name: 'xterm-256color',
		cols,
		rows,
		env: childEnv,
	});
	let output = '';
	// Ink brackets every frame in synchronized-update marks (DEC mode 2026), and a frame bigger than the
	// pty's buffer arrives in several reads. A real terminal shows nothing of a frame until its end mark;
	// so does this one: a test never reads half of a frame (the top of the new one over the bottom of the old).
	let held = '';
	child.onData((data) => {
		output += data;
		held += data;
		const open = held.lastIndexOf(BEGIN_FRAME);
		if (open > held.lastIndexOf(END_FRAME)) {
			terminal.write(held.slice(0, open));
			held = held.slice(open);
		} else {
			terminal.write(held);
			held = '';
		}
	});
	const exited = new Promise<number>((resolve) =>
		child.onExit(({exitCode}) => {
			terminal.write(held);
			held = '';
			resolve(exitCode);
		}),
	);
	const lines = () => {
		const buffer = terminal.buffer.active;
		const result: string[] = [];
		for (let i = 0; i < terminal.rows; i++)
			result.push(buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? '');
		return result;
	};
	const text = () => lines().join('\n');
	return {
		lines,
		text,
		write: (keys) => child.write(keys),
		resize(c, r) {
			child.resize(c, r);
			terminal.resize(c, r);
		},
		async waitForText(pattern, timeout = 15_000) {
			const test =
				typeof pattern === 'string'
					? (s: string) => s.includes(pattern)
					: typeof pattern === 'function'
						? pattern
						: (s: string) => pattern.test(s);
			// xterm parses writes asynchronously: flush before reading.
			await waitFor(
				async () => {
					await new Promise<void>((resolve) => terminal.write('', resolve));
					return test(text());
				},
				{timeout, message: () => `screen never showed ${String(pattern)}; it shows:\n${text()}`},
			);
		},
		exited,
		raw: () => output,
		terminal,
		kill: (signal?: string) => child.kill(signal),
	};
}
