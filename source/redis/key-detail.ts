// Read one key for the detail view, bounded: its type, TTL, size, MEMORY USAGE and at most `limit`
// elements (lists from the tail, where Celery's next message is), strings up to `maxBytes`.
import type {Redis} from 'ioredis';
import type {KeyValue} from '../protocol/key-detail.js';

export type ReadKeyOptions = {readonly limit?: number; readonly maxBytes?: number};

export async function readKeyDetail(
	redis: Redis,
	key: string,
	options: ReadKeyOptions = {},
): Promise<KeyValue> {
	const limit = Math.max(1, options.limit ?? 50);
	const maxBytes = options.maxBytes ?? 64 * 1024;
	const [typeReply, ttlReply, bytesReply] =
		(await redis.pipeline().type(key).ttl(key).memory('USAGE', key).exec()) ?? [];
	const type = String(typeReply?.[1] ?? 'none');
	const ttl = Number(ttlReply?.[1] ?? -2);
	const bytes = typeof bytesReply?.[1] === 'number' ? bytesReply[1] : undefined;
	const base = {key, type, ttl, bytes};
	switch (type) {
		case 'string': {
			const size = await redis.strlen(key);
			const value =
				size > maxBytes ? await redis.getrange(key, 0, maxBytes - 1) : ((await redis.get(key)) ?? '');
			return {...base, size, kind: 'string', value, truncated: size > maxBytes};
		}
		case 'list': {
			const [size, items] = await Promise.all([redis.llen(key), redis.lrange(key, -limit, -1)]);
			return {...base, size, kind: 'list', items, truncated: size > items.length};
		}
		case 'hash': {
			const size = await redis.hlen(key);
			const [, flat] = await redis.hscan(key, '0', 'COUNT', limit);
			const entries: Array<[string, string]> = [];
			for (let i = 0; i + 1 < flat.length && entries.length < limit; i += 2)
				entries.push([flat[i]!, flat[i + 1]!]);
			return {...base, size, kind: 'hash', entries, truncated: size > entries.length};
		}
		case 'set': {
			const size = await redis.scard(key);
			const [, members] = await redis.sscan(key, '0', 'COUNT', limit);
			return {
				...base,
				size,
				kind: 'set',
				members: members.slice(0, limit),
				truncated: size > Math.min(limit, members.length),
			};
		}
		case 'zset': {
			const size = await redis.zcard(key);
			const flat = await redis.zrange(key, '0', String(limit - 1), 'WITHSCORES');
			const entries: Array<[string, number]> = [];
			for (let i = 0; i + 1 < flat.length; i += 2) entries.push([flat[i]!, Number(flat[i + 1])]);
			return {...base, size, kind: 'zset', entries, truncated: size > entries.length};
		}
		case 'stream': {
			const size = await redis.xlen(key);
			const raw = (await redis.xrevrange(key, '+', '-', 'COUNT', String(limit))) as Array<[string, string[]]>;
			const entries = raw.map(([id, fields]) => [id, fields] as [string, string[]]);
			return {...base, size, kind: 'stream', entries, truncated: size > entries.length};
		}
		default:
			return {...base, size: 0, kind: 'other', truncated: false};
	}
}
