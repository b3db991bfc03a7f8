// The screen: header, workers, tasks, event stream, footer; overlays for help and task detail.
// The only always-on input handler lives here: key → command id (keymap) → state change.
import {useCallback, useMemo, useRef, useState} from 'react';
import {Box, Text, useApp, useInput, type Key} from 'ink';
import type {CommandId, Scope} from '../keys/keymap.js';
import {keyNames, matchKey} from '../keys/match.js';
import {taskMatches} from '../state/selectors.js';
import {isAlive} from '../state/worker.js';
import type {StreamEntry, Task, Worker} from '../state/types.js';
import type {ClusterSnapshot} from '../state/store.js';
import {FilterBox} from './components/filter-box.js';
import {Header} from './components/header.js';
import {helpLines} from './components/help.js';
import {overlayRows, ScrollText} from './components/scroll-text.js';
import {StatusBar} from './components/status-bar.js';
import {taskDetailLines} from './components/task-detail.js';
import {useSnapshot} from './hooks/use-cluster.js';
import {scrollOffset} from './hooks/use-scroll-window.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {computeLayout, MIN_COLUMNS, MIN_ROWS, tooSmall} from './layout.js';
import {rowsInPane} from './panes/list-props.js';
import {StreamPane, streamKey} from './panes/task-stream.js';
import {TasksPane, taskKey} from './panes/tasks.js';
import {WorkersPane, workerKey} from './panes/workers.js';
import {useServices} from './services.js';
import {
	editFilter,
	initialUiState,
	moveSelection,
	nextPane,
	resolveIndex,
	type PaneId,
	type UiState,
} from './ui-state.js';

/** Does a stream entry match the filter text (type, host, task id or name)? */
export function streamMatches(entry: StreamEntry, filter: string): boolean {
	const needle = filter.toLowerCase();
	const e = entry.event as Record<string, unknown>;
	return [e['type'], e['hostname'], e['uuid'], e['name']].some(
		(v) => typeof v === 'string' && v.toLowerCase().includes(needle),
	);
}

/** Where keys are looked up, most specific first. */
function scopesOf(ui: UiState): Scope[] {
	return ui.overlay ? ['overlay'] : [ui.focus, 'list', 'global'];
}

type Rows = {tasks: readonly Task[]; workers: readonly Worker[]; stream: readonly StreamEntry[]};

function useRows(snapshot: ClusterSnapshot, filter: string): Rows {
	return useMemo(
		() => ({
			tasks: filter ? snapshot.tasks.filter((t) => taskMatches(t, filter)) : snapshot.tasks,
			workers: snapshot.workers,
			stream: filter ? snapshot.stream.filter((s) => streamMatches(s, filter)) : snapshot.stream,
		}),
		[snapshot, filter],
	);
}

const KEY_OF: {[P in PaneId]: (row: never) => string} = {
	tasks: taskKey as (row: never) => string,
	workers: workerKey as (row: never) => string,
	stream: streamKey as (row: never) => string,
};

export function App() {
	const services = useServices();
	const {exit} = useApp();
	const snapshot = useSnapshot();
	const {columns, rows: terminalRows} = useTerminalSize();
	const [ui, setUi] = useState<UiState>(initialUiState);
	const rows = useRows(snapshot, ui.filter);
	const layout = computeLayout(terminalRows, snapshot.workers.length, ui.filterOpen);
	const paneHeights: Record<PaneId, number> = {
		workers: layout.workers,
		tasks: layout.tasks,
		stream: layout.stream,
	};

	// Row keys of each pane, once per snapshot or filter change.
	const keys = useMemo(
		() => ({
			tasks: (rows.tasks as readonly never[]).map(KEY_OF.tasks),
			workers: (rows.workers as readonly never[]).map(KEY_OF.workers),
			stream: (rows.stream as readonly never[]).map(KEY_OF.stream),
		}),
		[rows],
	);
	const keysOf = useCallback((pane: PaneId): readonly string[] => keys[pane], [keys]);

	const overlayLines = useMemo(() => {
		if (!ui.overlay) return [];
		if (ui.overlay.kind === 'help') return helpLines(services.readOnly);
		const task = snapshot.tasks.find((t) => t.uuid === (ui.overlay as {uuid: string}).uuid);
		return task
			? taskDetailLines(task, columns - 4)
			: [{text: 'This task is no longer kept (evicted by --max-tasks).'}];
	}, [ui.overlay, snapshot, services.readOnly, columns]);

	const latest = useRef({ui, rows, overlayLines, layout, keysOf});
	latest.current = {ui, rows, overlayLines, layout, keysOf};

	/** Apply one command to a UI state and return the next one (side effects go to services). */
	const run = useCallback(
		(ui: UiState, command: CommandId): UiState => {
			const {rows, overlayLines, layout, keysOf} = latest.current;
			const paneHeights: Record<PaneId, number> = {
				workers: layout.workers,
				tasks: layout.tasks,
				stream: layout.stream,
			};
			const page = Math.max(1, rowsInPane(paneHeights[ui.focus]) - 1);
			const move = (delta: number | 'top' | 'bottom'): UiState => {
				const pane = ui.focus;
				const keys = keysOf(pane);
				const height = rowsInPane(paneHeights[pane]);
				const current = ui.selection[pane];
				const currentOffset = scrollOffset(resolveIndex(current, keys), current.offset, height, keys.length);
				const moved = moveSelection(current, keys, delta);
				const index = resolveIndex(moved, keys);
				const offset = scrollOffset(index, currentOffset, height, keys.length);
				return {...ui, selection: {...ui.selection, [pane]: {...moved, offset}}};
			};
			const scrollOverlay = (delta: number | 'top' | 'bottom'): UiState => {
				if (!ui.overlay) return ui;
				const max = Math.max(0, overlayLines.length - overlayRows(layout.overlay));
				const offset =
					delta === 'top'
						? 0
						: delta === 'bottom'
							? max
							: Math.max(0, Math.min(max, ui.overlay.offset + delta));
				return {...ui, overlay: {...ui.overlay, offset}};
			};
			switch (command) {
				case 'app.quit':
					exit();
					return ui;
				case 'help.toggle':
					return {...ui, overlay: {kind: 'help', offset: 0}};
				case 'pane.next':
				case 'pane.prev':
					return {...ui, focus: nextPane(ui.focus, command === 'pane.next' ? 1 : -1)};
				case 'view.pause': {
					const paused = !services.store.isPaused();
					services.store.setPaused(paused, services.clock());
					return {...ui, message: paused ? 'view paused: events are still collected' : undefined};
				}
				case 'filter.open':
					return {...ui, filterOpen: true};
				case 'filter.clear':
					return {...ui, filter: '', message: undefined};
				case 'cursor.down':
					return move(1);
				case 'cursor.up':
					return move(-1);
				case 'cursor.pageDown':
					return move(page);
				case 'cursor.pageUp':
					return move(-page);
				case 'cursor.top':
					return move('top');
				case 'cursor.bottom':
					return move('bottom');
				case 'task.detail': {
					const pane = ui.focus;
					const list = rows[pane] as readonly (Task | StreamEntry)[];
					const row = list[resolveIndex(ui.selection[pane], keysOf(pane))];
					const uuid = row && ('uuid' in row ? row.uuid : (row as StreamEntry).event['uuid']);
					if (typeof uuid === 'string') return {...ui, overlay: {kind: 'detail', uuid, offset: 0}};
					return {...ui, message: 'no task on this row'};
				}
				case 'overlay.close':
					return {...ui, overlay: undefined};
				case 'overlay.down':
					return scrollOverlay(1);
				case 'overlay.up':
					return scrollOverlay(-1);
				case 'overlay.pageDown':
					return scrollOverlay(overlayRows(layout.overlay) - 1);
				case 'overlay.pageUp':
					return scrollOverlay(-(overlayRows(layout.overlay) - 1));
				case 'overlay.top':
					return scrollOverlay('top');
				case 'overlay.bottom':
					return scrollOverlay('bottom');
			}
		},
		[exit, services],
	);

	const scopes = scopesOf(ui);

	useInput((input: string, key: Key) => {
		// One chunk can hold several keys ("jjj", a paste): apply them in order to one state.
		let next = latest.current.ui;
		for (const name of keyNames(input, key)) {
			if (next.filterOpen && name !== 'ctrl+c') {
				next = editFilter(next, name); // the filter line takes the typing, even mid-chunk
				continue;
			}
			const command = name === 'ctrl+c' ? 'app.quit' : matchKey(name, scopesOf(next));
			if (command) next = run(next, command);
		}
		if (next !== latest.current.ui) {
			latest.current.ui = next; // a second chunk before the next render builds on this one
			setUi(next);
		}
	});

	if (tooSmall(columns, terminalRows)) {
		return (
			<Text color="yellow" wrap="truncate-end">
				{`Terminal too small (${columns}x${terminalRows}): celerytop needs at least ${MIN_COLUMNS}x${MIN_ROWS}. q quits.`}
			</Text>
		);
	}

	const width = columns;
	const nameOf = (uuid: string) => snapshot.taskById(uuid)?.name;
	const aliveWorkers = snapshot.workers.reduce((n, w) => n + (isAlive(w, snapshot.now) ? 1 : 0), 0);
	const paneProps = (pane: PaneId) => {
		const keys = keysOf(pane);
		const selection = ui.selection[pane];
		const index = resolveIndex(selection, keys);
		const height = paneHeights[pane];
		const offset = scrollOffset(index, selection.offset, rowsInPane(height), keys.length);
		return {selected: index, offset, width, height, focused: ui.focus === pane, now: snapshot.now};
	};
	const position = (pane: PaneId, total: number, of?: number) => {
		const index = resolveIndex(ui.selection[pane], keysOf(pane));
		const at = total === 0 ? 0 : index + 1;
		return `${at}/${total}${of !== undefined && of !== total ? ` (of ${of})` : ''}`;
	};

	return (
		<Box flexDirection="column" width={width}>
			<Header
				snapshot={snapshot}
				brokerDisplay={services.brokerDisplay}
				aliveWorkers={aliveWorkers}
				width={width}
				filter={ui.filterOpen ? '' : ui.filter}
			/>
			{ui.overlay ? (
				<ScrollText
					title={ui.overlay.kind === 'help' ? 'Help — every key' : `Task ${ui.overlay.uuid}`}
					lines={overlayLines}
					offset={ui.overlay.offset}
					width={width}
					height={layout.overlay}
				/>
			) : (
				<>
					<WorkersPane
						rows={rows.workers}
						{...paneProps('workers')}
						info={`${aliveWorkers} online · ${position('workers', rows.workers.length)}`}
					/>
					<TasksPane
						rows={rows.tasks}
						{...paneProps('tasks')}
						info={position('tasks', rows.tasks.length, snapshot.tasks.length)}
					/>
					<StreamPane
						nameOf={nameOf}
						rows={rows.stream}
						{...paneProps('stream')}
						info={position('stream', rows.stream.length, snapshot.stream.length)}
					/>
				</>
			)}
			{ui.filterOpen ? <FilterBox text={ui.filter} /> : null}
			<StatusBar scopes={scopes} message={ui.message} />
		</Box>
	);
}
