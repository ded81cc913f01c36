/**
 * A string-keyed memo looked up by a slice of a longer text without cutting the slice out: the
 * tagger asks once per whitespace-separated chunk, and a `Map` would need a new string (allocated and
 * hashed) per ask. Open addressing with linear probing over an FNV-1a hash of the UTF-16 code units;
 * emptied when `capacity` entries are held.
 */
export class ChunkMemo<V> {
  private keys: (string | undefined)[];
  private hashes: Int32Array;
  private values: (V | undefined)[];
  private readonly mask: number;
  private count = 0;

  constructor(private readonly capacity: number) {
    // At most half full: probes stay short.
    let slots = 2;
    while (slots < 2 * capacity) slots *= 2;
    this.mask = slots - 1;
    this.keys = new Array<string | undefined>(slots).fill(undefined);
    this.hashes = new Int32Array(slots);
    this.values = new Array<V | undefined>(slots).fill(undefined);
  }

  get size(): number {
    return this.count;
  }

  /** The value stored for `text.slice(from, to)`, whose `hashOf` the caller may have computed. */
  get(text: string, from: number, to: number, hash = hashOf(text, from, to)): V | undefined {
    const length = to - from;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const key = this.keys[slot];
      if (key === undefined) return undefined;
      if (this.hashes[slot] === hash && key.length === length && text.startsWith(key, from))
        return this.values[slot];
    }
  }

  /** Stores `value` for `key`, which is not in the memo. */
  set(key: string, value: V): void {
    if (this.count >= this.capacity) this.clear();
    const hash = hashOf(key, 0, key.length);
    let slot = hash & this.mask;
    while (this.keys[slot] !== undefined) slot = (slot + 1) & this.mask;
    this.keys[slot] = key;
    this.hashes[slot] = hash;
    this.values[slot] = value;
    this.count++;
  }

  clear(): void {
    this.keys.fill(undefined);
    this.values.fill(undefined);
    this.count = 0;
  }
}

/** FNV-1a over UTF-16 code units: `hashStep` from `hashStart` over each code unit. */
export const hashStart = 0x811c9dc5 | 0;
export function hashStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193);
}

export function hashOf(text: string, from: number, to: number): number {
  let hash = hashStart;
  for (let i = from; i < to; i++) hash = hashStep(hash, text.charCodeAt(i));
  return hash;
}
