// The catalogue of pidbox commands celerytop sends (docs/WIRE.md §5), in Celery's order, control
// then inspect: per method its kind, whether it waits for replies, whether it is dangerous, its CLI
// usage and help, the argument names the worker accepts, and how its CLI words and `arguments` are
// checked. control.ts builds the lookup from it. Pure.
import {
	arity,
	countArgs,
	countCheck,
	fail,
	nonEmpty,
	ok,
	parseBoolean,
	parseCount,
	parseRateLimit,
	parseSeconds,
	parseSignal,
	required,
	stampedHeaders,
	taskIds,
	withTerminate,
	type Arguments,
	type Checked,
	type Parser,
} from './control-args.js';
import {sanitize} from './sanitize.js';

export type CommandKind = 'control' | 'inspect';

export type Def = {
	readonly kind: CommandKind;
	readonly replies?: boolean;
	readonly dangerous?: boolean;
	readonly usage?: string;
	readonly help: string;
	readonly params?: readonly string[];
	readonly since?: string;
	/** CLI positionals → raw arguments (types converted as Celery's CLI does; checked by `check`). */
	readonly fromArgs?: Parser;
	/** Checks and normalises an arguments object (defaults to: only `params` allowed). */
	readonly check?: (method: string, args: Arguments) => Checked<Record<string, unknown>>;
};

export const DEFS: Readonly<Record<string, Def>> = {
	// -- control
	revoke: {
		kind: 'control',
		dangerous: true,
		usage: '<task_id> [<task_id> ...]',
		help: 'revoke tasks: workers skip them (kept in worker memory only)',
		params: ['task_id', 'terminate', 'signal'],
		fromArgs: (args) => ok({task_id: [...args]}),
		check: (method, args) => {
			const ids = taskIds(method, args['task_id']);
			if (!ids.ok) return ids;
			return withTerminate(method, args, {task_id: ids.value});
		},
	},
	revoke_by_stamped_headers: {
		kind: 'control',
		dangerous: true,
		since: '5.3',
		usage: '<header=value> [<header=value> ...]',
		help: 'revoke the tasks stamped with these headers (Celery 5.3+; kept in worker memory only)',
		params: ['headers', 'terminate', 'signal'],
		fromArgs: (args) => ok({headers: [...args]}),
		check: (method, args) => {
			const headers = stampedHeaders(method, args['headers']);
			if (!headers.ok) return headers;
			return withTerminate(method, args, {headers: headers.value});
		},
	},
	terminate: {
		kind: 'control',
		dangerous: true,
		usage: '<signal> <task_id> [<task_id> ...]',
		help: 'revoke tasks and kill the pool process running them with a signal',
		params: ['signal', 'task_id'],
		fromArgs: (args) => {
			if (args.length < 2) return fail('usage: terminate <signal> <task_id> [<task_id> ...]');
			return ok({signal: args[0], task_id: args.slice(1)});
		},
		check: (method, args) => {
			const signal = required(method, 'a signal', args['signal'], parseSignal);
			if (!signal.ok) return signal;
			const ids = taskIds(method, args['task_id']);
			if (!ids.ok) return ids;
			return ok({signal: signal.value, task_id: ids.value});
		},
	},
	rate_limit: {
		kind: 'control',
		usage: '<task_name> <rate_limit (e.g. 5/s | 5/m | 5/h)>',
		help: 'set the rate limit of a task type (0 turns it off)',
		params: ['task_name', 'rate_limit'],
		fromArgs: (args) =>
			arity('rate_limit', '<task_name> <rate_limit (e.g. 5/s | 5/m | 5/h)>', args, 2, 2) ??
			ok({task_name: args[0], rate_limit: args[1]}),
		check: (method, args) => {
			const name = nonEmpty(method, 'task name', args['task_name']);
			if (!name.ok) return name;
			const rate = required(method, 'a rate limit', args['rate_limit'], parseRateLimit);
			if (!rate.ok) return rate;
			return ok({task_name: name.value, rate_limit: rate.value});
		},
	},
	time_limit: {
		kind: 'control',
		usage: '<task_name> <soft_secs> [hard_secs]',
		help: 'set the soft and hard time limits of a task type',
		params: ['task_name', 'soft', 'hard'],
		fromArgs: (args) => {
			const bad = arity('time_limit', '<task_name> <soft_secs> [hard_secs]', args, 2, 3);
			if (bad) return bad;
			const soft = parseSeconds('soft', args[1]!);
			if (!soft.ok) return soft;
			const out: Record<string, unknown> = {task_name: args[0], soft: soft.value};
			if (args[2] !== undefined) {
				const hard = parseSeconds('hard', args[2]);
				if (!hard.ok) return hard;
				out['hard'] = hard.value;
			}
			return ok(out);
		},
		check: (method, args) => {
			const name = nonEmpty(method, 'task name', args['task_name']);
			if (!name.ok) return name;
			const out: Record<string, unknown> = {task_name: name.value};
			for (const key of ['soft', 'hard'] as const) {
				const value = args[key];
				if (value === undefined) continue;
				if (value === null) {
					out[key] = null;
					continue;
				}
				const seconds = parseSeconds(key, value);
				if (!seconds.ok || typeof value !== 'number')
					return fail(`${method}: ${key} must be a number of seconds`);
				out[key] = seconds.value;
			}
			const soft = out['soft'];
			const hard = out['hard'];
			if (typeof soft === 'number' && typeof hard === 'number' && hard > 0 && soft > hard)
				return fail(`${method}: the soft limit (${soft} s) must not exceed the hard limit (${hard} s)`);
			return ok(out);
		},
	},
	pool_grow: {
		kind: 'control',
		usage: '[N=1]',
		help: 'add N processes to the pool',
		params: ['n'],
		fromArgs: (args) => countArgs('pool_grow', args),
		check: (method, args) => countCheck(method, args),
	},
	pool_shrink: {
		kind: 'control',
		dangerous: true,
		usage: '[N=1]',
		help: 'remove N processes from the pool',
		params: ['n'],
		fromArgs: (args) => countArgs('pool_shrink', args),
		check: (method, args) => countCheck(method, args),
	},
	autoscale: {
		kind: 'control',
		usage: '[max [min]]',
		help: 'change the autoscale range (workers started with --autoscale)',
		params: ['max', 'min'],
		fromArgs: (args) => {
			const bad = arity('autoscale', '[max [min]]', args, 0, 2);
			if (bad) return bad;
			const out: Record<string, unknown> = {};
			if (args[0] !== undefined) out['max'] = args[0];
			if (args[1] !== undefined) out['min'] = args[1];
			return ok(out);
		},
		check: (method, args) => {
			const out: Record<string, unknown> = {};
			if (args['max'] !== undefined && args['max'] !== null) {
				const max = parseCount(`${method} max`, args['max'], 1);
				if (!max.ok) return max;
				out['max'] = max.value;
			}
			if (args['min'] !== undefined && args['min'] !== null) {
				const min = parseCount(`${method} min`, args['min'], 0);
				if (!min.ok) return min;
				out['min'] = min.value;
			}
			if (typeof out['max'] === 'number' && typeof out['min'] === 'number' && out['min'] > out['max'])
				return fail(`${method}: min (${out['min']}) must not exceed max (${out['max']})`);
			return ok(out);
		},
	},
	add_consumer: {
		kind: 'control',
		usage: '<queue> [exchange [type [routing_key]]]',
		help: 'start consuming from a queue',
		params: ['queue', 'exchange', 'exchange_type', 'routing_key'],
		fromArgs: (args) => {
			const bad = arity('add_consumer', '<queue> [exchange [type [routing_key]]]', args, 1, 4);
			if (bad) return bad;
			const names = ['queue', 'exchange', 'exchange_type', 'routing_key'];
			return ok(Object.fromEntries(args.map((value, index) => [names[index]!, value])));
		},
		check: (method, args) => {
			const queue = nonEmpty(method, 'queue name', args['queue']);
			if (!queue.ok) return queue;
			const out: Record<string, unknown> = {queue: queue.value};
			for (const key of ['exchange', 'exchange_type', 'routing_key']) {
				const value = args[key];
				if (value === undefined || value === null) continue;
				if (typeof value !== 'string') return fail(`${method}: ${key} must be a string`);
				out[key] = value;
			}
			const type = out['exchange_type'];
			if (type !== undefined && !['direct', 'topic', 'fanout', 'headers'].includes(type as string))
				return fail(
					`${method}: exchange type must be direct, topic, fanout or headers, got '${sanitize(String(type))}'`,
				);
			return ok(out);
		},
	},
	cancel_consumer: {
		kind: 'control',
		dangerous: true,
		usage: '<queue>',
		help: 'stop consuming from a queue',
		params: ['queue'],
		fromArgs: (args) => arity('cancel_consumer', '<queue>', args, 1, 1) ?? ok({queue: args[0]}),
		check: (method, args) => {
			const queue = nonEmpty(method, 'queue name', args['queue']);
			return queue.ok ? ok({queue: queue.value}) : queue;
		},
	},
	enable_events: {kind: 'control', help: 'turn task events on'},
	disable_events: {kind: 'control', help: 'turn task events off'},
	heartbeat: {
		kind: 'control',
		replies: false,
		help: 'ask workers for a heartbeat event now (a cast: no reply)',
	},
	shutdown: {
		kind: 'control',
		replies: false,
		dangerous: true,
		help: 'warm shutdown of workers (no reply: watch for worker-offline)',
	},
	// -- inspect
	ping: {kind: 'inspect', help: 'ping workers'},
	active: {kind: 'inspect', help: 'tasks being executed', params: ['safe']},
	reserved: {kind: 'inspect', help: 'tasks prefetched, not started yet', params: ['safe']},
	scheduled: {kind: 'inspect', help: 'ETA/countdown tasks held by workers', params: ['safe']},
	revoked: {kind: 'inspect', help: 'revoked task ids in worker memory'},
	registered: {
		kind: 'inspect',
		usage: '[attr1 [attr2 [... [attrN]]]]',
		help: 'registered task types (with attributes such as rate_limit)',
		params: ['taskinfoitems', 'builtins'],
		fromArgs: (args) => ok({taskinfoitems: [...args]}),
		check: (method, args) => {
			const out: Record<string, unknown> = {};
			const items = args['taskinfoitems'];
			if (items !== undefined && items !== null) {
				if (!Array.isArray(items) || items.some((item) => typeof item !== 'string' || item === ''))
					return fail(`${method}: taskinfoitems must be a list of attribute names`);
				out['taskinfoitems'] = [...items];
			}
			if (args['builtins'] !== undefined) {
				if (typeof args['builtins'] !== 'boolean') return fail(`${method}: builtins must be true or false`);
				out['builtins'] = args['builtins'];
			}
			return ok(out);
		},
	},
	stats: {kind: 'inspect', help: 'worker statistics: pool, broker, totals, rusage'},
	query_task: {
		kind: 'inspect',
		usage: '<task_id> [<task_id> ...]',
		help: 'what workers hold for these task ids',
		params: ['ids'],
		fromArgs: (args) => ok({ids: [...args]}),
		check: (method, args) => {
			const ids = taskIds(method, args['ids']);
			return ids.ok ? ok({ids: ids.value}) : ids;
		},
	},
	active_queues: {kind: 'inspect', help: 'queues workers consume from'},
	conf: {
		kind: 'inspect',
		usage: '[include_defaults=False]',
		help: 'worker configuration (non-default settings)',
		params: ['with_defaults'],
		fromArgs: (args) => {
			const bad = arity('conf', '[include_defaults=False]', args, 0, 1);
			if (bad) return bad;
			if (args[0] === undefined) return ok({});
			const flag = parseBoolean('with_defaults', args[0]);
			return flag.ok ? ok({with_defaults: flag.value}) : flag;
		},
		check: (method, args) => {
			if (args['with_defaults'] === undefined) return ok({});
			if (typeof args['with_defaults'] !== 'boolean')
				return fail(`${method}: with_defaults must be true or false`);
			return ok({with_defaults: args['with_defaults']});
		},
	},
	report: {kind: 'inspect', help: 'bug-report information about the installation'},
	clock: {kind: 'inspect', help: 'the logical (Lamport) clock of workers'},
};
