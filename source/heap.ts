// V8 lets the heap grow to up to 4× what survived the last full collection before it collects again.
// A monitor that keeps 100,000 tasks while events churn through them would sit at 2–4× its live
// data (the bench measured 481 MB of RSS for 100,000 tasks in the TUI at 20,000 events/s). Capping the
// growth at 1.5× halves that (262 MB) for about a tenth more CPU: memory is what monitors run out of.
import {setFlagsFromString} from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

/** For the long-running modes (the TUI, `events`): read at every full GC, so it applies at once. */
export function limitHeapGrowth(): void {
	setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
