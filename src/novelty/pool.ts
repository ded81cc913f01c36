import type { TopicModel } from "../topics/artifact.js";
import { matchTopics, type TopicSet } from "../topics/match.js";
import { distinctiveTerms, nameTopic, type WeightedTerm } from "../topics/naming.js";
import type { CatalogEntry, TaxonomyTopic } from "../topics/taxonomy.js";
import { addDays } from "../util/dates.js";
import { type ClusterOptions, clusterPool, defaultClusterOptions, type PoolCluster } from "./cluster.js";
import type { NeighbourhoodOptions } from "./signals.js";

/**
 * The novelty pool: tickets the topic model explains badly, kept across runs (a sliding window of
 * days) and clustered at every run; big, cohesive clusters of kinds the model never saw become
 * proposed topics.
 * Everything here is a pure function of (previous state, decisions, today's tickets): reruns of a
 * date reproduce it.
 */

export interface PooledTicket {
  id: string;
  /** Logical date of the run that pooled it. */
  date: string;
  tokens: string[];
  /** The proposal it belonged to at the last run, if any. */
  proposal?: string;
}

export type ProposalStatus = "proposed" | "accepted" | "rejected";

export interface Proposal {
  /** Stable across runs while the cluster persists: "new-<n>". */
  id: string;
  status: ProposalStatus;
  /** Name and department from the taxonomy's naming function (src/topics/naming.ts) or an LLM. */
  name: string;
  suggestedDepartment: string;
  origin: TaxonomyTopic["origin"];
  /** LLM-written one-liner, when INFLOW_LLM_URL is set (docs/novelty.md). */
  description?: string;
  /** The cluster's NMF top terms. */
  terms: WeightedTerm[];
  /** Two-word phrases among its distinctive terms (c-TF-IDF against the rest of the pool). */
  phrases: string[];
  coherence: number;
  /** Mean cosine of members with their centroid (src/novelty/cluster.ts). */
  cohesion: number;
  /**
   * 1 − (the cluster's tickets from the topic model's own training data) / (how many a kind the model
   * saw would have there: its pooled tickets per run × the runs' worth of tickets the training data
   * is): about 0 for a kind the model was trained on and left unexplained, 1 for one it never saw.
   */
  emergence: number;
  size: number;
  /** Members per pooled run date. */
  sizeByDate: Record<string, number>;
  /** Ticket ids of the strongest members (ids, never text). */
  representatives: string[];
  firstSeen: string;
  lastSeen: string;
  /** Consecutive runs it has been proposed in. */
  runs: number;
  /** The NMF component (non-zero term weights) adoption adds to the topic model. */
  component: { terms: string[]; weights: number[] };
  decision?: Decision;
}

export interface Decision {
  proposal: string;
  decision: "accepted" | "rejected";
  date: string;
  reason: string;
  by: "person" | "policy";
  /** The new topic's id, for an accepted proposal. */
  topicId?: number;
  /**
   * The proposal as it was decided: a rerun of the deciding date starts from the pool before it,
   * which may not hold the proposal, and still must not propose it again or reuse its id.
   */
  snapshot: Omit<Proposal, "decision">;
}

export interface NoveltyState {
  date: string;
  nextProposal: number;
  tickets: PooledTicket[];
  /** Current proposals and every decided one (decided ones keep their cluster from coming back). */
  proposals: Proposal[];
}

export interface NoveltySettings {
  /** Which tickets are novel: their neighbourhood is more frequent now than in training (src/novelty/signals.ts). */
  signal: NeighbourhoodOptions;
  windowDays: number;
  /** The pool keeps at most this many tickets, newest first. */
  maxPool: number;
  minSize: number;
  /**
   * A proposal's tickets pooled by this run are at least this share of an even split over the pooled
   * runs: a kind still arriving. Chance surges of known kinds pile up over the window into clusters of
   * mostly older tickets.
   */
  minCurrentShare: number;
  minCohesion: number;
  minEmergence: number;
  /**
   * Emergence counts only the training tickets as close to the cluster's centre as its median pooled
   * ticket, against half the expected count: a new kind's cluster also draws in training tickets of
   * its neighbours. Measured on the preprocess step's default tokens; on nouns alone, where a kind's
   * tickets tie, it lets known kinds through (docs/novelty.md).
   */
  coreEmergence: boolean;
  /** Cosine of components at or above which a cluster continues an earlier proposal. */
  matchThreshold: number;
  cluster: ClusterOptions;
}

export const defaultNoveltySettings: NoveltySettings = {
  signal: { neighbours: 20, minZ: 1.5 },
  windowDays: 14,
  maxPool: 20_000,
  minSize: 10,
  minCurrentShare: 2 / 3,
  minCohesion: 0.3,
  minEmergence: 0.7,
  coreEmergence: true,
  matchThreshold: 0.3,
  cluster: defaultClusterOptions,
};

export function emptyNoveltyState(date: string): NoveltyState {
  return { date, nextProposal: 1, tickets: [], proposals: [] };
}

export interface NoveltyInput {
  date: string;
  /** Today's tickets that fit no topic well. */
  novel: { id: string; tokens: string[] }[];
  /**
   * The topic model's own training tickets that fit no topic well: kinds of tickets the model saw and
   * did not give a topic. Clustered with the pool (not kept in it) so clusters of them are told apart.
   */
  reference: { id: string; tokens: string[] }[];
  /** How many label runs' worth of tickets the reference stands for (training tickets / this run's, × sampling). */
  referenceRuns: number;
  model: Pick<TopicModel, "tfidf">;
  catalog: CatalogEntry[];
}

/** The pool and proposals after one run. */
export function updateNovelty(
  previous: NoveltyState | null,
  decisions: readonly Decision[],
  input: NoveltyInput,
  settings: NoveltySettings = defaultNoveltySettings,
): NoveltyState {
  const before = previous ?? emptyNoveltyState(input.date);
  const decided = new Map(decisions.map((d) => [d.proposal, d]));
  const known = new Set(before.proposals.map((p) => p.id));
  const history = [
    ...before.proposals,
    ...decisions.filter((d) => !known.has(d.proposal)).map((d): Proposal => ({ ...d.snapshot })),
  ].map((p): Proposal => {
    const decision = decided.get(p.id) ?? p.decision;
    return decision ? { ...p, status: decision.decision, decision } : p;
  });
  const gone = new Set(history.filter((p) => p.status !== "proposed").map((p) => p.id));
  const oldest = addDays(input.date, -settings.windowDays);
  const seen = new Set<string>();
  const tickets: PooledTicket[] = [];
  const arriving: PooledTicket[] = input.novel.map((n) => ({ id: n.id, date: input.date, tokens: n.tokens }));
  for (const t of [...arriving, ...before.tickets]) {
    if (t.date <= oldest || t.date > input.date || seen.has(t.id)) continue;
    if (t.proposal && gone.has(t.proposal)) continue;
    seen.add(t.id);
    tickets.push({ id: t.id, date: t.date, tokens: t.tokens });
    if (tickets.length >= settings.maxPool) break;
  }
  tickets.sort((a, b) =>
    a.date === b.date ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.date < b.date ? 1 : -1,
  );

  const clustered = [...tickets.map((t) => t.tokens), ...input.reference.map((t) => t.tokens)];
  const runs = new Set(tickets.map((t) => t.date)).size;
  const clusters = clusterPool(clustered, input.model.tfidf.options, settings.cluster, tickets.length);
  const labels = new Int32Array(tickets.length).fill(-1);
  clusters.forEach((cluster, c) => {
    for (const m of cluster.members) if (m < tickets.length) labels[m] = c;
  });
  const distinctive = distinctiveTerms(
    tickets.map((t) => t.tokens),
    labels,
    clusters.length,
  );
  const candidates = clusters
    .map((cluster, c) => {
      const isPooled = cluster.members.map((m) => m < tickets.length);
      const pooled = cluster.members.filter((_, n) => isPooled[n]);
      // A kind the model saw but left unexplained was in its training tickets at its usual rate.
      let expected = (pooled.length / Math.max(1, runs)) * input.referenceRuns;
      let trained = cluster.members.length - pooled.length;
      if (settings.coreEmergence) {
        // Only the cluster's closer half: its pooled tickets at least as close to its centre as their
        // median, and the training tickets as close as that.
        const closeness = cluster.closeness.filter((_, n) => isPooled[n]).sort((a, b) => a - b);
        const median = closeness[Math.floor(closeness.length / 2)] ?? 1;
        trained = cluster.members.filter((_, n) => !isPooled[n] && cluster.closeness[n]! >= median).length;
        expected /= 2;
      }
      const emergence = expected > 0 ? 1 - trained / expected : 1;
      return {
        cluster: { ...cluster, members: pooled, closeness: cluster.closeness.filter((_, n) => isPooled[n]) },
        emergence,
        distinctive: distinctive[c]!,
      };
    })
    .filter(
      ({ cluster, emergence }) =>
        cluster.members.length >= settings.minSize &&
        cluster.members.filter((m) => tickets[m]!.date === input.date).length >=
          (settings.minCurrentShare * cluster.members.length) / Math.max(1, runs) &&
        cluster.cohesion >= settings.minCohesion &&
        emergence >= settings.minEmergence,
    );

  const matching =
    candidates.length > 0 && history.length > 0
      ? matchTopics(
          componentSet(candidates.map((c) => c.cluster.component)),
          componentSet(history.map((p) => p.component)),
          { threshold: settings.matchThreshold },
        )
      : null;
  let nextProposal = Math.max(
    before.nextProposal,
    ...history.map((p) => Number(/^new-(\d+)$/.exec(p.id)?.[1] ?? 0) + 1),
  );
  const current: Proposal[] = [];
  candidates.forEach(({ cluster, emergence, distinctive }, row) => {
    const pair = matching?.matched.find((m) => m.topic === row);
    const earlier = pair ? history[pair.previousTopic] : undefined;
    // A cluster like a decided proposal stays decided: rejected ones are not proposed again.
    if (earlier && earlier.status !== "proposed") return;
    const id = earlier?.id ?? `new-${nextProposal++}`;
    for (const member of cluster.members) tickets[member]!.proposal = id;
    current.push(
      describeCluster(cluster, distinctive, tickets, emergence, {
        id,
        date: input.date,
        firstSeen: earlier?.firstSeen ?? input.date,
        runs: earlier && earlier.lastSeen < input.date ? earlier.runs + 1 : (earlier?.runs ?? 1),
        catalog: input.catalog,
      }),
    );
  });
  return {
    date: input.date,
    nextProposal,
    tickets,
    proposals: [...history.filter((p) => p.status !== "proposed"), ...current],
  };
}

function describeCluster(
  cluster: PoolCluster,
  distinctive: WeightedTerm[],
  tickets: PooledTicket[],
  emergence: number,
  at: { id: string; date: string; firstSeen: string; runs: number; catalog: CatalogEntry[] },
): Proposal {
  const named = nameTopic(-1, distinctive, at.catalog);
  const sizeByDate: Record<string, number> = {};
  for (const member of cluster.members) {
    const date = tickets[member]!.date;
    sizeByDate[date] = (sizeByDate[date] ?? 0) + 1;
  }
  return {
    id: at.id,
    status: "proposed",
    name: named.name,
    suggestedDepartment: named.department,
    origin: named.origin,
    terms: cluster.terms,
    phrases: distinctive.filter((t) => t.term.includes(" ")).map((t) => t.term),
    coherence: cluster.coherence,
    cohesion: cluster.cohesion,
    emergence,
    size: cluster.members.length,
    sizeByDate: Object.fromEntries(Object.entries(sizeByDate).sort()),
    representatives: cluster.members.slice(0, 5).map((m) => tickets[m]!.id),
    firstSeen: at.firstSeen,
    lastSeen: at.date,
    runs: at.runs,
    component: cluster.component,
  };
}

/** Sparse components as one dense topic set over the union of their terms (for matchTopics). */
function componentSet(components: readonly { terms: string[]; weights: number[] }[]): TopicSet {
  const column = new Map<string, number>();
  for (const c of components)
    for (const term of c.terms) if (!column.has(term)) column.set(term, column.size);
  const h = new Float64Array(components.length * column.size);
  components.forEach((c, row) => {
    c.terms.forEach((term, i) => {
      h[row * column.size + column.get(term)!] = c.weights[i]!;
    });
  });
  return { vocabulary: [...column.keys()], h, k: components.length };
}

/** Proposals an automatic adoption policy takes: proposed in at least `runs` runs, at least `size` tickets. */
export interface AdoptionPolicy {
  runs: number;
  size: number;
}

export function adoptable(state: NoveltyState, policy: AdoptionPolicy | null): Proposal[] {
  if (!policy) return [];
  return state.proposals.filter(
    (p) =>
      p.status === "proposed" && p.lastSeen === state.date && p.runs >= policy.runs && p.size >= policy.size,
  );
}
