// Pure: the memory breakdown (view 3): the headline (exact or ESTIMATED), a progress bar while the
// scan runs, one row per family, the selected family's TTLs, types and biggest keys, and the flags.
import type {FamilyReport} from '../../protocol/memory-report.js';
import {flagLines, keyRow, memoryHeadline, memoryRows, type MemoryRow} from '../../present/redis-view.js';
import {sanitize} from '../../protocol/sanitize.js';
import {formatCount} from '../format.js';
import {resolveIndex} from '../ui-state.js';
import {clamp, isPatterned, jobLine, type ListModel, type Size, type TextLine} from './model.js';
import type {RedisUiState} from './state.js';

export type FamilyDetail = {
	readonly title: string;
	readonly lines: readonly TextLine[];
	readonly biggest: ReadonlyArray<ReturnType<typeof keyRow>>;
};

export type MemoryModel = {
	readonly headline: TextLine;
	readonly status: TextLine | undefined;
	readonly rows: readonly MemoryRow[];
	readonly topHeight: number;
	readonly family: FamilyDetail | undefined;
	readonly detailHeight: number;
	readonly flags: readonly TextLine[];
	readonly flagsHeight: number;
	readonly list: ListModel;
};

export const familyKey = (f: {readonly kind: string; readonly family: string}) =>
	`${f.kind}\u0000${f.family}`;

const counts = (record: Readonly<Record<string, number>>) =>
	Object.entries(record)
		.filter(([, n]) => n > 0)
		.map(([name, n]) => `${name} ${formatCount(n)}`)
		.join(' · ');

function familyDetail(f: FamilyReport, row: MemoryRow): FamilyDetail {
	const results = f.kind === 'celery-results' || f.kind === 'celery-group-results';
	const measured = f.estimated ? `; bytes estimated from ${formatCount(f.measuredKeys)} measured keys` : '';
	return {
		title: `${row.family} (${f.kind})`,
		lines: [
			{
				text: `${row.keys} keys · ${row.bytes} · ${row.share} of the total · ${row.withoutTtl} without TTL${measured}`,
				tone: results && f.withoutTtl > 0 ? 'warning' : undefined,
			},
			{text: `TTL ${counts(f.ttlBuckets) || '-'}   types ${counts(f.types) || '-'}`},
		],
		biggest: f.biggest.map(keyRow),
	};
}

export function memoryModel(state: RedisUiState, size: Size): MemoryModel {
	const {job, pattern} = state.memory;
	const report = job.result;
	const rows = report ? memoryRows(report) : [];
	const keys = report ? report.families.map(familyKey) : [];
	const headline: TextLine = report
		? {text: memoryHeadline(report), tone: report.sampled ? 'warning' : 'ok'}
		: {
				text: `db ${state.db}${isPatterned(pattern) ? ` pattern ${sanitize(pattern)}` : ''}: ${job.running ? 'scanning every key (SCAN with a bounded COUNT, MEMORY USAGE in small batches)…' : 'not scanned yet (r scans)'}`,
				tone: 'dim',
			};
	const flags: TextLine[] = report
		? flagLines(report.flags).map((f) => ({text: `${f.label}: ${f.value}`, tone: f.tone}))
		: [];
	// Border 2, title 1, headline 1, status 1, table header 1.
	const topHeight = clamp(rows.length + 6, 8, Math.floor(size.height * 0.55));
	// The flags get up to 8 rows when the family below keeps 5; a pane under 4 rows is left out.
	const room = Math.min(flags.length + 3, 8, size.height - topHeight - 5);
	const flagsHeight = flags.length > 0 && room >= 4 ? room : 0;
	const index = resolveIndex(state.memory.selection, keys);
	const selected = report?.families[index];
	return {
		headline,
		status: jobLine(job, 'memory scan', isPatterned(pattern), size.width),
		rows,
		topHeight,
		family: selected ? familyDetail(selected, rows[index]!) : undefined,
		detailHeight: size.height - topHeight - flagsHeight,
		flags,
		flagsHeight,
		list: {keys, rows: Math.max(0, topHeight - 6)},
	};
}
