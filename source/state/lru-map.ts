// A bounded map that drops the least recently used entry: its own hash table (open addressing,
// linear probing) over slots, and the recency order as a doubly linked list of slots.
//
// Why not a Map (insertion order as recency, touch = delete + set): every touch leaves a deleted
// entry in V8's table, and its rehash only keeps the capacity when at least half the entries are
// deleted, so a map of 100 000 tasks settles at 262 144 entries of 24 bytes plus the buckets: 7.3 MB,
// 73 bytes a task. Here an entry is its key, its value, its hash, two links and two slots of the
// index: about 38 bytes at full capacity; a touch moves links and writes no table.
//
// Slots and index grow by doubling up to the capacity (a map of capacity 1 000 000 with ten entries is
// small). The hash is seeded per process (Math.random), like V8's own string hash, so chosen keys
// cannot make chains long. Keys are strings or numbers, compared as a Map does (SameValueZero).

type Key = string | number;

const NONE = -1;
const MIN_SLOTS = 16;

/** Seed of the hash: not predictable from outside, so chosen keys cannot make the probes long. */
const SEED = (Math.random() * 0x1_0000_0000) | 0;

function mix(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85eb_ca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2_ae35);
	return h ^ (h >>> 16);
}

function hashOf(key: Key): number {
	let h = SEED;
	if (typeof key === 'number') {
		if ((key | 0) === key) return mix(h ^ key); // -0 | 0 is 0: -0 and 0 are one key, as in a Map
		key = String(key); // NaN is one key, as in a Map
	} else if (typeof key !== 'string') {
		throw new TypeError('LruMap keys are strings or numbers');
	}
	for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x0100_0193);
	return mix(h);
}

function same(a: Key, b: Key): boolean {
	return a === b || (a !== a && b !== b); // SameValueZero: NaN is NaN
}

export class LruMap<K extends Key, V> {
	readonly capacity: number;
	#size = 0;
	#keys: (K | undefined)[] = [];
	#values: (V | undefined)[] = [];
	#hashes = new Int32Array(0);
	#prev = new Int32Array(0);
	#next = new Int32Array(0); // also the free list's links
	/** Open addressing: slot + 1, 0 for an empty position. Length a power of two, at least 2 × slots. */
	#index = new Int32Array(0);
	#oldest = NONE;
	#newest = NONE;
	#free = NONE;
	/** Slot of the last key found: a touch right after a get does not hash again. */
	#lastSlot = NONE;

	constructor(capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1)
			throw new RangeError(`LruMap capacity must be a positive integer, got ${capacity}`);
		this.capacity = capacity;
		this.#allocate(Math.min(capacity, MIN_SLOTS));
	}

	get size(): number {
		return this.#size;
	}

	has(key: K): boolean {
		return this.#find(key) !== NONE;
	}

	/** The value, without changing its recency. */
	get(key: K): V | undefined {
		const slot = this.#find(key);
		return slot === NONE ? undefined : this.#values[slot];
	}

	/** Make an existing entry the newest. Returns false when the key is absent. */
	touch(key: K): boolean {
		const slot = this.#find(key);
		if (slot === NONE) return false;
		if (slot !== this.#newest) {
			this.#unlink(slot);
			this.#append(slot);
		}
		return true;
	}

	/**
	 * Insert or replace as the newest entry. When the key is new and the map is full, the oldest entry
	 * is removed and returned as [key, value]; otherwise undefined.
	 */
	set(key: K, value: V): [K, V] | undefined {
		const found = this.#find(key);
		if (found !== NONE) {
			this.#values[found] = value;
			if (found !== this.#newest) {
				this.#unlink(found);
				this.#append(found);
			}
			return undefined;
		}
		let evicted: [K, V] | undefined;
		if (this.#size >= this.capacity) {
			const oldest = this.#oldest;
			evicted = [this.#keys[oldest]!, this.#values[oldest]!];
			this.#remove(oldest);
		} else if (this.#free === NONE) {
			this.#allocate(Math.min(this.capacity, this.#keys.length * 2));
		}
		const slot = this.#free;
		this.#free = this.#next[slot]!;
		const hash = hashOf(key);
		this.#keys[slot] = key;
		this.#values[slot] = value;
		this.#hashes[slot] = hash;
		this.#place(slot, hash);
		this.#append(slot);
		this.#size++;
		this.#lastSlot = slot;
		return evicted;
	}

	delete(key: K): boolean {
		const slot = this.#find(key);
		if (slot === NONE) return false;
		this.#remove(slot);
		return true;
	}

	clear(): void {
		this.#size = 0;
		this.#oldest = this.#newest = this.#free = this.#lastSlot = NONE;
		this.#keys = [];
		this.#values = [];
		this.#hashes = this.#prev = this.#next = this.#index = new Int32Array(0);
		this.#allocate(Math.min(this.capacity, MIN_SLOTS));
	}

	/** Values, oldest (least recently used) first (of the entries when called). */
	values(): IterableIterator<V> {
		const out: V[] = [];
		for (let s = this.#oldest; s !== NONE; s = this.#next[s]!) out.push(this.#values[s]!);
		return out.values();
	}

	/** Keys, oldest first (of the entries when called). */
	keys(): IterableIterator<K> {
		const out: K[] = [];
		for (let s = this.#oldest; s !== NONE; s = this.#next[s]!) out.push(this.#keys[s]!);
		return out.values();
	}

	/** Entries, oldest first (of the entries when called). */
	entries(): IterableIterator<[K, V]> {
		const out: [K, V][] = [];
		for (let s = this.#oldest; s !== NONE; s = this.#next[s]!) out.push([this.#keys[s]!, this.#values[s]!]);
		return out.values();
	}

	/** Values, newest first, at most `limit` of them (a new array). */
	valuesNewestFirst(limit = Number.POSITIVE_INFINITY): V[] {
		const count = Math.min(this.#size, Math.max(0, limit));
		const result = new Array<V>(count);
		let s = this.#newest;
		for (let i = 0; i < count; i++, s = this.#prev[s]!) result[i] = this.#values[s]!;
		return result;
	}

	[Symbol.iterator](): IterableIterator<[K, V]> {
		return this.entries();
	}

	/** The slot holding `key`, or NONE. */
	#find(key: K): number {
		const last = this.#lastSlot;
		if (last !== NONE && this.#keys[last] === key) return last;
		const hash = hashOf(key);
		const index = this.#index;
		const mask = index.length - 1;
		const keys = this.#keys;
		for (let pos = hash & mask; ; pos = (pos + 1) & mask) {
			const entry = index[pos]!;
			if (entry === 0) return NONE;
			const slot = entry - 1;
			if (this.#hashes[slot] === hash && same(keys[slot]!, key)) {
				this.#lastSlot = slot;
				return slot;
			}
		}
	}

	/** Put `slot` in the index at the first free position from its hash. */
	#place(slot: number, hash: number): void {
		const index = this.#index;
		const mask = index.length - 1;
		let pos = hash & mask;
		while (index[pos] !== 0) pos = (pos + 1) & mask;
		index[pos] = slot + 1;
	}

	/** Take `slot` out of the index, the list and the slots (it goes on the free list). */
	#remove(slot: number): void {
		const index = this.#index;
		const mask = index.length - 1;
		let pos = this.#hashes[slot]! & mask;
		while (index[pos] !== slot + 1) pos = (pos + 1) & mask;
		// Backward-shift deletion: move up every later entry of the run that may sit in the hole.
		for (let j = (pos + 1) & mask; index[j] !== 0; j = (j + 1) & mask) {
			const home = this.#hashes[index[j]! - 1]! & mask;
			const movable = pos <= j ? home <= pos || home > j : home <= pos && home > j;
			if (movable) {
				index[pos] = index[j]!;
				pos = j;
			}
		}
		index[pos] = 0;
		this.#unlink(slot);
		this.#keys[slot] = undefined;
		this.#values[slot] = undefined;
		this.#next[slot] = this.#free;
		this.#free = slot;
		this.#size--;
		if (this.#lastSlot === slot) this.#lastSlot = NONE;
	}

	#unlink(slot: number): void {
		const prev = this.#prev[slot]!;
		const next = this.#next[slot]!;
		if (prev === NONE) this.#oldest = next;
		else this.#next[prev] = next;
		if (next === NONE) this.#newest = prev;
		else this.#prev[next] = prev;
	}

	/** Link `slot` as the newest. */
	#append(slot: number): void {
		const newest = this.#newest;
		this.#prev[slot] = newest;
		this.#next[slot] = NONE;
		if (newest === NONE) this.#oldest = slot;
		else this.#next[newest] = slot;
		this.#newest = slot;
	}

	/** Grow (or, from clear, reset) the slots to `slots`; new slots go on the free list. */
	#allocate(slots: number): void {
		const old = this.#keys.length;
		this.#keys.length = slots;
		this.#values.length = slots;
		const grow = (from: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
			const to = new Int32Array(slots);
			to.set(from.subarray(0, Math.min(old, slots)));
			return to;
		};
		this.#hashes = grow(this.#hashes);
		this.#prev = grow(this.#prev);
		this.#next = grow(this.#next);
		for (let s = slots - 1; s >= old; s--) {
			this.#next[s] = this.#free;
			this.#free = s;
		}
		let size = 2;
		while (size < 2 * slots) size *= 2;
		if (size !== this.#index.length) {
			this.#index = new Int32Array(size);
			for (let s = this.#oldest; s !== NONE; s = this.#next[s]!) this.#place(s, this.#hashes[s]!);
		}
	}
}
