import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {Interner, MAX_INTERNED, MAX_INTERNED_LENGTH, intern} from '../../source/state/intern.js';

// String identity is not observable from JS; these tests check what is: values and the table's bounds.
describe('Interner', () => {
	test('stores each distinct string once and returns an equal string', () => {
		const interner = new Interner(10, 100);
		for (const name of ['celery@w1', 'celery@w2', 'celery@w1', 'celery@w1']) {
			assert.equal(interner.intern(['', name].join('')), name);
		}
		assert.equal(interner.size, 2);
	});

	test('leaves strings over the length limit alone and unstored', () => {
		const interner = new Interner(10, 8);
		assert.equal(interner.intern('123456789'), '123456789');
		assert.equal(interner.size, 0);
		assert.equal(interner.intern('12345678'), '12345678');
		assert.equal(interner.size, 1);
	});

	test('never holds more than its cap: a full table starts over', () => {
		const interner = new Interner(100, 64);
		for (let i = 0; i < 1_000; i++) {
			assert.equal(interner.intern(`host-${i}`), `host-${i}`);
			assert.ok(interner.size <= 100, `size ${interner.size}`);
		}
		assert.equal(interner.size, 100);
	});

	test('the shared table', () => {
		assert.equal(intern('gen1@web'), 'gen1@web');
		assert.equal(MAX_INTERNED, 10_000);
		assert.ok(MAX_INTERNED_LENGTH >= 253); // any DNS name
	});
});
