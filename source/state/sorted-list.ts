// A sorted list with positions: insert, delete, the item at a position and the position of an item,
// each in O(log n + B) for n items in chunks of about B (a "chunked sorted array", as Python's
// sortedcontainers keeps). The Tasks pane draws a window of 100,000 retained tasks in any order with
// it: a frame re-sorts only the tasks that changed, never the whole list.
//
// The order must be total (compare(a, b) === 0 only for the same item): delete and indexOf find an
// item by binary search. No library offers this mutably (functional-red-black-tree is persistent,
// allocating on every change, and unmaintained; sorted-btree has no positions).

/** Items per chunk: a chunk is split at twice this, so a splice moves at most 2 × CHUNK pointers. */
export const CHUNK = 512;

export class SortedList<T> {
	readonly compare: (a: T, b: T) => number;
	#chunks: T[][] = [];
	#size = 0;

	constructor(compare: (a: T, b: T) => number) {
		this.compare = compare;
	}

	/** A list of `items`, which must already be sorted by `compare` (no copy is kept of the array). */
	static fromSorted<T>(items: readonly T[], compare: (a: T, b: T) => number): SortedList<T> {
		const list = new SortedList(compare);
		for (let i = 0; i < items.length; i += CHUNK) list.#chunks.push(items.slice(i, i + CHUNK));
		list.#size = items.length;
		return list;
	}

	get length(): number {
		return this.#size;
	}

	/** The chunk an item belongs in: the first whose last item is not below it (the last chunk if none). */
	#chunkFor(item: T): number {
		const chunks = this.#chunks;
		let low = 0;
		let high = chunks.length - 1;
		while (low < high) {
			const mid = (low + high) >>> 1;
			const chunk = chunks[mid]!;
			if (this.compare(chunk[chunk.length - 1]!, item) < 0) low = mid + 1;
			else high = mid;
		}
		return low;
	}

	/** The first position in `chunk` whose item is not below `item`. */
	#lowerBound(chunk: readonly T[], item: T): number {
		let low = 0;
		let high = chunk.length;
		while (low < high) {
			const mid = (low + high) >>> 1;
			if (this.compare(chunk[mid]!, item) < 0) low = mid + 1;
			else high = mid;
		}
		return low;
	}

	insert(item: T): void {
		const chunks = this.#chunks;
		this.#size++;
		if (chunks.length === 0) {
			chunks.push([item]);
			return;
		}
		const c = this.#chunkFor(item);
		const chunk = chunks[c]!;
		chunk.splice(this.#lowerBound(chunk, item), 0, item);
		if (chunk.length >= 2 * CHUNK) chunks.splice(c + 1, 0, chunk.splice(CHUNK));
	}

	/** Remove the item (found by `compare`); false when it is not there. */
	delete(item: T): boolean {
		const chunks = this.#chunks;
		if (chunks.length === 0) return false;
		const c = this.#chunkFor(item);
		const chunk = chunks[c]!;
		const at = this.#lowerBound(chunk, item);
		if (at >= chunk.length || this.compare(chunk[at]!, item) !== 0) return false;
		chunk.splice(at, 1);
		this.#size--;
		if (chunk.length === 0) chunks.splice(c, 1);
		return true;
	}

	/** The position of the item (found by `compare`), or -1. */
	indexOf(item: T): number {
		const chunks = this.#chunks;
		if (chunks.length === 0) return -1;
		const c = this.#chunkFor(item);
		const chunk = chunks[c]!;
		const at = this.#lowerBound(chunk, item);
		if (at >= chunk.length || this.compare(chunk[at]!, item) !== 0) return -1;
		let before = 0;
		for (let i = 0; i < c; i++) before += chunks[i]!.length;
		return before + at;
	}

	at(index: number): T | undefined {
		if (!Number.isInteger(index) || index < 0 || index >= this.#size) return undefined;
		let rest = index;
		for (const chunk of this.#chunks) {
			if (rest < chunk.length) return chunk[rest];
			rest -= chunk.length;
		}
		return undefined;
	}

	/** Items from `start` up to (not including) `end`, as Array.prototype.slice (non-negative bounds). */
	slice(start: number, end = this.#size): T[] {
		const result: T[] = [];
		const from = Math.max(0, start);
		const count = Math.min(this.#size, end) - from;
		if (count <= 0) return result;
		let skip = from;
		for (const chunk of this.#chunks) {
			if (skip >= chunk.length) {
				skip -= chunk.length;
				continue;
			}
			for (let i = skip; i < chunk.length && result.length < count; i++) result.push(chunk[i]!);
			skip = 0;
			if (result.length >= count) break;
		}
		return result;
	}

	*[Symbol.iterator](): IterableIterator<T> {
		for (const chunk of this.#chunks) yield* chunk;
	}
}
