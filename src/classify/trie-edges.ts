/**
 * A trie's edges (node, token) → child node in one flat Int32Array, open addressing with linear
 * probing: a lookup reads one or two adjacent slots of three integers, where a `Map` keyed by
 * node × tokens + token reads a bucket, then an entry chain elsewhere. The TF-IDF row's n-gram walk
 * looks one up per token of a ticket (model-predict.ts `TfidfRow`); between two requests a server's
 * other work evicts these tables, so each memory access saved is a cache miss saved.
 */
export class TrieEdges {
  /** Slot s: [3s] parent node, [3s + 1] token, [3s + 2] child node (−1: empty slot). */
  #slots = new Int32Array(0);
  #mask = 0;
  #count = 0;

  constructor() {
    this.#allocate(64);
  }

  /** The child of `node` along `token`, or −1. */
  get(node: number, token: number): number {
    const slots = this.#slots;
    for (let s = hash(node, token) & this.#mask; ; s = (s + 1) & this.#mask) {
      const child = slots[3 * s + 2]!;
      if (child < 0 || (slots[3 * s] === node && slots[3 * s + 1] === token)) return child;
    }
  }

  /** Adds the edge; `node` has no edge along `token` yet. */
  set(node: number, token: number, child: number): void {
    if (2 * (this.#count + 1) > this.#mask + 1) this.#grow();
    this.#insert(node, token, child);
  }

  #insert(node: number, token: number, child: number): void {
    const slots = this.#slots;
    let s = hash(node, token) & this.#mask;
    while (slots[3 * s + 2]! >= 0) s = (s + 1) & this.#mask;
    slots[3 * s] = node;
    slots[3 * s + 1] = token;
    slots[3 * s + 2] = child;
    this.#count++;
  }

  #grow(): void {
    const old = this.#slots;
    this.#allocate(2 * (this.#mask + 1));
    for (let s = 0; s < old.length; s += 3)
      if (old[s + 2]! >= 0) this.#insert(old[s]!, old[s + 1]!, old[s + 2]!);
  }

  #allocate(slots: number): void {
    this.#slots = new Int32Array(3 * slots).fill(-1);
    this.#mask = slots - 1;
    this.#count = 0;
  }
}

function hash(node: number, token: number): number {
  return Math.imul(node ^ Math.imul(token, 0x85ebca6b), 0x9e3779b1) >>> 16;
}
