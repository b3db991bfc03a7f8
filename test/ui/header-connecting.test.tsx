// The header before the first answer: whom we wait for and for how long (counting), or the reason
// of the last passing failure; never the password; once connected, just "connected".
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {render} from 'ink-testing-library';
import {Store} from '../../source/state/store.js';
import {Header} from '../../source/ui/components/header.js';
import {ServicesProvider, type Services} from '../../source/ui/services.js';

const START = 1_795_771_600;

function frameOf(store: Store, brokerDisplay: string, now: number, width = 160): string {
	store.flush(now);
	const services: Services = {store, clock: () => now, brokerDisplay, readOnly: false};
	const {lastFrame, unmount} = render(
		<ServicesProvider value={services}>
			<Header
				snapshot={store.getSnapshot()}
				brokerDisplay={brokerDisplay}
				aliveWorkers={0}
				width={width}
				filter=""
			/>
		</ServicesProvider>,
	);
	const frame = lastFrame() ?? '';
	unmount();
	return frame;
}

test('while nothing answers: "connecting to host:port (no answer for N s)", counting from the start', () => {
	const store = new Store({now: START});
	const display = 'redis://:***@10.1.2.3:6390/0';
	assert.match(frameOf(store, display, START), /● connecting to 10\.1\.2\.3:6390 \(no answer for 0s\)/);
	assert.match(frameOf(store, display, START + 7.4), /● connecting to 10\.1\.2\.3:6390 \(no answer for 7s\)/);
	store.setConnection('connected', START + 8);
	const connected = frameOf(store, display, START + 9);
	assert.match(connected, /● connected/);
	assert.doesNotMatch(connected, /connecting to/);
});

test('a passing failure shows its reason; sockets and sentinels are named as they are', () => {
	const store = new Store({now: START});
	store.setConnection('connecting', START, 'connection refused at 10.1.2.3:6390');
	assert.match(
		frameOf(store, 'redis://:***@10.1.2.3:6390/0', START + 3),
		/connecting to 10\.1\.2\.3:6390 \(3s: connection refused at 10\.1\.2\.3:6390\)/,
	);
	const fresh = new Store({now: START});
	assert.match(
		frameOf(fresh, 'redis+socket:///run/redis/redis.sock?virtual_host=2', START),
		/connecting to \/run\/redis\/redis\.sock \(no answer for 0s\)/,
	);
	assert.match(
		frameOf(fresh, 'sentinel://:***@s1:26379;sentinel://s2:26380', START),
		/connecting to sentinels s1:26379,s2:26380 \(no answer/,
	);
});

test('a reason with control characters is shown inert', () => {
	const store = new Store({now: START});
	store.setConnection('connecting', START, 'evil \u001B[2J reason');
	const frame = frameOf(store, 'redis://h:1/0', START);
	assert.ok(!frame.includes('\u001B[2J'), 'no escape sequence reaches the terminal');
	assert.match(frame, /evil \\x1b\[2J reason/);
});

test('at 80 columns the connecting line comes whole, before the URL, with no counters beside it', () => {
	const store = new Store({now: START});
	const display = 'redis://:***@redis-main.prod:6390/0';
	const first = frameOf(store, display, START + 42, 80).split('\n')[0]!;
	assert.match(first, /^celerytop ● connecting to redis-main\.prod:6390 \(no answer for 42s\)/);
	assert.doesNotMatch(first, /events \d/, 'no event counter while nothing answers');
	store.setConnection('connected', START + 43);
	const connected = frameOf(store, display, START + 44, 80).split('\n')[0]!;
	assert.match(connected, /^celerytop redis:\/\/:\*\*\*@redis-main\.prod:6390\/0 ● connected/);
	assert.match(connected, /events 0/);
});

test('connected at 60 columns: the broker and the event count share the line, cut, never a lone letter', () => {
	const store = new Store({now: START});
	store.setConnection('connected', START);
	store.applyBatch([{type: 'worker-heartbeat', hostname: 'w1@vm', timestamp: START, freq: 2}], START);
	for (const width of [60, 80, 200]) {
		const first = frameOf(store, 'redis://127.0.0.1:44407/0', START + 1, width).split('\n')[0]!;
		assert.ok([...first].length <= width, `${width}: ${first}`);
		// Narrower than 80 the connection comes first, so "connected" is never the part cut.
		assert.match(
			first,
			width < 80
				? /^celerytop ● connected · redis:\/\/127\.0\.0\.1/
				: /^celerytop redis:\/\/127\.0\.0\.1:44407\/0 ● connected/,
			`${width}: ${first}`,
		);
		assert.match(first, /events 1 \d\.\d\/s$/, `${width}: ${first}`);
	}
	// Narrower than the broker and the count together: the broker and the connection only.
	const narrow = frameOf(store, 'redis://127.0.0.1:44407/0', START + 1, 40).split('\n')[0]!;
	assert.doesNotMatch(narrow, /events/);
	assert.match(narrow, /^celerytop ● connected/);
});
