// A task as a plain object: every field of the Task interface, read once (the timeline as entries).
// The one list of Task's fields that copies and JSON use (TaskRecord.toJSON, copyTask in task.ts).
import type {Task} from './types.js';

/** Every field of a task in a plain object (the timeline included, as entries). */
export function plainTask(task: Task): Task {
	return {
		uuid: task.uuid,
		state: task.state,
		name: task.name,
		args: task.args,
		kwargs: task.kwargs,
		result: task.result,
		exception: task.exception,
		traceback: task.traceback,
		runtime: task.runtime,
		eta: task.eta,
		expires: task.expires,
		retries: task.retries,
		worker: task.worker,
		client: task.client,
		parentId: task.parentId,
		rootId: task.rootId,
		terminated: task.terminated,
		signum: task.signum,
		expired: task.expired,
		requeue: task.requeue,
		sent: task.sent,
		received: task.received,
		started: task.started,
		succeeded: task.succeeded,
		failed: task.failed,
		retried: task.retried,
		revoked: task.revoked,
		rejected: task.rejected,
		timestamp: task.timestamp,
		clock: task.clock,
		lastSeen: task.lastSeen,
		timeline: task.timeline,
	};
}
