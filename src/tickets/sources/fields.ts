import { rejectReasons, type SourceRecord, type TicketSourceOptions } from "./types.js";

/** Where text, id and carried fields are read from in one input file. */
export interface FieldPlan {
  text: readonly string[];
  id: readonly string[];
  carry: readonly { name: string; path: readonly string[] }[];
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
 * In the CFPB shape, a plain carry name ("product") is read from `_source`, so one `carryFields`
 * list works for the CFPB export and for flat files; dotted or `_`-prefixed names are taken as given.
 */
export function planFields(options: Partial<TicketSourceOptions>, cfpb: boolean): FieldPlan {
  return {
    text: splitPath(options.textField ?? (cfpb ? cfpbText : "text")),
    id: splitPath(options.idField ?? (cfpb ? cfpbId : "id")),
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
  const id = idFrom(idValue, position);
  const text = valueAt(value, plan.text);
  const fields: Record<string, string> = {};
  for (const { name, path } of plan.carry) {
    const carried = carriedString(valueAt(value, path));
    if (carried !== undefined) fields[name] = carried;
  }
  if (hasReplacementChar(id) || Object.values(fields).some(hasReplacementChar)) {
    return { kind: "reject", position, reason: rejectReasons.invalidUtf8 };
  }
  if (text === undefined) return { kind: "reject", position, id, reason: rejectReasons.missingText };
  if (typeof text !== "string") return { kind: "reject", position, id, reason: rejectReasons.textNotString };
  if (hasReplacementChar(text)) return { kind: "reject", position, id, reason: rejectReasons.invalidUtf8 };
  return ticketOrEmpty(position, id, text, fields);
}

export function ticketOrEmpty(
  position: number,
  id: string,
  text: string,
  fields: Record<string, string>,
): SourceRecord {
  if (text.trim() === "") return { kind: "reject", position, id, reason: rejectReasons.emptyText };
  return { kind: "ticket", position, id, text, fields };
}

/** String or finite-number ids are kept; a missing or empty id becomes `row-<position>`. */
export function idFrom(value: unknown, position: number): string {
  if (typeof value === "string" && value.trim() !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return `row-${position}`;
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
