// Names for the running tasks first seen mid-flight: their task-received (which carries the name)
// came before we listened. The worker running one still holds its request, so one `query_task` to
// that worker (all its unnamed ids in one call) tells the name; the store then shows it. Asked once
// per task, one call per worker at a time, only for running tasks with no name (a few per worker):
// never per frame for the same task, never for the retained ones.
import {useEffect, useMemo} from 'react';
import type {ControlService} from '../../ports/control.js';
import type {Store} from '../../state/store.js';
import type {Task} from '../../state/types.js';

/** Ids remembered as asked (a mid-flight task is asked once, then left to its events). */
const MAX_ASKED = 10_000;

/** The name in a query_task reply for `uuid`: `{uuid: [state, {name, …}]}`, or undefined. */
export function nameInReply(reply: unknown, uuid: string): string | undefined {
	if (typeof reply !== 'object' || reply === null) return undefined;
	const entry = (reply as Record<string, unknown>)[uuid];
	if (!Array.isArray(entry) || entry.length < 2) return undefined;
	const info = entry[1];
	if (typeof info !== 'object' || info === null) return undefined;
	const name = (info as Record<string, unknown>)['name'];
	return typeof name === 'string' && name !== '' && name.length <= 256 ? name : undefined;
}

export type NameFill = {
	/** Once a frame with the running tasks: asks for those with no name not asked yet. */
	observe(running: readonly Task[]): void;
	close(): void;
};

export function createNameFill(control: ControlService, store: Pick<Store, 'nameTask'>): NameFill {
	const asked = new Set<string>();
	const busy = new Set<string>();
	let closed = false;
	const ask = async (hostname: string, ids: string[]) => {
		busy.add(hostname);
		try {
			const result = await control.call('query_task', {ids}, {destination: [hostname], expected: 1});
			if (closed) return;
			const reply = result.replies[hostname];
			for (const uuid of ids) {
				const name = nameInReply(reply, uuid);
				if (name !== undefined) store.nameTask(uuid, name);
			}
		} catch {
			// No answer: the name stays unknown until an event brings it.
		} finally {
			busy.delete(hostname);
		}
	};
	return {
		observe(running) {
			if (closed) return;
			const byWorker = new Map<string, string[]>();
			for (const task of running) {
				if (task.name !== undefined || task.worker === undefined || asked.has(task.uuid)) continue;
				if (busy.has(task.worker)) continue;
				const ids = byWorker.get(task.worker) ?? [];
				ids.push(task.uuid);
				byWorker.set(task.worker, ids);
			}
			for (const [hostname, ids] of byWorker) {
				for (const uuid of ids) {
					if (asked.size >= MAX_ASKED) asked.delete(asked.values().next().value!);
					asked.add(uuid);
				}
				void ask(hostname, ids);
			}
		},
		close() {
			closed = true;
		},
	};
}

/** The app's name fill: observes the snapshot's running tasks each frame (nothing without control). */
export function useNameFill(
	running: readonly Task[],
	control: ControlService | undefined,
	store: Store,
): void {
	const fill = useMemo(() => (control ? createNameFill(control, store) : undefined), [control, store]);
	useEffect(() => () => fill?.close(), [fill]);
	useEffect(() => fill?.observe(running), [fill, running]);
}
