import { type Static, Type } from "@sinclair/typebox";
import type { Prediction } from "../../src/classify/model-predict.js";
import type { JiraSettings, ZendeskSettings } from "./config.js";
import type { WriteBackRequest } from "./writeback.js";

/**
 * Zendesk's ticket event webhook (developer.zendesk.com, "Ticket events"): `type`
 * zen:event-type:ticket.created, the event `id`, and the ticket in `detail`. Other properties pass.
 */
export const ZendeskEventSchema = Type.Object(
  {
    type: Type.String(),
    id: Type.String({ minLength: 1, maxLength: 256, description: "The event id (the delivery's identity)" }),
    detail: Type.Object({
      id: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Integer()]),
      subject: Type.Optional(Type.String()),
      description: Type.Optional(Type.String()),
    }),
  },
  { title: "ZendeskTicketEvent" },
);

/**
 * Jira's issue webhook (developer.atlassian.com, "Webhooks"): `webhookEvent` jira:issue_created,
 * `timestamp` (ms) and the issue with its fields. The description is a string (REST v2 form) or an
 * Atlassian Document Format object (v3): both are read.
 */
export const JiraEventSchema = Type.Object(
  {
    webhookEvent: Type.String(),
    timestamp: Type.Integer(),
    issue: Type.Object({
      id: Type.String({ minLength: 1, maxLength: 64 }),
      key: Type.String({ pattern: "^[A-Z][A-Z0-9_]*-\\d+$" }),
      fields: Type.Object({
        summary: Type.String(),
        description: Type.Optional(Type.Unknown()),
      }),
    }),
  },
  { title: "JiraIssueEvent" },
);

export type ZendeskEvent = Static<typeof ZendeskEventSchema>;
export type JiraEvent = Static<typeof JiraEventSchema>;

export function zendeskText(event: ZendeskEvent): string {
  return [event.detail.subject, event.detail.description].filter(Boolean).join("\n");
}

export function jiraText(event: JiraEvent): string {
  const description = event.issue.fields.description;
  return [event.issue.fields.summary, typeof description === "string" ? description : adfText(description)]
    .filter(Boolean)
    .join("\n");
}

/** The text nodes of an Atlassian Document Format tree, paragraphs on their own lines. */
function adfText(node: unknown): string {
  if (typeof node !== "object" || node === null) return "";
  const { type, text, content } = node as { type?: string; text?: unknown; content?: unknown };
  if (typeof text === "string") return text;
  const parts = Array.isArray(content) ? content.map(adfText).filter(Boolean) : [];
  return parts.join(type === "doc" ? "\n" : " ");
}

const slug = (department: string, separator: string) =>
  department
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .replace(new RegExp(`^${separator}|${separator}$`, "g"), "");

/**
 * Update Ticket (PUT /api/v2/tickets/{id}.json): `group_id` when the department maps to a group, and
 * `additional_tags` (added to the ticket's tags, never replacing them), so repeating it changes nothing.
 */
export function zendeskWriteBack(
  settings: ZendeskSettings,
  ticketId: string,
  p: Prediction,
  key: string,
): WriteBackRequest {
  const tags = [`inflow_${slug(p.department, "_")}`, ...(p.needsReview ? ["inflow_needs_review"] : [])];
  const group = settings.groups[p.department];
  return {
    method: "PUT",
    url: `${settings.baseUrl}/api/v2/tickets/${encodeURIComponent(ticketId)}.json`,
    headers: { authorization: settings.authorization, "idempotency-key": key },
    body: { ticket: { ...(group === undefined ? {} : { group_id: group }), additional_tags: tags } },
  };
}

/**
 * Edit Issue (PUT /rest/api/3/issue/{key}): labels added with the `update` verb (existing labels
 * kept), and the department select field when configured; repeating it changes nothing.
 */
export function jiraWriteBack(
  settings: JiraSettings,
  issueKey: string,
  p: Prediction,
  key: string,
): WriteBackRequest {
  const labels = [`inflow-${slug(p.department, "-")}`, ...(p.needsReview ? ["inflow-needs-review"] : [])];
  return {
    method: "PUT",
    url: `${settings.baseUrl}/rest/api/3/issue/${encodeURIComponent(issueKey)}`,
    headers: { authorization: settings.authorization, "idempotency-key": key },
    body: {
      update: { labels: labels.map((label) => ({ add: label })) },
      ...(settings.departmentField
        ? { fields: { [settings.departmentField]: { value: p.department } } }
        : {}),
    },
  };
}
