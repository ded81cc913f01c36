import { InputError } from "../util/errors.js";
import type { HumanAnswer } from "./human-labels.js";

/**
 * Label Studio interop (https://labelstud.io/guide/task_format): the review queue goes out as tasks
 * with the router's guess as a prediction; Label Studio's JSON export comes back as human labels.
 * Choices are "<topic id> · <name>" (names may repeat, ids do not) plus "New topic".
 */
export const newTopicChoice = "New topic";
export const choicesName = "topic";
export const textName = "text";

export function topicChoice(id: number, name: string): string {
  return `${id} · ${name}`;
}

export interface QueueTask {
  id: string;
  text: string;
  predicted: number | null;
  margin: number;
}

/** Tasks to import into a Label Studio project using `labelingConfig`. */
export function labelStudioTasks(items: QueueTask[], names: Map<number, string>, modelVersion: string) {
  return items.map((item) => ({
    data: { [textName]: item.text, ticket_id: item.id },
    predictions:
      item.predicted === null
        ? []
        : [
            {
              model_version: modelVersion,
              // Label Studio's score is the prediction's confidence; the margin is what the queue ranks by.
              score: item.margin,
              result: [
                {
                  from_name: choicesName,
                  to_name: textName,
                  type: "choices",
                  value: { choices: [topicChoice(item.predicted, names.get(item.predicted) ?? "")] },
                },
              ],
            },
          ],
  }));
}

const xmlEscapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** The Label Studio labeling configuration matching the tasks (one single choice per ticket). */
export function labelingConfig(topics: { id: number; name: string }[]): string {
  const xmlEscape = (s: string) => s.replace(/[&<>"']/g, (c) => xmlEscapes[c]!);
  const choices = [...topics.map((t) => topicChoice(t.id, t.name)), newTopicChoice]
    .map((value) => `    <Choice value="${xmlEscape(value)}"/>`)
    .join("\n");
  return `<View>\n  <Text name="${textName}" value="$${textName}"/>\n  <Choices name="${choicesName}" toName="${textName}" choice="single" showInLine="false">\n${choices}\n  </Choices>\n</View>\n`;
}

interface ExportedAnnotation {
  result?: { from_name?: string; type?: string; value?: { choices?: unknown[] } }[];
  was_cancelled?: boolean;
  completed_by?: number | { id?: number; email?: string };
  created_at?: string;
  updated_at?: string;
}

export interface ImportedLabel {
  ticketId: string;
  answer: HumanAnswer;
  reviewer: string;
  at: string;
}

/**
 * Human labels from a Label Studio JSON export (an array of tasks with `annotations`): per task, the
 * newest annotation that was not cancelled and holds a `topic` choice. Tasks without a ticket_id or
 * with an unknown choice are reported, not guessed.
 */
export function importLabelStudio(exported: unknown): { labels: ImportedLabel[]; skipped: string[] } {
  if (!Array.isArray(exported)) throw new InputError("a Label Studio JSON export is an array of tasks");
  const labels: ImportedLabel[] = [];
  const skipped: string[] = [];
  for (const [i, task] of exported.entries()) {
    const ticketId = (task as { data?: { ticket_id?: unknown } })?.data?.ticket_id;
    if (typeof ticketId !== "string" || ticketId === "") {
      skipped.push(`task ${i}: no data.ticket_id`);
      continue;
    }
    const annotations = ((task as { annotations?: ExportedAnnotation[] }).annotations ?? []).filter(
      (a) => !a.was_cancelled,
    );
    const stamp = (a: ExportedAnnotation) => a.updated_at ?? a.created_at ?? "";
    const newest = annotations.sort((a, b) => stamp(a).localeCompare(stamp(b))).at(-1);
    const choice = newest?.result?.find((r) => r.from_name === choicesName && r.type === "choices")?.value
      ?.choices?.[0];
    if (!newest || typeof choice !== "string") {
      if (annotations.length > 0) skipped.push(`task ${i} (ticket ${ticketId}): no ${choicesName} choice`);
      continue;
    }
    const topic = /^(\d+) · /.exec(choice);
    if (choice !== newTopicChoice && !topic) {
      skipped.push(`task ${i} (ticket ${ticketId}): unknown choice`);
      continue;
    }
    const by = newest.completed_by;
    const reviewer = typeof by === "object" && by ? (by.email ?? `user ${by.id}`) : `user ${by ?? "unknown"}`;
    const at = Number.isNaN(Date.parse(stamp(newest)))
      ? new Date().toISOString()
      : new Date(stamp(newest)).toISOString();
    labels.push({
      ticketId,
      answer: topic ? { kind: "topic", topic: Number(topic[1]) } : { kind: "new-topic" },
      reviewer: `labelstudio:${reviewer}`,
      at,
    });
  }
  return { labels, skipped };
}

/**
 * RFC 4180 CSV of the queue (a field with a comma, quote or line break is quoted, quotes doubled).
 * Ticket text is written by customers: a text field a spreadsheet would read as a formula (starting
 * with =, +, -, @, tab or carriage return) gets a leading apostrophe, OWASP's advice against CSV
 * injection, so opening the export never runs what a customer typed.
 */
export function queueCsv(items: QueueTask[], names: Map<number, string>): string {
  const field = (value: string | number) => {
    const text = typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const rows = items.map((item) =>
    [
      item.id,
      item.text,
      item.predicted ?? "",
      item.predicted === null ? "" : (names.get(item.predicted) ?? ""),
      item.margin.toFixed(4),
    ]
      .map(field)
      .join(","),
  );
  return `${["ticket_id", "text", "predicted_topic", "predicted_name", "margin"].join(",")}\r\n${rows.map((r) => `${r}\r\n`).join("")}`;
}
