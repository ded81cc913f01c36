import { ConfigError } from "../util/errors.js";
import { type LlmSettings, readLlmSettings } from "./llm-naming.js";
import type { AdoptionPolicy } from "./pool.js";

/**
 * INFLOW_TOPICS_AUTO_ADOPT: "off" (default: a person accepts or rejects) or "runs=R,size=S": adopt a
 * proposal once it has been proposed in R consecutive runs and holds at least S tickets.
 */
export function parseAdoptionPolicy(text: string | undefined): AdoptionPolicy | null {
  const problems: string[] = [];
  const policy = policyFrom(text, problems);
  if (problems.length > 0) throw new ConfigError(problems[0]);
  return policy;
}

/** The policy of the environment; a malformed value is added to `problems` (and adoption stays off). */
export function readAdoptionPolicy(env: NodeJS.ProcessEnv, problems: string[]): AdoptionPolicy | null {
  return policyFrom(env.INFLOW_TOPICS_AUTO_ADOPT, problems);
}

function policyFrom(text: string | undefined, problems: string[]): AdoptionPolicy | null {
  const value = (text ?? "").trim();
  if (value === "" || value === "off") return null;
  const fields = new Map<string, string>();
  for (const pair of value.split(",")) {
    const [key, number] = pair.split("=").map((s) => s.trim());
    fields.set(key ?? "", number ?? "");
  }
  const runs = Number(fields.get("runs"));
  const size = Number(fields.get("size"));
  const known = [...fields.keys()].every((k) => k === "runs" || k === "size");
  if (!known || !Number.isInteger(runs) || runs < 1 || !Number.isInteger(size) || size < 1) {
    problems.push(
      `INFLOW_TOPICS_AUTO_ADOPT must be "off" or "runs=R,size=S" with whole numbers ≥ 1, got "${value}"`,
    );
    return null;
  }
  return { runs, size };
}

/** What the novelty steps read from the environment: the adoption policy and the optional LLM naming. */
export interface NoveltyEnvironment {
  policy: AdoptionPolicy | null;
  llm: LlmSettings | null;
}

export function readNoveltyEnvironment(env: NodeJS.ProcessEnv, problems: string[]): NoveltyEnvironment {
  return { policy: readAdoptionPolicy(env, problems), llm: readLlmSettings(env, problems) };
}
