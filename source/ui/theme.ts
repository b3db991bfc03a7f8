// Colours: one place for task states, event types and focus.
export const stateColor: Readonly<Record<string, string>> = {
	PENDING: 'gray',
	RECEIVED: 'blue',
	STARTED: 'cyan',
	SUCCESS: 'green',
	FAILURE: 'red',
	RETRY: 'yellow',
	REVOKED: 'magenta',
	REJECTED: 'redBright',
};

const eventColor: Readonly<Record<string, string>> = {
	'task-sent': 'gray',
	'task-received': 'blue',
	'task-started': 'cyan',
	'task-succeeded': 'green',
	'task-failed': 'red',
	'task-retried': 'yellow',
	'task-revoked': 'magenta',
	'task-rejected': 'redBright',
	'worker-online': 'greenBright',
	'worker-offline': 'redBright',
	'worker-heartbeat': 'gray',
};

export function colorOfState(state: string): string {
	return stateColor[state] ?? 'white';
}

export function colorOfEvent(type: string): string {
	return eventColor[type] ?? 'white';
}

export const focusColor = 'cyan';
export const dimColor = 'gray';
