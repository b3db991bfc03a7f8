// Colours: the one place the UI names a colour (a test keeps colour names out of every other file in
// ui/). Views ask for a role; task states and event types have their own tables below. Faint text uses
// Ink's `dimColor` attribute, which is a style, not a colour.

/** What a colour means on screen; each value is an Ink colour name. */
export const theme = {
	/** Went right: connected, online, succeeded, a result, a healthy figure. */
	ok: 'green',
	/** Worth a look: connecting, paused, read-only, an estimate, a result kept without TTL. */
	warning: 'yellow',
	/** Went wrong: an error, offline, failed, malformed messages, a traceback. */
	error: 'red',
	/** Background facts: ids, "asking…", a key without TTL, keys that are off. */
	muted: 'gray',
	/** What leads the eye: the app's name, key hints, field labels, figure names, the current tab. */
	accent: 'cyan',
	/** A second accent beside `accent`: unacked messages beside the next ones, subscribers. */
	secondary: 'magenta',
	/** Revoked, terminated or expired, and a revoke sent but not confirmed (as the REVOKED state). */
	revoked: 'magenta',
	/** The focused pane's border and title. */
	focus: 'cyan',
	/** The other panes' borders. */
	border: 'gray',
	/** The `/` filter prompt, and the filter in force in the header. */
	filter: 'yellow',
	/** A dialog that asks or chooses. */
	dialog: 'yellow',
	/** A dialog whose answer changes something, and the MONITOR warning box. */
	danger: 'red',
	/** The app's log lines under the panes (what an action did). */
	log: 'yellow',
} as const satisfies Readonly<Record<string, string>>;

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
