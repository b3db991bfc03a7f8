// Canonical copies of the short strings that repeat across tasks (hostnames, task names, custom
// states and event types, and the often repeated kwargs, results and exceptions). JSON.parse makes a
// new string for the values of every event, so without this every task would keep its own copy of
// the same hostname and task name.
//
// Bounded: only strings up to MAX_INTERNED_LENGTH characters, at most MAX_INTERNED of them. When the
// table is full it is cleared, not grown, so hostile input (a new hostname per event) costs at most
// the cap; strings already stored elsewhere stay valid, they are only shared less for a while.

/** Longest string interned: longer values rarely repeat (a DNS name is at most 253 characters). */
export const MAX_INTERNED_LENGTH = 256;
/** Most strings held at once: at most about 3 MB (strings and table) whatever the input. */
export const MAX_INTERNED = 10_000;

export class Interner {
	readonly #strings = new Map<string, string>();
	readonly #maxSize: number;
	readonly #maxLength: number;

	constructor(maxSize = MAX_INTERNED, maxLength = MAX_INTERNED_LENGTH) {
		this.#maxSize = maxSize;
		this.#maxLength = maxLength;
	}

	get size(): number {
		return this.#strings.size;
	}

	/** The canonical string equal to `value` (`value` itself the first time it is seen). */
	intern(value: string): string {
		if (value.length > this.#maxLength) return value;
		const strings = this.#strings;
		const known = strings.get(value);
		if (known !== undefined) return known;
		if (strings.size >= this.#maxSize) strings.clear();
		strings.set(value, value);
		return value;
	}
}

/** The table shared by every task (interning never changes a value, so sharing it is safe). */
const shared = new Interner();

export function intern(value: string): string {
	return shared.intern(value);
}

/** The string to store for `value`: `current` when equal (no table lookup), else the interned one. */
export function canonical(current: string | undefined, value: string): string {
	return current === value ? current : intern(value);
}
