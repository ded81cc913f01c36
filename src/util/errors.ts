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

export function isPermanent(error: unknown): boolean {
  return error instanceof InputError || error instanceof ConfigError;
}
