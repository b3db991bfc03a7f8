// The Events pane's columns: the EVENT column fits every event type Celery sends, at any width, and
// the bordered table keeps one space before the right border as after the left one.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {render} from 'ink-testing-library';
import type {CeleryEvent} from '../../source/protocol/types.js';
import type {StreamEntry} from '../../source/state/types.js';
import {ListPane} from '../../source/ui/panes/list-pane.js';
import {EVENT_WIDTH, KNOWN_EVENT_TYPES, StreamPane} from '../../source/ui/panes/task-stream.js';

const entries: StreamEntry[] = KNOWN_EVENT_TYPES.map((type, seq) => ({
	seq,
	event: {type, hostname: 'w1@vm', timestamp: 1_795_771_600, uuid: 'aaaaaaaa-0000'} as CeleryEvent,
})) as unknown as StreamEntry[];

test('the EVENT column shows every known event type whole, at 80 and at 250 columns', () => {
	assert.equal(EVENT_WIDTH, 'worker-heartbeat'.length);
	for (const width of [80, 250]) {
		const r = render(
			<StreamPane
				rows={entries}
				selected={-1}
				offset={0}
				width={width}
				height={KNOWN_EVENT_TYPES.length + 4}
				focused={false}
				now={1_795_771_600}
				nameOf={() => undefined}
				following={false}
				filter=""
			/>,
		);
		const frame = r.lastFrame() ?? '';
		for (const type of KNOWN_EVENT_TYPES)
			assert.match(frame, new RegExp(`│ \\d\\d:\\d\\d:\\d\\d ${type} +w1@vm`), `${type} at ${width}`);
		assert.doesNotMatch(frame, /heartbe…/);
		r.unmount();
	}
});

test('a right-aligned last column keeps one space before the border, as the first column after it', () => {
	const rows = [
		{id: 'a', runtime: '1ms'},
		{id: 'b', runtime: '12345678'},
		{id: 'c', runtime: '123456789'},
	];
	for (const width of [20, 41, 80]) {
		const r = render(
			<ListPane
				rows={rows}
				selected={-1}
				offset={0}
				width={width}
				height={7}
				focused={false}
				info="1/3"
				title="T"
				columns={() => [
					{key: 'id', header: 'ID', width: 'flex', value: (x: (typeof rows)[number]) => x.id},
					{key: 'rt', header: 'RUNTIME', width: 8, align: 'right', value: (x) => x.runtime},
				]}
				rowKey={(x) => x.id}
				emptyText="none"
			/>,
		);
		const lines = (r.lastFrame() ?? '').split('\n').filter((l) => l.startsWith('│'));
		assert.ok(lines.length >= 4, 'title, header and rows');
		for (const line of lines) assert.match(line, /^│ .* │$/, `padded both sides at ${width}: ${line}`);
		r.unmount();
	}
});
