import type {Task} from '../../state/types.js';
import {Table, type Column} from '../components/table.js';
import {Pane} from '../components/pane.js';
import {fit, formatClock, formatDuration, shortId} from '../format.js';
import {colorOfState} from '../theme.js';
import type {ListProps} from './list-props.js';

const REVOKE_SENT = 'revoke sent';

function taskColumns(innerWidth: number, revokeSent: ReadonlyMap<string, number>): Array<Column<Task>> {
	const state = (t: Task) => (revokeSent.has(t.uuid) && t.state !== 'REVOKED' ? REVOKE_SENT : t.state);
	const idWidth = innerWidth >= 130 ? 36 : 8;
	return [
		{key: 'id', header: 'ID', width: idWidth, value: (t) => shortId(t.uuid, idWidth), color: () => 'gray'},
		{key: 'name', header: 'NAME', width: 'flex', minWidth: 10, value: (t) => t.name ?? '?'},
		{
			key: 'state',
			header: 'STATE',
			width: 11,
			value: state,
			color: (t) => (state(t) === REVOKE_SENT ? 'magenta' : colorOfState(t.state)),
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
		{key: 'runtime', header: 'RUNTIME', width: 8, align: 'right', value: (t) => formatDuration(t.runtime)},
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

export const FOLLOWING = 'following newest';

export function TasksPane(props: Props) {
	const {rows, selected, offset, width, height, focused, info, revokeSent, following, filter} = props;
	const innerWidth = width - 4;
	const empty = filter.trim()
		? `no tasks match ${filter.trim()}`
		: 'no tasks yet: task events need workers started with -E';
	return (
		<Pane
			title={following ? `Tasks · ${FOLLOWING}` : 'Tasks'}
			focused={focused}
			width={width}
			height={height}
			info={info}
		>
			<Table
				rows={rows}
				columns={taskColumns(innerWidth, revokeSent)}
				width={innerWidth}
				height={height - 4}
				offset={offset}
				selected={selected}
				focused={focused}
				rowKey={taskKey}
				emptyText={fit(empty, innerWidth)}
			/>
		</Pane>
	);
}
