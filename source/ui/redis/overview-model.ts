// Pure: the server overview (view 2): watched figures with sparklines, the warnings first, and
// CLIENT LIST or SLOWLOG below.
import type {ClientRole} from '../../protocol/redis-clients.js';
import {clientRows, overviewLines, slowlogRows, type OverviewLine} from '../../present/redis-view.js';
import {sanitize} from '../../protocol/sanitize.js';
import {formatCount} from '../format.js';
import {clamp, type ListModel, type Size, type TextLine} from './model.js';
import type {StatsSnapshot} from '../../ports/inspector.js';
import type {RedisUiState} from './state.js';

export type OverviewModel = {
	readonly status: TextLine;
	readonly warnings: readonly TextLine[];
	readonly figures: readonly OverviewLine[];
	readonly topHeight: number;
	readonly panel: 'clients' | 'slowlog';
	readonly clients: ReturnType<typeof clientRows>;
	readonly slowlog: ReturnType<typeof slowlogRows>;
	readonly summary: string;
	readonly bottomHeight: number;
	readonly list: ListModel;
};

const ROLE_ORDER: readonly ClientRole[] = [
	'blocked',
	'subscriber',
	'monitor',
	'replica',
	'other',
	'celerytop',
];

function statusOf(stats: StatsSnapshot | undefined): TextLine {
	if (!stats || stats.status === 'connecting') return {text: 'asking Redis for INFO…', tone: 'dim'};
	const of = stats.source === undefined ? '' : ` of ${sanitize(stats.source)}`;
	if (stats.status === 'error')
		return {
			text: `INFO${of} failed: ${sanitize(stats.error ?? '?')} (retrying, with backoff)`,
			tone: 'error',
		};
	// A replica says how its link to the master is: down means stale figures and keys, and no events.
	const replication = stats.info?.['replication'];
	const link =
		replication?.['role'] === 'slave' ? String(replication['master_link_status'] ?? '?') : undefined;
	const linkText = link === undefined ? '' : ` (master link ${sanitize(link)})`;
	return {
		text: `INFO, CLIENT LIST and SLOWLOG${of}${linkText} every 1 s · ${formatCount(stats.polls)} polls`,
		tone: link === undefined || link === 'up' ? 'dim' : 'warning',
	};
}

export function overviewModel(
	state: RedisUiState,
	stats: StatsSnapshot | undefined,
	now: number,
	size: Size,
): OverviewModel {
	const latest = stats?.latest;
	const warnings: TextLine[] = (stats?.warnings ?? []).map((w) => ({
		text: `${w.level === 'critical' ? '✖' : '⚠'} ${sanitize(w.message)}`,
		tone: w.level,
	}));
	const figures =
		latest && stats ? overviewLines({...latest, history: stats.history, db: state.db}, now) : [];
	// Border 2, title 1, status 1, table header 1.
	const topHeight = clamp(figures.length + warnings.length + 5, 7, size.height - 6);
	const bottomHeight = size.height - topHeight;
	// Who matters to Celery first: workers blocked in BRPOP, subscribers, MONITORs; celerytop last.
	const clients = clientRows(
		[...(stats?.clients ?? [])].sort(
			(a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.id - b.id,
		),
	);
	const slowlog = slowlogRows(stats?.slowlog ?? [], now);
	const s = stats?.clientSummary;
	const summary = s
		? `${s.total} connected · ${s.blocked} blocked (BRPOP) · ${s.subscribers} subscribed · ${s.celerytop} celerytop`
		: '';
	const panel = state.overview.panel;
	const keys = panel === 'clients' ? clients.map((c) => c.id) : slowlog.map((e) => e.id);
	return {
		status: statusOf(stats),
		warnings,
		figures,
		topHeight,
		panel,
		clients,
		slowlog,
		summary,
		bottomHeight,
		list: {keys, rows: Math.max(0, bottomHeight - 4)},
	};
}
