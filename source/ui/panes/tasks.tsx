import type {Health} from '../../state/stuck.js';
import type {Task} from '../../state/types.js';
import type {Column} from '../components/table.js';
import {formatClock, formatDuration, formatElapsed, shortId} from '../format.js';
import {colorOfState, theme} from '../theme.js';
import {ListPane} from './list-pane.js';
import type {ListProps} from './list-props.js';

const REVOKE_SENT = 'revoke sent';
/** The name of a task whose task-received we did not see (Enter: its detail says so). */
export const UNNAMED = '? (seen mid-flight)';
/** The mark column's sign (Space marks a task; c and T then act on the marked). */
export const MARK = '●';

/** A running task's time so far (its start is the worker's clock; a skewed clock shows 0s, not less). */
export function runningFor(task: Task, now: number): number | undefined {
	if (task.state !== 'STARTED' || task.started === undefined || task.runtime !== undefined) return undefined;
	return Math.max(0, Math.floor(now - task.started));
}

/** How the pane tells a stuck or lost task from a running one (the snapshot's healthOf). */
export type HealthFacts = {readonly healthOf: (task: Task, now: number) => Health};

/** STUCK and LOST are our reading of a STARTED task (state/stuck.ts); the detail shows STARTED. */
const HEALTH_TEXT: Record<Exclude<Health, 'ok'>, string> = {stuck: 'STUCK', lost: 'LOST'};

type Shown = {
	readonly revokeSent: ReadonlyMap<string, number>;
	readonly marked: ReadonlySet<string>;
	readonly now: number;
	readonly facts: HealthFacts;
};

/**
 * The columns, most useful first: id, name, state and elapsed always; worker, received, args, ETA
 * and retries as the width allows (table.tsx leaves out what does not fit whole). Widths come from
 * what the rows shown hold; the arguments take what is left.
 */
export function taskColumns(innerWidth: number, shown: Shown): Array<Column<Task>> {
	const {revokeSent, marked, now} = shown;
	const state = (t: Task) => {
		if (revokeSent.has(t.uuid) && t.state !== 'REVOKED') return REVOKE_SENT;
		const health = shown.facts.healthOf(t, now);
		return health === 'ok' ? t.state : HEALTH_TEXT[health];
	};
	const idWidth = innerWidth >= 160 ? 36 : 8;
	const columns: Array<Column<Task>> = [];
	if (marked.size > 0)
		columns.push({
			key: 'mark',
			header: MARK,
			width: 1,
			value: (t) => (marked.has(t.uuid) ? MARK : ' '),
			color: () => theme.warning,
		});
	columns.push(
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
			width: 'content',
			minWidth: 10,
			// A long name (or a hostile one) leaves room for the worker: at most a third of the width.
			maxWidth: Math.max(24, Math.floor(innerWidth / 3)),
			value: (t) => t.name ?? UNNAMED,
			color: (t) => (t.name === undefined ? theme.muted : undefined),
		},
		{
			key: 'state',
			header: 'STATE',
			width: 'content',
			maxWidth: 11,
			value: state,
			color: (t) => {
				const text = state(t);
				if (text === REVOKE_SENT) return theme.revoked;
				if (text === 'STUCK') return theme.warning;
				if (text === 'LOST') return theme.error;
				return colorOfState(t.state);
			},
		},
		{
			key: 'runtime',
			header: 'RUNTIME',
			width: 'content',
			maxWidth: 9,
			align: 'right',
			// Running: the time so far, ticking with the clock (whole seconds), in the running colour.
			value: (t) => {
				const running = runningFor(t, now);
				return running === undefined ? formatDuration(t.runtime) : formatElapsed(running);
			},
			color: (t) => (runningFor(t, now) === undefined ? undefined : colorOfState('STARTED')),
		},
		{
			key: 'worker',
			header: 'WORKER',
			width: 'content',
			minWidth: 8,
			maxWidth: 32,
			priority: 1,
			value: (t) => t.worker ?? t.client ?? '',
		},
		{
			key: 'received',
			header: 'RECEIVED',
			width: 8,
			priority: 2,
			value: (t) => formatClock(t.received ?? t.sent ?? t.timestamp),
		},
		{
			key: 'args',
			header: 'ARGS',
			width: 'flex',
			minWidth: 12,
			priority: 3,
			hideEmpty: true,
			value: (t) => argsOf(t),
		},
		{key: 'eta', header: 'ETA', width: 8, priority: 4, hideEmpty: true, value: (t) => etaOf(t)},
		{
			key: 'retries',
			header: 'RETRIES',
			width: 7,
			align: 'right',
			priority: 5,
			hideEmpty: true,
			value: (t) => (t.retries ? String(t.retries) : ''),
		},
	);
	return columns;
}

/** `(1, 2) {'x': 3}`: the call's arguments as sent (Python reprs). */
function argsOf(task: Task): string {
	const args = task.args ?? '';
	const kwargs = task.kwargs && task.kwargs !== '{}' ? task.kwargs : '';
	return [args, kwargs].filter(Boolean).join(' ');
}

/** An ETA as a wall-clock time (ISO 8601 in the event): empty when there is none. */
function etaOf(task: Task): string {
	if (!task.eta) return '';
	const when = Date.parse(task.eta);
	return Number.isNaN(when) ? task.eta : formatClock(when / 1000);
}

export function taskKey(task: Task): string {
	return task.uuid;
}

type Props = ListProps<Task> & {
	readonly revokeSent: ReadonlyMap<string, number>;
	readonly marked: ReadonlySet<string>;
	readonly facts: HealthFacts;
	/** The cursor stays on the newest task (row 1) rather than holding one. */
	readonly following: boolean;
	readonly filter: string;
	/** `sort RUNTIME ↓` (empty for the default order). */
	readonly sort: string;
	readonly stuckOnly: boolean;
};

export function TasksPane({revokeSent, marked, facts, following, filter, sort, stuckOnly, ...list}: Props) {
	const {now} = list;
	const title = [
		'Tasks',
		...(stuckOnly ? ['stuck and lost only'] : []),
		...(sort ? [sort] : []),
		...(marked.size > 0 ? [`${marked.size} marked`] : []),
	].join(' · ');
	const empty = stuckOnly
		? 'no task is stuck or lost'
		: filter.trim()
			? `no tasks match ${filter.trim()}`
			: 'no tasks yet: task events need workers started with -E';
	return (
		<ListPane
			{...list}
			title={title}
			following={following}
			columns={(innerWidth) => taskColumns(innerWidth, {revokeSent, marked, now, facts})}
			rowKey={taskKey}
			emptyText={empty}
			fitEmptyText
		/>
	);
}
