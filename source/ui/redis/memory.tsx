// View 3: where the memory goes. One row per family (bytes, share, keys without TTL, TTL buckets,
// the biggest key), a progress bar while the scan runs, the selected family below, then the flags.
import {Box, Text} from 'ink';
import type {MemoryRow} from '../../present/redis-view.js';
import {Pane} from '../components/pane.js';
import {Table, type Column} from '../components/table.js';
import {formatClock} from '../format.js';
import {keyFor} from '../../keys/text-keymap.js';
import {theme} from '../theme.js';
import {familyKey, type FamilyDetail, type MemoryModel} from './memory-model.js';
import {inner, Lines, listWindow, position} from './parts.js';
import type {RedisUiState} from './state.js';

type Props = {readonly model: MemoryModel; readonly state: RedisUiState; readonly width: number};

const KINDS: Record<string, string> = {
	'celery-results': 'results',
	'celery-group-results': 'group results',
	'celery-queue': 'queue',
	'celery-unacked': 'unacked',
	'kombu-bindings': 'bindings',
	'pidbox-replies': 'pidbox replies',
	app: 'app',
};

function columns(width: number): Array<Column<MemoryRow>> {
	const wide = width >= 120;
	return [
		{key: 'family', header: 'FAMILY', width: 'flex', minWidth: 14, value: (r) => r.family},
		{
			key: 'kind',
			header: 'KIND',
			width: 14,
			value: (r) => KINDS[r.kind] ?? r.kind,
			color: (r) => (r.kind === 'app' ? undefined : theme.accent),
		},
		{key: 'keys', header: 'KEYS', width: 9, align: 'right', value: (r) => r.keys},
		{
			key: 'bytes',
			header: 'BYTES',
			width: 10,
			align: 'right',
			value: (r) => r.bytes,
			color: (r) => (r.estimated ? theme.warning : undefined),
		},
		{key: 'share', header: 'SHARE', width: 6, align: 'right', value: (r) => r.share},
		{
			key: 'noTtl',
			header: 'NO TTL',
			width: 8,
			align: 'right',
			value: (r) => r.withoutTtl,
			color: (r) => (r.kind.includes('results') && r.withoutTtl !== '0' ? theme.warning : undefined),
		},
		{key: 'ttls', header: 'TTL BUCKETS', width: wide ? 26 : 'flex', minWidth: 10, value: (r) => r.ttls},
		...(wide
			? [{key: 'biggest', header: 'BIGGEST KEY', width: 'flex' as const, value: (r: MemoryRow) => r.biggest}]
			: []),
	];
}

type Big = FamilyDetail['biggest'][number];

const BIGGEST: ReadonlyArray<Column<Big>> = [
	{key: 'key', header: 'BIGGEST KEYS', width: 'flex', value: (k) => k.key},
	{key: 'type', header: 'TYPE', width: 6, value: (k) => k.type},
	{key: 'ttl', header: 'TTL', width: 9, align: 'right', value: (k) => k.ttl},
	{key: 'bytes', header: 'BYTES', width: 10, align: 'right', value: (k) => k.bytes},
];

export function MemoryView({model, state, width}: Props) {
	const {job} = state.memory;
	const done =
		job.at !== undefined && !job.running
			? `scanned at ${formatClock(job.at)} · ${keyFor('redis.rescan', 'memory')} rescans · ${keyFor('redis.memory.keys')}: the family's keys`
			: '';
	return (
		<Box flexDirection="column" width={width}>
			<Pane
				title={`Memory breakdown · db ${state.db}`}
				focused
				width={width}
				height={model.topHeight}
				info={`${position(model.list, state.memory.selection)} families`}
			>
				<Lines lines={[model.headline, model.status ?? {text: done, tone: 'dim'}]} />
				<Table
					rows={model.rows}
					columns={columns(inner(width))}
					width={inner(width)}
					focused
					rowKey={familyKey}
					emptyText={job.running ? 'counting…' : 'no keys'}
					{...listWindow(model.list, state.memory.selection)}
				/>
			</Pane>
			{model.detailHeight >= 4 ? (
				<Pane
					title={model.family?.title ?? 'Family'}
					focused={false}
					width={width}
					height={model.detailHeight}
				>
					{model.family ? (
						<>
							<Lines lines={model.family.lines.slice(0, model.detailHeight - 3)} />
							{model.detailHeight - 6 > 0 ? (
								<Table
									rows={model.family.biggest}
									columns={BIGGEST}
									width={inner(width)}
									height={model.detailHeight - 6}
									offset={0}
									selected={-1}
									focused={false}
									rowKey={(k) => k.key}
								/>
							) : null}
						</>
					) : (
						<Text dimColor>the selected family shows here</Text>
					)}
				</Pane>
			) : null}
			{model.flagsHeight > 0 ? (
				<Pane
					title={`Flags (${model.flags.length})`}
					focused={false}
					width={width}
					height={model.flagsHeight}
				>
					<Lines lines={model.flags.slice(0, model.flagsHeight - 3)} />
				</Pane>
			) : null}
		</Box>
	);
}
