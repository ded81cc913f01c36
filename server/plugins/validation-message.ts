import type { FastifySchemaValidationError } from "fastify";

/**
 * One readable sentence per validation failure. Ajv reports a failed anyOf as every branch's error
 * plus "must match a schema in anyOf"; for a ticket that reads as noise, so it becomes "must be a
 * ticket {id, text} or a complaint record …" followed by why it is not a ticket.
 */
export function validationMessage(errors: FastifySchemaValidationError[], dataVar: string): string {
  const anyOf = errors.find((e) => e.keyword === "anyOf");
  if (!anyOf) return errors.map((e) => describe(e, dataVar)).join(", ");
  const asTicket = errors.find((e) => e.schemaPath.includes("/anyOf/0/") && e.keyword !== "anyOf");
  return (
    `${dataVar}${anyOf.instancePath} must be a ticket {id, text} or a complaint record ` +
    `{_id, _source: {complaint_what_happened}}${asTicket ? ` (as a ticket: ${describe(asTicket, dataVar)})` : ""}`
  );
}

function describe(error: FastifySchemaValidationError, dataVar: string): string {
  return `${dataVar}${error.instancePath} ${error.message ?? "is invalid"}`;
}
