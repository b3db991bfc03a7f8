// Pure: the key browser (view 5): the keys one SCAN found (pattern, bounded), sorted by size, TTL or
// name, each with its Celery family; Enter reads one key and decodes what Celery wrote in it.
import {describeKeyValue, type DetailLine} from '../../present/key-detail.js';
import {classifyKey} from '../../protocol/keyspace.js';
import {keyRow, sortKeys, type KeySort} from '../../present/redis-view.js';
import {sanitize} from '../../protocol/sanitize.js';
import type {TransportOptions} from '../../protocol/types.js';
import {overlayRows, type Line} from '../components/overlay-lines.js';
import {formatCount} from '../format.js';
import {theme} from '../theme.js';
import {isPatterned, jobLine, toneColor, type ListModel, type Size, type TextLine} from './model.js';
import type {KeyList} from '../../ports/inspector.js';
import type {RedisUiState} from './state.js';

/** Keys the browser keeps from one scan (sorting happens among them). */
export const KEY_LIMIT = 10_000;

export type KeyItem = ReturnType<typeof keyRow> & {readonly name: string; readonly family: string};

export type KeysModel = {
	readonly title: string;
	readonly status: TextLine;
	readonly items: readonly KeyItem[];
	readonly detail:
		{readonly title: string; readonly lines: readonly Line[]; readonly offset: number} | undefined;
	readonly list: ListModel;
	readonly detailList: ListModel;
};

const SORT_NAMES = {bytes: 'size', ttl: 'TTL (soonest first)', key: 'name'} as const;

function summary(list: KeyList | undefined, db: number): string {
	if (!list) return 'not scanned yet (r scans)';
	const shown = formatCount(list.keys.length);
	if (list.capped)
		return `the first ${shown} keys SCAN returned, of ${formatCount(list.total)} in db ${db}: sorted among those (narrow with /)`;
	return `${shown} key(s) of ${formatCount(list.total)} in db ${db}`;
}

function detailLines(lines: readonly DetailLine[]): Line[] {
	return lines.map((l) => ({
		label: l.label,
		text: l.value,
		color: toneColor(l.tone),
	}));
}

type Rows = {readonly items: readonly KeyItem[]; readonly keys: readonly string[]};
const NO_ROWS: Rows = {items: [], keys: []};

// Up to 10,000 keys are sorted and classified once per result and sort, not on every frame.
const cache = new WeakMap<KeyList, Map<string, Rows>>();

function rowsOf(list: KeyList, sort: KeySort, prefix: string, sep: string | undefined): Rows {
	const id = `${sort}\u0000${prefix}\u0000${sep ?? ''}`;
	const known = cache.get(list)?.get(id);
	if (known) return known;
	const sorted = sortKeys(list.keys, sort);
	const rows: Rows = {
		items: sorted.map((k) => ({
			...keyRow(k),
			name: k.key,
			family: sanitize(classifyKey(k.key, {prefix, sep, type: k.type}).family),
		})),
		keys: sorted.map((k) => k.key),
	};
	cache.set(list, new Map([...(cache.get(list) ?? []), [id, rows]]));
	return rows;
}

export type KeyContext = {readonly transport: TransportOptions; readonly visibilityTimeout: number};

export function keysModel(state: RedisUiState, context: KeyContext, now: number, size: Size): KeysModel {
	const {job, pattern, sort, detail} = state.keys;
	const prefix =
		typeof context.transport.global_keyprefix === 'string' ? context.transport.global_keyprefix : '';
	const sep = typeof context.transport.sep === 'string' ? context.transport.sep : undefined;
	const {items, keys} = job.result ? rowsOf(job.result, sort, prefix, sep) : NO_ROWS;
	const status = jobLine(job, 'key scan', isPatterned(pattern), size.width) ?? {
		text: summary(job.result, state.db),
		tone: job.result?.capped ? 'warning' : 'dim',
	};
	let view: KeysModel['detail'];
	if (detail) {
		const value = detail.job.result;
		const described =
			value &&
			describeKeyValue(value, {
				now,
				prefix,
				sep,
				visibilityTimeout: context.visibilityTimeout,
				width: size.width - 20,
			});
		const lines: Line[] = described
			? [
					...detailLines(described.summary),
					{text: ' '},
					{text: value.kind === 'other' ? 'no elements shown for this type' : 'Value', bold: true},
					...detailLines(described.items),
				]
			: detail.job.error
				? [{text: `could not read the key: ${sanitize(detail.job.error)}`, color: theme.error}]
				: [{text: 'reading…', color: theme.muted}];
		view = {title: `Key ${sanitize(detail.key)}`, lines, offset: detail.offset};
	}
	return {
		title: `Keys · db ${state.db} · ${isPatterned(pattern) ? `pattern ${sanitize(pattern)}` : 'every key'} · sorted by ${SORT_NAMES[sort]}`,
		status,
		items,
		detail: view,
		// Border 2, title 1, status 1, table header 1.
		list: {keys, rows: Math.max(0, size.height - 5)},
		detailList: {keys: view ? view.lines.map((_, i) => String(i)) : [], rows: overlayRows(size.height)},
	};
}
