// CLIENT LIST and SLOWLOG GET as captured from redis-server 7.0.15 (a BRPOP client, a PSUBSCRIBE
// client and a connection named celerytop-events).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {
	parseClientLine,
	parseClientList,
	parseSlowlog,
	summarizeClients,
} from '../../source/protocol/redis-clients.js';
import {fixturePath, readJson} from '../helpers/fixtures.js';

test('who is connected: a worker blocked in BRPOP, a subscriber, celerytop itself', () => {
	const clients = parseClientList(readFileSync(fixturePath('redis-client-list.txt'), 'utf8'));
	assert.deepEqual(
		clients.map((c) => [c.id, c.role, c.cmd, c.name, c.db]),
		[
			[9, 'blocked', 'brpop', '', 0],
			[10, 'subscriber', 'psubscribe', '', 0],
			[11, 'celerytop', 'client|list', 'celerytop-events', 0],
		],
	);
	assert.equal(clients[2]!.omem, 0);
	assert.equal(clients[2]!.totalMemory, 37_658);
	assert.equal(clients[0]!.addr, '127.0.0.1:59502');
	assert.deepEqual(summarizeClients(clients), {
		total: 3,
		blocked: 1,
		subscribers: 1,
		celerytop: 1,
		byCommand: [
			{cmd: 'brpop', count: 1},
			{cmd: 'client|list', count: 1},
			{cmd: 'psubscribe', count: 1},
		],
	});
});

test('MONITOR clients and replicas are told apart; lines without id are skipped', () => {
	assert.equal(parseClientLine('id=4 addr=x:1 name= flags=O cmd=monitor')?.role, 'monitor');
	assert.equal(parseClientLine('id=5 addr=x:2 name= flags=S cmd=replconf')?.role, 'replica');
	assert.equal(parseClientLine('addr=x:3 flags=N'), undefined);
	assert.equal(parseClientList('\n\n').length, 0);
});

test('SLOWLOG GET entries, newest first as Redis sends them; malformed entries are skipped', () => {
	const entries = parseSlowlog(readJson('redis-slowlog.json'));
	assert.equal(entries.length, 5);
	assert.deepEqual(entries[0], {
		id: 9,
		time: 1_795_776_648,
		durationMicros: 16,
		args: ['client', 'LIST'],
		client: '127.0.0.1:59516',
		clientName: 'celerytop-events',
	});
	assert.deepEqual(entries[4]!.args, ['set', 'k', 'v', 'EX', '1000']);
	assert.deepEqual(parseSlowlog([[1, 2], 'x', [1, 2, 3, ['get', 'k']]]).length, 1);
	assert.deepEqual(parseSlowlog(null), []);
});
