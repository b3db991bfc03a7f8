// Bytes a terminal sends for keys, for stdin.write in view tests.
export const ARROW_DOWN = '\u001B[B';
export const ARROW_UP = '\u001B[A';
export const ENTER = '\r';
export const ESCAPE = '\u001B';
export const TAB = '\t';
export const SHIFT_TAB = '\u001B[Z';
export const PAGE_DOWN = '\u001B[6~';
export const BACKSPACE = '\u007F';
export const CTRL_C = '\u0003';
