/**
 * The one way Inflow reads its environment. A setting is a variable name (or several, the first set
 * wins: older names stay readable), a TypeBox schema that says its type, bounds and choices, and a
 * default. `readSettings` converts each variable's text by its schema's type, checks it against the
 * schema, and records every problem (the default is kept), so a misconfigured process fails once
 * with all of them listed rather than with the first.
 */
import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { ConfigError } from "../util/errors.js";

export interface Setting<T extends TSchema = TSchema, D extends Static<T> | null = Static<T> | null> {
  env: string | readonly string[];
  schema: T;
  /** The value when the variable is unset or blank; null: the setting is off. */
  default: D;
  /** A credential: a problem names the variable, never its value. */
  secret?: boolean;
}

export function setting<T extends TSchema, D extends Static<T> | null>(
  env: string | readonly string[],
  schema: T,
  fallback: D,
  options: { secret?: boolean } = {},
): Setting<T, D> {
  return { env, schema, default: fallback, ...options };
}

export type Settings<S extends Record<string, Setting>> = {
  [K in keyof S]: S[K] extends Setting<infer T, infer D> ? Static<T> | D : never;
};

/** Whole numbers in [minimum, maximum]. */
export const IntegerIn = (minimum: number, maximum: number) => Type.Integer({ minimum, maximum });
/** Numbers in [minimum, maximum]. */
export const NumberIn = (minimum: number, maximum: number) => Type.Number({ minimum, maximum });
/** A TCP port; 0 lets the system choose. */
export const Port = IntegerIn(0, 65_535);
/** One of `choices`. */
export const OneOf = <T extends string>(choices: readonly T[]) =>
  Type.Union(choices.map((choice) => Type.Literal(choice)));
/** A string; `description` says what it must look like in a problem. */
export const Text = (options: { pattern?: string; minLength?: number; description?: string } = {}) =>
  Type.String(options);

/** A variable's text, trimmed; undefined when unset or blank. */
export function envText(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const text = env[name]?.trim();
  return text === undefined || text === "" ? undefined : text;
}

export function readSettings<S extends Record<string, Setting>>(
  env: NodeJS.ProcessEnv,
  settings: S,
  problems: string[],
): Settings<S> {
  const values: Record<string, unknown> = {};
  for (const [key, { env: names, schema, default: fallback, secret }] of Object.entries(settings)) {
    const name = [names].flat().find((n) => envText(env, n) !== undefined);
    const text = name === undefined ? undefined : envText(env, name)!;
    const value = text === undefined ? fallback : fromText(schema, text);
    if (text !== undefined && !Value.Check(schema, value)) {
      problems.push(`${name} must be ${describe(schema)}${secret ? "" : `, got "${text}"`}`);
      values[key] = fallback;
    } else values[key] = value;
  }
  return values as Settings<S>;
}

/** One line listing every problem: a failed start reads as one line on a terminal and one log record off it. */
export function configurationMessage(problems: readonly string[]): string {
  return `Invalid configuration: ${problems.join("; ")}`;
}

/** Throws one ConfigError listing every problem, if there are any. */
export function throwIfProblems(problems: readonly string[]): void {
  if (problems.length > 0) throw new ConfigError(configurationMessage(problems));
}

const booleans: Record<string, boolean> = {
  true: true,
  false: false,
  "1": true,
  "0": false,
  yes: true,
  no: false,
};

function fromText(schema: TSchema, text: string): unknown {
  if (schema.type === "integer" || schema.type === "number")
    return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : text;
  if (schema.type === "boolean") return booleans[text.toLowerCase()] ?? text;
  return text;
}

function describe(schema: TSchema): string {
  if (typeof schema.description === "string") return schema.description;
  if (schema.type === "integer") return `an integer in [${schema.minimum}, ${schema.maximum}]`;
  if (schema.type === "number") return `a number in [${schema.minimum}, ${schema.maximum}]`;
  if (schema.type === "boolean") return "true or false";
  if (Array.isArray(schema.anyOf)) return `one of ${schema.anyOf.map((s: TSchema) => s.const).join(", ")}`;
  return "valid";
}
