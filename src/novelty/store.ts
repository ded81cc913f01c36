import {
  findOutput,
  type Lineage,
  latestPublishedDate,
  Publication,
  publishedDates,
  readManifest,
  readPartManifests,
  readVerified,
} from "../store/publish.js";
import type { ArtifactStore } from "../store/store.js";
import { kinds } from "../tickets/dataset.js";
import { InputError } from "../util/errors.js";
import type { Decision, NoveltyState, Proposal } from "./pool.js";

/**
 * The novelty pool and proposals live in the derived store like every other output: one
 * `tickets/novelty` partition per labelled date (pool.json, proposals.json), and one
 * `tickets/topic-decisions` part per decided proposal. A run for a date reads the state published
 * strictly before it and the decisions up to it, so reruns reproduce the same proposals.
 */

async function readOutput(store: ArtifactStore, kind: string, date: string, name: string, part = "") {
  const manifest = await readManifest(store, kind, date, part);
  const output = findOutput(manifest, name);
  if (!output) throw new InputError(`${kind} ${date}${part ? ` ${part}` : ""} has no ${name}`);
  return JSON.parse((await readVerified(store, output)).toString("utf8")) as unknown;
}

/** The pool as the last run on or before `date` (strictly before when `strict`) left it; null before the first. */
export async function noveltyStateAsOf(
  store: ArtifactStore,
  date: string,
  strict: boolean,
): Promise<NoveltyState | null> {
  const found = await latestPublishedDate(store, kinds.novelty, date, strict);
  return found ? ((await readOutput(store, kinds.novelty, found, "pool.json")) as NoveltyState) : null;
}

/** Every decision published on or before `date`, oldest first. */
export async function decisionsUpTo(store: ArtifactStore, date: string): Promise<Decision[]> {
  const out: Decision[] = [];
  for (const day of (await publishedDates(store, kinds.topicDecisions)).filter((d) => d <= date)) {
    for (const manifest of await readPartManifests(store, kinds.topicDecisions, day))
      out.push(
        (await readOutput(store, kinds.topicDecisions, day, "decision.json", manifest.part)) as Decision,
      );
  }
  return out;
}

/**
 * The proposals as of `date` (the newest run on or before it), with decisions made since applied:
 * what the CLI and the review console show. Empty before any run.
 */
export async function proposalsAsOf(
  store: ArtifactStore,
  date: string,
): Promise<{ date: string | null; proposals: Proposal[] }> {
  const found = await latestPublishedDate(store, kinds.novelty, date, false);
  if (!found) return { date: null, proposals: [] };
  const proposals = (await readOutput(store, kinds.novelty, found, "proposals.json")) as Proposal[];
  const decided = new Map((await decisionsUpTo(store, date)).map((d) => [d.proposal, d]));
  return {
    date: found,
    proposals: proposals.map((p) => {
      const decision = decided.get(p.id) ?? p.decision;
      return decision ? { ...p, status: decision.decision, decision } : p;
    }),
  };
}

/** Publishes a run's pool and proposals (manifest last, src/store/publish.ts). */
export async function publishNoveltyState(
  store: ArtifactStore,
  state: NoveltyState,
  runId: string,
  lineage: Lineage,
): Promise<void> {
  const publication = new Publication(store, kinds.novelty, state.date, runId);
  await publication.put("pool.json", JSON.stringify(state));
  await publication.put("proposals.json", `${JSON.stringify(state.proposals, null, 2)}\n`);
  await publication.publish(lineage, {
    pooled: state.tickets.length,
    proposed: state.proposals.filter((p) => p.status === "proposed").length,
  });
}

export async function publishDecision(
  store: ArtifactStore,
  decision: Decision,
  runId: string,
): Promise<void> {
  const publication = new Publication(store, kinds.topicDecisions, decision.date, runId, decision.proposal);
  await publication.put("decision.json", `${JSON.stringify(decision, null, 2)}\n`);
  await publication.publish({ inputs: [], params: {} }, { ...decision });
}
