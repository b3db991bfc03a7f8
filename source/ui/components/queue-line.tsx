// The main screen's queue line: each Celery queue's length and trend, biggest first, fitted to one
// row (present/queue-depth.ts), read by useQueueDepth while `active`. Nothing without Redis services.
import {Text} from 'ink';
import {queueLine, type LineTone, type QueueDepthState} from '../../present/queue-depth.js';
import {theme} from '../theme.js';

type TextStyle = {readonly color?: string; readonly dimColor?: boolean; readonly bold?: boolean};

const STYLE: Readonly<Record<LineTone, TextStyle>> = {
	label: {color: theme.accent},
	name: {},
	count: {bold: true},
	idle: {dimColor: true},
	// A queue that grows is worth a look; one that drains is going right.
	up: {color: theme.warning},
	down: {color: theme.ok},
	flat: {color: theme.muted},
	muted: {color: theme.muted},
	error: {color: theme.error},
};

/** The line for given samples (no polling): for a parent that runs the hook itself, and for tests. */
export function QueueLineView({state, width}: {readonly state: QueueDepthState; readonly width: number}) {
	const {parts} = queueLine(state, width);
	return (
		<Text wrap="truncate">
			{parts.map((part, i) => (
				<Text key={i} {...STYLE[part.tone]}>
					{part.text}
				</Text>
			))}
		</Text>
	);
}
