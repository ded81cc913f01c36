/**
 * One promise per key, shared by every caller (a tracker's experiment or project id, created on first use);
 * a rejected promise is forgotten, so the next call for that key tries again.
 */
export class OncePerKey<T> {
  private readonly pending = new Map<string, Promise<T>>();

  get(key: string, make: (key: string) => Promise<T>): Promise<T> {
    let value = this.pending.get(key);
    if (!value) {
      value = make(key);
      this.pending.set(key, value);
      value.catch(() => this.pending.delete(key));
    }
    return value;
  }
}
