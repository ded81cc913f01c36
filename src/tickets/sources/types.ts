export type TicketInputFormat = "auto" | "json" | "jsonl" | "csv";

export interface TicketSourceOptions {
  format: TicketInputFormat;
  /** Dotted path to the ticket text (a column name for CSV). Default per shape: see `readTickets`. */
  textField?: string;
  /** Dotted path to the ticket id (a column name for CSV). */
  idField?: string;
  /** CSV field delimiter (default ","). */
  delimiter?: string;
  /** Extra fields carried through as strings (e.g. a ground-truth `product`), keyed as given. */
  carryFields?: readonly string[];
}

/** Why a record was not read as a ticket: a small fixed set, so runs can count rejects by reason. */
export const rejectReasons = {
  missingText: "missing text field",
  emptyText: "empty text",
  textNotString: "text is not a string",
  invalidUtf8: "invalid UTF-8",
  malformedJson: "malformed JSON",
  notAnObject: "record is not an object",
  missingId: "missing id",
  idNotScalar: "id is not a string or number",
  idNotExact: "id is an integer beyond 2^53 - 1 (not exact as a JSON number)",
  idInFileWithoutIds: "id given, though the file's first record has none (name it with --id-field)",
} as const;

export type RejectReason = (typeof rejectReasons)[keyof typeof rejectReasons];

export type SourceRecord =
  | { kind: "ticket"; position: number; id: string; text: string; fields: Record<string, string> }
  | { kind: "reject"; position: number; id?: string; reason: RejectReason };
