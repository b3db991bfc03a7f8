import {test} from 'node:test';
import assert from 'node:assert/strict';
import {keymap} from '../../source/keys/keymap.js';
import {footerHints, keyNames, matchKey} from '../../source/keys/match.js';

test('a chunk of typed keys becomes one key name per key', () => {
	assert.deepEqual(keyNames('jjj', {}), ['j', 'j', 'j']);
	assert.deepEqual(keyNames('jj\r', {}), ['j', 'j', 'enter']);
	assert.deepEqual(keyNames('', {downArrow: true}), ['down']);
	assert.deepEqual(keyNames('', {tab: true, shift: true}), ['shift+tab']);
	assert.deepEqual(keyNames('c', {ctrl: true}), ['ctrl+c']);
	assert.deepEqual(keyNames('G', {shift: true}), ['G']);
});

test('scopes are searched most specific first', () => {
	assert.equal(matchKey('enter', ['tasks', 'list', 'global']), 'task.detail');
	assert.equal(matchKey('escape', ['overlay']), 'overlay.close');
	assert.equal(matchKey('escape', ['tasks', 'list', 'global', 'celery']), 'filter.clear');
	assert.equal(matchKey('escape', ['memory', 'list', 'inspector', 'global']), 'redis.cancel');
	assert.equal(matchKey('/', ['keys', 'list', 'inspector', 'global']), 'redis.keys.pattern');
	assert.equal(
		matchKey('/', ['redis', 'list', 'inspector', 'global']),
		undefined,
		'no task filter in Redis views',
	);
	assert.equal(matchKey('j', ['workers', 'list', 'global']), 'cursor.down');
	assert.equal(matchKey('down', ['overlay']), 'overlay.down');
	assert.equal(matchKey('x', ['tasks', 'list', 'global']), undefined);
});

test('no key is bound twice in one scope, and the footer comes from the keymap', () => {
	for (const scope of new Set(keymap.map((b) => b.scope))) {
		const seen = new Map<string, string>();
		for (const binding of keymap.filter((b) => b.scope === scope)) {
			for (const key of binding.keys) {
				assert.ok(
					!seen.has(key) || seen.get(key) === binding.id,
					`${scope}: ${key} bound to ${seen.get(key)} and ${binding.id}`,
				);
				seen.set(key, binding.id);
			}
		}
	}
	const labels = footerHints(['tasks', 'list', 'global']).map((h) => h.label);
	assert.ok(labels.includes('task detail') && labels.includes('quit') && labels.includes('down'));
});
