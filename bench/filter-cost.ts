// What the Celery screen's filter costs per frame on a full store: 100,000 tasks, the event ring
// full. Prints milliseconds per frame (median of rounds) for the work a snapshot change triggers.
// Run: node --import tsx bench/filter-cost.ts [tasks]
import {Store} from '../source/state/store.js';
import type {CeleryEvent} from '../source/protocol/types.js';
import {streamMatcher, taskMatcher, taskMatches} from '../source/state/selectors.js';
import {filterTaskRows} from '../source/ui/filter-rows.js';

const N = Number(process.argv[2] ?? 100_000);
const now = 1_795_771_600;
const store = new Store({now, maxTasks: N});
const names = ['demo.add', 'demo.sleep', 'demo.fail', 'reports.daily', 'mail.send'];
const batch: CeleryEvent[] = [];
for (let i = 0; i < N; i++) {
	const uuid = `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
	const host = `w${i % 8}@vm`;
	batch.push({
		type: 'task-received',
		hostname: host,
		timestamp: now + i / 1000,
		uuid,
		name: names[i % 5],
		args: '()',
		kwargs: '{}',
	} as CeleryEvent);
	batch.push({type: 'task-started', hostname: host, timestamp: now + i / 1000, uuid} as CeleryEvent);
	if (i % 7 === 0)
		batch.push({
			type: 'task-failed',
			hostname: host,
			timestamp: now + i / 1000,
			uuid,
			exception: 'E',
			traceback: 'T',
		} as CeleryEvent);
	else
		batch.push({
			type: 'task-succeeded',
			hostname: host,
			timestamp: now + i / 1000,
			uuid,
			runtime: 0.1,
			result: '1',
		} as CeleryEvent);
}
store.applyBatch(batch, now);
store.flush(now + 1);

function median(f: () => void, rounds = 15): number {
	const times: number[] = [];
	for (let i = 0; i < rounds; i++) {
		const t0 = performance.now();
		f();
		times.push(performance.now() - t0);
	}
	times.sort((a, b) => a - b);
	return times[Math.floor(times.length / 2)]!;
}

const snapshot = store.getSnapshot();
const filterTime: number[] = [];
const report: Record<string, string> = {};
const ms = (x: number) => `${x.toFixed(2)} ms`;
report['tasks in store'] = String(snapshot.tasks.length);
report['snapshot build (store.flush, not the filter)'] = ms(
	median(() => {
		store.applyBatch(
			[
				{
					type: 'task-started',
					hostname: 'w1@vm',
					timestamp: now,
					uuid: '00000001-0000-4000-8000-000000000000',
				} as CeleryEvent,
			],
			now + 2,
		);
		store.flush(now + 2);
	}),
);
const s = store.getSnapshot();
for (const filter of ['demo.add', 'FAILURE', 'nomatch']) {
	report[`tasks filter "${filter}" (all tasks)`] = ms(
		median(() => s.tasks.filter((t) => taskMatches(t, filter))),
	);
}
for (const filter of ['demo.add', 'FAILURE', 'nomatch']) {
	report[`tasks filter "${filter}", one matcher per frame`] = ms(
		median(() => s.tasks.filter(taskMatcher(filter))),
	);
	report[`events filter "${filter}" (${s.stream.length} events, tasks looked up)`] = ms(
		median(() => s.stream.filter(streamMatcher(filter, s.taskById))),
	);
}
// The app's way: matches kept from frame to frame, only the tasks of the new events tested again.
let frame = 0;
for (const filter of ['demo.add', 'FAILURE']) {
	let kept = filterTaskRows(undefined, store.getSnapshot(), filter);
	report[`tasks filter "${filter}", kept across frames, 100 events a frame`] = ms(
		median(() => {
			const events: CeleryEvent[] = [];
			for (let j = 0; j < 100; j++) {
				const uuid = `${((frame * 100 + j) % N).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
				events.push({
					type: 'task-failed',
					hostname: 'w1@vm',
					timestamp: now,
					uuid,
					exception: 'E',
				} as CeleryEvent);
			}
			frame++;
			store.applyBatch(events, now + 3);
			store.flush(now + 3 + frame);
			const t0 = performance.now();
			kept = filterTaskRows(kept, store.getSnapshot(), filter);
			filterTime.push(performance.now() - t0);
		}),
	);
	filterTime.sort((a, b) => a - b);
	report[`tasks filter "${filter}", kept across frames, 100 events a frame`] = ms(
		filterTime[Math.floor(filterTime.length / 2)]!,
	);
	filterTime.length = 0;
	const check = store.getSnapshot().tasks.filter(taskMatcher(filter));
	if (check.length !== kept.rows.length || check.some((t, i) => kept.rows[i] !== t))
		throw new Error(`kept rows differ from a full scan for ${filter}`);
}
report['row keys (all tasks)'] = ms(median(() => s.tasks.map((t) => t.uuid)));
const extra = process.env['FILTER_MODULE'];
if (extra) {
	const mod = (await import(extra)) as {bench: (s: typeof snapshot) => Record<string, () => void>};
	for (const [name, f] of Object.entries(mod.bench(s))) report[name] = ms(median(f));
}
console.log(JSON.stringify(report, null, 2));
