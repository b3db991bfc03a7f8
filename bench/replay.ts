// Replays a recorded Celery event stream (bench/gen_events.py output) into a real redis-server with
// PUBLISH, at a fixed rate of events per second, for a fixed time. Used by bench/live.ts.
//
//   node --import tsx bench/replay.ts --port P --file F --rate EVENTS_PER_S --seconds S
//
// Every message is re-stamped as it is sent: each event's `timestamp` becomes the send time (so a
// subscriber's lag is its receive time minus the timestamp), and when the stream is replayed more
// than once every task id gets a per-loop prefix (so each loop brings new tasks, as a real cluster
// does). The body is rebuilt from a template and base64-encoded again: the envelope is exactly the
// one kombu sent, with a new body. Commands go out in one write per 2 ms tick over a raw socket;
// PUBLISH replies (the number of subscribers that got each message) are counted, so a message no
// subscriber received is seen here too. Prints one JSON line when done.
import {createReadStream} from 'node:fs';
import net from 'node:net';
import {createInterface} from 'node:readline';

const argv = process.argv.slice(2);
const get = (name: string): string | undefined => {
	const i = argv.indexOf(name);
	return i === -1 ? undefined : argv[i + 1];
};
const port = Number(get('--port'));
const file = get('--file');
const rate = Number(get('--rate'));
const seconds = Number(get('--seconds'));
if (!port || !file || !(rate > 0) || !(seconds > 0)) {
	console.error('usage: replay.ts --port P --file F --rate EVENTS_PER_S --seconds S');
	process.exit(2);
}

// A message as a template: literal pieces of the body text with slots between them.
type Slot = 'timestamp' | 'uuid';
type Template = {
	channel: string;
	before: string; // envelope text up to the body's base64
	after: string; // envelope text after it
	pieces: string[]; // body text pieces; slots[i] goes between pieces[i] and pieces[i + 1]
	slots: Slot[];
	uuidTails: string[]; // for each uuid slot in order: the id without its first 8 characters
	uuidHeads: number[]; // the first two hex digits of each id, as a number
	uuidMids: string[]; // characters 2–7 of each id
	events: number;
};

const SLOT =
	/("timestamp": )(-?[0-9][0-9.eE+-]*)|\b([0-9a-f]{8})(-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/g;

function template(channel: string, data: string): Template | undefined {
	const start = data.indexOf('"body": "');
	if (start === -1) return undefined;
	const bodyStart = start + '"body": "'.length;
	const bodyEnd = data.indexOf('"', bodyStart);
	const body = Buffer.from(data.slice(bodyStart, bodyEnd), 'base64').toString('utf8');
	const pieces: string[] = [];
	const slots: Slot[] = [];
	const uuidTails: string[] = [];
	const uuidHeads: number[] = [];
	const uuidMids: string[] = [];
	let last = 0;
	for (const m of body.matchAll(SLOT)) {
		if (m[1] !== undefined) {
			pieces.push(body.slice(last, m.index + m[1].length));
			slots.push('timestamp');
		} else {
			pieces.push(body.slice(last, m.index));
			slots.push('uuid');
			uuidHeads.push(parseInt(m[3]!.slice(0, 2), 16));
			uuidMids.push(m[3]!.slice(2));
			uuidTails.push(m[4]!);
		}
		last = m.index + m[0].length;
	}
	pieces.push(body.slice(last));
	let events = 1;
	try {
		const parsed = JSON.parse(body) as unknown;
		if (Array.isArray(parsed)) events = parsed.length;
	} catch {
		return undefined;
	}
	if (events === 0) return undefined; // an empty task.multi carries nothing to count
	return {
		channel,
		before: data.slice(0, bodyStart),
		after: data.slice(bodyEnd),
		pieces,
		slots,
		uuidTails,
		uuidHeads,
		uuidMids,
		events,
	};
}

const templates: Template[] = [];
for await (const line of createInterface({input: createReadStream(file), crlfDelay: Infinity})) {
	if (line === '') continue;
	const {channel, data} = JSON.parse(line) as {channel: string; data: string};
	const t = template(channel, data);
	if (t) templates.push(t);
}

function render(t: Template, stamp: string, loop: number): string {
	let body = t.pieces[0]!;
	let u = 0;
	for (let i = 0; i < t.slots.length; i++) {
		if (t.slots[i] === 'timestamp') body += stamp;
		else {
			// Loop 0 keeps the recorded ids; loop k shifts the first byte (37 is odd: no repeat for 256 loops).
			const head = (t.uuidHeads[u]! + loop * 37) & 0xff;
			body += (head < 16 ? '0' : '') + head.toString(16) + t.uuidMids[u]! + t.uuidTails[u]!;
			u++;
		}
		body += t.pieces[i + 1]!;
	}
	return t.before + Buffer.from(body, 'utf8').toString('base64') + t.after;
}

function publishCommand(channel: string, payload: string): string {
	return `*3\r\n$7\r\nPUBLISH\r\n$${Buffer.byteLength(channel)}\r\n${channel}\r\n$${Buffer.byteLength(payload)}\r\n${payload}\r\n`;
}

const socket = net.connect({host: '127.0.0.1', port});
socket.setNoDelay(true);
await new Promise<void>((resolve, reject) => {
	socket.once('connect', resolve);
	socket.once('error', reject);
});

// Replies: ':<receivers>\r\n' per PUBLISH.
let replies = 0;
let unheard = 0; // messages that reached no subscriber
let tail = '';
socket.on('data', (chunk: Buffer) => {
	const text = tail + chunk.toString('latin1');
	let from = 0;
	for (;;) {
		const end = text.indexOf('\r\n', from);
		if (end === -1) break;
		if (text.charCodeAt(from) === 58 /* : */ && text.slice(from + 1, end) === '0') unheard++;
		replies++;
		from = end + 2;
	}
	tail = text.slice(from);
});

const startedAt = performance.now();
const endAt = startedAt + seconds * 1000;
let index = 0;
let loop = 0;
let sentEvents = 0;
let sentMessages = 0;
let bytes = 0;
let behindMax = 0; // the most events the publisher was behind its schedule at a tick
let blocked = 0; // ticks where the socket asked us to wait

await new Promise<void>((resolve) => {
	const tick = () => {
		const now = performance.now();
		const elapsed = Math.min(now, endAt) - startedAt;
		const due = Math.floor((rate * elapsed) / 1000);
		if (due - sentEvents > behindMax) behindMax = due - sentEvents;
		const stamp = (Date.now() / 1000).toFixed(6);
		let out = '';
		while (sentEvents < due) {
			const t = templates[index]!;
			out += publishCommand(t.channel, render(t, stamp, loop));
			sentEvents += t.events;
			sentMessages++;
			if (++index === templates.length) {
				index = 0;
				loop++;
			}
			if (out.length > 1 << 20) {
				bytes += out.length;
				if (!socket.write(out)) blocked++;
				out = '';
			}
		}
		if (out !== '') {
			bytes += out.length;
			if (!socket.write(out)) blocked++;
		}
		if (now >= endAt) resolve();
		else setTimeout(tick, 2);
	};
	tick();
});
const sendSeconds = (performance.now() - startedAt) / 1000;

// Wait for every reply, then report.
const deadline = Date.now() + 30_000;
while (replies < sentMessages && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
socket.end();
console.log(
	JSON.stringify({
		rate,
		seconds: sendSeconds,
		sent_events: sentEvents,
		sent_messages: sentMessages,
		achieved_events_per_s: sentEvents / sendSeconds,
		bytes,
		loops: loop,
		templates: templates.length,
		replies,
		unheard_messages: unheard,
		behind_max_events: behindMax,
		blocked_writes: blocked,
		cpu_s: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
	}),
);
