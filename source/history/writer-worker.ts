// The history writer's thread: the main thread posts event batches; this thread queues them and
// commits one transaction every COMMIT_MS or COMMIT_EVENTS events, so the caller never waits on the
// disk. A failed commit (disk full, file gone read-only) is reported once and writing stops; the
// events then are dropped and counted.
import {parentPort, workerData} from 'node:worker_threads';
import {describe, Recorder, type Batch} from './recorder.js';
import type {ToWorker, FromWorker, WorkerStart} from './writer-messages.js';

const COMMIT_MS = 200;
const COMMIT_EVENTS = 10_000;
/** Queued events at most: past it (the disk is slower than the stream) batches are dropped as a gap. */
const QUEUE_LIMIT = 500_000;

const port = parentPort!;
const start = workerData as WorkerStart;
const post = (message: FromWorker) => port.postMessage(message);
const now = () => Date.now() / 1000;

const opened = Recorder.open(start.path, start.broker, now());
if (!opened.ok) {
	post({type: 'failed', error: opened.error});
} else {
	run(opened.value);
}

function run(recorder: Recorder): void {
	let queue: Batch[] = [];
	let queued = 0;
	let dropped = 0;
	let droppedFrom: number | undefined;
	let droppedTo = 0;
	let failed = false;
	const flush = () => {
		if (failed) return;
		try {
			if (droppedFrom !== undefined) {
				recorder.gap(droppedFrom, droppedTo, 'writer behind');
				droppedFrom = undefined;
			}
			if (queue.length === 0) return;
			const batches = queue;
			queue = [];
			queued = 0;
			recorder.commit(batches, now());
		} catch (error) {
			failed = true;
			post({type: 'error', error: `history: writing stopped: ${describe(error)}`});
		}
	};
	const timer = setInterval(flush, COMMIT_MS);
	post({type: 'ready'});
	port.on('message', (message: ToWorker) => {
		if (message.type === 'events') {
			if (failed || queued >= QUEUE_LIMIT) {
				dropped += message.events.length;
				if (!failed) {
					droppedFrom ??= message.at;
					droppedTo = message.at;
				}
				return;
			}
			queue.push({events: message.events, at: message.at});
			queued += message.events.length;
			if (queued >= COMMIT_EVENTS) flush();
		} else if (message.type === 'gap') {
			if (failed) return;
			try {
				flush();
				recorder.gap(message.from, message.to, message.reason);
			} catch (error) {
				failed = true;
				post({type: 'error', error: `history: writing stopped: ${describe(error)}`});
			}
		} else if (message.type === 'close') {
			clearInterval(timer);
			flush();
			let error: string | undefined;
			let tasks = 0;
			try {
				tasks = recorder.tasks;
				recorder.close(now());
			} catch (e) {
				error = describe(e);
			}
			post({
				type: 'closed',
				stats: {events: recorder.events, tasks, commits: recorder.commits, dropped},
				...(error ? {error} : {}),
			});
			port.close();
		}
	});
}
