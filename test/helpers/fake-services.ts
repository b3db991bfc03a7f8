// A real Store fed from captured wire fixtures, with a clock the test controls.
import {decodeEventMessage} from '../../source/protocol/events.js';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {Store} from '../../source/state/store.js';
import type {Services} from '../../source/ui/services.js';
import {readJsonLines, type PubSubLine} from './fixtures.js';

export type FakeServices = Services & {
	setNow(now: number): void;
	/** Apply events at the current clock and publish a snapshot. */
	push(events: readonly CeleryEvent[]): void;
};

export function fakeServices(
	options: {events?: readonly CeleryEvent[]; now?: number; readOnly?: boolean; maxTasks?: number} = {},
): FakeServices {
	let now = options.now ?? 1_795_771_600;
	const store = new Store({now, maxTasks: options.maxTasks});
	store.setConnection('connected', now);
	const services: FakeServices = {
		store,
		clock: () => now,
		brokerDisplay: 'redis://:***@127.0.0.1:6390/0',
		readOnly: options.readOnly ?? false,
		setNow(value) {
			now = value;
			store.flush(now);
		},
		push(events) {
			store.applyBatch(events, now);
			store.flush(now);
		},
	};
	if (options.events) services.push(options.events);
	return services;
}

/** Every event of the captured session, in wire order, with its capture time. */
export function capturedEvents(): Array<{readonly t: number; readonly events: CeleryEvent[]}> {
	return readJsonLines<PubSubLine>('events-pubsub.jsonl')
		.filter((line) => line.channel.includes('celeryev'))
		.map((line) => ({t: line.t, events: decodeEventMessage(line.data).events}));
}

/** A store fed the whole captured session, each message at its capture time. */
export function servicesFromCapture(readOnly = false): FakeServices {
	const lines = capturedEvents();
	const services = fakeServices({now: lines[0]!.t, readOnly});
	for (const line of lines) {
		services.setNow(line.t);
		services.push(line.events);
	}
	return services;
}
