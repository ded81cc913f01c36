import { type Static, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { envText, readSettings, setting, Text, throwIfProblems } from "../config/variables.js";
import type { Logger } from "../util/log.js";
import type { NoveltyState } from "./pool.js";

/**
 * Optional naming of proposed topics by a language model behind an OpenAI-compatible chat-completions
 * endpoint (INFLOW_LLM_URL, e.g. a self-hosted server): a short name and a one-line description from
 * the topic's terms and the terms of a few representative tickets. Off unless INFLOW_LLM_URL is set.
 * When on, those terms leave the system. The answer must be JSON matching TopicNameSchema; a timeout,
 * an HTTP error or an invalid answer is retried, and after the retries the caller keeps its
 * term-based name.
 */
export const TopicNameSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    description: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type TopicName = Static<typeof TopicNameSchema>;

export interface LlmSettings {
  /** Base URL; requests go to `${url}/chat/completions`. */
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  retries: number;
}

const llmVariables = {
  url: setting("INFLOW_LLM_URL", Text({ pattern: "^https?://", description: "an http(s):// URL" }), null),
  model: setting("INFLOW_LLM_MODEL", Text(), null),
  apiKey: setting("INFLOW_LLM_API_KEY", Text(), null, { secret: true }),
  timeoutMs: setting(
    "INFLOW_LLM_TIMEOUT_MS",
    Type.Integer({ minimum: 1, description: "a positive whole number" }),
    20_000,
  ),
};

/** The settings from the environment, or null when INFLOW_LLM_URL is unset (naming by terms only). */
export function llmSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): LlmSettings | null {
  const problems: string[] = [];
  const settings = readLlmSettings(env, problems);
  throwIfProblems(problems);
  return settings;
}

/** Same, adding every problem to `problems`. */
export function readLlmSettings(env: NodeJS.ProcessEnv, problems: string[]): LlmSettings | null {
  if (envText(env, "INFLOW_LLM_URL") === undefined) return null;
  const { url, model, apiKey, timeoutMs } = readSettings(env, llmVariables, problems);
  if (model === null) problems.push("INFLOW_LLM_MODEL is required with INFLOW_LLM_URL");
  if (url === null || model === null) return null;
  return { url: url.replace(/\/+$/, ""), model, apiKey: apiKey ?? undefined, timeoutMs, retries: 2 };
}

const instructions =
  "You name topics of customer-support tickets. Given a topic's top terms and the terms of a few of " +
  'its tickets, answer with JSON only: {"name": "<at most 5 words>", "description": "<one sentence>"}.';

/** The model's name for a topic, or null when it could not give a valid one (the caller keeps its own). */
export async function nameTopicWithLlm(
  settings: LlmSettings,
  topic: { terms: string[]; examples: string[][] },
  log: Logger,
): Promise<TopicName | null> {
  const body = JSON.stringify({
    model: settings.model,
    temperature: 0,
    response_format: { type: "json_object" },
    messages: [
      { role: "system", content: instructions },
      {
        role: "user",
        content: `Top terms: ${topic.terms.join(", ")}\nTickets (terms):\n${topic.examples.map((e) => `- ${e.join(" ")}`).join("\n")}`,
      },
    ],
  });
  for (let attempt = 0; attempt <= settings.retries; attempt++) {
    try {
      const response = await fetch(`${settings.url}/chat/completions`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
        },
        body,
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const answer = (await response.json()) as { choices?: { message?: { content?: unknown } }[] };
      const content = answer.choices?.[0]?.message?.content;
      const parsed: unknown = typeof content === "string" ? JSON.parse(stripFence(content)) : undefined;
      if (Value.Check(TopicNameSchema, parsed)) return parsed;
      throw new Error("the answer is not the requested JSON");
    } catch (error) {
      // The message only: answers may echo ticket terms, which are never logged.
      log.warn({ attempt: attempt + 1, error: (error as Error).message }, "LLM topic naming failed");
    }
  }
  return null;
}

/** Models often wrap JSON in a Markdown code fence despite being asked not to. */
function stripFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text);
  return fenced ? fenced[1]! : text;
}

/**
 * Names the run's open proposals with the model: a proposal named in an earlier run keeps that name
 * (one request per proposal, not per run); a failed request leaves the term-based name.
 */
export async function nameProposalsWithLlm(
  state: NoveltyState,
  previous: NoveltyState | null,
  settings: LlmSettings,
  log: Logger,
): Promise<void> {
  const earlier = new Map((previous?.proposals ?? []).filter((p) => p.description).map((p) => [p.id, p]));
  const tokens = new Map(state.tickets.map((t) => [t.id, t.tokens]));
  for (const proposal of state.proposals) {
    if (proposal.status !== "proposed" || proposal.lastSeen !== state.date) continue;
    const named =
      earlier.get(proposal.id) ??
      (await nameTopicWithLlm(
        settings,
        {
          terms: proposal.terms.map((t) => t.term),
          examples: proposal.representatives.slice(0, 3).map((id) => (tokens.get(id) ?? []).slice(0, 30)),
        },
        log,
      ));
    if (named) {
      proposal.name = named.name;
      proposal.description = named.description;
    }
  }
}
