import {displayKey, keymap, type Scope} from '../../keys/keymap.js';
import {textKeymap} from '../../keys/text-keymap.js';
import {theme} from '../theme.js';
import type {Line} from './overlay-lines.js';

const SCOPE_TITLES: Record<Scope, string> = {
	global: 'Everywhere',
	celery: 'Celery view (1)',
	list: 'In a list (tasks, workers, events, Redis tables)',
	tasks: 'Tasks pane',
	workers: 'Workers pane',
	stream: 'Events pane',
	inspect: 'Inspect view of a worker',
	redis: 'Redis overview (2)',
	memory: 'Memory breakdown (3)',
	queues: 'Queues (4)',
	keys: 'Key browser (5)',
	monitor: 'MONITOR (6)',
	inspector: 'Every Redis view (2–6)',
	overlay: 'Task detail and this help',
	always: 'Anywhere (a dialog aside)',
};

/** Every binding of the keymap, grouped by where it works: the help overlay's lines. */
export function helpLines(readOnly: boolean): Line[] {
	const lines: Line[] = [];
	if (readOnly)
		lines.push({text: 'read-only mode: actions that change the cluster are disabled', color: theme.warning});
	for (const scope of Object.keys(SCOPE_TITLES) as Scope[]) {
		const bindings = keymap.filter((b) => b.scope === scope);
		if (bindings.length === 0) continue;
		lines.push({text: ' '}, {text: SCOPE_TITLES[scope], bold: true});
		for (const b of bindings) {
			const control = 'control' in b && b.control;
			const danger =
				control && readOnly
					? '  (disabled: --read-only)'
					: 'dangerous' in b && b.dangerous
						? '  (asks to confirm)'
						: '';
			lines.push({text: `  ${b.keys.map(displayKey).join(', ').padEnd(30)}${b.label}${danger}`});
		}
	}
	for (const [scope, title] of [
		['dialog', 'In a dialog (other keys type into a prompt)'],
		['filter', 'In the filter line (other keys type)'],
	] as const) {
		lines.push({text: ' '}, {text: title, bold: true});
		for (const b of textKeymap.filter((t) => t.scope === scope))
			lines.push({text: `  ${b.keys.map(displayKey).join(', ').padEnd(30)}${b.label}`});
	}
	return lines;
}
