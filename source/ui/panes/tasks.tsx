import type {Task} from '../../state/types.js';
import {Table, type Column} from '../components/table.js';
import {Pane} from '../components/pane.js';
import {fit, formatClock, formatDuration, shortId} from '../format.js';
import {colorOfState} from '../theme.js';
import type {ListProps} from './list-props.js';

function taskColumns(innerWidth: number): Array<Column<Task>> {
	const idWidth = innerWidth >= 130 ? 36 : 8;
	return [
		{key: 'id', header: 'ID', width: idWidth, value: (t) => shortId(t.uuid, idWidth), color: () => 'gray'},
		{key: 'name', header: 'NAME', width: 'flex', minWidth: 10, value: (t) => t.name ?? '?'},
		{key: 'state', header: 'STATE', width: 9, value: (t) => t.state, color: (t) => colorOfState(t.state)},
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

export function TasksPane({rows, selected, offset, width, height, focused, info}: ListProps<Task>) {
	const innerWidth = width - 4;
	return (
		<Pane title="Tasks" focused={focused} width={width} height={height} info={info}>
			<Table
				rows={rows}
				columns={taskColumns(innerWidth)}
				width={innerWidth}
				height={height - 4}
				offset={offset}
				selected={selected}
				focused={focused}
				rowKey={taskKey}
				emptyText={fit('no tasks yet: task events need workers started with -E', innerWidth)}
			/>
		</Pane>
	);
}
