// Pure: which family a Redis key belongs to (docs/WIRE.md §9), and what the kombu binding sets say.
// Celery's own keys are recognised by name (honouring global_keyprefix, which Celery 5.3+ also puts in
// front of results when the result backend is given it);
// queue lists by their binding, their priority suffix, or a kombu message at their tail; every other
// key is grouped by its leading segment.
import {DEFAULT_SEP} from './channels.js';

export type FamilyKind =
	| 'celery-results'
	| 'celery-group-results'
	| 'celery-queue'
	| 'celery-unacked'
	| 'kombu-bindings'
	| 'pidbox-replies'
	| 'app';

export const CELERY_KINDS: readonly FamilyKind[] = [
	'celery-queue',
	'celery-unacked',
	'celery-results',
	'celery-group-results',
	'kombu-bindings',
	'pidbox-replies',
];

export type KeyFamily = {
	readonly kind: FamilyKind;
	/** The group: a queue name, 'celery-task-meta', 'unacked', or an app prefix such as 'session'. */
	readonly family: string;
	/** celery-queue: the priority of this sub-list (0 for the base list, else its suffix). */
	readonly priority?: number;
};

export type ClassifyContext = {
	/**
	 * kombu's global_keyprefix (applies to queues, bindings, unacked and reply lists; results carry it
	 * from Celery 5.3 on when result_backend_transport_options sets it too, see resultKeyPrefix).
	 */
	readonly prefix?: string;
	readonly sep?: string;
	/** TYPE of the key when known ('list', 'string', …). */
	readonly type?: string;
	/** Queue names from the binding sets (members' queue part, without prefix). */
	readonly knownQueues?: ReadonlySet<string>;
	/** True when the tail element of this list decoded as a kombu message. */
	readonly holdsMessages?: boolean;
};

const UUID_AT_START =
	/^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})(?![0-9a-z])/i;
const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const REPLY_LIST = /\.reply\.([^]*\.pidbox)$/;
const UNACKED = new Set(['unacked', 'unacked_index', 'unacked_mutex']);

/**
 * The application family of a key: its leading segment before ':', '.', '-' or a uuid
 * ('session:42' → 'session', 'cache.user.1' → 'cache', 'job0b7c…uuid' → 'job').
 * A key that starts with a uuid gives '(uuid)', a number '(number)', an empty segment '(empty)'.
 */
export function appPrefix(key: string): string {
	if (UUID_AT_START.test(key)) return '(uuid)';
	let end = key.length;
	for (const separator of [':', '.', '-']) {
		const index = key.indexOf(separator);
		if (index !== -1 && index < end) end = index;
	}
	const uuid = UUID_ANYWHERE.exec(key);
	if (uuid && uuid.index < end) end = uuid.index;
	const segment = key.slice(0, end);
	if (segment === '') return '(empty)';
	if (/^\d+$/.test(segment)) return '(number)';
	return segment;
}

/** Split a priority sub-list name 'q SEP 3' into ['q', 3]; undefined for other names. */
export function splitPriorityList(name: string, sep = DEFAULT_SEP): [string, number] | undefined {
	const index = name.lastIndexOf(sep);
	if (index <= 0) return undefined;
	const suffix = name.slice(index + sep.length);
	if (!/^\d{1,3}$/.test(suffix)) return undefined;
	return [name.slice(0, index), Number(suffix)];
}

/**
 * The Redis type a key has by its name alone: Celery's result backend writes task and group results
 * as strings (SET/SETEX). Undefined when the name does not tell.
 */
export function typeByName(key: string): string | undefined {
	return key.startsWith('celery-task-meta-') || key.startsWith('celery-taskset-meta-') ? 'string' : undefined;
}

/**
 * The prefix Celery 5.3+ puts before result keys for a global_keyprefix in
 * result_backend_transport_options: the prefix itself when it ends with ':', '_', '-' or '.', else the
 * prefix and '_' ('pfx:' → 'pfx:celery-task-meta-…', 'app' → 'app_celery-task-meta-…').
 */
export function resultKeyPrefix(prefix: string): string {
	return prefix === '' || /[:_\-.]$/.test(prefix) ? prefix : `${prefix}_`;
}

export function classifyKey(key: string, context: ClassifyContext = {}): KeyFamily {
	const prefix = context.prefix ?? '';
	// Results: unprefixed (Celery 5.2, or a backend without the option) or prefixed as 5.3+ does.
	for (const head of prefix === '' ? [''] : ['', resultKeyPrefix(prefix)]) {
		if (!key.startsWith(head)) continue;
		const name = key.slice(head.length);
		if (name.startsWith('celery-task-meta-')) return {kind: 'celery-results', family: 'celery-task-meta'};
		if (name.startsWith('celery-taskset-meta-'))
			return {kind: 'celery-group-results', family: 'celery-taskset-meta'};
	}
	const type = context.type;
	if (key.startsWith(prefix)) {
		const name = key.slice(prefix.length);
		if (name.startsWith('_kombu.binding.')) return {kind: 'kombu-bindings', family: '_kombu.binding'};
		if (UNACKED.has(name)) return {kind: 'celery-unacked', family: 'unacked'};
		const reply = REPLY_LIST.exec(name);
		if (reply && (type === undefined || type === 'list'))
			return {kind: 'pidbox-replies', family: `reply.${reply[1]}`};
		if (type === undefined || type === 'list') {
			const split = splitPriorityList(name, context.sep ?? DEFAULT_SEP);
			if (split) return {kind: 'celery-queue', family: split[0], priority: split[1]};
			if (context.knownQueues?.has(name) || (type === 'list' && context.holdsMessages === true)) {
				return {kind: 'celery-queue', family: name, priority: 0};
			}
		}
	}
	return {kind: 'app', family: appPrefix(key)};
}

/** True when a list key is neither named as a Celery key nor a known queue: peek at its tail to decide. */
export function needsPeek(key: string, context: ClassifyContext): boolean {
	if (context.type !== 'list') return false;
	const family = classifyKey(key, context);
	return family.kind === 'app';
}

export type BindingMember = {readonly routingKey: string; readonly pattern: string; readonly queue: string};

/** 'celery SEP SEP celery' → {routingKey: 'celery', pattern: '', queue: 'celery'}. */
export function parseBindingMember(member: string, sep = DEFAULT_SEP): BindingMember | undefined {
	const parts = member.split(sep);
	if (parts.length !== 3) return undefined;
	return {routingKey: parts[0]!, pattern: parts[1]!, queue: parts[2]!};
}

export type BindingSet = {readonly key: string; readonly members: readonly string[]};

export type BindingIndex = {
	/** Task queues (lists) named by the bindings of direct/topic exchanges. */
	readonly queues: ReadonlySet<string>;
	/** Reply queues that a control client is still waiting on (members of _kombu.binding.reply.*.pidbox). */
	readonly replyQueues: ReadonlySet<string>;
	/** Exchange → parsed members. */
	readonly exchanges: ReadonlyMap<string, readonly BindingMember[]>;
};

/** Index the binding sets. Fanout exchanges (celeryev, <name>.pidbox) bind pub/sub queues, not lists. */
export function indexBindings(sets: readonly BindingSet[], prefix = '', sep = DEFAULT_SEP): BindingIndex {
	const queues = new Set<string>();
	const replyQueues = new Set<string>();
	const exchanges = new Map<string, BindingMember[]>();
	const head = `${prefix}_kombu.binding.`;
	for (const set of sets) {
		if (!set.key.startsWith(head)) continue;
		const exchange = set.key.slice(head.length);
		const members = set.members.flatMap((m) => parseBindingMember(m, sep) ?? []);
		exchanges.set(exchange, members);
		if (exchange.startsWith('reply.') && exchange.endsWith('.pidbox')) {
			for (const member of members) replyQueues.add(member.queue);
		} else if (exchange !== 'celeryev' && !exchange.endsWith('.pidbox')) {
			for (const member of members) queues.add(member.queue);
		}
	}
	return {queues, replyQueues, exchanges};
}
