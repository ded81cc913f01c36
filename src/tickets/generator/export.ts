/**
 * The seed's input format: a CFPB complaint export (Elasticsearch hits in one JSON array), with the
 * narrative in `_source.complaint_what_happened`. Written streamed and atomically.
 */
import type { GeneratedTicket } from "./generate.js";
import { writeAtomically } from "./write.js";

const companyResponses = [
  "Closed with explanation",
  "Closed with explanation",
  "Closed with explanation",
  "Closed with explanation",
  "Closed with non-monetary relief",
  "Closed with monetary relief",
  "In progress",
] as const;

export async function writeCfpbExport(
  path: string,
  tickets: Iterable<GeneratedTicket> | AsyncIterable<GeneratedTicket>,
): Promise<void> {
  await writeAtomically(path, tickets, cfpbRow, cfpbHeader, cfpbFooter);
}

/** The export is a JSON array with one hit per line, so it stays readable and line-diffable. */
export const cfpbHeader = "[";
export const cfpbFooter = "\n]\n";
export function cfpbRow(ticket: GeneratedTicket, index: number): string {
  return `${index === 0 ? "\n" : ",\n"}${JSON.stringify(cfpbHit(ticket))}`;
}

export function cfpbHit(ticket: GeneratedTicket): object {
  return {
    _index: "complaint-public-v2",
    _type: "complaint",
    _id: ticket.id,
    _score: 0,
    _source: {
      tags: null,
      zip_code: null,
      complaint_id: ticket.id,
      issue: ticket.issue,
      date_received: ticket.createdAt,
      state: ticket.state,
      consumer_disputed: "N/A",
      product: ticket.product,
      company_response: companyResponses[Number(ticket.id) % companyResponses.length] ?? companyResponses[0],
      company: ticket.company,
      submitted_via: "Web",
      date_sent_to_company: ticket.createdAt,
      company_public_response: null,
      sub_product: ticket.subProduct,
      timely: "Yes",
      complaint_what_happened: ticket.text,
      sub_issue: null,
      consumer_consent_provided: "Consent provided",
    },
  };
}
