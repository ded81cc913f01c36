import { sha256 } from "../../util/hash.js";
import { type RejectReason, rejectReasons, type SourceRecord, type TicketSourceOptions } from "./types.js";

/** Where text, id and carried fields are read from in one input file. */
export interface FieldPlan {
  text: readonly string[];
  id: readonly string[];
  /** Set when the file has no id field at all: its tickets get ids derived from their text. */
  derivedIds: DerivedIds | null;
  carry: readonly { name: string; path: readonly string[] }[];
}

/**
 * Ids for the tickets of a file that has none (no id column, or a first record without the id
 * field, and no --id-field): `text-` and the first 16 hex digits of the text's sha256, with `-2`,
 * `-3`… on the text's later repeats in the file. The same file always gets the same ids, in any
 * run, and a ticket's id does not depend on where its file puts it. One instance per file.
 */
export class DerivedIds {
  readonly #seen = new Map<string, number>();

  next(text: string): string {
    const digest = sha256(text).slice(0, 16);
    const count = (this.#seen.get(digest) ?? 0) + 1;
    this.#seen.set(digest, count);
    return count === 1 ? `text-${digest}` : `text-${digest}-${count}`;
  }
}

/** An id as read from a record: the id, or why the record is quarantined (never replaced by another id). */
export type IdReading = { id: string } | { reason: RejectReason };

/** `{id}` when the id was read, for a reject record that should still name its ticket. */
export function knownId(id: IdReading | null): { id?: string } {
  return id !== null && "id" in id ? { id: id.id } : {};
}

/** String ids are kept as given; integer ids within 2^53 − 1 and other finite numbers as their decimal text. */
export function readId(value: unknown): IdReading {
  if (value === undefined || value === null) return { reason: rejectReasons.missingId };
  if (typeof value === "string")
    return value.trim() === "" ? { reason: rejectReasons.missingId } : { id: value };
  if (typeof value !== "number") return { reason: rejectReasons.idNotScalar };
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return { reason: rejectReasons.idNotExact };
  return { id: String(value) };
}

/** Defaults of the seed's CFPB export: Elasticsearch hits with the complaint under `_source`. */
const cfpbText = "_source.complaint_what_happened";
const cfpbId = "_id";

/**
 * A record is in the CFPB export shape when it has an `_id` and an object `_source`; the first object
 * record of a file decides for the whole file.
 */
export function isCfpbShape(record: Record<string, unknown>): boolean {
  const source = record._source;
  return (
    Object.hasOwn(record, "_id") && typeof source === "object" && source !== null && !Array.isArray(source)
  );
}

/**
 * The fields of a JSON file, decided by its first object record (`first`; null before one is seen).
 * In the CFPB shape, a plain carry name ("product") is read from `_source`, so one `carryFields`
 * list works for the CFPB export and for flat files; dotted or `_`-prefixed names are taken as given.
 * A first record without the id field (and no `idField` option) makes the file one without ids.
 */
export function planFields(
  options: Partial<TicketSourceOptions>,
  first: Record<string, unknown> | null,
): FieldPlan {
  const cfpb = first !== null && isCfpbShape(first);
  const id = splitPath(options.idField ?? (cfpb ? cfpbId : "id"));
  const idless = options.idField === undefined && first !== null && valueAt(first, id) === undefined;
  return {
    text: splitPath(options.textField ?? (cfpb ? cfpbText : "text")),
    id,
    derivedIds: idless ? new DerivedIds() : null,
    carry: (options.carryFields ?? []).map((name) => ({
      name,
      path: splitPath(cfpb && !name.includes(".") && !name.startsWith("_") ? `_source.${name}` : name),
    })),
  };
}

function splitPath(path: string): string[] {
  return path.split(".");
}

/** The value at a dotted path, own properties only (so "constructor" is never found on a plain object). */
export function valueAt(record: unknown, path: readonly string[]): unknown {
  let value = record;
  for (const key of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Turns one parsed JSON record into a ticket or a reject. JSON input is decoded by the parser
 * with replacement, so an invalid UTF-8 sequence shows up as U+FFFD in the strings taken out.
 */
export function recordFromJson(value: unknown, position: number, plan: FieldPlan): SourceRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { kind: "reject", position, reason: rejectReasons.notAnObject };
  }
  const idValue = valueAt(value, plan.id);
  if (plan.derivedIds !== null && idValue !== undefined) {
    // A file whose first record has no id gets derived ids; one that mixes both is told, not guessed.
    return { kind: "reject", position, reason: rejectReasons.idInFileWithoutIds };
  }
  const id = plan.derivedIds === null ? readId(idValue) : null;
  const text = valueAt(value, plan.text);
  const fields: Record<string, string> = {};
  for (const { name, path } of plan.carry) {
    const carried = carriedString(valueAt(value, path));
    if (carried !== undefined) fields[name] = carried;
  }
  const known = knownId(id);
  if (
    (known.id !== undefined && hasReplacementChar(known.id)) ||
    Object.values(fields).some(hasReplacementChar)
  ) {
    return { kind: "reject", position, reason: rejectReasons.invalidUtf8 };
  }
  if (text === undefined) return { kind: "reject", position, ...known, reason: rejectReasons.missingText };
  if (typeof text !== "string")
    return { kind: "reject", position, ...known, reason: rejectReasons.textNotString };
  if (hasReplacementChar(text))
    return { kind: "reject", position, ...known, reason: rejectReasons.invalidUtf8 };
  return ticketOrReject(position, id, text, fields, plan.derivedIds);
}

/**
 * The ticket, or the reason it is quarantined: an empty text, or an id that cannot be read (a row
 * without an id in a file that has ids is never given a made-up one). `id` is null in a file
 * without ids, whose tickets get `derived` ids.
 */
export function ticketOrReject(
  position: number,
  id: IdReading | null,
  text: string,
  fields: Record<string, string>,
  derived: DerivedIds | null,
): SourceRecord {
  const known = knownId(id);
  if (text.trim() === "") return { kind: "reject", position, ...known, reason: rejectReasons.emptyText };
  if (id !== null && "reason" in id) return { kind: "reject", position, reason: id.reason };
  return { kind: "ticket", position, id: id?.id ?? derived!.next(text), text, fields };
}

function carriedString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function hasReplacementChar(text: string): boolean {
  return text.includes("\uFFFD");
}
