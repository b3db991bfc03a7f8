// One key's value as the adapter reads it (redis/key-detail.ts): its type, TTL, size, memory and at
// most a bounded part of its elements. present/key-detail.ts turns it into the detail view's lines.

type Base = {
	readonly key: string;
	readonly type: string;
	readonly ttl: number;
	readonly bytes: number | undefined;
	readonly size: number;
	readonly truncated: boolean;
};

export type KeyValue = Base &
	(
		| {readonly kind: 'string'; readonly value: string}
		| {readonly kind: 'list'; readonly items: readonly string[]}
		| {readonly kind: 'hash'; readonly entries: ReadonlyArray<readonly [string, string]>}
		| {readonly kind: 'set'; readonly members: readonly string[]}
		| {readonly kind: 'zset'; readonly entries: ReadonlyArray<readonly [string, number]>}
		| {readonly kind: 'stream'; readonly entries: ReadonlyArray<readonly [string, readonly string[]]>}
		| {readonly kind: 'other'}
	);
