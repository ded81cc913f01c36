import { TypeCompiler } from "@sinclair/typebox/compiler";
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
      return {
        ok: false,
        reason: `not a ticket: ${first ? `${first.path || "/"} ${first.message}` : "invalid"}`,
      };
    }
    return { ok: true, ...ticketOf(json) };
  };
}
