// The Celery remote-control port: what the views may ask of the workers. The adapter is
// source/redis/control-client.ts (it fits this shape); tests pass fakes.

export type ControlService = {
	call(
		method: string,
		args: Record<string, unknown>,
		options: {readonly destination?: readonly string[]; readonly expected?: number},
	): Promise<{readonly replies: Record<string, unknown>; readonly sent: boolean}>;
};
