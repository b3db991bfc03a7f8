// Pure: what an overlay shows (help, a worker's inspect replies, a task's detail) and where a
// detail opened with `t` or `r` starts.
import type {ClusterSnapshot} from '../../state/store.js';
import {theme} from '../theme.js';
import type {Overlay} from '../ui-state.js';
import {helpLines} from './help.js';
import type {Line} from './overlay-lines.js';
import {taskDetailLines} from './task-detail.js';

const INSPECT_TITLES: Record<string, string> = {
	stats: 'stats',
	active: 'active tasks',
	reserved: 'reserved (prefetched) tasks',
	scheduled: 'scheduled (ETA) tasks',
	registered: 'registered tasks',
	revoked: 'revoked ids',
	active_queues: 'active queues',
	conf: 'configuration (non-default)',
};

export function overlayContent(
	overlay: Overlay,
	snapshot: ClusterSnapshot,
	readOnly: boolean,
	width: number,
): {title: string; lines: Line[]} {
	switch (overlay.kind) {
		case 'help':
			return {title: 'Help — every key', lines: helpLines(readOnly)};
		case 'inspect':
			return {
				title: `Inspect ${overlay.hostname} — ${INSPECT_TITLES[overlay.method] ?? overlay.method}`,
				lines: overlay.lines
					? overlay.lines.map((text) => ({text}))
					: [{text: `asking ${overlay.hostname}…`, color: theme.muted}],
			};
		case 'detail': {
			// Paused: a task evicted since still has its frozen copy (a one-off look-up, not per frame).
			const task =
				snapshot.taskById(overlay.uuid) ??
				(snapshot.paused ? snapshot.allTasks().find((t) => t.uuid === overlay.uuid) : undefined);
			return {
				title: `Task ${overlay.uuid}`,
				lines: task
					? taskDetailLines(task, width - 4)
					: [{text: 'This task is no longer kept (evicted by --max-tasks).'}],
			};
		}
	}
}

/** A detail opened with `t` or `r` starts at the traceback or the result. */
export function jumpOffset(lines: readonly Line[], jump: 'result' | 'traceback'): number {
	const index =
		jump === 'traceback'
			? lines.findIndex((l) => l.text === 'Traceback' && l.bold)
			: lines.findIndex((l) => l.label === 'result' || l.label === 'exception');
	return Math.max(0, index);
}
