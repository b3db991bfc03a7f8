import {Text} from 'ink';
import {keyFor} from '../../keys/text-keymap.js';
import type {Worker} from '../../state/types.js';
import {heartbeatAge, isAlive} from '../../state/worker.js';
import {
	formatPool,
	formatPrefetch,
	formatQueues,
	formatUtilisation,
	utilisation,
	type WorkerInfo,
} from '../../present/worker-info.js';
import type {Column} from '../components/table.js';
import {formatAge, formatCount, formatLoad} from '../format.js';
import {theme} from '../theme.js';
import {ListPane} from './list-pane.js';
import type {ListProps} from './list-props.js';

/** Width the WORKER column keeps before an optional column is left out. */
export const WORKER_MIN = 16;

/**
 * The Workers pane's columns. WORKER and STATUS always show; the others by priority as the width
 * allows (components/table.tsx leaves out whole the ones that do not fit): UTIL, POOL, HEARTBEAT,
 * QUEUES, PREFETCH, PROCESSED, LOAD, VERSION. The pool facts come from the workers' stats and
 * active_queues replies (hooks/use-worker-info.ts): an offline worker shows no utilisation (it runs
 * nothing) and its last known pool.
 */
export function workerColumns(
	now: number,
	info: ReadonlyMap<string, WorkerInfo> = NO_INFO,
): Array<Column<Worker>> {
	const of = (w: Worker) => info.get(w.hostname);
	return [
		// Sized from the names shown (not a share of the width: at 200 columns it took half the pane).
		{
			key: 'hostname',
			header: 'WORKER',
			width: 'content',
			minWidth: WORKER_MIN,
			maxWidth: 48,
			value: (w) => w.hostname,
		},
		{
			key: 'status',
			header: 'STATUS',
			width: 7,
			value: (w) => (isAlive(w, now) ? 'online' : 'offline'),
			color: (w) => (isAlive(w, now) ? theme.ok : theme.error),
		},
		{
			key: 'active',
			header: 'UTIL',
			width: 7,
			priority: 1,
			align: 'right',
			value: (w) => (isAlive(w, now) ? formatUtilisation(w.active, of(w)) : ''),
			color: (w) => ((utilisation(w.active, of(w)) ?? 0) >= 1 ? theme.warning : undefined),
		},
		{
			key: 'pool',
			header: 'POOL',
			width: 'content',
			maxWidth: 16,
			priority: 2,
			value: (w) => formatPool(of(w)),
		},
		{
			key: 'prefetch',
			header: 'PREFETCH',
			width: 8,
			priority: 5,
			align: 'right',
			value: (w) => formatPrefetch(of(w)),
		},
		{
			key: 'queues',
			header: 'QUEUES',
			width: 'content',
			maxWidth: 24,
			priority: 4,
			value: (w) => formatQueues(of(w)),
		},
		{
			key: 'processed',
			header: 'PROCESSED',
			width: 9,
			priority: 6,
			align: 'right',
			value: (w) => (w.processed === undefined ? '' : formatCount(w.processed)),
		},
		{key: 'load', header: 'LOAD', width: 14, priority: 7, value: (w) => formatLoad(w.loadavg)},
		{
			key: 'heartbeat',
			header: 'HEARTBEAT',
			width: 9,
			priority: 3,
			align: 'right',
			value: (w) => formatAge(heartbeatAge(w, now)),
		},
		{key: 'version', header: 'VERSION', width: 8, priority: 8, value: (w) => w.swVer ?? ''},
	];
}

const NO_INFO: ReadonlyMap<string, WorkerInfo> = new Map();

export function workerKey(worker: Worker): string {
	return worker.hostname;
}

type PaneProps = ListProps<Worker> & {
	/** hostname → pool facts from the workers' replies (useWorkerInfo); none: those cells are empty. */
	readonly workerInfo?: ReadonlyMap<string, WorkerInfo>;
	/** `sort STATUS ↑` (empty for the default order, by name). */
	readonly sort?: string;
};

export function WorkersPane({now, workerInfo, sort, ...list}: PaneProps) {
	return (
		<ListPane
			{...list}
			title={sort ? `Workers · ${sort}` : 'Workers'}
			columns={() => workerColumns(now, workerInfo)}
			rowKey={workerKey}
			emptyText="no worker heard from yet (heartbeats come every 2 s)"
		/>
	);
}

type LineProps = {
	readonly workers: readonly Worker[];
	/** Workers alive now (the app counts them once a frame for the header too). */
	readonly online: number;
	readonly now: number;
	readonly width: number;
	/** Pool facts (useWorkerInfo): an online worker shows active/concurrency (`2/4`) when known. */
	readonly workerInfo?: ReadonlyMap<string, WorkerInfo>;
};

/** `2/4` when the concurrency is known, else `2 active`. */
function activeText(active: number, info: WorkerInfo | undefined): string {
	return info?.concurrency === undefined ? `${active} active` : formatUtilisation(active, info);
}

const OPENS = `${keyFor('pane.prev')} opens`;

/**
 * The workers pane folded into one line (a short screen, another pane focused): each worker's state
 * and active tasks (of its concurrency when known), and the key that opens the pane.
 */
export function WorkersLine({workers, online, now, width, workerInfo}: LineProps) {
	return (
		<Text wrap="truncate-end">
			<Text color={theme.border}>{`Workers ${online}/${workers.length} (${OPENS}): `}</Text>
			{workers.length === 0 ? <Text color={theme.muted}>none heard from yet</Text> : null}
			{workers.slice(0, Math.max(1, Math.floor(width / 12))).map((w, i) => {
				const alive = isAlive(w, now);
				return (
					<Text key={w.hostname}>
						{i > 0 ? '  ' : ''}
						<Text color={alive ? theme.ok : theme.error}>{alive ? '●' : '○'}</Text>
						{` ${w.hostname}`}
						{alive && w.active !== undefined ? (
							<Text color={theme.muted}>{` ${activeText(w.active, workerInfo?.get(w.hostname))}`}</Text>
						) : null}
					</Text>
				);
			})}
		</Text>
	);
}
