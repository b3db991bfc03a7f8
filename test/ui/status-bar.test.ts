import assert from 'node:assert/strict';
import {test} from 'node:test';
import {displayKey} from '../../source/keys/keymap.js';
import {footerHints} from '../../source/keys/match.js';
import {fitHints} from '../../source/ui/components/status-bar.js';

const textOf = (hints: ReturnType<typeof fitHints>) =>
	[
		...hints.shown.map((h) => `${h.keys.slice(0, 2).map(displayKey).join('/')} ${h.label}`),
		...(hints.more ? ['? more'] : []),
	].join('  ');

test('the footer always fits: the focused pane’s keys first, then ? more', () => {
	const scopes = ['tasks', 'list', 'global', 'celery', 'always'] as const;
	const all = footerHints(scopes);
	assert.ok(all.length > 8, `${all.length} hints in the tasks pane`);
	for (const width of [60, 80, 120, 160]) {
		const fitted = fitHints(all, width);
		assert.ok(textOf(fitted).length <= width, `${width}: ${textOf(fitted)}`);
		assert.equal(fitted.shown[0]?.id, all[0]?.id, 'the focused pane’s first key comes first');
		assert.ok(
			fitted.shown.some((h) => h.id === 'app.quit'),
			`${width}: quit always shows`,
		);
		if (fitted.more) assert.ok(!fitted.shown.some((h) => h.id === 'help.toggle'), '? more replaces ? help');
	}
	assert.equal(fitHints(all, 80).more, true, 'at 80 columns not every key fits');
	const wide = fitHints(all, 1000);
	assert.equal(wide.more, false);
	assert.equal(wide.shown.length, all.length, 'wide enough, every hint shows');
});
