// Pure: revoke or terminate the marked tasks — one confirmation that lists them as they are when it
// opens (how many, their names, their states), and one request naming exactly those ids.
import {TERMINATE_SIGNALS} from '../protocol/control-args.js';
import {READY_STATES, STARTED} from '../protocol/task-states.js';
import type {Task} from '../state/types.js';
import {DEFAULT_SIGNAL, IDS_PARAM} from './action-request.js';
import {onlineCount, type Facts, type Planned} from './actions.js';
import {shortId} from './format.js';
import type {Action} from './modal.js';

const SHOWN = 3;

/** `demo.add ×9, demo.slow ×3, +2 names`: the most frequent first. */
function tally(values: readonly string[]): string {
	const counts = new Map<string, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
	const shown = sorted.slice(0, SHOWN).map(([value, n]) => `${value} ×${n}`);
	return sorted.length > SHOWN ? `${shown.join(', ')}, +${sorted.length - SHOWN} more` : shown.join(', ');
}

/** Steps for revoke/terminate of the marked tasks still kept; `gone` marked ones are no longer kept. */
export function planBulkAction(
	id: 'task.revoke' | 'task.terminate',
	tasks: readonly Task[],
	gone: number,
	facts: Facts,
): Planned | undefined {
	if (tasks.length === 0) return undefined;
	const n = tasks.length;
	const label = `${n} marked task${n === 1 ? '' : 's'}`;
	const ids = tasks.map((task) => task.uuid);
	const signal = id === 'task.terminate' ? DEFAULT_SIGNAL : undefined;
	const action: Action = {
		id,
		target: ids[0]!,
		label,
		params: {[IDS_PARAM]: JSON.stringify(ids), ...(signal ? {signal} : {})},
	};
	const running = tasks.filter((task) => task.state === STARTED).length;
	const ended = tasks.filter((task) => READY_STATES.has(task.state)).length;
	const names = tally(tasks.map((task) => task.name ?? '?'));
	const states = tally(tasks.map((task) => task.state));
	const first = ids.slice(0, SHOWN).map((uuid) => shortId(uuid, 8));
	const list = `${first.join(' ')}${n > SHOWN ? ` … +${n - SHOWN}` : ''}`;
	const left =
		gone > 0 ? ` ${gone} marked task${gone === 1 ? ' is' : 's are'} no longer kept and left out.` : '';
	const online = onlineCount(facts);
	const detail =
		id === 'task.revoke'
			? `${running > 0 ? `${running} running keep running (revoke only stops tasks not started). ` : ''}${ended > 0 ? `${ended} already ended: nothing changes for them. ` : ''}One revoke to every worker (${online} online): ${list}.${left}`
			: `The workers send the signal to the pool processes running them (${running} running now); the others are revoked. One revoke to every worker (${online} online): ${list}.${left}`;
	return {
		action,
		steps: [
			...(id === 'task.terminate'
				? [
						{
							kind: 'choice' as const,
							param: 'signal',
							title: `Terminate ${label} (${states}): which signal?`,
							options: TERMINATE_SIGNALS.slice(0, 5),
						},
					]
				: []),
			{
				kind: 'confirm',
				title: (p) =>
					`${id === 'task.revoke' ? 'Revoke' : `Terminate with ${p['signal'] ?? DEFAULT_SIGNAL}`} ${label}? Now ${states} · ${names}`,
				detail,
				yes: id === 'task.revoke' ? 'revoke them' : 'terminate them',
			},
		],
	};
}
