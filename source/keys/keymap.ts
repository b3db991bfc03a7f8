// The one registry of keys: input handling, the footer and the help overlay all read it.
export type Scope =
	| 'global'
	| 'list'
	| 'tasks'
	| 'workers'
	| 'stream'
	| 'inspect'
	| 'overlay'
	| 'redis'
	| 'memory'
	| 'queues'
	| 'keys'
	| 'monitor';

export type Binding = {
	readonly id: string;
	readonly keys: readonly string[];
	readonly scope: Scope;
	readonly label: string;
	/** Asks for confirmation, naming its target, before it runs. */
	readonly dangerous?: boolean;
	/** Changes the cluster: refused under --read-only (the key says it is disabled). */
	readonly control?: boolean;
	/** Shown in the footer of its scope (the help overlay shows every binding). */
	readonly footer?: boolean;
};

export const keymap = [
	{id: 'app.quit', keys: ['q', 'ctrl+c'], scope: 'global', label: 'quit', footer: true},
	{id: 'help.toggle', keys: ['?'], scope: 'global', label: 'help', footer: true},
	{id: 'view.celery', keys: ['1'], scope: 'global', label: 'Celery: workers, tasks, events'},
	{id: 'view.redis', keys: ['2'], scope: 'global', label: 'Redis: server overview'},
	{id: 'view.memory', keys: ['3'], scope: 'global', label: 'Redis: where the memory goes'},
	{id: 'view.queues', keys: ['4'], scope: 'global', label: 'Redis: Celery queues'},
	{id: 'view.keys', keys: ['5'], scope: 'global', label: 'Redis: key browser'},
	{id: 'view.monitor', keys: ['6'], scope: 'global', label: 'Redis: MONITOR (opt-in)'},
	{id: 'pane.next', keys: ['tab'], scope: 'global', label: 'next pane', footer: true},
	{id: 'pane.prev', keys: ['shift+tab'], scope: 'global', label: 'previous pane'},
	{id: 'view.pause', keys: ['p'], scope: 'global', label: 'pause/resume view', footer: true},
	{id: 'filter.open', keys: ['/'], scope: 'global', label: 'filter tasks and events', footer: true},
	{id: 'filter.clear', keys: ['escape'], scope: 'global', label: 'clear filter'},
	{id: 'cursor.down', keys: ['j', 'down'], scope: 'list', label: 'down', footer: true},
	{id: 'cursor.up', keys: ['k', 'up'], scope: 'list', label: 'up'},
	{id: 'cursor.pageDown', keys: ['pagedown', 'ctrl+f'], scope: 'list', label: 'page down'},
	{id: 'cursor.pageUp', keys: ['pageup', 'ctrl+b'], scope: 'list', label: 'page up'},
	{id: 'cursor.top', keys: ['g', 'home'], scope: 'list', label: 'first row'},
	{id: 'cursor.bottom', keys: ['G', 'end'], scope: 'list', label: 'last row'},
	{id: 'task.detail', keys: ['enter', 'i'], scope: 'tasks', label: 'task detail', footer: true},
	{id: 'task.traceback', keys: ['t'], scope: 'tasks', label: 'traceback'},
	{id: 'task.result', keys: ['r'], scope: 'tasks', label: 'result'},
	{
		id: 'task.revoke',
		keys: ['c'],
		scope: 'tasks',
		label: 'revoke',
		footer: true,
		dangerous: true,
		control: true,
	},
	{
		id: 'task.terminate',
		keys: ['T'],
		scope: 'tasks',
		label: 'terminate (choose signal)',
		footer: true,
		dangerous: true,
		control: true,
	},
	{id: 'task.rateLimit', keys: ['l'], scope: 'tasks', label: 'rate limit its task name', control: true},
	{
		id: 'worker.inspect',
		keys: ['enter', 'i'],
		scope: 'workers',
		label: 'inspect (stats, active, reserved, …)',
		footer: true,
	},
	{id: 'worker.poolGrow', keys: ['+'], scope: 'workers', label: 'grow pool', footer: true, control: true},
	{
		id: 'worker.poolShrink',
		keys: ['-'],
		scope: 'workers',
		label: 'shrink pool',
		footer: true,
		dangerous: true,
		control: true,
	},
	{id: 'worker.autoscale', keys: ['a'], scope: 'workers', label: 'autoscale (max,min)', control: true},
	{id: 'worker.addConsumer', keys: ['A'], scope: 'workers', label: 'add consumer (queue)', control: true},
	{
		id: 'worker.cancelConsumer',
		keys: ['C'],
		scope: 'workers',
		label: 'cancel consumer (queue)',
		dangerous: true,
		control: true,
	},
	{id: 'worker.rateLimit', keys: ['l'], scope: 'workers', label: 'rate limit a task', control: true},
	{id: 'worker.timeLimit', keys: ['L'], scope: 'workers', label: 'time limit a task', control: true},
	{id: 'worker.enableEvents', keys: ['e'], scope: 'workers', label: 'enable task events', control: true},
	{
		id: 'worker.shutdown',
		keys: ['S'],
		scope: 'workers',
		label: 'shut down',
		footer: true,
		dangerous: true,
		control: true,
	},
	{id: 'inspect.stats', keys: ['s'], scope: 'inspect', label: 'stats', footer: true},
	{id: 'inspect.active', keys: ['a'], scope: 'inspect', label: 'active', footer: true},
	{id: 'inspect.reserved', keys: ['r'], scope: 'inspect', label: 'reserved', footer: true},
	{id: 'inspect.scheduled', keys: ['d'], scope: 'inspect', label: 'scheduled (ETA)', footer: true},
	{id: 'inspect.registered', keys: ['g'], scope: 'inspect', label: 'registered', footer: true},
	{id: 'inspect.revoked', keys: ['v'], scope: 'inspect', label: 'revoked', footer: true},
	{id: 'inspect.active_queues', keys: ['u'], scope: 'inspect', label: 'active queues', footer: true},
	{id: 'inspect.conf', keys: ['o'], scope: 'inspect', label: 'conf', footer: true},
	{id: 'inspect.refresh', keys: ['R'], scope: 'inspect', label: 'refresh'},
	{
		id: 'task.detail',
		keys: ['enter', 'i'],
		scope: 'stream',
		label: "detail of the event's task",
		footer: true,
	},
	{
		id: 'overlay.close',
		keys: ['escape', 'q', 'backspace', 'left', 'enter', '?'],
		scope: 'overlay',
		label: 'back',
		footer: true,
	},
	{id: 'overlay.down', keys: ['j', 'down'], scope: 'overlay', label: 'scroll', footer: true},
	{id: 'overlay.up', keys: ['k', 'up'], scope: 'overlay', label: 'scroll up'},
	{id: 'overlay.pageDown', keys: ['pagedown', ' '], scope: 'overlay', label: 'page down'},
	{id: 'overlay.pageUp', keys: ['pageup'], scope: 'overlay', label: 'page up'},
	{id: 'overlay.top', keys: ['g', 'home'], scope: 'overlay', label: 'top'},
	{id: 'overlay.bottom', keys: ['G', 'end'], scope: 'overlay', label: 'bottom'},
] as const satisfies readonly Binding[];

export type CommandId = (typeof keymap)[number]['id'];

/** How a key name is shown to the operator. */
export function displayKey(key: string): string {
	const names: Record<string, string> = {
		down: '↓',
		up: '↑',
		left: '←',
		right: '→',
		enter: 'Enter',
		escape: 'Esc',
		tab: 'Tab',
		'shift+tab': 'S-Tab',
		pagedown: 'PgDn',
		pageup: 'PgUp',
		home: 'Home',
		end: 'End',
		backspace: 'Bksp',
		' ': 'Space',
	};
	if (names[key]) return names[key];
	if (key.startsWith('ctrl+')) return `^${key.slice(5).toUpperCase()}`;
	return key;
}
