// Events of Celery 5.5.2 (test/fixtures/events-pubsub-5.5.jsonl, captured by
// scripts/record-today-fixtures.ts in the today lane's Debian 13 tree against Redis 8): a prefork and a
// gevent worker ran tasks that succeeded, failed, retried twice, were revoked by id, by stamped header,
// and by id with terminate, then both stopped. The same decoder and state as for the 5.2 capture.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {decodeEventMessage} from '../../source/protocol/events.js';
import type {CeleryEvent} from '../../source/protocol/types.js';
import {ClusterState} from '../../source/state/cluster.js';
import {readJsonLines, type PubSubLine} from '../helpers/fixtures.js';

const lines = readJsonLines<PubSubLine>('events-pubsub-5.5.jsonl');

describe('Celery 5.5 events', () => {
	const decoded = lines.map((line) => ({line, ...decodeEventMessage(line.data)}));
	const events: CeleryEvent[] = decoded.flatMap((d) => d.events);

	test('every message decodes, none malformed; task events come in task.multi batches too', () => {
		for (const d of decoded) {
			assert.deepEqual(d.errors, [], d.line.channel);
			assert.ok(d.events.length >= 1, d.line.channel);
		}
		const multi = decoded.filter((d) => d.line.channel === '/0.celeryev/task.multi');
		assert.ok(multi.length > 0);
		assert.ok(
			multi.some((d) => d.events.length > 1),
			'a batch of several events',
		);
		assert.ok(multi.every((d) => d.events.every((e) => e.type.startsWith('task-'))));
	});

	test('the workers say Celery 5.5.2 and heartbeat every 2 s', () => {
		const online = events.filter((e) => e.type === 'worker-online');
		assert.deepEqual(online.map((e) => e.hostname.split('@')[0]).sort(), ['gevent', 'prefork']);
		for (const e of online) {
			assert.equal(e['sw_ident'], 'py-celery');
			assert.equal(e['sw_ver'], '5.5.2');
			assert.equal(e['freq'], 2);
		}
		assert.ok(events.some((e) => e.type === 'worker-heartbeat'));
	});

	const state = new ClusterState();
	for (const d of decoded) state.applyBatch(d.events, d.line.t);
	const tasks = [...state.tasks.values()];
	const find = (name: string, args: string) => tasks.find((t) => t.name === name && t.args === args)!;

	test('each task ends in the state its outcome gives', () => {
		assert.equal(find('demo.add', '[2, 3]').state, 'SUCCESS');
		assert.equal(find('demo.add', '[2, 3]').result, '5');
		const failed = find('demo.fail', '()');
		assert.equal(failed.state, 'FAILURE');
		assert.equal(failed.exception, "ValueError('boom')");
		assert.match(failed.traceback ?? '', /ValueError: boom/);
		const retried = find('demo.retrying', '()');
		assert.equal(retried.state, 'FAILURE');
		assert.equal(retried.retries, 2);
		assert.ok(retried.retried !== undefined);
		for (const args of ['[5, 6]', '[7, 8]']) {
			const held = find('demo.add', args); // countdown 3, revoked by id / by stamped header
			assert.equal(held.state, 'REVOKED', args);
			assert.equal(held.terminated, false);
			assert.equal(held.started, undefined, `${args} never started`);
		}
		const killed = find('demo.sleep', '[30]');
		assert.equal(killed.state, 'REVOKED');
		assert.equal(killed.terminated, true);
		assert.equal(killed.signum, 9);
		assert.ok(killed.started !== undefined);
	});

	test('both workers end offline by worker-offline', () => {
		assert.equal(state.workers.size, 2);
		for (const worker of state.workers.values()) {
			assert.ok(worker.offlineAt !== undefined, worker.hostname);
			assert.equal(worker.swVer, '5.5.2');
		}
	});
});
