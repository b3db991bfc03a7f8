// Pure: a task → the lines of its detail overlay (fields, result or error, timeline, traceback).
import {STAGES} from '../../state/task.js';
import type {Task} from '../../state/types.js';
import {colorOfEvent, colorOfState, theme} from '../theme.js';
import {formatDateTime, formatDuration, shownException} from '../format.js';
import type {Line} from './overlay-lines.js';

function field(label: string, value: string | number | null | undefined, color?: string): Line[] {
	if (value === undefined || value === null || value === '') return [];
	return [{label, text: String(value), color}];
}

/** Long values (args, results) are split into lines so nothing is lost off the right edge. */
function wrapped(label: string, value: string | undefined, width: number, color?: string): Line[] {
	if (value === undefined || value === '') return [];
	const room = Math.max(20, width - 12);
	const lines: Line[] = [];
	for (const part of value.split('\n')) {
		for (let i = 0; i < Math.max(1, part.length); i += room) {
			lines.push({label: lines.length === 0 ? label : '', text: part.slice(i, i + room), color});
		}
	}
	return lines;
}

export function taskDetailLines(task: Task, width: number): Line[] {
	const lines: Line[] = [
		...field('name', task.name ?? '(unknown: no task-received seen)'),
		{label: 'state', text: task.state, color: colorOfState(task.state), bold: true},
		...field('worker', task.worker),
		...field('client', task.client),
		...wrapped('args', task.args, width),
		...wrapped('kwargs', task.kwargs, width),
		...wrapped('result', task.result, width, theme.ok),
		...wrapped('exception', shownException(task.exception, task.traceback), width, theme.error),
		...field('runtime', formatDuration(task.runtime)),
		...field('retries', task.retries),
		...field('eta', task.eta),
		...field('expires', task.expires),
		...field('parent', task.parentId),
		...field('root', task.rootId === task.uuid ? undefined : task.rootId),
		...(task.terminated ? field('terminated', `yes, signal ${task.signum ?? '?'}`, theme.revoked) : []),
		...(task.expired ? field('expired', 'yes', theme.revoked) : []),
		...(task.requeue !== undefined ? field('requeue', task.requeue ? 'yes' : 'no') : []),
	];
	const stages = STAGES.filter((s) => task[s] !== undefined);
	if (stages.length > 0) {
		lines.push({text: ' '}, {text: 'Stages (sender clock)', bold: true});
		for (const stage of stages) lines.push({label: stage, text: formatDateTime(task[stage])});
	}
	if (task.timeline.length > 0) {
		lines.push({text: ' '}, {text: 'Timeline (arrival order)', bold: true});
		for (const entry of task.timeline) {
			lines.push({
				text: `${formatDateTime(entry.timestamp)}  ${entry.type.padEnd(15)} ${entry.hostname}${entry.clock === undefined ? '' : `  clock ${entry.clock}`}`,
				color: colorOfEvent(entry.type),
			});
		}
	}
	if (task.traceback) {
		lines.push({text: ' '}, {text: 'Traceback', bold: true});
		for (const line of task.traceback.split('\n')) lines.push({text: line, color: theme.error});
	}
	return lines;
}
