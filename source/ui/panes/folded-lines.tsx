// The Tasks or Events pane folded into one line when the other list has the focus and a bordered
// pane would show a single row in five lines (80×24): its count, the key that opens it, its newest row.
import {Text} from 'ink';
import {keyFor} from '../../keys/text-keymap.js';
import {sanitize} from '../../protocol/sanitize.js';
import type {StreamEntry, Task} from '../../state/types.js';
import {formatClock, formatCount, shortId} from '../format.js';
import {colorOfEvent, colorOfState, theme} from '../theme.js';
import {UNNAMED} from './tasks.js';
import {eventDetails} from './task-stream.js';

/** Events follow Tasks: Tab from the Tasks pane opens them; S-Tab from the Events pane opens the tasks. */
const OPENS_EVENTS = `${keyFor('pane.next')} opens`;
const OPENS_TASKS = `${keyFor('pane.prev')} opens`;

type StreamProps = {
	readonly newest: StreamEntry | undefined;
	readonly count: number;
	readonly nameOf: (uuid: string) => string | undefined;
};

export function StreamLine({newest, count, nameOf}: StreamProps) {
	return (
		<Text wrap="truncate-end">
			<Text color={theme.border}>{`Events ${formatCount(count)} (${OPENS_EVENTS}): `}</Text>
			{newest ? (
				<>
					{`${formatClock(newest.event.timestamp)} `}
					<Text color={colorOfEvent(newest.event.type)}>{sanitize(newest.event.type)}</Text>
					{` ${sanitize(newest.event.hostname)} `}
					<Text color={theme.muted}>{sanitize(eventDetails(newest.event, nameOf))}</Text>
				</>
			) : (
				<Text color={theme.muted}>waiting for events…</Text>
			)}
		</Text>
	);
}

type TasksProps = {readonly newest: Task | undefined; readonly count: number};

export function TasksLine({newest, count}: TasksProps) {
	return (
		<Text wrap="truncate-end">
			<Text color={theme.border}>{`Tasks ${formatCount(count)} (${OPENS_TASKS}): `}</Text>
			{newest ? (
				<>
					{`${shortId(newest.uuid, 8)} ${sanitize(newest.name ?? UNNAMED)} `}
					<Text color={colorOfState(newest.state)}>{newest.state}</Text>
					{newest.worker ? ` ${sanitize(newest.worker)}` : ''}
				</>
			) : (
				<Text color={theme.muted}>none yet</Text>
			)}
		</Text>
	);
}
