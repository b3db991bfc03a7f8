// Pure: dialogs between a key and an action — a choice (signal), a prompt (a value), a
// confirmation (for dangerous actions, naming the target). The app runs what comes out.
import {matchTextKey} from '../keys/match.js';

/** What the operator asked for, with the values gathered so far. */
export type Action = {
	readonly id: string; // a keymap command id, e.g. 'task.revoke'
	readonly target: string; // task id or worker hostname
	readonly label: string; // how the target is named to the operator
	readonly params: Readonly<Record<string, string>>;
};

/** A dialog's text, fixed or made from the values gathered so far (a confirmation names them). */
export type Text = string | ((params: Readonly<Record<string, string>>) => string);

/** Another action a confirmation offers on its own key (revoke → terminate). */
export type Alternative = {
	readonly key: string;
	readonly label: string;
	readonly action: Action;
	readonly steps: readonly Step[];
};

export type Step =
	| {
			readonly kind: 'choice';
			readonly param: string;
			readonly title: Text;
			readonly detail?: Text;
			readonly options: readonly string[];
	  }
	| {
			readonly kind: 'prompt';
			readonly param: string;
			readonly title: Text;
			readonly detail?: Text;
			readonly hint: string;
			readonly initial?: string;
	  }
	| {
			readonly kind: 'confirm';
			readonly title: Text;
			/** What will happen, under the question. */
			readonly detail?: Text;
			/** What y does, as the key line says it ("revoke"); "yes" when unset. */
			readonly yes?: string;
			readonly alternatives?: readonly Alternative[];
	  }
	/** A confirmation the operator types (a db number, a queue name): anything else cancels. */
	| {
			readonly kind: 'typed';
			readonly param: string;
			readonly title: string;
			/** What will go, under the title. */
			readonly detail?: Text;
			readonly expected: string;
	  };

/** The text of a step's title or detail with the values gathered so far. */
export function stepText(text: Text | undefined, action: Action): string {
	if (text === undefined) return '';
	return typeof text === 'string' ? text : text(action.params);
}

export type Modal = {
	readonly action: Action;
	/** Steps still to go; the first is on screen. */
	readonly steps: readonly Step[];
	/** The text typed in a prompt, or the index chosen in a choice. */
	readonly text: string;
	readonly index: number;
};

export function openModal(action: Action, steps: readonly Step[]): Modal {
	const first = steps[0];
	return {action, steps, text: first?.kind === 'prompt' ? (first.initial ?? '') : '', index: 0};
}

export type ModalResult =
	| {readonly kind: 'open'; readonly modal: Modal}
	| {readonly kind: 'cancel'; readonly reason?: string}
	| {readonly kind: 'run'; readonly action: Action};

function advance(modal: Modal, param: string | undefined, value: string): ModalResult {
	const action =
		param === undefined ? modal.action : {...modal.action, params: {...modal.action.params, [param]: value}};
	const rest = modal.steps.slice(1);
	if (rest.length === 0) return {kind: 'run', action};
	return {kind: 'open', modal: openModal(action, rest)};
}

/** One key (a keymap key name) in a dialog: the keymap's dialog keys, else text or an option's digit. */
export function modalKey(modal: Modal, key: string): ModalResult {
	const step = modal.steps[0];
	if (!step) return {kind: 'cancel'};
	const command = matchTextKey(key, 'dialog');
	if (command === 'dialog.cancel') return {kind: 'cancel'};
	switch (step.kind) {
		case 'confirm': {
			const other = step.alternatives?.find((a) => a.key === key);
			if (other)
				return other.steps.length === 0
					? {kind: 'run', action: other.action}
					: {kind: 'open', modal: openModal(other.action, other.steps)};
			if (command === 'dialog.yes') return advance(modal, undefined, '');
			if (command === 'dialog.no') return {kind: 'cancel'};
			return {kind: 'open', modal};
		}
		case 'choice': {
			const n = step.options.length;
			if (command === 'dialog.accept') return advance(modal, step.param, step.options[modal.index]!);
			if (command === 'dialog.next') return {kind: 'open', modal: {...modal, index: (modal.index + 1) % n}};
			if (command === 'dialog.prev')
				return {kind: 'open', modal: {...modal, index: (modal.index - 1 + n) % n}};
			const digit = Number(key);
			if (Number.isInteger(digit) && digit >= 1 && digit <= n)
				return advance(modal, step.param, step.options[digit - 1]!);
			return {kind: 'open', modal};
		}
		case 'prompt':
			if (command === 'dialog.accept') return advance(modal, step.param, modal.text.trim());
			return {kind: 'open', modal: {...modal, text: editText(modal.text, key)}};
		case 'typed':
			if (command !== 'dialog.accept')
				return {kind: 'open', modal: {...modal, text: editText(modal.text, key)}};
			if (modal.text.trim() === step.expected) return advance(modal, step.param, modal.text.trim());
			return {
				kind: 'cancel',
				reason: `not confirmed: typed "${modal.text.trim()}", not "${step.expected}"; nothing was done`,
			};
	}
}

/** Typing in a text field: printable keys add, Backspace deletes, anything else is ignored. */
export function editText(text: string, key: string): string {
	if (key === 'backspace') return [...text].slice(0, -1).join('');
	if ([...key].length === 1 && key >= ' ') return text + key;
	return text;
}
