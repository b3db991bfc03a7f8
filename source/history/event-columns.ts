// Which fields of an event the history keeps in columns rather than in its body: the type (in the
// event's shape), hostname (worker_id), timestamp, and the uuid of a task-* event (task_id). Pure.

export function inColumn(type: string, key: string): boolean {
	return (
		key === 'type' ||
		key === 'hostname' ||
		key === 'timestamp' ||
		(key === 'uuid' && type.startsWith('task-'))
	);
}
