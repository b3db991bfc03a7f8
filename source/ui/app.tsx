// The screen: header, workers, tasks, event stream, footer; overlays for help, task detail and
// worker inspection; dialogs for actions. The only input handler lives here:
// key → reduceKeys() (keymap → command → handler) → next state + effects → the effect runner.
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import {Box, Text, useApp, useInput, type Key} from 'ink';
import {keyFor} from '../keys/text-keymap.js';
import {keyNames} from '../keys/match.js';
import type {ClusterSnapshot} from '../state/store.js';
import {isAlive} from '../state/worker.js';
import {Dialog, dialogRows} from './components/dialog.js';
import {FilterBox} from './components/filter-box.js';
import {Header} from './components/header.js';
import {jumpOffset, overlayContent} from './components/overlay-content.js';
import {overlayRows} from './components/overlay-lines.js';
import {ScrollText} from './components/scroll-text.js';
import {StatusBar} from './components/status-bar.js';
import {filterStreamRows} from './filter-rows.js';
import {sortTitle} from './list-order.js';
import {TaskIndex, type TaskQuery} from './task-index.js';
import {sortWorkers} from './worker-order.js';
import {shortId} from './format.js';
import {useSnapshot} from './hooks/use-cluster.js';
import {useNameFill} from './hooks/use-name-fill.js';
import {useQueueDepth} from './hooks/use-queue-depth.js';
import {QueueLineView} from './components/queue-line.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {sanitize} from '../protocol/sanitize.js';
import {computeLayout, MIN_COLUMNS, MIN_ROWS, tooSmall} from './layout.js';
import {rowsInPane} from './panes/list-props.js';
import {StreamLine, TasksLine} from './panes/folded-lines.js';
import {StreamPane, streamKey} from './panes/task-stream.js';
import {TasksPane} from './panes/tasks.js';
import {WorkersLine, WorkersPane, workerKey} from './panes/workers.js';
import {useWorkerInfo} from './hooks/use-worker-info.js';
import type {Context, Rows} from './context.js';
import type {Step} from './effects.js';
import {runEffects, type RunnerDeps} from './effect-runner.js';
import {reduceKeys, scopesOf} from './reduce.js';
import {RedisScreen} from './redis/screen.js';
import {listsOf} from './redis/screen-model.js';
import {initialRedisState} from './redis/state.js';
import {useRedisScreen} from './redis/use-redis-screen.js';
import {useServices} from './services.js';
import {theme} from './theme.js';
import {
	addLog,
	confirmShutdowns,
	DEFAULT_TASK_SORT,
	DEFAULT_WORKER_SORT,
	hideLog,
	initialUiState,
	LOG_SHOWN_SECONDS,
	isFollowing,
	PANES,
	reconcileSelection,
	windowOf,
	type PaneId,
	type Seen,
	type UiState,
} from './ui-state.js';

/**
 * The rows under the filter and the sorts. The tasks' index is kept from frame to frame: a frame
 * moves the tasks that changed and reads the window drawn (task-index.ts).
 */
function useRows(snapshot: ClusterSnapshot, ui: UiState): Rows {
	const index = useRef<TaskIndex | undefined>(undefined);
	const {filter, taskSort, workerSort, stuckOnly} = ui;
	return useMemo(() => {
		const query: TaskQuery = {filter, sort: taskSort.column, descending: taskSort.descending, stuckOnly};
		if (!index.current?.serves(query)) index.current = new TaskIndex(query);
		return {
			tasks: index.current.update(snapshot),
			workers: sortWorkers(snapshot.workers, workerSort, snapshot.now),
			stream: filterStreamRows(snapshot, filter),
		};
	}, [snapshot, filter, taskSort, workerSort, stuckOnly]);
}

export function App() {
	const services = useServices();
	const {exit} = useApp();
	const snapshot = useSnapshot();
	const {columns, rows: terminalRows} = useTerminalSize();
	const [ui, setUi] = useState<UiState>(() => ({
		...initialUiState,
		redis: initialRedisState(services.redis?.db ?? 0),
	}));
	const rows = useRows(snapshot, ui);
	// With a dialog open, one log line: the rows behind it (the task it names) keep their room.
	const logShown = ui.modal ? Math.min(1, ui.logShown) : ui.logShown;
	const footerExtra = (ui.filterOpen ? 1 : 0) + logShown + dialogRows(ui.modal, columns);
	// The queue-depth line: read every 2 s while the Celery screen shows (its samples stay across views).
	const celeryShown = ui.view === 'celery' && !ui.overlay;
	// Not before the broker answered: a wrong URL is told once, by the session, not by the line too.
	const depths = useQueueDepth(celeryShown && snapshot.connection.status === 'connected');
	const layout = computeLayout(
		terminalRows,
		snapshot.workers.length,
		footerExtra,
		ui.focus,
		depths !== undefined && celeryShown,
	);
	const paneHeights: Record<PaneId, number> = {
		workers: layout.workers,
		tasks: layout.tasks,
		stream: layout.stream,
	};
	const keys = useMemo(
		() => ({
			tasks: rows.tasks.keys,
			workers: rows.workers.map(workerKey),
			stream: rows.stream.map(streamKey),
		}),
		[rows],
	);
	// Where each cursor is drawn. A held row that went is drawn on the nearest row to where it was
	// last seen (and the effect below makes the cursor hold that row).
	const seen = useRef<Record<PaneId, Seen | undefined>>({
		workers: undefined,
		tasks: undefined,
		stream: undefined,
	});
	const windows = useMemo(() => {
		const result = {} as Record<PaneId, {index: number; offset: number}>;
		for (const pane of PANES) {
			const selection = ui.selection[pane];
			const shown = windowOf(selection, keys[pane], rowsInPane(paneHeights[pane]), seen.current[pane]);
			result[pane] = shown;
			if (selection.key !== undefined && keys[pane].at(shown.index) === selection.key)
				seen.current[pane] = {key: selection.key, index: shown.index};
		}
		return result;
	}, [ui.selection, keys, paneHeights.workers, paneHeights.tasks, paneHeights.stream]);
	const aliveWorkers = snapshot.workers.reduce((n, w) => n + (isAlive(w, snapshot.now) ? 1 : 0), 0);
	const overlay = useMemo(
		() => (ui.overlay ? overlayContent(ui.overlay, snapshot, services.readOnly, columns) : undefined),
		[ui.overlay, snapshot, services.readOnly, columns],
	);

	// Pool facts for the Workers pane: stats + active_queues once per worker coming online (never a frame).
	// Our own background questions (pool facts, names): none when a test counts the calls it sends.
	const asking = services.askWorkerInfo === false ? undefined : services.control;
	const workerInfo = useWorkerInfo(snapshot.workers, snapshot.now, asking, services.clock);
	// A running task first seen mid-flight: its worker's query_task tells its name (once per task).
	useNameFill(snapshot.running, asking, services.store);
	const redis = useRedisScreen(ui, services.redis, snapshot.now, {width: columns, height: layout.overlay});

	// What the reducers know of this frame (data only); `now` is read again when a key arrives.
	const context: Context = {
		snapshot,
		rows,
		keys,
		seen: seen.current,
		paneHeights,
		overlayLength: overlay?.lines.length ?? 0,
		overlayRows: overlayRows(layout.overlay),
		now: snapshot.now,
		readOnly: services.readOnly,
		paused: services.store.isPaused(),
		control: services.control !== undefined,
		inspector: services.redis ? {transport: services.redis.transport} : undefined,
		lists: listsOf(redis.screen),
	};
	const latest = useRef({ui, context});
	latest.current = {ui, context};
	const contextNow = (): Context => ({
		...latest.current.context,
		now: services.clock(),
		paused: services.store.isPaused(),
	});

	/** Take a reducer's step: the state now, its effects performed (their results come back the same way). */
	const runner = useRef<RunnerDeps | undefined>(undefined);
	const apply = (next: Step) => {
		if (next.state !== latest.current.ui) {
			latest.current.ui = next.state; // a second chunk before the next render builds on this one
			setUi(next.state);
		}
		if (next.effects.length > 0) runEffects(next.effects, runner.current!);
	};
	runner.current = {
		workerChanged: workerInfo.refresh,
		services,
		jobs: redis.jobs,
		exit,
		dispatch: (change) => apply(change(latest.current.ui, contextNow())),
	};
	const setState = (change: (s: UiState) => UiState) =>
		apply({state: change(latest.current.ui), effects: []});

	// The footer's status lines clear after a few seconds (not while a dialog is open: it may need them).
	useEffect(() => {
		if (ui.logShown === 0 || ui.modal) return;
		const shown = ui.log;
		const timer = setTimeout(() => setState((s) => hideLog(s, shown)), LOG_SHOWN_SECONDS * 1000);
		return () => clearTimeout(timer);
	}, [ui.log, ui.logShown, ui.modal]);

	// A shutdown gets no reply: its worker going offline is the confirmation, logged when seen.
	useEffect(() => {
		if (latest.current.ui.awaitingOffline.length > 0)
			setState((s) => confirmShutdowns(s, snapshot.workers, snapshot.now));
	}, [snapshot]);

	// A held row that went (evicted, filtered out) hands the cursor to the nearest row, and says so;
	// a worker is held by name from the moment the first one shows.
	const autoHeld = useRef<string | undefined>(undefined);
	useEffect(() => {
		const state = latest.current.ui;
		if (state.selection !== ui.selection) return; // keys moved it since this frame: the next one decides
		let selection = state.selection;
		const notes: string[] = [];
		for (const pane of PANES) {
			const current = selection[pane];
			const list = keys[pane];
			const shown = windows[pane];
			const first =
				pane === 'workers' && current.key === undefined && list.length > 0
					? {key: list.at(shown.index), index: shown.index, offset: shown.offset}
					: undefined;
			const moved = first ?? reconcileSelection(current, list, shown);
			if (!moved) continue;
			selection = {...selection, [pane]: moved};
			if (pane !== 'tasks' || current.key === undefined) continue;
			// Said once: not again when the row the cursor was handed goes too (the oldest, evicted in turn).
			const repeated = current.key === autoHeld.current;
			autoHeld.current = moved.key;
			if (repeated) continue;
			const why = snapshot.taskById(current.key) ? 'filtered out' : 'no longer kept (evicted)';
			notes.push(
				`task ${shortId(current.key, 8)} is ${why}: the cursor is on the nearest row; nothing was sent${state.modal ? `, the open dialog still names ${shortId(current.key, 8)}` : ''}`,
			);
		}
		if (selection !== state.selection) setState((s) => addLog({...s, selection}, notes));
	}, [keys, windows]);

	/** A detail opened at its result or traceback scrolls there (the overlay's lines depend on the width). */
	const jumped = useCallback(
		(next: UiState): UiState => {
			if (next.overlay?.kind !== 'detail' || !next.overlay.jump) return next;
			const content = overlayContent(next.overlay, latest.current.context.snapshot, false, columns);
			return {
				...next,
				overlay: {...next.overlay, jump: undefined, offset: jumpOffset(content.lines, next.overlay.jump)},
			};
		},
		[columns],
	);

	useInput((input: string, key: Key) => {
		// One chunk can hold several keys ("jjj", a paste): applied in order to one state.
		const next = reduceKeys(latest.current.ui, keyNames(input, key), contextNow());
		apply({state: jumped(next.state), effects: next.effects});
	});

	if (tooSmall(columns, terminalRows)) {
		return (
			<Text color={theme.warning} wrap="wrap">
				{`Terminal too small (${columns}x${terminalRows}): celerytop needs at least ${MIN_COLUMNS}x${MIN_ROWS}. ${keyFor('app.quit')} quits.`}
			</Text>
		);
	}

	const width = columns;
	const nameOf = (uuid: string) => snapshot.taskById(uuid)?.name;
	const paneProps = (pane: PaneId) => {
		const {index, offset} = windows[pane];
		const height = paneHeights[pane];
		return {selected: index, offset, width, height, focused: ui.focus === pane, now: snapshot.now};
	};
	const position = (pane: PaneId, total: number, of?: number) => {
		const at = total === 0 ? 0 : windows[pane].index + 1;
		return `${at}/${total}${of !== undefined && of !== total ? ` (of ${of})` : ''}`;
	};
	const shownLog = ui.log.slice(ui.log.length - logShown);

	return (
		<Box flexDirection="column" width={width}>
			<Header
				snapshot={snapshot}
				brokerDisplay={services.brokerDisplay}
				aliveWorkers={aliveWorkers}
				width={width}
				filter={ui.filterOpen ? '' : ui.filter}
			/>
			{ui.overlay && overlay ? (
				<ScrollText
					title={overlay.title}
					lines={overlay.lines}
					offset={ui.overlay.offset}
					width={width}
					height={layout.overlay}
				/>
			) : ui.view !== 'celery' ? (
				<RedisScreen screen={redis.screen} state={ui.redis} width={width} height={layout.overlay} />
			) : (
				<>
					{layout.queues > 0 && depths ? <QueueLineView state={depths} width={width} /> : null}
					{layout.workersFolded ? (
						<WorkersLine
							workers={rows.workers}
							online={aliveWorkers}
							now={snapshot.now}
							width={width}
							workerInfo={workerInfo.info}
						/>
					) : (
						<WorkersPane
							rows={rows.workers}
							sort={sortTitle(ui.workerSort, DEFAULT_WORKER_SORT)}
							workerInfo={workerInfo.info}
							{...paneProps('workers')}
							info={`${aliveWorkers} online · ${position('workers', rows.workers.length)}`}
						/>
					)}
					{layout.otherFolded && ui.focus === 'stream' ? (
						<TasksLine newest={rows.tasks.at(0)} count={rows.tasks.length} />
					) : (
						<TasksPane
							rows={rows.tasks}
							following={isFollowing(ui.selection.tasks)}
							filter={ui.filter}
							revokeSent={snapshot.revokeSent}
							marked={ui.marked}
							facts={snapshot}
							sort={sortTitle(ui.taskSort, DEFAULT_TASK_SORT)}
							stuckOnly={ui.stuckOnly}
							{...paneProps('tasks')}
							info={position('tasks', rows.tasks.length, rows.tasks.total)}
						/>
					)}
					{layout.otherFolded && ui.focus !== 'stream' ? (
						<StreamLine newest={rows.stream[0]} count={rows.stream.length} nameOf={nameOf} />
					) : layout.stream > 0 ? (
						<StreamPane
							nameOf={nameOf}
							following={isFollowing(ui.selection.stream)}
							filter={ui.filter}
							rows={rows.stream}
							{...paneProps('stream')}
							info={position('stream', rows.stream.length, snapshot.stream.length)}
						/>
					) : null}
				</>
			)}
			{ui.filterOpen ? <FilterBox text={ui.filter} /> : null}
			{shownLog.map((line, i) => (
				<Text key={i} color={theme.log} wrap="truncate-end">
					{sanitize(line)}
				</Text>
			))}
			{ui.modal ? <Dialog modal={ui.modal} width={width} /> : null}
			<StatusBar scopes={scopesOf(ui)} readOnly={services.readOnly} width={width} />
		</Box>
	);
}
