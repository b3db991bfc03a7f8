// Why we own components/table.tsx: ink-table 3.1.0 cannot load beside Ink 6.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';

test('ink-table 3.1.0 fails to load next to ink 6 with ERR_REQUIRE_ASYNC_MODULE', () => {
	const script = "import('ink-table').then(() => console.log('loaded'), (e) => console.log(e.code))";
	const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8'});
	assert.equal(result.stdout.trim(), 'ERR_REQUIRE_ASYNC_MODULE', result.stderr);
});
