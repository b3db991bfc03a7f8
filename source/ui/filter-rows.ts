// Pure: the Events pane's rows under a filter. An event matches when its task does (by id, looked up:
// task-started, task-succeeded … carry only the uuid), or by its own type or host. The Tasks pane's
// rows, filtered and sorted, are kept from frame to frame by task-index.ts.
import {streamMatcher} from '../state/selectors.js';
import type {ClusterSnapshot} from '../state/store.js';
import type {StreamEntry} from '../state/types.js';

/** The events matching `filter` (by their task, type or host), newest first. */
export function filterStreamRows(snapshot: ClusterSnapshot, filter: string): readonly StreamEntry[] {
	if (filter.trim() === '') return snapshot.stream;
	return snapshot.stream.filter(streamMatcher(filter, snapshot.taskById));
}
