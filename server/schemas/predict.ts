import { type Static, Type } from "@sinclair/typebox";
import type { LongTextPolicy } from "../config.js";

export interface TicketLimits {
  maxBatch: number;
  maxTextChars: number;
  longText: LongTextPolicy;
}

const TicketId = Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Integer()], {
  description:
    "The caller's ticket id, echoed back unchanged: a string of 1–256 characters, or an integer up to " +
    "2^53 − 1 (larger ids must be sent as strings, else 400). Required, and unique within a batch (else 400).",
});

/**
 * A text with something to classify: a first non-whitespace character (JavaScript's \s, as the CLI's
 * `trim() === ""` empty-text check). The search stops at that character, so a long text costs nothing.
 */
export const nonBlankPattern = "\\S";

/**
 * The request body: a JSON array mixing two shapes — Inflow's `{id, text}` and the seed's CFPB
 * complaint record `{_id, _source: {complaint_what_happened, ...}}` (other fields are ignored).
 * The limits come from the configuration, so they appear in the OpenAPI document as enforced.
 */
export function predictBodySchema(limits: TicketLimits) {
  const text = Type.String({
    minLength: 1,
    pattern: nonBlankPattern,
    ...(limits.longText === "reject" ? { maxLength: limits.maxTextChars } : {}),
    description:
      "Ticket text; empty or whitespace only is rejected (400); " +
      (limits.longText === "reject"
        ? `longer than ${limits.maxTextChars} characters is rejected (400)`
        : `only the first ${limits.maxTextChars} characters are classified (truncated: true)`),
  });
  const Ticket = Type.Object({ id: TicketId, text }, { title: "Ticket" });
  const ComplaintRecord = Type.Object(
    {
      _id: Type.String({ minLength: 1, maxLength: 256 }),
      _source: Type.Object({ complaint_what_happened: text }),
    },
    { title: "ComplaintRecord", description: "A CFPB complaint record as in the seed's export" },
  );
  return Type.Array(Type.Union([Ticket, ComplaintRecord]), {
    minItems: 1,
    maxItems: limits.maxBatch,
    description: `A batch of 1–${limits.maxBatch} tickets`,
  });
}

export type PredictBody = Static<ReturnType<typeof predictBodySchema>>;
export type PredictItem = PredictBody[number];

export const PredictionSchema = Type.Object(
  {
    id: TicketId,
    topic_id: Type.Integer(),
    topic: Type.String({ description: "Topic name from the model's taxonomy" }),
    department: Type.String({
      description:
        'Routing queue; "Unrouted" while nobody (person or catalog) has routed the topic: a queue of its own, whatever needs_review says',
    }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    out_of_scope: Type.Number({
      minimum: 0,
      maximum: 1,
      description:
        "How likely the ticket fits none of the topics: 1 − confidence × share of its terms the model knows",
    }),
    needs_review: Type.Boolean({ description: "1 − out_of_scope is below the taxonomy's review threshold" }),
    truncated: Type.Boolean({ description: "the text was cut to the configured limit before classifying" }),
    explanation: Type.Array(Type.Object({ term: Type.String(), weight: Type.Number() }), {
      description: "Terms that pushed the prediction most, strongest first",
    }),
    model_version: Type.String(),
  },
  { title: "Prediction" },
);

export const PredictResponseSchema = Type.Object({ predictions: Type.Array(PredictionSchema) });
export type PredictResponse = Static<typeof PredictResponseSchema>;
