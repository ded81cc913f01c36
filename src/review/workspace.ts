import { predictProba } from "../classify/logistic.js";
import { openRoutingModel, type RoutingModel } from "../classify/model.js";
import { routerDocs, routerInputOf } from "../classify/router-input.js";
import { manifestIdentity } from "../store/model-identity.js";
import {
  findOutput,
  latestPublishedDate,
  Publication,
  publishedDates,
  readManifest,
  readPartManifests,
  readVerified,
  requireOutput,
} from "../store/publish.js";
import type { ArtifactStore, StoredObject } from "../store/store.js";
import { kinds, type LabelledTicket, type PreprocessedTicket, withTempDir } from "../tickets/dataset.js";
import { publishLabelled } from "../tickets/labelled.js";
import {
  type Loaded,
  labelledTickets,
  type PreprocessReading,
  preprocessedTickets,
  taxonomyAsOf,
  topicModelAsOf,
} from "../tickets/models.js";
import { preprocessedTexts, readTicketTexts } from "../tickets/raw-text.js";
import { labelDocuments, sealTopicModel, type TopicModel } from "../topics/artifact.js";
import type { Csr } from "../topics/csr.js";
import { effectiveTopic, type Taxonomy } from "../topics/taxonomy.js";
import { transformTfidf } from "../topics/tfidf.js";
import { InputError } from "../util/errors.js";
import {
  appendHumanLabels,
  effectiveLabels,
  type HumanAnswer,
  type HumanLabel,
  readHumanLabels,
} from "./human-labels.js";
import { selectForReview } from "./queue.js";
import { previewSplit, type SplitPreview, splitTopicModel } from "./split.js";
import {
  addTopics,
  applyEdit,
  diffTaxonomies,
  TaxonomyConflict,
  type TaxonomyEdit,
} from "./taxonomy-edits.js";
import {
  type HistoryEntry,
  type HistoryVersion,
  publishTaxonomyVersion,
  readTaxonomyHistory,
} from "./taxonomy-history.js";

/** A ticket as the console shows it. */
export interface ReviewTicket {
  id: string;
  text: string;
  topic: number;
  confidence: number;
}

interface RouterView {
  model: RoutingModel;
  uri: string;
  probabilities: Float64Array;
  x: Csr;
  /** Tickets people labelled that this router was trained on (0: it learned from the topic model alone). */
  humanLabels: number;
}

/**
 * What the console works on: the newest labelled tickets (on or before `date`), the taxonomy in force,
 * the newest router, and the human labels given so far. Every change goes through `change`, one at a
 * time, so the check of the reviewer's base version and the publish of the next one cannot interleave.
 */
/** Everything the console reads from the store, as of one moment. */
interface Snapshot {
  date: string;
  tickets: LabelledTicket[];
  sources: Map<string, PreprocessedTicket>;
  /** How preprocess read the raw files the tickets' text is read back from (the same options, the same bytes). */
  reading: PreprocessReading;
  taxonomy: Loaded<Taxonomy>;
  router: RouterView | null;
  labels: HumanLabel[];
  topicTerms: Map<number, string[]>;
  /** Which labelled and classifier versions it was read from: a change means the pipeline ran again. */
  key: string;
}

/** How often pages check whether the pipeline published newer tickets or a newer router. */
const refreshMs = 15_000;

export class ReviewWorkspace {
  private queueTail: Promise<unknown> = Promise.resolve();
  private texts = new Map<string, string>();
  private checkedAt = Date.now();
  date!: string;
  tickets!: LabelledTicket[];
  private sources!: Map<string, PreprocessedTicket>;
  private reading!: PreprocessReading;
  taxonomy!: Loaded<Taxonomy>;
  router!: RouterView | null;
  labels!: HumanLabel[];
  /** Each topic's top terms as the topic model's report gives them (never recomputed here). */
  topicTerms!: Map<number, string[]>;
  private key!: string;

  private constructor(
    readonly store: ArtifactStore,
    readonly rawStore: ArtifactStore,
    private readonly asOf: string,
    snapshot: Snapshot,
  ) {
    this.apply(snapshot);
  }

  static async open(store: ArtifactStore, rawStore: ArtifactStore, asOf: string): Promise<ReviewWorkspace> {
    return new ReviewWorkspace(store, rawStore, asOf, await loadSnapshot(store, rawStore, asOf));
  }

  private apply(snapshot: Snapshot): void {
    // A newer snapshot may come from a rerun of preprocess (other raw files): texts are read again.
    this.texts.clear();
    Object.assign(this, snapshot);
  }

  /**
   * Rereads the store when the pipeline published newer labelled tickets or a newer router since
   * the last look (checked at most every 15 s), so a long-running console shows what a rerun changed.
   */
  refreshIfChanged(force = false): Promise<boolean> {
    if (!force && Date.now() - this.checkedAt < refreshMs) return Promise.resolve(false);
    return this.serialize(async () => {
      this.checkedAt = Date.now();
      if ((await snapshotKey(this.store, this.asOf)) === this.key) return false;
      this.apply(await loadSnapshot(this.store, this.rawStore, this.asOf));
      return true;
    });
  }

  /** Runs changes one after another (a failed change does not block the next). */
  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queueTail.then(work);
    this.queueTail = result.catch(() => undefined);
    return result;
  }

  async textsOf(ids: readonly string[]): Promise<Map<string, string>> {
    const missing = ids
      .filter((id) => !this.texts.has(id))
      .map((id) => this.sources.get(id))
      .filter((s) => s !== undefined);
    if (missing.length > 0) {
      for (const [ticket, text] of await readTicketTexts(this.rawStore, this.reading, missing))
        this.texts.set(ticket.id, text);
    }
    return new Map(ids.map((id) => [id, this.texts.get(id) ?? ""]));
  }

  async reviewTickets(rows: readonly LabelledTicket[]): Promise<ReviewTicket[]> {
    const texts = await this.textsOf(rows.map((t) => t.id));
    return rows.map((t) => ({ id: t.id, text: texts.get(t.id)!, topic: t.topic, confidence: t.confidence }));
  }

  /**
   * Applies a person's edit if the taxonomy is still the version they saw; otherwise a TaxonomyConflict
   * carrying their edit, so the console can show the latest version next to what they asked for.
   */
  edit(
    baseVersion: number,
    edit: Exclude<TaxonomyEdit, { action: "split" }>,
    reviewer: string,
  ): Promise<Taxonomy> {
    return this.serialize(async () => {
      const current = this.taxonomy;
      const history = await readTaxonomyHistory(this.store);
      if (current.value.version !== baseVersion && !untouchedSince(history, baseVersion, current.value, edit))
        throw new TaxonomyConflict(baseVersion, current.value.version, edit);
      let next: Taxonomy;
      if (edit.action === "revert") {
        const target = history.find((h) => h.version === edit.toVersion);
        if (!target) throw new InputError(`taxonomy version ${edit.toVersion} is not in the history`);
        next = { ...target.taxonomy, version: current.value.version + 1 };
      } else next = applyEdit(current.value, edit);
      await this.publishVersion(current, next, edit, reviewer);
      return next;
    });
  }

  /** The split a person would accept for `topic` (see split.ts), with the newest topic model. */
  async previewSplit(topic: number): Promise<SplitPreview> {
    return previewSplit((await this.topicModel()).value, this.tickets, topic);
  }

  /**
   * Accepts a split: publishes the refitted topic model, the taxonomy with the new topic (named from
   * its terms, same department, waiting for a person) and the tickets relabelled with the new model,
   * each as a new version (the earlier ones stay). Conflicts like any edit.
   */
  split(
    baseVersion: number,
    topic: number,
    reviewer: string,
  ): Promise<{ taxonomy: Taxonomy; newTopic: number }> {
    return this.serialize(async () => {
      const current = this.taxonomy;
      if (current.value.version !== baseVersion)
        throw new TaxonomyConflict(baseVersion, current.value.version, { action: "split", topic });
      const model = await this.topicModel();
      const preview = previewSplit(model.value, this.tickets, topic);
      const newTopic = await this.unusedTopicId(model.value.topicIds);
      const runId = `console-split-v${current.value.version + 1}`;
      const splitModel = splitTopicModel(model.value, preview, newTopic);
      const [kept, added] = preview.halves.map((h) => h.terms.map((t) => t.term));
      const original = current.value.topics.find((t) => t.id === topic)!;
      const next: Taxonomy = {
        ...current.value,
        version: current.value.version + 1,
        topics: [
          ...current.value.topics.map((t) => (t.id === topic ? { ...t, topTerms: kept! } : t)),
          {
            id: newTopic,
            name: added!.slice(0, 3).join(" / ") || `topic ${newTopic}`,
            department: original.department,
            origin: "top-terms",
            topTerms: added!,
          },
        ],
      };
      const modelPublication = new Publication(this.store, kinds.topicModel, this.date, runId);
      await modelPublication.put("topic-model.json", sealTopicModel(splitModel));
      const terms = new Map(this.topicTerms);
      terms.set(topic, kept!);
      terms.set(newTopic, added!);
      const report = {
        date: this.date,
        k: splitModel.k,
        split: { topic, newTopic, reviewer },
        topics: splitModel.topicIds.map((id) => ({ id, terms: terms.get(id) ?? [] })),
      };
      await modelPublication.put("topic-report.json", `${JSON.stringify(report, null, 2)}\n`);
      const modelManifest = await modelPublication.publish(
        { inputs: [{ uri: model.uri, sha256: model.sha256 }], params: { split: topic, newTopic, reviewer } },
        { k: splitModel.k },
      );
      const nextModel: TopicModel = { ...splitModel, ...manifestIdentity(modelManifest) };
      const modelObject = requireOutput(modelManifest, "topic-model.json");
      await this.publishVersion(current, next, { action: "split", topic, newTopic }, reviewer);
      const modelUri = `${this.store.uri}/${modelObject.key}`;
      const preprocessed = this.tickets.map((t) => this.sources.get(t.id)!);
      const assignment = labelDocuments(
        nextModel,
        preprocessed.map((t) => t.tokens),
      );
      await withTempDir((dir) =>
        publishLabelled({
          store: this.store,
          date: this.date,
          runId,
          dir,
          tickets: preprocessed,
          assignment,
          taxonomy: next,
          topicModelVersion: nextModel.version,
          lineage: [{ uri: modelUri, sha256: modelObject.sha256 }],
        }),
      );
      this.tickets = this.tickets.map((t, i) => ({
        ...t,
        topic: assignment.topic[i]!,
        confidence: assignment.confidence[i]!,
      }));
      this.topicTerms = terms;
      return { taxonomy: next, newTopic };
    });
  }

  private async topicModel(): Promise<Loaded<TopicModel>> {
    const model = await topicModelAsOf(this.store, this.date, false);
    if (!model) throw new InputError(`no topic model on or before ${this.date}`);
    return model;
  }

  history(): Promise<HistoryVersion[]> {
    return readTaxonomyHistory(this.store);
  }

  /** Publishes `next` after `current` with its history entry (recording the pipeline's baseline first). */
  private async publishVersion(
    current: Loaded<Taxonomy>,
    next: Taxonomy,
    edit: HistoryEntry["edit"],
    reviewer: string,
  ): Promise<void> {
    const history = await readTaxonomyHistory(this.store);
    // The version people started from enters the history once, so every change has a diff and a revert target.
    if (!history.some((h) => h.version === current.value.version)) {
      await publishTaxonomyVersion(
        this.store,
        this.date,
        current.value,
        {
          version: current.value.version,
          previousVersion: -1,
          reviewer: "pipeline",
          at: current.date,
          edit: { action: "baseline" },
        },
        null,
      );
    }
    await publishTaxonomyVersion(
      this.store,
      this.date,
      next,
      {
        version: next.version,
        previousVersion: current.value.version,
        reviewer,
        at: new Date().toISOString(),
        edit,
      },
      current,
    );
    this.taxonomy = (await taxonomyAsOf(this.store, this.date, false))!;
  }

  /** Records one answer (or an undo) through the append-only human-labels dataset. */
  label(
    ticketId: string,
    answer: HumanAnswer,
    reviewer: string,
    source: HumanLabel["source"] = "console",
  ): Promise<HumanLabel> {
    return this.labelMany([{ ticketId, answer }], reviewer, source).then((labels) => labels[0]!);
  }

  labelMany(
    answers: { ticketId: string; answer: HumanAnswer }[],
    reviewer: string,
    source: HumanLabel["source"],
  ): Promise<HumanLabel[]> {
    const at = new Date().toISOString();
    return this.append(answers.map((a) => ({ ...a, reviewer, at, source })));
  }

  /** Labels made elsewhere (a Label Studio export), each with its own reviewer and time. */
  importLabels(labels: Omit<HumanLabel, "source">[]): Promise<HumanLabel[]> {
    return this.append(labels.map((l) => ({ ...l, source: "import" as const })));
  }

  /**
   * Checks every label first (known ticket, existing topic), adds the topics named in "new topic"
   * answers (see named), then appends the labels as one part.
   */
  private append(given: HumanLabel[]): Promise<HumanLabel[]> {
    return this.serialize(async () => {
      const known = new Set(this.tickets.map((t) => t.id));
      const topics = new Set(this.taxonomy.value.topics.map((t) => t.id));
      for (const { ticketId, answer } of given) {
        if (!known.has(ticketId))
          throw new InputError(`ticket ${ticketId} is not among the tickets of ${this.date}`);
        if (answer.kind === "topic" && !topics.has(answer.topic))
          throw new InputError(`topic ${answer.topic} does not exist`);
      }
      // The topics the batch names are added together, as one taxonomy version: a request naming
      // a hundred topics costs one publish, not a hundred (each rereads the whole history).
      const current = this.taxonomy;
      const added: { topic: number; name: string }[] = [];
      let nextId: number | null = null;
      let namer = "";
      const labels: HumanLabel[] = [];
      for (const label of given) {
        const { answer } = label;
        if (answer.kind !== "new-topic" || answer.name === undefined) {
          labels.push(label);
          continue;
        }
        const name = answer.name.trim().replace(/\s+/g, " ");
        let topic = namedTopic(current.value, added, name);
        if (topic === null) {
          // The first new id is found once (it reads the topic model and the whole history); the next
          // ones follow it, as nothing else can add a topic inside this serialized step.
          nextId ??= await this.unusedTopicId((await this.topicModel()).value.topicIds);
          topic = nextId++;
          added.push({ topic, name });
          namer ||= label.reviewer;
        }
        labels.push({ ...label, answer: { kind: "topic", topic } });
      }
      if (added.length > 0)
        await this.publishVersion(
          current,
          addTopics(current.value, added),
          { action: "add", topics: added },
          namer,
        );
      await appendHumanLabels(this.store, this.date, labels);
      this.labels.push(...labels);
      this.labels.sort((a, b) => a.at.localeCompare(b.at));
      return labels;
    });
  }

  /**
   * A topic id no version of the taxonomy, the topic model nor any label ever used: a revert can drop
   * a topic, and reusing its id would hand its labels to another topic.
   */
  private async unusedTopicId(modelIds: readonly number[]): Promise<number> {
    const used = [
      ...modelIds,
      ...this.taxonomy.value.topics.map((t) => t.id),
      ...(await readTaxonomyHistory(this.store)).flatMap((h) => h.taxonomy.topics.map((t) => t.id)),
      ...this.labels.flatMap((l) => (l.answer.kind === "topic" ? [l.answer.topic] : [])),
    ];
    return Math.max(-1, ...used) + 1;
  }

  /** The current answer per ticket. */
  current(): Map<string, HumanLabel> {
    return effectiveLabels(this.labels);
  }

  /**
   * The next tickets to ask about (see queue.ts): typical tickets of diverse groups, where the newest
   * router hesitates once it learned from people; without a router, the topic model's least
   * confident tickets.
   */
  queue(
    size: number,
    skipped: ReadonlySet<string> = new Set(),
  ): { ticket: LabelledTicket; margin: number; predicted: number | null }[] {
    const answered = this.current();
    const exclude = new Set<number>();
    this.tickets.forEach((t, row) => {
      if (answered.has(t.id) || skipped.has(t.id)) exclude.add(row);
    });
    if (this.router) {
      const classes = this.router.model.classTopics.length;
      return selectForReview(this.router.probabilities, classes, this.router.x, {
        size,
        exclude,
        uncertainty: this.router.humanLabels > 0,
      }).map((item) => ({
        ticket: this.tickets[item.row]!,
        margin: item.margin,
        predicted: this.router!.model.classTopics[item.predicted]!,
      }));
    }
    return this.tickets
      .map((ticket, row) => ({ ticket, row }))
      .filter(({ row }) => !exclude.has(row))
      .sort((a, b) => a.ticket.confidence - b.ticket.confidence || a.row - b.row)
      .slice(0, size)
      .map(({ ticket }) => ({ ticket, margin: ticket.confidence, predicted: ticket.topic }));
  }

  /** Where the router sends each topic's tickets: topic → department → count (from the newest router). */
  routedDepartments(topic: number): Map<string, number> {
    const counts = new Map<string, number>();
    if (!this.router) return counts;
    const classes = this.router.model.classTopics.length;
    const departments = new Map(this.taxonomy.value.topics.map((t) => [t.id, t.department]));
    this.tickets.forEach((ticket, row) => {
      if (ticket.topic !== topic) return;
      let best = 0;
      for (let k = 1; k < classes; k++)
        if (
          this.router!.probabilities[row * classes + k]! > this.router!.probabilities[row * classes + best]!
        )
          best = k;
      const routed = effectiveTopic(this.taxonomy.value, this.router!.model.classTopics[best]!);
      const department = routed === null ? "noise" : (departments.get(routed) ?? "unknown");
      counts.set(department, (counts.get(department) ?? 0) + 1);
    });
    return counts;
  }

  /** Labelled dates with their per-topic shares (topics.json of each labelled partition), oldest first. */
  async sharesOverTime(): Promise<{ date: string; shares: Map<number, number> }[]> {
    const out: { date: string; shares: Map<number, number> }[] = [];
    for (const date of await publishedDates(this.store, kinds.labelled)) {
      if (date > this.date) continue;
      // One part, or one per shard (assign pods): sizes add up over the parts' tickets.
      const sizes = new Map<number, number>();
      let tickets = 0;
      for (const manifest of await readPartManifests(this.store, kinds.labelled, date)) {
        const output = findOutput(manifest, "topics.json");
        if (!output) continue;
        const summary = JSON.parse((await readVerified(this.store, output)).toString("utf8")) as {
          topics: { id: number; size: number }[];
        };
        tickets += Number(manifest.stats.tickets);
        for (const t of summary.topics) sizes.set(t.id, (sizes.get(t.id) ?? 0) + t.size);
      }
      if (tickets > 0)
        out.push({ date, shares: new Map([...sizes].map(([id, size]) => [id, size / tickets])) });
    }
    return out;
  }
}

/**
 * True when an edit made on `baseVersion` may still apply to `current`: the topics it touches (and a
 * merge target) are as they were in that version. Edits on other topics in between are no conflict;
 * a revert made on an old version always is.
 */
function untouchedSince(
  history: HistoryVersion[],
  baseVersion: number,
  current: Taxonomy,
  edit: Exclude<TaxonomyEdit, { action: "split" }>,
): boolean {
  const base = history.find((h) => h.version === baseVersion)?.taxonomy;
  if (!base || edit.action === "revert") return false;
  const touched = edit.action === "merge" ? [edit.topic, edit.into] : [edit.topic];
  return touched.every((id) => diffTaxonomies(base, current).every((change) => change.id !== id));
}

async function snapshotKey(store: ArtifactStore, asOf: string): Promise<string> {
  const parts: string[] = [];
  for (const kind of [kinds.labelled, kinds.classifier]) {
    const date = await latestPublishedDate(store, kind, asOf, false);
    const versions = date ? (await readPartManifests(store, kind, date)).map((m) => m.version) : [];
    parts.push(`${date}:${versions.join(",")}`);
  }
  return parts.join("|");
}

async function loadSnapshot(store: ArtifactStore, rawStore: ArtifactStore, asOf: string): Promise<Snapshot> {
  const key = await snapshotKey(store, asOf);
  const date = await latestPublishedDate(store, kinds.labelled, asOf, false);
  if (!date)
    throw new InputError(`no labelled tickets on or before ${asOf} in ${store.uri}: run the pipeline first`);
  const tickets = (await labelledTickets(store, date))!.tickets;
  // The labelled tickets are those preprocessed for the same date: its manifests say how their raw files were read.
  const preprocessed = await preprocessedTickets(store, date);
  const taxonomy = await taxonomyAsOf(store, date, false);
  if (!taxonomy) throw new InputError(`no taxonomy on or before ${date}`);
  return {
    date,
    tickets,
    sources: new Map(preprocessed.tickets.map((t) => [t.id, t])),
    reading: preprocessed.reading,
    taxonomy,
    router: await loadRouter(store, rawStore, date, tickets),
    labels: await readHumanLabels(store, date),
    topicTerms: await readTopicTerms(store, date),
    key,
  };
}

/** Top terms per topic id from the topic-report.json published with the newest topic model. */
async function readTopicTerms(store: ArtifactStore, date: string): Promise<Map<number, string[]>> {
  const found = await latestPublishedDate(store, kinds.topicModel, date, false);
  const manifest = found ? await readManifest(store, kinds.topicModel, found) : null;
  const output = findOutput(manifest, "topic-report.json");
  if (!output) return new Map();
  const report = JSON.parse((await readVerified(store, output)).toString("utf8")) as {
    topics: { id: number; terms: ({ term: string } | string)[] }[];
  };
  return new Map(
    report.topics.map((t) => [t.id, t.terms.map((term) => (typeof term === "string" ? term : term.term))]),
  );
}

/**
 * The newest router trained on or before `date`, with its probabilities for the date's tickets, each
 * read as the router reads it (its router input: the queue's rows are the router's own features).
 */
async function loadRouter(
  store: ArtifactStore,
  rawStore: ArtifactStore,
  date: string,
  tickets: LabelledTicket[],
): Promise<RouterView | null> {
  const found = await latestPublishedDate(store, kinds.classifier, date, false);
  if (!found) return null;
  const manifest = (await readManifest(store, kinds.classifier, found))!;
  const output = findOutput(manifest, "model.json");
  if (!output) return null;
  const uri = `${store.uri}/${output.key}`;
  const model = openRoutingModel(
    (await readVerified(store, output)).toString("utf8"),
    uri,
    manifestIdentity(manifest),
  );
  const input = routerInputOf(model);
  const texts = input === "terms" ? null : await preprocessedTexts(store, rawStore, date);
  const x = transformTfidf(model.tfidf, routerDocs(input, tickets, texts, model.preprocessing));
  const humanLabels = Number(manifest.stats.humanLabels ?? 0);
  return { model, uri, probabilities: predictProba(model.classifier, x), x, humanLabels };
}

/** What evaluate published for one date: the challenger's metrics with intervals and the promotion decision. */
export interface EvaluationView {
  date: string;
  model: { version: string; uri: string };
  testRows: number;
  /** What the held-out tickets were scored against: the topic model's labels, or people's (see evaluate.ts). */
  reference: "topic labels" | "people's labels";
  accuracy: number;
  macroF1: number;
  intervals: { accuracy: [number, number]; macroF1: [number, number] };
  promote: boolean;
  reason: string;
  champion: { version: string } | null;
  /** The confusion matrix PNG as published (read through readVerified). */
  confusion: StoredObject | null;
}

/** Every evaluation on or before `date`, newest first. */
export async function readEvaluations(store: ArtifactStore, date: string): Promise<EvaluationView[]> {
  const out: EvaluationView[] = [];
  for (const day of (await publishedDates(store, kinds.evaluation)).filter((d) => d <= date).reverse()) {
    const manifest = await readManifest(store, kinds.evaluation, day);
    const json = findOutput(manifest, "evaluation.json");
    if (!manifest || !json) continue;
    const evaluation = JSON.parse((await readVerified(store, json)).toString("utf8"));
    const agreement = evaluation.agreementWithPeopleLabels ?? evaluation.agreementWithTopicLabels;
    out.push({
      date: day,
      model: evaluation.model,
      testRows: evaluation.testRows,
      reference: evaluation.reference ?? "topic labels",
      accuracy: agreement.accuracy,
      macroF1: agreement.macro.f1,
      intervals: agreement.intervals,
      promote: evaluation.promote,
      reason: evaluation.reason,
      champion: evaluation.champion,
      confusion: findOutput(manifest, "confusion-matrix.png") ?? null,
    });
  }
  return out;
}

/**
 * A "new topic" answer with a name labels the ticket with that topic: the one already called so
 * (case and spaces aside; a merged one counts as its target), or one named earlier in the same
 * batch; null when the name is new.
 */
function namedTopic(
  taxonomy: Taxonomy,
  added: readonly { topic: number; name: string }[],
  name: string,
): number | null {
  const key = (text: string) => text.trim().replace(/\s+/g, " ").toLowerCase();
  const same = taxonomy.topics.find((t) => key(t.name) === key(name));
  if (same) return same.mergedInto ?? same.id;
  return added.find((a) => key(a.name) === key(name))?.topic ?? null;
}
