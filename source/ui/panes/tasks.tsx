import type {Task} from '../../state/types.js';
import type {Column} from '../components/table.js';
import {formatClock, formatDuration, formatElapsed, shortId} from '../format.js';
import {colorOfState, theme} from '../theme.js';
import {ListPane} from './list-pane.js';
import type {ListProps} from './list-props.js';

const REVOKE_SENT = 'revoke sent';
/** The name of a task whose task-received we did not see (Enter: its detail says so). */
export const UNNAMED = '? (seen mid-flight)';

/** A running task's time so far (its start is the worker's clock; a skewed clock shows 0s, not less). */
export function runningFor(task: Task, now: number): number | undefined {
	if (task.state !== 'STARTED' || task.started === undefined || task.runtime !== undefined) return undefined;
	return Math.max(0, Math.floor(now - task.started));
}

function taskColumns(
	innerWidth: number,
	revokeSent: ReadonlyMap<string, number>,
	now: number,
): Array<Column<Task>> {
	const state = (t: Task) => (revokeSent.has(t.uuid) && t.state !== 'REVOKED' ? REVOKE_SENT : t.state);
	const idWidth = innerWidth >= 130 ? 36 : 8;
	return [
		{
			key: 'id',
			header: 'ID',
			width: idWidth,
			value: (t) => shortId(t.uuid, idWidth),
			color: () => theme.muted,
		},
		// A task first seen mid-flight (its task-received came before we listened) has no name yet:
		// the row says so; any later event that carries the name fills it.
		{
			key: 'name',
			header: 'NAME',
			width: 'flex',
			minWidth: 10,
			value: (t) => t.name ?? UNNAMED,
			color: (t) => (t.name === undefined ? theme.muted : undefined),
		},
		{
			key: 'state',
			header: 'STATE',
			width: 11,
			value: state,
			color: (t) => (state(t) === REVOKE_SENT ? theme.revoked : colorOfState(t.state)),
		},
		{
			key: 'worker',
			header: 'WORKER',
			width: innerWidth >= 100 ? 20 : 12,
			value: (t) => t.worker ?? t.client ?? '',
		},
		{
			key: 'received',
			header: 'RECEIVED',
			width: 8,
			value: (t) => formatClock(t.received ?? t.sent ?? t.timestamp),
		},
		{
			key: 'runtime',
			header: 'RUNTIME',
			width: 8,
			align: 'right',
			// Running: the time so far, ticking with the clock (whole seconds), in the running colour.
			value: (t) => {
				const running = runningFor(t, now);
				return running === undefined ? formatDuration(t.runtime) : formatElapsed(running);
			},
			color: (t) => (runningFor(t, now) === undefined ? undefined : colorOfState('STARTED')),
		},
	];
}

export function taskKey(task: Task): string {
	return task.uuid;
}

type Props = ListProps<Task> & {
	readonly revokeSent: ReadonlyMap<string, number>;
	/** The cursor stays on the newest task (row 1) rather than holding one. */
	readonly following: boolean;
	readonly filter: string;
};

export function TasksPane({revokeSent, following, filter, ...list}: Props) {
	const {now} = list;
	return (
		<ListPane
			{...list}
			title="Tasks"
			following={following}
			columns={(innerWidth) => taskColumns(innerWidth, revokeSent, now)}
			rowKey={taskKey}
			emptyText={
				filter.trim()
					? `no tasks match ${filter.trim()}`
					: 'no tasks yet: task events need workers started with -E'
			}
			fitEmptyText
		/>
	);
}
