// The keys of the text fields — a dialog and the filter line — and the names of keys as the screen
// writes them: every text that names a key ("Esc cancels", "p resumes") is made here from the keymaps.
import {displayKey, keymap, type Binding, type CommandId, type Scope} from './keymap.js';

/**
 * Keys inside a dialog and the filter line. Any other key there is text (printable keys type): so a
 * prompt takes a `q` or a `y` as a letter, a confirmation as its answer.
 */
export type TextScope = 'dialog' | 'filter';

export type TextBinding = Omit<Binding, 'scope'> & {readonly scope: TextScope};

export const textKeymap = [
	{
		id: 'dialog.accept',
		keys: ['enter'],
		scope: 'dialog',
		label: 'ok (a prompt, a choice, a typed confirmation)',
	},
	{id: 'dialog.cancel', keys: ['escape', 'ctrl+c'], scope: 'dialog', label: 'cancel: nothing is sent'},
	{id: 'dialog.yes', keys: ['y', 'Y'], scope: 'dialog', label: 'yes (a confirmation)'},
	{id: 'dialog.no', keys: ['n', 'N', 'q'], scope: 'dialog', label: 'no (a confirmation)'},
	{id: 'dialog.next', keys: ['right', 'j', 'down', 'tab'], scope: 'dialog', label: 'next option (a choice)'},
	{id: 'dialog.prev', keys: ['left', 'k', 'up'], scope: 'dialog', label: 'previous option (a choice)'},
	{id: 'text.delete', keys: ['backspace'], scope: 'dialog', label: 'delete the last character'},
	{id: 'filter.done', keys: ['enter'], scope: 'filter', label: 'keep the filter, close the line'},
	{id: 'filter.cancel', keys: ['escape'], scope: 'filter', label: 'clear the filter'},
	{id: 'text.delete', keys: ['backspace'], scope: 'filter', label: 'delete the last character'},
] as const satisfies readonly TextBinding[];

export type TextCommandId = (typeof textKeymap)[number]['id'];

/** How a command's keys are shown ("Esc", "←"), in binding order: what texts that name a key use. */
export function keyNamesOf(id: CommandId | TextCommandId, scope?: Scope | TextScope): string[] {
	const all: readonly (Binding | TextBinding)[] = [...keymap, ...textKeymap];
	const binding = all.find((b) => b.id === id && (scope === undefined || b.scope === scope));
	if (!binding) throw new Error(`no key is bound to ${id}`);
	return binding.keys.map(displayKey);
}

/** A command's first key as shown ("Esc", "p"): never typed by hand in a text. */
export function keyFor(id: CommandId | TextCommandId, scope?: Scope | TextScope): string {
	return keyNamesOf(id, scope)[0]!;
}
