// Read the captured wire fixtures in test/fixtures/ (what they hold: docs/WIRE.md).
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const directory = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixturePath(name: string): string {
	return directory + name;
}

/** Every line of a JSON-lines fixture, parsed. */
export function readJsonLines<T = Record<string, unknown>>(name: string): T[] {
	return readFileSync(fixturePath(name), 'utf8')
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line) as T);
}

export function readJson<T = unknown>(name: string): T {
	return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;
}

export type PubSubLine = {readonly t: number; readonly channel: string; readonly data: string};
export type DecodedLine = {
	readonly line: number;
	readonly channel: string;
	readonly kind: string;
	readonly envelope?: {
		readonly headers: Record<string, unknown>;
		readonly properties: Record<string, unknown>;
	};
	readonly body_is_array?: boolean;
	readonly events?: Array<Record<string, unknown>>;
};

/** events-pubsub.jsonl lines on an event channel, each with its decoded counterpart. */
export function eventMessages(): Array<{readonly message: PubSubLine; readonly decoded: DecodedLine}> {
	const messages = readJsonLines<PubSubLine>('events-pubsub.jsonl');
	const decoded = readJsonLines<DecodedLine>('events-decoded.jsonl');
	const result: Array<{message: PubSubLine; decoded: DecodedLine}> = [];
	for (const [index, message] of messages.entries()) {
		if (!message.channel.includes('celeryev')) continue;
		const match = decoded.find((line) => line.line === index + 1);
		if (match === undefined) throw new Error(`no decoded line for events-pubsub.jsonl line ${index + 1}`);
		result.push({message, decoded: match});
	}
	return result;
}

/** Build a raw envelope with a base64 JSON body the way Celery does, from any payload text. */
export function rawEnvelope(bodyText: string, overrides: Record<string, unknown> = {}): string {
	return JSON.stringify({
		body: Buffer.from(bodyText, 'utf8').toString('base64'),
		'content-encoding': 'utf-8',
		'content-type': 'application/json',
		headers: {hostname: 'w1@vm'},
		properties: {
			delivery_mode: 1,
			delivery_info: {exchange: 'celeryev', routing_key: 'task.multi'},
			priority: 0,
			body_encoding: 'base64',
			delivery_tag: '54e28d54-0000-4000-8000-000000000000',
		},
		...overrides,
	});
}

export type CapturedEvent = Record<string, unknown> & {type: string; hostname: string; timestamp: number};

/** Every event of the capture in arrival order, with the time it was received (`t`). */
export function capturedEvents(): Array<{readonly t: number; readonly event: CapturedEvent}> {
	const result: Array<{t: number; event: CapturedEvent}> = [];
	for (const {message, decoded} of eventMessages()) {
		for (const event of decoded.events ?? []) result.push({t: message.t, event: event as CapturedEvent});
	}
	return result;
}
