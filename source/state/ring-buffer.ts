// A fixed-capacity log: pushing past capacity overwrites the oldest entry.

export class RingBuffer<T> {
	readonly capacity: number;
	readonly #items: Array<T | undefined>;
	#next = 0; // slot of the next push
	#size = 0;
	#totalPushed = 0;

	constructor(capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1)
			throw new RangeError(`RingBuffer capacity must be a positive integer, got ${capacity}`);
		this.capacity = capacity;
		this.#items = new Array<T | undefined>(capacity).fill(undefined);
	}

	get size(): number {
		return this.#size;
	}

	/** Every push since creation (or the last clear), including overwritten ones. */
	get totalPushed(): number {
		return this.#totalPushed;
	}

	push(item: T): void {
		this.#items[this.#next] = item;
		this.#next = this.#next + 1 === this.capacity ? 0 : this.#next + 1;
		if (this.#size < this.capacity) this.#size++;
		this.#totalPushed++;
	}

	/** The newest `limit` items (all by default), newest first. */
	newestFirst(limit = Number.POSITIVE_INFINITY): T[] {
		const count = Math.min(this.#size, Math.max(0, Math.floor(limit)));
		const result = new Array<T>(count);
		let index = this.#next;
		for (let i = 0; i < count; i++) {
			index = index === 0 ? this.capacity - 1 : index - 1;
			result[i] = this.#items[index] as T;
		}
		return result;
	}

	/** All items, oldest first. */
	toArray(): T[] {
		return this.newestFirst().reverse();
	}

	clear(): void {
		this.#items.fill(undefined);
		this.#next = 0;
		this.#size = 0;
		this.#totalPushed = 0;
	}
}
