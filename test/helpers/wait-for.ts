// Poll a condition until it holds; no fixed sleeps in tests.
export interface WaitForOptions {
	timeout?: number;
	interval?: number;
	message?: string | (() => string);
}

export async function waitFor(
	cond: () => boolean | Promise<boolean>,
	{timeout = 10_000, interval = 25, message = 'condition'}: WaitForOptions = {},
): Promise<void> {
	const deadline = Date.now() + timeout;
	for (;;) {
		if (await cond()) return;
		if (Date.now() >= deadline) {
			const text = typeof message === 'function' ? message() : message;
			throw new Error(`waitFor timed out after ${timeout} ms: ${text}`);
		}
		await new Promise((resolve) => setTimeout(resolve, interval));
	}
}
