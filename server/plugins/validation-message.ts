import type { FastifySchemaValidationError } from "fastify";
import { nonBlankPattern } from "../schemas/predict.js";

/**
 * One readable sentence per validation failure. Ajv reports a failed anyOf as every branch's error
 * plus "must match a schema in anyOf"; for a ticket that reads as noise, so it becomes "must be a
 * ticket {id, text} or a complaint record …" followed by why it is not a ticket; a blank text in
 * either shape is named alone, a lone ticket sent without its array is told how to send it, and an
 * empty or oversized batch is told its bounds.
 */
export function validationMessage(errors: FastifySchemaValidationError[], dataVar: string): string {
  // A ticket of either shape whose text is blank: that is the whole story.
  const blank = errors.find(blankText);
  if (blank) return describe(blank, dataVar);
  // The one array body is predict's batch; a lone ticket is the usual first mistake.
  const notBatch = errors.find(
    (e) => e.keyword === "type" && e.instancePath === "" && e.params.type === "array",
  );
  if (notBatch) return `${dataVar} must be an array of tickets: send one ticket as [{"id": …, "text": …}]`;
  const batchSize = errors.find(
    (e) => (e.keyword === "minItems" || e.keyword === "maxItems") && e.instancePath === "",
  );
  if (batchSize) return batchSizeMessage(dataVar, batchSize);
  const anyOf = errors.find((e) => e.keyword === "anyOf");
  if (!anyOf) return errors.map((e) => describe(e, dataVar)).join(", ");
  const asTicket = errors.find((e) => e.schemaPath.includes("/anyOf/0/") && e.keyword !== "anyOf");
  return neitherShapeMessage(`${dataVar}${anyOf.instancePath}`, asTicket && describe(asTicket, dataVar));
}

/** Ajv's "must NOT have fewer than 1 items" told as what to send, and the batch limit by its variable. */
function batchSizeMessage(dataVar: string, error: FastifySchemaValidationError): string {
  return error.keyword === "minItems"
    ? `${dataVar} is an empty array: send at least one ticket`
    : `${dataVar} holds more than ${error.params.limit} tickets, the limit per request (INFLOW_API_MAX_BATCH): send them in several requests`;
}

/**
 * What the API's 400 and the stream's dead letter say about a value of neither ticket shape, with why it
 * is not a `{id, text}` ticket when that is known.
 */
export function neitherShapeMessage(path: string, asTicket: string | undefined): string {
  return (
    `${path} must be a ticket {id, text} or a complaint record {_id, _source: {complaint_what_happened}}` +
    (asTicket ? ` (as a ticket: ${asTicket})` : "")
  );
}

function describe(error: FastifySchemaValidationError, dataVar: string): string {
  const path = `${dataVar}${error.instancePath}`;
  return blankText(error) ? blankTextMessage(path) : `${path} ${error.message ?? "is invalid"}`;
}

function blankText(error: FastifySchemaValidationError): boolean {
  const { keyword, instancePath, params } = error;
  return isBlankTextFailure(instancePath, keyword, keyword === "minLength" ? params.limit : params.pattern);
}

const textField = /\/(text|complaint_what_happened)$/;

/**
 * Whether a failed rule means a ticket's text is blank, in the terms both validators of the predict
 * schema report (Ajv's keyword and limit for the API, TypeBox's schema for the stream): an empty text
 * fails minLength 1 (checked first), a whitespace-only one the non-blank pattern.
 */
export function isBlankTextFailure(path: string, keyword: string, bound: unknown): boolean {
  return (
    (keyword === "minLength" && bound === 1 && textField.test(path)) ||
    (keyword === "pattern" && bound === nonBlankPattern)
  );
}

/** What the API's 400 and the stream's dead letter say about a blank text at `path`. */
export function blankTextMessage(path: string): string {
  return `${path} is empty or whitespace only: nothing to classify`;
}
