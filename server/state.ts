import type { ServedModel } from "./model/served.js";

/** What the routes read on every request: the served model (swapped atomically) and the shutdown flag. */
export interface ApiState {
  readonly holder: { readonly current: ServedModel | null };
  shuttingDown: boolean;
}
