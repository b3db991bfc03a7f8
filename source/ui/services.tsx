// What the views may use: the store and a few facts. Adapters stay behind it (fakes in tests).
import {createContext, useContext, type ReactNode} from 'react';
import type {Store} from '../state/store.js';
import type {ControlService} from '../ports/control.js';
import type {RedisServices} from '../ports/inspector.js';

export type {ControlService};

export type Services = {
	readonly store: Store;
	/** Our clock, epoch seconds. */
	readonly clock: () => number;
	/** The broker URL with the password redacted. */
	readonly brokerDisplay: string;
	readonly readOnly: boolean;
	readonly control?: ControlService;
	/**
	 * false: no questions of our own in the background — the Workers pane's stats/active_queues and the
	 * query_task that names a task first seen mid-flight (tests that count the calls they send).
	 */
	readonly askWorkerInfo?: boolean;
	/** The Redis inspector (views 2–6). */
	readonly redis?: RedisServices;
};

const ServicesContext = createContext<Services | undefined>(undefined);

export function ServicesProvider({
	value,
	children,
}: {
	readonly value: Services;
	readonly children: ReactNode;
}) {
	return <ServicesContext.Provider value={value}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
	const services = useContext(ServicesContext);
	if (!services) throw new Error('useServices outside ServicesProvider');
	return services;
}
