import {test} from 'node:test';
import assert from 'node:assert/strict';
import {cellWidth, fit, formatAge, formatDuration, shownException} from '../../source/ui/format.js';

test('durations, ages and cells', () => {
	assert.equal(formatDuration(0.0025), '3ms');
	assert.equal(formatDuration(3.25), '3.25s');
	assert.equal(formatDuration(125), '2m05s');
	assert.equal(formatDuration(undefined), '');
	assert.equal(formatAge(59.9), '59s');
	assert.equal(formatAge(7200), '2h');
	assert.equal(fit('abcdef', 4), 'abc…');
	assert.equal(fit('ab', 4, 'right'), '  ab');
});

test('ExceptionWithTraceback() is replaced by the last line of the traceback', () => {
	const traceback = 'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: boom\n';
	assert.match(shownException('ExceptionWithTraceback()', traceback)!, /^ValueError: boom {2}\(Celery sent/);
	assert.equal(shownException("ValueError('boom')", traceback), "ValueError('boom')");
	assert.equal(shownException('ExceptionWithTraceback()', undefined), 'ExceptionWithTraceback()');
	assert.equal(shownException(undefined, traceback), undefined);
});

test('fit counts terminal cells: CJK and emoji take two, a cut never splits one', () => {
	assert.equal(fit('名前のタスク', 8), '名前の… ', 'three wide characters (6 cells), …, one space');
	assert.equal(cellWidth(fit('名前のタスク', 8)), 8);
	assert.equal(fit('名前', 6), '名前  ');
	assert.equal(fit('名前', 6, 'right'), '  名前');
	assert.equal(cellWidth(fit('ab😀cd', 4)), 4);
	assert.equal(fit('plain', 3), 'pl…');
});
