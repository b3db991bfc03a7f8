// Pure: a key press → a key name → the command bound to it in the active scopes.
import {keymap, type Binding, type CommandId, type Scope} from './keymap.js';
import {textKeymap, type TextCommandId, type TextScope} from './text-keymap.js';

/** The subset of Ink's Key that names a key. */
export type KeyFlags = {
	readonly upArrow?: boolean;
	readonly downArrow?: boolean;
	readonly leftArrow?: boolean;
	readonly rightArrow?: boolean;
	readonly pageUp?: boolean;
	readonly pageDown?: boolean;
	readonly home?: boolean;
	readonly end?: boolean;
	readonly return?: boolean;
	readonly escape?: boolean;
	readonly ctrl?: boolean;
	readonly shift?: boolean;
	readonly tab?: boolean;
	readonly backspace?: boolean;
	readonly delete?: boolean;
};

/**
 * Names of the keys in one input chunk. Ink hands a paste or fast typing ("jjj") over as one
 * string: printable characters are split so each becomes its own key press.
 */
export function keyNames(input: string, key: KeyFlags): string[] {
	if (key.upArrow) return ['up'];
	if (key.downArrow) return ['down'];
	if (key.leftArrow) return ['left'];
	if (key.rightArrow) return ['right'];
	if (key.pageUp) return ['pageup'];
	if (key.pageDown) return ['pagedown'];
	if (key.home) return ['home'];
	if (key.end) return ['end'];
	if (key.return) return ['enter'];
	if (key.tab) return [key.shift ? 'shift+tab' : 'tab'];
	if (key.backspace || key.delete) return ['backspace'];
	if (key.escape) return ['escape'];
	if (key.ctrl && input.length === 1) return [`ctrl+${input.toLowerCase()}`];
	if (input === '[Z') return ['shift+tab']; // some terminals send CSI Z bare
	const names: string[] = [];
	for (const ch of input) {
		const control = CONTROL_NAMES[ch];
		if (control) names.push(control);
		else if (ch >= ' ') names.push(ch);
	}
	return names;
}

/** Control characters that can arrive inside a chunk of typed or pasted keys. */
const CONTROL_NAMES: Readonly<Record<string, string>> = {
	'\r': 'enter',
	'\n': 'enter',
	'\t': 'tab',
	'\u007F': 'backspace',
	'\b': 'backspace',
	'\u001B': 'escape',
	'\u0003': 'ctrl+c',
};

/** The command for a key, searching the scopes in order (most specific first). */
export function matchKey(
	name: string,
	scopes: readonly Scope[],
	bindings: readonly Binding[] = keymap,
): CommandId | undefined {
	for (const scope of scopes) {
		for (const binding of bindings) {
			if (binding.scope === scope && binding.keys.includes(name)) return binding.id as CommandId;
		}
	}
	return undefined;
}

/** The command of a key inside a dialog or the filter line; undefined: the key is text. */
export function matchTextKey(name: string, scope: TextScope): TextCommandId | undefined {
	return textKeymap.find((b) => b.scope === scope && (b.keys as readonly string[]).includes(name))?.id;
}

/** Footer hints for the active scopes: "j/↓ down", one per command, most specific scope first. */
export type Hint = {
	readonly id: string;
	readonly keys: string[];
	readonly label: string;
	readonly control: boolean;
};

export function footerHints(scopes: readonly Scope[], bindings: readonly Binding[] = keymap): Hint[] {
	const byId = new Map<string, Hint>();
	for (const scope of scopes) {
		for (const binding of bindings) {
			if (binding.scope !== scope) continue;
			const hint = byId.get(binding.id);
			// A command bound in several active scopes shows all its keys (q and, from 'always', ^C).
			if (hint) hint.keys.push(...binding.keys.filter((k) => !hint.keys.includes(k)));
			else if (binding.footer)
				byId.set(binding.id, {
					id: binding.id,
					keys: [...binding.keys],
					label: binding.hint ?? binding.label,
					control: binding.control ?? false,
				});
		}
	}
	return [...byId.values()];
}
