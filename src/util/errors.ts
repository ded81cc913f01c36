/**
 * Errors that mean "the input or configuration is wrong": retrying will not help, so tasks exit 2.
 * Every other error is treated as transient (exit 1, Airflow retries).
 */
export class InputError extends Error {
  override readonly name = "InputError";
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Nothing to do for the logical date, and rightly so (a window with no tickets while the store holds
 * other days): the step ends cleanly with exit 3 and the reason in its summary; Airflow skips the task
 * and what depends on it.
 */
export class NothingToDo extends Error {
  override readonly name = "NothingToDo";
}

export function isPermanent(error: unknown): boolean {
  return error instanceof InputError || error instanceof ConfigError;
}
