// A bounded map that drops the least recently used entry. Backed by a Map, whose insertion order is
// the recency order: moving an entry to the newest end is a delete + set.
//
// Eviction reads the oldest entry through one long-lived iterator. A fresh `map.keys().next()` would
// have to skip every slot freed by earlier deletions at the front of V8's table (O(n) per eviction,
// 3x slower at 10 000 entries); the live iterator only moves forward, so eviction is O(1) amortized.
// It stays correct because every entry before its position has been deleted (evicted, or moved to
// the end by touch/set), so the next entry it yields is always the oldest one.
//
// A live iterator also pins V8's table: every rehash (deletions fill the table, so touches alone
// cause them) links the old table to the new one, and the chain from the iterator's table stays
// alive until the iterator next moves. A map that never evicts (workers) would grow that chain
// without bound (14 MB after 450k events). So the iterator is dropped once the map has seen `size`
// deletions since it last moved (a rehash needs at least half the table's capacity of them, so the
// chain stays a few tables long) and made again at the next eviction: its first step skips the
// deleted front slots, O(size) once per `size` deletions, still O(1) amortized.

export class LruMap<K, V> {
	readonly capacity: number;
	readonly #map = new Map<K, V>();
	#newest: K | undefined;
	#hasNewest = false;
	#oldest: Iterator<[K, V]> | undefined;
	/** Deletions since #oldest last moved (see above). */
	#deletes = 0;

	constructor(capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1)
			throw new RangeError(`LruMap capacity must be a positive integer, got ${capacity}`);
		this.capacity = capacity;
	}

	get size(): number {
		return this.#map.size;
	}

	has(key: K): boolean {
		return this.#map.has(key);
	}

	/** The value, without changing its recency. */
	get(key: K): V | undefined {
		return this.#map.get(key);
	}

	/**
	 * Make an existing entry the newest. Returns false when the key is absent. The entry is re-inserted
	 * with the key given: pass the stored key (e.g. task.uuid), not an equal copy, or both stay alive.
	 */
	touch(key: K): boolean {
		if (this.#hasNewest && this.#newest === key) return true;
		const map = this.#map;
		const value = map.get(key);
		if (value === undefined && !map.has(key)) return false;
		map.delete(key);
		this.#deleted();
		map.set(key, value as V);
		this.#newest = key;
		this.#hasNewest = true;
		return true;
	}

	/**
	 * Insert or replace as the newest entry. When that takes the map over capacity, the oldest entry is
	 * removed and returned as [key, value]; otherwise undefined.
	 */
	set(key: K, value: V): [K, V] | undefined {
		const map = this.#map;
		if (!(this.#hasNewest && this.#newest === key) && map.delete(key)) this.#deleted();
		map.set(key, value);
		this.#newest = key;
		this.#hasNewest = true;
		if (map.size <= this.capacity) return undefined;
		this.#oldest ??= map.entries();
		let next = this.#oldest.next();
		if (next.done) {
			// Cannot happen while size > capacity >= 1; restart defensively.
			this.#oldest = map.entries();
			next = this.#oldest.next();
		}
		this.#deletes = 0;
		const oldest = next.value as [K, V];
		map.delete(oldest[0]);
		return oldest;
	}

	/** Count a deletion other than an eviction; drop the iterator when it pins too many tables. */
	#deleted(): void {
		if (this.#oldest !== undefined && ++this.#deletes > this.#map.size) {
			this.#oldest = undefined;
			this.#deletes = 0;
		}
	}

	delete(key: K): boolean {
		if (this.#hasNewest && this.#newest === key) {
			this.#newest = undefined;
			this.#hasNewest = false;
		}
		if (!this.#map.delete(key)) return false;
		this.#deleted();
		return true;
	}

	clear(): void {
		this.#map.clear();
		this.#newest = undefined;
		this.#hasNewest = false;
		this.#oldest = undefined;
		this.#deletes = 0;
	}

	/** Values, oldest (least recently used) first. */
	values(): IterableIterator<V> {
		return this.#map.values();
	}

	/** Keys, oldest first. */
	keys(): IterableIterator<K> {
		return this.#map.keys();
	}

	/** Entries, oldest first. */
	entries(): IterableIterator<[K, V]> {
		return this.#map.entries();
	}

	/** Values, newest first, at most `limit` of them (a new array; O(size)). */
	valuesNewestFirst(limit = Number.POSITIVE_INFINITY): V[] {
		const all = Array.from(this.#map.values());
		const count = Math.min(all.length, Math.max(0, limit));
		const result = new Array<V>(count);
		for (let i = 0; i < count; i++) result[i] = all[all.length - 1 - i]!;
		return result;
	}

	[Symbol.iterator](): IterableIterator<[K, V]> {
		return this.#map.entries();
	}
}
