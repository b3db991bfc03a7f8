// Pure: the model of the visible Redis view, and the lists the reducer moves cursors in.
import type {View} from '../ui-state.js';
import {keysModel, type KeyContext, type KeysModel} from './keys-model.js';
import {memoryModel, type MemoryModel} from './memory-model.js';
import type {Feeds, RedisLists, Size} from './model.js';
import {monitorModel, type MonitorModel} from './monitor-model.js';
import {overviewModel, type OverviewModel} from './overview-model.js';
import {queuesModel, type QueuesModel} from './queues-model.js';
import type {RedisUiState} from './state.js';

export type ScreenModel =
	| {readonly view: 'redis'; readonly model: OverviewModel}
	| {readonly view: 'memory'; readonly model: MemoryModel}
	| {readonly view: 'queues'; readonly model: QueuesModel}
	| {readonly view: 'keys'; readonly model: KeysModel}
	| {readonly view: 'monitor'; readonly model: MonitorModel};

/** The line of view tabs above every Redis view. */
export const TAB_ROWS = 1;

/** The model of a view for a body of `body` size (the tabs take their row from it). */
export function screenModel(
	view: Exclude<View, 'celery'>,
	state: RedisUiState,
	feeds: Feeds,
	context: KeyContext,
	now: number,
	body: Size,
): ScreenModel {
	const size = {width: body.width, height: body.height - TAB_ROWS};
	switch (view) {
		case 'redis':
			return {view, model: overviewModel(state, feeds.stats, now, size)};
		case 'memory':
			return {view, model: memoryModel(state, size)};
		case 'queues':
			return {view, model: queuesModel(state, now, size)};
		case 'keys':
			return {view, model: keysModel(state, context, now, size)};
		case 'monitor':
			return {view, model: monitorModel(state, feeds.monitor, now, size)};
	}
}

/** The lists of a screen, by the id the reducer uses. */
export function listsOf(screen: ScreenModel | undefined): RedisLists {
	switch (screen?.view) {
		case 'redis':
			return {overview: screen.model.list};
		case 'memory':
			return {memory: screen.model.list};
		case 'queues':
			return screen.model.lists;
		case 'keys':
			return {keys: screen.model.list, detail: screen.model.detailList};
		default:
			return {};
	}
}
