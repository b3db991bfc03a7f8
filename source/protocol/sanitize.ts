// Make untrusted text inert for a terminal: every control character becomes visible escape text.

// C0 controls, DEL, C1 controls, line/paragraph separators and bidi embedding/override/isolate marks.
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
const UNSAFE_GLOBAL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = {
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
};

function escapeChar(char: string): string {
	const named = NAMED[char];
	if (named !== undefined) return named;
	const code = char.charCodeAt(0);
	if (code <= 0xff) return '\\x' + code.toString(16).padStart(2, '0');
	return '\\u' + code.toString(16).padStart(4, '0');
}

/**
 * Replace every C0/C1 control character (and DEL, U+2028/2029, bidi overrides) by visible text:
 * ESC → `\x1b`, newline → `\n`, tab → `\t`. Nothing in the result is interpreted by a terminal.
 * Returns the same string when it is already clean (the common case, no allocation).
 */
export function sanitize(text: string): string {
	if (!UNSAFE.test(text)) return text;
	return text.replace(UNSAFE_GLOBAL, escapeChar);
}
