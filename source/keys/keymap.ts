// The one registry of keys: input handling, the footer and the help overlay all read it.
export type Scope =
	| 'global'
	| 'celery'
	| 'inspector'
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
	| 'monitor'
	/** Looked up last, whatever is open (a dialog aside): ^C quits from anywhere. */
	| 'always';

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
	/** A shorter label for the footer. */
	readonly hint?: string;
};

export const keymap = [
	{id: 'app.quit', keys: ['q'], scope: 'global', label: 'quit', footer: true},
	{id: 'app.quit', keys: ['ctrl+c'], scope: 'always', label: 'quit (anywhere, the filter line too)'},
	{id: 'help.toggle', keys: ['?'], scope: 'global', label: 'help', footer: true},
	{id: 'view.celery', keys: ['1'], scope: 'global', label: 'Celery: workers, tasks, events'},
	{
		id: 'view.redis',
		keys: ['2'],
		scope: 'global',
		label: 'Redis: server overview',
		footer: true,
		hint: 'Redis views (2–6)',
	},
	{id: 'view.memory', keys: ['3'], scope: 'global', label: 'Redis: where the memory goes'},
	{id: 'view.queues', keys: ['4'], scope: 'global', label: 'Redis: Celery queues'},
	{id: 'view.keys', keys: ['5'], scope: 'global', label: 'Redis: key browser'},
	{id: 'view.monitor', keys: ['6'], scope: 'global', label: 'Redis: MONITOR (opt-in)'},
	{id: 'pane.next', keys: ['tab'], scope: 'celery', label: 'next pane', footer: true},
	{id: 'pane.prev', keys: ['shift+tab'], scope: 'celery', label: 'previous pane'},
	{id: 'view.pause', keys: ['p'], scope: 'celery', label: 'pause/resume view', footer: true},
	{id: 'filter.open', keys: ['/'], scope: 'celery', label: 'filter tasks and events', footer: true},
	{id: 'filter.clear', keys: ['escape'], scope: 'celery', label: 'clear filter'},
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
	{
		id: 'task.revokeStamped',
		keys: ['H'],
		scope: 'tasks',
		label: 'revoke by stamped header (Celery 5.3+)',
		dangerous: true,
		control: true,
	},
	{
		id: 'task.rateLimit',
		keys: ['l'],
		scope: 'tasks',
		label: 'rate limit its task name',
		dangerous: true,
		control: true,
	},
	// Any move holds the row under the cursor; this goes back to following the newest (row 1).
	{
		id: 'cursor.follow',
		keys: ['f'],
		scope: 'tasks',
		label: 'follow newest (row 1)',
		footer: true,
		hint: 'follow newest',
	},
	{
		id: 'cursor.follow',
		keys: ['f'],
		scope: 'stream',
		label: 'follow newest events (row 1)',
		footer: true,
		hint: 'follow newest',
	},
	// Sort (htop's < and >): the Tasks and Workers panes, by any column, both directions.
	{
		id: 'sort.next',
		keys: ['>'],
		scope: 'tasks',
		label: 'sort by the next column',
		footer: true,
		hint: 'sort',
	},
	{id: 'sort.prev', keys: ['<'], scope: 'tasks', label: 'sort by the previous column'},
	{id: 'sort.invert', keys: ['I'], scope: 'tasks', label: 'invert the sort'},
	{
		id: 'tasks.stuckOnly',
		keys: ['!'],
		scope: 'tasks',
		label: 'only stuck and lost tasks (again: all)',
		footer: true,
		hint: 'stuck',
	},
	// Marks (htop's tag): revoke and terminate then act on the marked tasks, in one confirmation.
	{
		id: 'task.mark',
		keys: [' '],
		scope: 'tasks',
		label: 'mark/unmark the task (then c, T act on the marked)',
		footer: true,
		hint: 'mark',
	},
	{id: 'task.markAll', keys: ['M'], scope: 'tasks', label: 'mark every task shown (the filter applies)'},
	{id: 'task.unmarkAll', keys: ['U'], scope: 'tasks', label: 'unmark all'},
	{
		id: 'worker.inspect',
		keys: ['enter', 'i'],
		scope: 'workers',
		label: 'inspect (stats, active, reserved, …)',
		footer: true,
		hint: 'inspect',
	},
	{
		id: 'worker.poolGrow',
		keys: ['+'],
		scope: 'workers',
		label: 'grow pool',
		footer: true,
		dangerous: true,
		control: true,
	},
	{
		id: 'worker.poolShrink',
		keys: ['-'],
		scope: 'workers',
		label: 'shrink pool',
		footer: true,
		dangerous: true,
		control: true,
	},
	{
		id: 'worker.autoscale',
		keys: ['a'],
		scope: 'workers',
		label: 'autoscale (max,min)',
		dangerous: true,
		control: true,
	},
	{id: 'worker.addConsumer', keys: ['A'], scope: 'workers', label: 'add consumer (queue)', control: true},
	{
		id: 'worker.cancelConsumer',
		keys: ['C'],
		scope: 'workers',
		label: 'cancel consumer (queue)',
		dangerous: true,
		control: true,
	},
	{
		id: 'worker.rateLimit',
		keys: ['l'],
		scope: 'workers',
		label: 'rate limit a task',
		dangerous: true,
		control: true,
	},
	{
		id: 'worker.timeLimit',
		keys: ['L'],
		scope: 'workers',
		label: 'time limit a task',
		dangerous: true,
		control: true,
	},
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
	{
		id: 'sort.next',
		keys: ['>'],
		scope: 'workers',
		label: 'sort by the next column',
		footer: true,
		hint: 'sort',
	},
	{id: 'sort.prev', keys: ['<'], scope: 'workers', label: 'sort by the previous column'},
	{id: 'sort.invert', keys: ['I'], scope: 'workers', label: 'invert the sort'},
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
	// The Redis inspector (views 2–6). Scans run on demand; Esc cancels them.
	{id: 'redis.overview.panel', keys: ['tab'], scope: 'redis', label: 'clients / slowlog', footer: true},
	{
		id: 'redis.memory.keys',
		keys: ['enter'],
		scope: 'memory',
		label: "browse the family's keys",
		footer: true,
		hint: 'its keys',
	},
	{
		id: 'redis.memory.pattern',
		keys: ['/'],
		scope: 'memory',
		label: 'pattern (SCAN MATCH)',
		footer: true,
		hint: 'pattern',
	},
	{
		id: 'redis.memory.sample',
		keys: ['S'],
		scope: 'memory',
		label: 'sampled scan (N keys measured)',
		footer: true,
		hint: 'sampled',
	},
	{id: 'redis.rescan', keys: ['r'], scope: 'memory', label: 'rescan', footer: true},
	{id: 'redis.queues.focus', keys: ['tab'], scope: 'queues', label: 'queues / messages', footer: true},
	{id: 'redis.rescan', keys: ['r'], scope: 'queues', label: 'read again', footer: true},
	{
		id: 'redis.purge',
		keys: ['P'],
		scope: 'queues',
		label: 'purge the queue (type its name)',
		footer: true,
		hint: 'purge',
		dangerous: true,
		control: true,
	},
	{
		id: 'redis.keys.detail',
		keys: ['enter'],
		scope: 'keys',
		label: 'key detail',
		footer: true,
		hint: 'detail',
	},
	{
		id: 'redis.keys.pattern',
		keys: ['/'],
		scope: 'keys',
		label: 'pattern (SCAN MATCH)',
		footer: true,
		hint: 'pattern',
	},
	{
		id: 'redis.keys.sort',
		keys: ['s'],
		scope: 'keys',
		label: 'sort: size, TTL, name',
		footer: true,
		hint: 'sort',
	},
	{id: 'redis.rescan', keys: ['r'], scope: 'keys', label: 'rescan', footer: true},
	{
		id: 'redis.del',
		keys: ['D'],
		scope: 'keys',
		label: 'delete the key (DEL)',
		footer: true,
		hint: 'DEL',
		dangerous: true,
		control: true,
	},
	{
		id: 'redis.monitor.start',
		keys: ['m'],
		scope: 'monitor',
		label: 'start MONITOR (stops by itself)',
		footer: true,
		hint: 'start',
	},
	{
		id: 'redis.monitor.stop',
		keys: ['s'],
		scope: 'monitor',
		label: 'stop MONITOR',
		footer: true,
		hint: 'stop',
	},
	{
		id: 'redis.monitor.filter',
		keys: ['/'],
		scope: 'monitor',
		label: 'filter (command, client, db:N, argument)',
		footer: true,
		hint: 'filter',
	},
	{
		id: 'redis.cancel',
		keys: ['escape'],
		scope: 'inspector',
		label: 'cancel a scan, close a detail',
		footer: true,
		hint: 'cancel/back',
	},
	{id: 'redis.db', keys: ['d'], scope: 'inspector', label: 'switch db', footer: true, hint: 'db'},
	{
		id: 'redis.flushdb',
		keys: ['F'],
		scope: 'inspector',
		label: 'FLUSHDB (type the db number)',
		footer: true,
		hint: 'FLUSHDB',
		dangerous: true,
		control: true,
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
