import type { Static, TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

/**
 * Every way `value` fails `schema`, as "path: message" lines (at most `limit`), so one check reports
 * all the problems of a file or an environment at once instead of the first.
 */
export function schemaProblems(schema: TSchema, value: unknown, limit = 20): string[] {
  const problems: string[] = [];
  for (const error of Value.Errors(schema, value)) {
    problems.push(`${error.path || "/"}: ${error.message}`);
    if (problems.length >= limit) break;
  }
  return problems;
}

/** `value` typed by `schema`, or an Error naming `what` and listing every problem. */
export function checkedBySchema<T extends TSchema>(schema: T, value: unknown, what: string): Static<T> {
  if (Value.Check(schema, value)) return value;
  throw new Error(`${what} is invalid:\n  - ${schemaProblems(schema, value).join("\n  - ")}`);
}
