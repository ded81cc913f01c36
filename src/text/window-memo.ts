/**
 * A memo keyed by a fixed number of numeric ids (a word and its neighbours' readings, see
 * src/text/lexicon.ts): open addressing with linear probing over the ids, no key objects or strings
 * built per lookup. Ids are integers below 2^53 that the caller never reuses for another meaning, so
 * an entry can only be found by the window it was stored for. Grows as it fills (at most half full,
 * so probes stay short); emptied when `capacity` entries are held.
 */
export class WindowMemo<V> {
  private keys = new Float64Array(0);
  private values: (V | undefined)[] = [];
  private mask = 0;
  private count = 0;

  constructor(
    private readonly width: number,
    private readonly capacity: number,
  ) {
    this.allocate(1024);
  }

  /** The value stored for the ids `key[0 .. width)`. */
  get(key: Float64Array): V | undefined {
    for (let slot = this.hash(key) & this.mask; ; slot = (slot + 1) & this.mask) {
      const value = this.values[slot];
      if (value === undefined || this.holds(slot, key)) return value;
    }
  }

  /** Stores `value` for `key`, which is not in the memo. */
  set(key: Float64Array, value: V): void {
    if (this.count >= this.capacity) this.clear();
    else if (2 * (this.count + 1) > this.values.length) this.grow();
    this.insert(key, 0, value);
  }

  private insert(key: Float64Array, from: number, value: V): void {
    const part = key.subarray(from, from + this.width);
    let slot = this.hash(part) & this.mask;
    while (this.values[slot] !== undefined) slot = (slot + 1) & this.mask;
    this.keys.set(part, slot * this.width);
    this.values[slot] = value;
    this.count++;
  }

  private grow(): void {
    const [keys, values] = [this.keys, this.values];
    this.allocate(2 * values.length);
    for (let slot = 0; slot < values.length; slot++) {
      if (values[slot] !== undefined) this.insert(keys, slot * this.width, values[slot]!);
    }
  }

  private allocate(slots: number): void {
    this.mask = slots - 1;
    this.keys = new Float64Array(slots * this.width);
    this.values = new Array<V | undefined>(slots).fill(undefined);
    this.count = 0;
  }

  clear(): void {
    this.allocate(1024);
  }

  private holds(slot: number, key: Float64Array): boolean {
    const at = slot * this.width;
    for (let k = 0; k < this.width; k++) if (this.keys[at + k] !== key[k]) return false;
    return true;
  }

  /** FNV-1a over each id's low 32 bits (ids differ there unless 2^32 apart). */
  private hash(key: Float64Array): number {
    let hash = 0x811c9dc5 | 0;
    for (let k = 0; k < this.width; k++) hash = Math.imul(hash ^ (key[k]! % 0x1_0000_0000), 0x01000193);
    return hash;
  }
}
