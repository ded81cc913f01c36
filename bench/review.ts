/**
 * What people's labels do for routing, measured on the panel: a simulated reviewer who answers from
 * the truth through the console's HTTP API (the calls bench users and the console's own pages make),
 * on a store built by the real pipeline steps (preprocess → relabel → train, through the CLI).
 *
 * Per corpus: the unsupervised router; then, for 1, 5, 10 labels per true class, the labels chosen by
 * the console's queue (active learning: the reviewer answers every queued ticket of a class still
 * short of labels and skips the rest) next to the same count chosen at random within each class
 * (what the issue's reference measured), each followed by `tickets train`. The reviewer names each
 * ticket's intent ("new topic" with the class name), so every class is one the router can learn.
 * Score: the router's predictions mapped to the majority true class of the training tickets it
 * predicted them for (map learned on the train split only), macro-F1 over all true classes on the
 * tickets train held out (never trained on, never labelled).
 *
 *   npm run bench:review -- [--dataset banking77|clinc150|it|all] [--rows N] [--per-class 1,5,10]
 *     [--from DIR] [--conditions queue,random]
 *
 * --from DIR starts from a store preprocess and relabel already built for the corpus (DIR/<dataset>/raw
 * and DIR/<dataset>/store, as bench/review-replay.ts caches them; copied, never modified) instead of
 * running both again: the IT tickets' relabel takes longer than the rest of the bench on a loaded machine.
 * --conditions measures only the ones named (each starts from its own copy of the same store, so a run of
 * queue and one of random side by side measure what one run of both does, in half the wall time).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { predictClasses } from "../src/classify/logistic.js";
import { classificationReport } from "../src/classify/metrics.js";
import { openRoutingModel } from "../src/classify/model.js";
import { routerDocs, routerInputOf } from "../src/classify/router-input.js";
import { readManifest } from "../src/store/publish.js";
import { kinds, type LabelledTicket, readAll, readOutputs } from "../src/tickets/dataset.js";
import { transformTfidf } from "../src/topics/tfidf.js";
import { Rng } from "../src/util/random.js";
import { openStore } from "../stores/open.js";
import { argument, round } from "./common.js";
import { type Corpus, corpora, readCorpus, reviewDate, writeRawTickets } from "./review-corpora.js";

const date = reviewDate;
const token = "bench-review-token-0123456789";
const root = join(import.meta.dirname, "..");
const dataset = argument("--dataset") ?? "all";
const rowsLimit = Number(argument("--rows") ?? 0);
const perClass = (argument("--per-class") ?? "1,5,10").split(",").map(Number);
const out = argument("--out") ?? join(root, "bench/results/review.json");
const builtStores = argument("--from");
const conditions = (argument("--conditions") ?? "queue,random").split(",");
for (const c of conditions)
  if (c !== "queue" && c !== "random") throw new Error(`--conditions: ${c} is not queue or random`);
if (builtStores && rowsLimit) throw new Error("--from reuses stores of whole corpora: drop --rows");

function cli(env: NodeJS.ProcessEnv, ...args: string[]): Record<string, unknown> {
  const result = spawnSync(process.execPath, [join(root, "bin/inflow.js"), ...args], {
    env,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) throw new Error(`inflow ${args.join(" ")} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

/** Tickets the reviewer labelled so far in the store measured (never scored: the served router trains on all of them). */
const labelled = new Set<string>();

/** A running `inflow console` on a store, and the reviewer's calls to it. */
class Reviewer {
  private constructor(
    private readonly process: ChildProcess,
    private readonly url: string,
  ) {}

  static async start(env: NodeJS.ProcessEnv): Promise<Reviewer> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [join(root, "bin/inflow.js"), "console", "--date", date, "--port", String(port)],
      { env: { ...env, INFLOW_CONSOLE_TOKEN: token }, stdio: "ignore" },
    );
    const reviewer = new Reviewer(child, `http://127.0.0.1:${port}`);
    // Ready when it answers (its log is buffered, so waiting for the "listening" line could stall).
    for (let tries = 0; ; tries++) {
      if (child.exitCode !== null) throw new Error(`inflow console exited with ${child.exitCode}`);
      try {
        await reviewer.call("/api/topics");
        return reviewer;
      } catch (error) {
        if (tries > 600) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private async call(path: string, init: RequestInit = {}): Promise<unknown> {
    const response = await fetch(`${this.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "x-reviewer": "simulated", ...init.headers },
    });
    if (!response.ok && response.status !== 303)
      throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.headers.get("content-type")?.includes("json") ? response.json() : null;
  }

  async queue(size: number): Promise<string[]> {
    const body = (await this.call(`/api/queue?size=${size}`)) as { items: { id: string }[] };
    return body.items.map((i) => i.id);
  }

  /** Names each ticket's class as its topic: the first answer adds the topic, the next ones find it by name. */
  async label(answers: { id: string; truth: string }[]): Promise<void> {
    // Batches of 100: every new name publishes a taxonomy version, so one request must not carry them all.
    for (let at = 0; at < answers.length; at += 100) {
      const labels = answers
        .slice(at, at + 100)
        .map((a) => ({ ticketId: a.id, answer: { kind: "new-topic", name: a.truth } }));
      await this.call("/api/labels", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ labels }),
      });
    }
  }

  async skip(id: string): Promise<void> {
    await this.call("/queue/skip", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ticket: id }),
      redirect: "manual",
    });
  }

  stop(): void {
    this.process.kill();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
    server.on("error", reject);
  });
}

/** Held-out macro-F1 against the truth of the router `train` just published (see the header). */
async function score(
  storeUri: string,
  modelUri: string,
  truth: Map<string, string>,
  classes: string[],
  texts: Map<string, string>,
) {
  const store = await openStore(storeUri);
  const modelPath = modelUri.replace(/^file:\/\//, "");
  const model = openRoutingModel(await readFile(modelPath, "utf8"), modelPath, null);
  const testIds = new Set(
    JSON.parse(await readFile(join(dirname(modelPath), "test-ids.json"), "utf8")) as string[],
  );
  const manifest = (await readManifest(store, kinds.labelled, date))!;
  const tickets = await readAll(readOutputs<LabelledTicket>(store, [manifest], "tickets.jsonl"));
  const predicted = predictClasses(
    model.classifier,
    // Each ticket as the router reads it (its router input: the terms, or the words too).
    transformTfidf(model.tfidf, routerDocs(routerInputOf(model), tickets, texts, model.preprocessing)),
  );
  // Held out: what train did not fit, i.e. its test split and the tickets without a topic, never a
  // labelled ticket (the served router refits on the labels train held out).
  const heldOut = tickets.map((t) => !labelled.has(t.id) && (testIds.has(t.id) || t.topic < 0));
  const classIndex = new Map(classes.map((c, k) => [c, k]));
  const votes = new Map<number, number[]>();
  tickets.forEach((t, i) => {
    if (heldOut[i]) return;
    const counts = votes.get(predicted[i]!) ?? new Array<number>(classes.length).fill(0);
    counts[classIndex.get(truth.get(t.id)!)!]!++;
    votes.set(predicted[i]!, counts);
  });
  const mapped = new Map([...votes].map(([k, counts]) => [k, counts.indexOf(Math.max(...counts))]));
  const rows = heldOut.flatMap((held, i) => (held ? [i] : []));
  const yTrue = Int32Array.from(rows, (i) => classIndex.get(truth.get(tickets[i]!.id)!)!);
  // A router class no training ticket was predicted as maps to no true class: always wrong.
  const yPred = Int32Array.from(rows, (i) => mapped.get(predicted[i]!) ?? classes.length);
  const report = classificationReport(yTrue, yPred, classes.length + 1);
  const macroF1 = report.perClass.f1.slice(0, classes.length).reduce((a, b) => a + b, 0) / classes.length;
  return { macroF1: round(macroF1), heldOut: rows.length, routerClasses: model.classTopics.length };
}

async function measure(name: string, corpus: Corpus) {
  const started = performance.now();
  const rows = await readCorpus(corpus, rowsLimit);
  const truth = new Map(rows.map((r) => [r.id, r.truth]));
  const texts = new Map(rows.map((r) => [r.id, r.text]));
  const classes = [...new Set(rows.map((r) => r.truth))].sort();
  const dir = await mkdtemp(join(tmpdir(), `inflow-review-${name}-`));
  const envFor = (store: string): NodeJS.ProcessEnv => ({
    ...process.env,
    INFLOW_STORE: `file://${dir}/${store}`,
    INFLOW_RAW_STORE: `file://${dir}/raw`,
    INFLOW_RUN_STORE: `${dir}/runs-${store}`,
    INFLOW_LOG_LEVEL: "warn",
  });
  try {
    const env = envFor("queue");
    if (builtStores) {
      await cp(join(builtStores, name, "raw"), join(dir, "raw"), { recursive: true });
      await cp(join(builtStores, name, "store"), join(dir, "queue"), { recursive: true });
    } else {
      await writeRawTickets(join(dir, "raw"), rows);
      cli(env, "tickets", "preprocess", "--date", date);
      cli(env, "tickets", "relabel", "--date", date);
    }
    const unsupervised = cli(env, "tickets", "train", "--date", date);
    labelled.clear();
    const result = {
      dataset: name,
      rows: rows.length,
      classes: classes.length,
      unsupervised: await score(env.INFLOW_STORE!, String(unsupervised.model), truth, classes, texts),
      queue: [] as unknown[],
      random: [] as unknown[],
      seconds: 0,
    };
    console.error(`${name}: unsupervised ${JSON.stringify(result.unsupervised)}`);
    await cp(join(dir, "queue"), join(dir, "random"), { recursive: true });
    // Each count once: --per-class 60 on the IT tickets measures their 1% alone.
    const counts = [...new Set([...perClass, ...(corpus.extra ?? [])])];
    for (const condition of ["queue", "random"] as const) {
      if (!conditions.includes(condition)) continue;
      const storeEnv = envFor(condition);
      const given = new Map(classes.map((c) => [c, 0]));
      labelled.clear();
      const rng = new Rng(11);
      const shuffled = new Map(
        classes.map((c) => [
          c,
          rows
            .filter((r) => r.truth === c)
            .map((r) => ({ r, key: rng.next() }))
            .sort((a, b) => a.key - b.key)
            .map(({ r }) => r),
        ]),
      );
      for (const k of counts) {
        // A fresh console each round: it reads the router the last train published.
        const reviewer = await Reviewer.start(storeEnv);
        try {
          if (condition === "random") {
            const answers = classes.flatMap((c) => shuffled.get(c)!.slice(given.get(c)!, k));
            await reviewer.label(answers);
            for (const a of answers) labelled.add(a.id);
            for (const c of classes) given.set(c, Math.min(k, shuffled.get(c)!.length));
          } else await labelFromQueue(reviewer, truth, given, k);
        } finally {
          reviewer.stop();
        }
        const trained = cli(storeEnv, "tickets", "train", "--date", date, "--run-id", `${condition}-${k}`);
        const measured = {
          perClass: k,
          labels: [...given.values()].reduce((a, b) => a + b, 0),
          propagated: trained.humanPropagated,
          ...(await score(storeEnv.INFLOW_STORE!, String(trained.model), truth, classes, texts)),
        };
        console.error(`${name}: ${condition} ${JSON.stringify(measured)}`);
        (condition === "queue" ? result.queue : result.random).push(measured);
      }
    }
    result.seconds = Math.round((performance.now() - started) / 1000);
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Answers queued tickets of classes with fewer than `k` labels, skips the others, until every class has `k` or the queue is empty. */
async function labelFromQueue(
  reviewer: Reviewer,
  truth: Map<string, string>,
  given: Map<string, number>,
  k: number,
): Promise<void> {
  for (;;) {
    const short = [...given.values()].filter((n) => n < k).length;
    if (short === 0) return;
    const ids = await reviewer.queue(500);
    if (ids.length === 0) return;
    const answers: { id: string; truth: string }[] = [];
    for (const id of ids) {
      const c = truth.get(id)!;
      if (given.get(c)! < k) {
        answers.push({ id, truth: c });
        given.set(c, given.get(c)! + 1);
        labelled.add(id);
      } else await reviewer.skip(id);
    }
    await reviewer.label(answers);
  }
}

const names = dataset === "all" ? Object.keys(corpora) : [dataset];
const results = [];
for (const name of names) {
  const corpus = corpora[name];
  if (!corpus) throw new Error(`unknown dataset ${name}: one of ${Object.keys(corpora).join(", ")}, all`);
  results.push(await measure(name, corpus));
}
const report = {
  measuredAt: new Date().toISOString(),
  protocol:
    "pipeline defaults (preprocess, relabel, train) through the CLI; a simulated reviewer answers from the truth through the console's HTTP API (new topic named after the true class); queue = the console's active-learning queue, random = the same count per class chosen at random; score = held-out macro-F1 over all true classes, router classes mapped to the majority true class on the train split",
  rowsLimit: rowsLimit || null,
  builtStores: builtStores ?? null,
  datasets: results,
};
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
