// View 5: the key browser (one SCAN with a pattern, sorted), and the detail of one key.
import {Box} from 'ink';
import {Pane} from '../components/pane.js';
import {ScrollText} from '../components/scroll-text.js';
import {Table, type Column} from '../components/table.js';
import {keyFor} from '../../keys/text-keymap.js';
import {theme} from '../theme.js';
import type {KeyItem, KeysModel} from './keys-model.js';
import {toneColor} from './model.js';
import {inner, Lines, listWindow, position} from './parts.js';
import type {RedisUiState} from './state.js';

type Props = {
	readonly model: KeysModel;
	readonly state: RedisUiState;
	readonly width: number;
	readonly height: number;
};

const COLUMNS: ReadonlyArray<Column<KeyItem>> = [
	{key: 'key', header: 'KEY', width: 'flex', minWidth: 20, value: (k) => k.key},
	{key: 'family', header: 'FAMILY', width: 20, value: (k) => k.family, color: () => theme.accent},
	{key: 'type', header: 'TYPE', width: 6, value: (k) => k.type},
	{
		key: 'ttl',
		header: 'TTL',
		width: 9,
		align: 'right',
		value: (k) => k.ttl,
		color: (k) => (k.ttl === 'none' ? theme.muted : undefined),
	},
	{key: 'bytes', header: 'BYTES', width: 10, align: 'right', value: (k) => k.bytes},
];

export function KeysView({model, state, width, height}: Props) {
	if (model.detail)
		return (
			<ScrollText
				title={model.detail.title}
				lines={model.detail.lines}
				offset={model.detail.offset}
				width={width}
				height={height}
				info={`${keyFor('redis.cancel')} back · ${keyFor('redis.del')} delete`}
			/>
		);
	return (
		<Box flexDirection="column" width={width}>
			<Pane
				title={model.title}
				focused
				width={width}
				height={height}
				info={position(model.list, state.keys.selection)}
			>
				<Lines lines={[model.status]} />
				<Table
					rows={model.items}
					columns={COLUMNS}
					width={inner(width)}
					focused
					rowKey={(k) => k.name}
					emptyText={state.keys.job.running ? 'scanning…' : 'no key matches'}
					{...listWindow(model.list, state.keys.selection)}
				/>
			</Pane>
		</Box>
	);
}
