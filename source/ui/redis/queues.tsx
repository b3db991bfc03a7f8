// View 4: the Celery queues, and for the selected one its next messages and unacked messages.
import {Box} from 'ink';
import type {QueueRow} from '../../present/redis-view.js';
import {Pane} from '../components/pane.js';
import {Table, type Column} from '../components/table.js';
import {theme} from '../theme.js';
import {toneColor} from './model.js';
import {inner, Lines, listWindow, position} from './parts.js';
import type {MessageItem, QueuesModel} from './queues-model.js';
import type {RedisUiState} from './state.js';

type Props = {readonly model: QueuesModel; readonly state: RedisUiState; readonly width: number};

const QUEUES: ReadonlyArray<Column<QueueRow>> = [
	{
		key: 'queue',
		header: 'QUEUE',
		width: 'flex',
		minWidth: 12,
		value: (q) => q.queue,
		color: (q) => toneColor(q.tone),
	},
	{key: 'messages', header: 'WAITING', width: 8, align: 'right', value: (q) => q.messages},
	{key: 'priorities', header: 'BY PRIORITY', width: 20, value: (q) => q.priorities},
	{key: 'unacked', header: 'UNACKED', width: 7, align: 'right', value: (q) => q.unacked},
	{key: 'oldest', header: 'OLDEST UNACKED', width: 14, align: 'right', value: (q) => q.oldestUnacked},
	{key: 'next', header: 'NEXT TO RUN', width: 'flex', value: (q) => q.next},
];

function messageColumns(width: number): Array<Column<MessageItem>> {
	return [
		{
			key: 'where',
			header: 'WHERE',
			width: 16,
			value: (m) => (m.where === 'next' ? `next ${m.position}` : `unacked ${m.position}`),
			color: (m) => (m.where === 'next' ? theme.accent : theme.secondary),
		},
		{key: 'task', header: 'TASK', width: 18, value: (m) => m.task},
		...(width >= 110
			? [
					{
						key: 'id',
						header: 'ID',
						width: width >= 160 ? 36 : 8,
						value: (m: MessageItem) => m.id,
						color: () => theme.muted,
					},
				]
			: []),
		{key: 'args', header: 'ARGS KWARGS', width: 'flex', minWidth: 10, value: (m) => m.args},
		{key: 'eta', header: 'ETA', width: 11, value: (m) => m.eta},
		{key: 'detail', header: 'DETAIL', width: 36, value: (m) => m.detail, color: (m) => toneColor(m.tone)},
	];
}

export function QueuesView({model, state, width}: Props) {
	const {selection, messages, focus} = state.queues;
	const onMessages = focus === 'messages';
	return (
		<Box flexDirection="column" width={width}>
			<Pane
				title={model.title}
				focused={!onMessages}
				width={width}
				height={model.topHeight}
				info={position(model.lists.queues, selection)}
			>
				<Lines lines={[model.status ?? {text: model.info, tone: 'dim'}]} />
				<Table
					rows={model.rows}
					columns={QUEUES}
					width={inner(width)}
					focused={!onMessages}
					rowKey={(q) => q.queue}
					emptyText="no Celery queue found (no binding, no list holding task messages)"
					{...listWindow(model.lists.queues, selection)}
				/>
			</Pane>
			<Pane
				title={
					model.queue ? `Queue ${model.queue}: next messages (the next one first) and unacked` : 'Messages'
				}
				focused={onMessages}
				width={width}
				height={model.bottomHeight}
				info={`${position(model.lists.messages, messages)} · Tab: ${onMessages ? 'queues' : 'messages'}`}
			>
				<Lines lines={model.warnings} />
				<Table
					rows={model.messages}
					columns={messageColumns(inner(width))}
					width={inner(width)}
					focused={onMessages}
					rowKey={(m) => m.key}
					emptyText={model.queue ? 'no waiting or unacked message' : ''}
					{...listWindow(model.lists.messages, messages)}
				/>
				{model.selectedLine ? <Lines lines={[model.selectedLine]} /> : null}
			</Pane>
		</Box>
	);
}
