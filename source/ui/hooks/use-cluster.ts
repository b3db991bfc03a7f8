import {useMemo, useSyncExternalStore} from 'react';
import type {ClusterSnapshot} from '../../state/store.js';
import {useServices} from '../services.js';

/** Select from the current snapshot; `select` must be stable (a module-level function). */
export function useCluster<T>(select: (snapshot: ClusterSnapshot) => T): T {
	const {store} = useServices();
	const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
	return useMemo(() => select(snapshot), [snapshot, select]);
}

export function useSnapshot(): ClusterSnapshot {
	const {store} = useServices();
	return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
