// Pure: what a reducer knows besides the UI state when a key arrives — the frame's rows and their
// keys, the sizes on screen, our clock at the key press, and which services exist. Data only: the
// services themselves stay with the effect runner.
import type {TransportOptions} from '../protocol/types.js';
import type {ClusterSnapshot} from '../state/store.js';
import type {StreamEntry, Worker} from '../state/types.js';
import type {RedisLists} from './redis/model.js';
import type {KeyList} from './row-list.js';
import type {Seen} from './selection.js';
import type {TaskRows} from './task-index.js';
import type {PaneId} from './ui-state.js';

export type Rows = {
	readonly tasks: TaskRows;
	readonly workers: readonly Worker[];
	readonly stream: readonly StreamEntry[];
};

export type Context = {
	readonly snapshot: ClusterSnapshot;
	readonly rows: Rows;
	readonly keys: Readonly<Record<PaneId, KeyList>>;
	/** Where each pane's held row was last drawn (the nearest row when it goes). */
	readonly seen: Readonly<Record<PaneId, Seen | undefined>>;
	readonly paneHeights: Readonly<Record<PaneId, number>>;
	/** Lines of the open overlay and how many fit on screen. */
	readonly overlayLength: number;
	readonly overlayRows: number;
	/** Our clock when the key was pressed, epoch seconds (not the last frame's). */
	readonly now: number;
	readonly readOnly: boolean;
	/** The live view is paused. */
	readonly paused: boolean;
	/** A control service is there (workers can be asked and told). */
	readonly control: boolean;
	/** The Redis inspector is there, with the broker's transport options. */
	readonly inspector: {readonly transport: TransportOptions} | undefined;
	/** The Redis views' lists as drawn: their row keys and visible rows. */
	readonly lists: RedisLists;
};
