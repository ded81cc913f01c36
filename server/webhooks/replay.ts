/**
 * Delivery ids already handled, most recent `capacity` kept. Senders redeliver on timeouts and an
 * attacker may replay a captured request inside the signature's time window: either way a known id
 * is answered 200 without classifying or writing back again.
 */
export class SeenDeliveries {
  #seen = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  has(id: string): boolean {
    return this.#seen.has(id);
  }

  add(id: string): void {
    this.#seen.add(id);
    if (this.#seen.size > this.capacity) this.#seen.delete(this.#seen.values().next().value!);
  }
}
