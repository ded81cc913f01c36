import { TypeCompiler } from "@sinclair/typebox/compiler";
import { type ValueError, ValueErrorType } from "@sinclair/typebox/errors";
import { blankTextMessage, isBlankTextFailure, neitherShapeMessage } from "../plugins/validation-message.js";
import { ticketOf } from "../routes/predict.js";
import { predictBodySchema } from "../schemas/predict.js";

export type ParsedTicket = { ok: true; id: string | number; text: string } | { ok: false; reason: string };

/**
 * One raw record → one ticket, validated by the schema POST /api/predict uses for one item
 * (`{id, text}` or a CFPB complaint record), so the API and the stream accept the same shapes.
 * Long texts are classified on their first `maxTextChars` characters, as the API's default does.
 */
export function createTicketParser(maxTextChars: number): (value: Buffer | undefined) => ParsedTicket {
  const item = predictBodySchema({ maxBatch: 1, maxTextChars, longText: "truncate" }).items;
  const check = TypeCompiler.Compile(item);
  return (value) => {
    if (!value || value.length === 0) return { ok: false, reason: "empty record" };
    let json: unknown;
    try {
      json = JSON.parse(value.toString("utf8"));
    } catch {
      return { ok: false, reason: "not JSON" };
    }
    if (!check.Check(json)) {
      const first = check.Errors(json).First();
      // The path and message only: never the ticket's text.
      return { ok: false, reason: `not a ticket: ${first ? describe(first) : "invalid"}` };
    }
    return { ok: true, ...ticketOf(json) };
  };
}

/**
 * A ticket of either shape whose text is blank is named as the API's 400 names it (that is the whole
 * story); anything else by TypeBox's first error. The union's error holds each shape's own errors.
 */
function describe(error: ValueError): string {
  // Each shape's errors come as an iterator: its first is read once.
  const shapes = (error.errors ?? []).map((shape) => shape.First());
  const blank = [error, ...shapes].find((e) => e !== undefined && isBlankText(e));
  if (blank) return blankTextMessage(blank.path);
  // TypeBox's own words for a union ("Expected union value") said the same of every bad record.
  if (error.type === ValueErrorType.Union) {
    const asTicket = shapes[0];
    return neitherShapeMessage(error.path || "/", asTicket && `${asTicket.path || "/"} ${asTicket.message}`);
  }
  return `${error.path || "/"} ${error.message}`;
}

function isBlankText(error: ValueError): boolean {
  if (error.type === ValueErrorType.StringMinLength)
    return isBlankTextFailure(error.path, "minLength", error.schema.minLength);
  if (error.type === ValueErrorType.StringPattern)
    return isBlankTextFailure(error.path, "pattern", error.schema.pattern);
  return false;
}
