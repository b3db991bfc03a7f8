// Pure: CLIENT LIST text and SLOWLOG GET replies → typed records, and who each client is
// (a worker blocked in BRPOP, a pub/sub subscriber, celerytop itself).

export type ClientInfo = {
	readonly id: number;
	readonly addr: string;
	readonly name: string;
	readonly ageSeconds: number;
	readonly idleSeconds: number;
	readonly flags: string;
	readonly db: number;
	readonly sub: number;
	readonly psub: number;
	/** Output buffer memory in bytes (what client-output-buffer-limit applies to). */
	readonly omem: number;
	readonly totalMemory: number;
	/** Last command ('brpop', 'psubscribe', 'client|list'). */
	readonly cmd: string;
	readonly role: ClientRole;
	/** Every field as sent. */
	readonly fields: Readonly<Record<string, string>>;
};

export type ClientRole = 'celerytop' | 'blocked' | 'subscriber' | 'monitor' | 'replica' | 'other';

function classify(fields: Record<string, string>): ClientRole {
	const flags = fields['flags'] ?? '';
	if ((fields['name'] ?? '').startsWith('celerytop-')) return 'celerytop';
	if (flags.includes('O')) return 'monitor';
	if (flags.includes('S')) return 'replica';
	if (flags.includes('b')) return 'blocked';
	if (flags.includes('P') || Number(fields['sub'] ?? 0) > 0 || Number(fields['psub'] ?? 0) > 0)
		return 'subscriber';
	return 'other';
}

/** One CLIENT LIST line ('id=3 addr=… name= … cmd=brpop …'). Values never contain spaces. */
export function parseClientLine(line: string): ClientInfo | undefined {
	const fields: Record<string, string> = {};
	for (const part of line.trim().split(' ')) {
		const eq = part.indexOf('=');
		if (eq > 0) fields[part.slice(0, eq)] = part.slice(eq + 1);
	}
	if (fields['id'] === undefined) return undefined;
	const n = (name: string) => {
		const value = Number(fields[name] ?? 0);
		return Number.isFinite(value) ? value : 0;
	};
	return {
		id: n('id'),
		addr: fields['addr'] ?? '',
		name: fields['name'] ?? '',
		ageSeconds: n('age'),
		idleSeconds: n('idle'),
		flags: fields['flags'] ?? '',
		db: n('db'),
		sub: n('sub'),
		psub: n('psub'),
		omem: n('omem'),
		totalMemory: n('tot-mem'),
		cmd: fields['cmd'] ?? '',
		role: classify(fields),
		fields,
	};
}

export function parseClientList(text: string): ClientInfo[] {
	const result: ClientInfo[] = [];
	for (const line of text.split('\n')) {
		const client = parseClientLine(line);
		if (client) result.push(client);
	}
	return result;
}

export type ClientSummary = {
	readonly total: number;
	readonly blocked: number;
	readonly subscribers: number;
	readonly celerytop: number;
	readonly byCommand: ReadonlyArray<{readonly cmd: string; readonly count: number}>;
};

export function summarizeClients(clients: readonly ClientInfo[]): ClientSummary {
	const byCommand = new Map<string, number>();
	for (const client of clients) byCommand.set(client.cmd, (byCommand.get(client.cmd) ?? 0) + 1);
	return {
		total: clients.length,
		blocked: clients.filter((c) => c.role === 'blocked').length,
		subscribers: clients.filter((c) => c.role === 'subscriber').length,
		celerytop: clients.filter((c) => c.role === 'celerytop').length,
		byCommand: [...byCommand]
			.map(([cmd, count]) => ({cmd, count}))
			.sort((a, b) => b.count - a.count || a.cmd.localeCompare(b.cmd)),
	};
}

export type SlowlogEntry = {
	readonly id: number;
	/** Epoch seconds. */
	readonly time: number;
	readonly durationMicros: number;
	readonly args: readonly string[];
	readonly client: string;
	readonly clientName: string;
};

/** SLOWLOG GET reply ([[id, time, µs, [args…], addr, name], …]); malformed entries are skipped. */
export function parseSlowlog(reply: unknown): SlowlogEntry[] {
	if (!Array.isArray(reply)) return [];
	const result: SlowlogEntry[] = [];
	for (const entry of reply) {
		if (!Array.isArray(entry) || entry.length < 4 || !Array.isArray(entry[3])) continue;
		const [id, time, duration, args, client, name] = entry as unknown[];
		result.push({
			id: Number(id),
			time: Number(time),
			durationMicros: Number(duration),
			args: (args as unknown[]).map(String),
			client: typeof client === 'string' ? client : '',
			clientName: typeof name === 'string' ? name : '',
		});
	}
	return result;
}
