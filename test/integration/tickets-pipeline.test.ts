import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { PredictionSchema } from "../../server/schemas/predict.js";
import { openRoutingModel } from "../../src/classify/model.js";
import type { TruthRouting } from "../../src/tickets/truth.js";
import { createWorkspace, repoRoot, sampleCorpusOptions, type Workspace } from "../harness/cli.js";

const d1 = "2026-03-09";
const d2 = "2026-03-16";

async function manifest(ws: Workspace, kind: string, date: string, name = "manifest.json") {
  return JSON.parse(await readFile(join(ws.dir, "clean", kind, `date=${date}`, name), "utf8")) as {
    outputs: { key: string; sha256: string }[];
    stats: Record<string, unknown>;
    inputs: { uri: string; sha256: string }[];
  };
}

function output(m: { outputs: { key: string; sha256: string }[] }, name: string) {
  const found = m.outputs.find((o) => o.key.endsWith(`/${name}`));
  assert.ok(found, `output ${name} in manifest`);
  return found;
}

describe("tickets pipeline through the CLI", () => {
  let ws: Workspace;
  const truth = () => join(ws.dir, "truth.jsonl");

  before(async () => {
    ws = await createWorkspace();
  });
  after(() => ws.dispose());

  test("generate → preprocess → relabel → train → evaluate → predict on one date", async () => {
    const generated = ws.run("tickets", "generate", ...sampleCorpusOptions(d1, truth()));
    assert.equal(generated.status, 0, generated.stderr);
    assert.equal(generated.summary.partitions, 7);

    const pre = ws.run("tickets", "preprocess", "--date", d1, "--carry", "product");
    assert.equal(pre.status, 0, pre.stderr);
    assert.equal(
      Number(pre.summary.tickets) + Number(pre.summary.rejected),
      1500,
      "every row is either a ticket or a counted reject",
    );
    assert.ok(Number(pre.summary.rejected) > 0, "the generator's garbage rows are rejected, not dropped");

    // A threshold (the default, 0, assigns every ticket with text) to see the unassigned accounted for.
    const relabel = ws.run("tickets", "relabel", "--date", d1, "--k", "5", "--assign-threshold", "0.3");
    assert.equal(relabel.status, 0, relabel.stderr);
    const topics = relabel.summary.topics as { id: number; name: string; size: number }[];
    assert.equal(topics.length, 5);
    assert.deepEqual(
      topics.map((t) => t.id),
      [0, 1, 2, 3, 4],
    );

    // The human summary accounts for every ticket; ticket text goes only to a terminal.
    assert.match(relabel.stdout, /^topic 0 ".+" → .+: \d+ tickets/m);
    assert.match(
      relabel.stdout,
      /\d+ of \d+ tickets \(.+%\) are unassigned: .*less than 0\.3 of their topic weight/,
    );
    assert.doesNotMatch(relabel.stdout, /^ {4}\[/m, "no ticket text off a terminal");

    const train = ws.run("tickets", "train", "--date", d1);
    assert.equal(train.status, 0, train.stderr);
    assert.match(
      train.stdout,
      /are unassigned: .*left out of training; the router learns from the other \d+/,
    );
    assert.ok(
      Number(train.summary.testAccuracy) > 0.8,
      `held-out agreement with topic labels ${train.summary.testAccuracy}`,
    );

    const evaluate = ws.run("tickets", "evaluate", "--date", d1, "--truth", truth(), "--resamples", "1000");
    assert.equal(evaluate.status, 0, evaluate.stderr);
    assert.equal(evaluate.summary.promote, true, "the first model is promoted");
    const routing = evaluate.summary.routingVsTruth as TruthRouting;
    assert.ok(routing.nmi > 0.3 && routing.accuracy > 0.6, JSON.stringify(routing));
    assert.ok(routing.accuracy > routing.majorityBaseline.accuracy, JSON.stringify(routing));
    assert.match(
      String(evaluate.summary.headline),
      /agreement with the topic labels .* routing against the truth/,
    );

    const predictions = join(ws.dir, "predictions.jsonl");
    const predict = ws.run(
      "tickets",
      "predict",
      "--date",
      d1,
      "--input",
      join(repoRoot, "test/fixtures/tickets/cfpb.json"),
      "--output",
      predictions,
    );
    assert.equal(predict.status, 0, predict.stderr);
    assert.ok(Number(predict.summary.predicted) > 0);
    // The file answers in the API's shape: the same fields, `truncated` included.
    const lines = (await readFile(predictions, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    for (const line of lines.filter((l) => l.error === undefined)) {
      assert.deepEqual(Object.keys(line).sort(), Object.keys(PredictionSchema.properties).sort());
      assert.equal(line.truncated, false);
    }
  });

  test("the topic report names topics from their terms, shows 3 representative tickets and the unassigned", async () => {
    const model = await manifest(ws, "tickets/topic-model", d1);
    const report = JSON.parse(
      await readFile(join(ws.dir, "clean", output(model, "topic-report.json").key), "utf8"),
    ) as {
      unassigned: { tickets: number; reason: string };
      topics: {
        name: string;
        department: string;
        distinctiveTerms: { term: string }[];
        representatives: { id: string; text: string }[];
      }[];
    };
    assert.match(report.unassigned.reason, /assign-threshold 0\.3/);
    for (const topic of report.topics) {
      assert.equal(topic.representatives.length, 3, topic.name);
      assert.ok(topic.representatives.every((r) => typeof r.text === "string" && r.text.length > 0));
      // No catalog was chosen: names come from the topic's own terms and wait for a person.
      assert.equal(topic.department, "Unrouted");
      // The strongest term comes first, or the phrase holding it ("card" named as "credit card").
      const strongest = topic.distinctiveTerms[0]!.term.split(" ")[0]!;
      assert.ok(topic.name.split(" / ")[0]!.split(" ").includes(strongest), topic.name);
    }
  });

  test("the run is recorded in the local run store with params, metrics and artifacts", async () => {
    const runs = join(ws.dir, "runs", "inflow-tickets");
    const records = await Promise.all(
      (await readdir(runs)).map(async (id) => JSON.parse(await readFile(join(runs, id, "run.json"), "utf8"))),
    );
    const evaluate = records.find((r) => r.tags.step === "evaluate" && r.status === "FINISHED");
    assert.ok(evaluate, "a finished evaluate run");
    assert.equal(evaluate.tags.logical_date, d1);
    assert.ok(evaluate.metrics.some((m: { key: string }) => m.key === "test/macro_f1_low"));
    assert.ok(evaluate.artifacts.some((a: { name: string }) => a.name === "confusion-matrix.png"));
  });

  test("labelled tickets are readable as Parquet by an independent reader (pyarrow)", async () => {
    const labelled = await manifest(ws, "tickets/labelled", d1);
    const parquet = join(ws.dir, "clean", output(labelled, "tickets.parquet").key);
    const read = execFileSync(
      join(repoRoot, ".venv/bin/python"),
      [
        "-c",
        "import sys, json, pyarrow.parquet as pq; t = pq.read_table(sys.argv[1]); print(json.dumps({'rows': t.num_rows, 'columns': t.column_names, 'first': t.slice(0, 1).to_pylist()[0]}))",
        parquet,
      ],
      { encoding: "utf8" },
    );
    const table = JSON.parse(read);
    assert.equal(table.rows, labelled.stats.tickets);
    assert.deepEqual(table.columns, [
      "id",
      "date",
      "topic_id",
      "topic_name",
      "department",
      "confidence",
      "token_count",
      "topic_model_version",
    ]);
    assert.equal(table.first.date, d1);
    assert.equal(typeof table.first.topic_name, "string");
  });

  test("rerunning a date under another run id reproduces its outputs and publishes nothing new", async () => {
    const published = [
      "tickets/topic-model",
      "tickets/taxonomy",
      "tickets/labelled",
      "tickets/classifier",
      "tickets/evaluation",
      "tickets/promotion",
    ];
    const before = {
      pre: await manifest(ws, "tickets/preprocessed", d1, "manifest-shard-0-of-1.json"),
      model: await manifest(ws, "tickets/classifier", d1),
      manifests: await Promise.all(published.map((kind) => manifest(ws, kind, d1))),
    };
    // An Airflow retry or a manual rerun: same date and inputs, another run id.
    const retry = ["--run-id", `scheduled__${d1}T00:00:00+00:00`];
    const summaries: Record<string, unknown>[] = [];
    for (const step of [
      ["preprocess", "--carry", "product"],
      ["relabel", "--k", "5", "--assign-threshold", "0.3"],
      ["train"],
      ["evaluate", "--truth", truth(), "--resamples", "1000"],
    ]) {
      const rerun = ws.run("tickets", step[0]!, "--date", d1, ...retry, ...step.slice(1));
      assert.equal(rerun.status, 0, rerun.stderr);
      summaries.push(rerun.summary);
    }
    // The topic model, its taxonomy, the labels, the router and its evaluation are the published ones:
    // same manifests (version, time, sha256s), and no second version folder.
    assert.deepEqual(await Promise.all(published.map((kind) => manifest(ws, kind, d1))), before.manifests);
    for (const kind of published) {
      const versions = (await readdir(join(ws.dir, "clean", kind, `date=${d1}`))).filter((v) =>
        v.startsWith("v="),
      );
      assert.deepEqual(versions, [`v=manual__${d1}`], kind);
    }
    assert.equal(
      summaries[1]!.topicModel,
      `${ws.store}/${output(before.manifests[0]!, "topic-model.json").key}`,
    );
    assert.equal(summaries[2]!.version, `${d1}.manual__${d1}`, "train names the published version");
    const pre = await manifest(ws, "tickets/preprocessed", d1, "manifest-shard-0-of-1.json");
    assert.equal(output(pre, "tickets.jsonl").sha256, output(before.pre, "tickets.jsonl").sha256);
    assert.equal(output(pre, "rejects.jsonl").sha256, output(before.pre, "rejects.jsonl").sha256);
    assert.equal(output(pre, "words.json").sha256, output(before.pre, "words.json").sha256);
    // The model files hold neither the run nor the time: the rerun's bytes are the published ones.
    const [topics, , , router] = await Promise.all(published.map((kind) => manifest(ws, kind, d1)));
    assert.equal(
      output(topics!, "topic-model.json").sha256,
      output(before.manifests[0]!, "topic-model.json").sha256,
    );
    assert.equal(output(router!, "model.json").sha256, output(before.model, "model.json").sha256);
    // The serving lexicon of the preprocessed words is shipped.
    const model = openRoutingModel(
      await readFile(join(ws.dir, "clean", output(router!, "model.json").key), "utf8"),
      "m",
      null,
    );
    assert.ok(
      model.lexicon && model.lexicon.words.length > 100,
      `${model.lexicon?.words.length} lexicon words`,
    );
    const versions = await readdir(
      join(ws.dir, "clean", "tickets/preprocessed", `date=${d1}`, "part=shard-0-of-1"),
    );
    assert.equal(versions.length, 1, "an identical rerun publishes no second version");
  });

  test("a later week is labelled with the earlier model and compared with the champion", async () => {
    assert.equal(
      ws.run(
        "tickets",
        "generate",
        "--date",
        d2,
        "--count",
        "1500",
        "--days",
        "7",
        "--seed",
        "4",
        "--truth-out",
        truth(),
      ).status,
      0,
    );
    assert.equal(ws.run("tickets", "preprocess", "--date", d2).status, 0);
    const label = ws.run("tickets", "label", "--date", d2);
    assert.equal(label.status, 0, label.stderr);
    const labelled = await manifest(ws, "tickets/labelled", d2);
    const pool = await manifest(ws, "tickets/novelty", d2);
    const relabelled = ws.run(
      "tickets",
      "label",
      "--date",
      d2,
      "--run-id",
      `scheduled__${d2}T00:00:00+00:00`,
    );
    assert.equal(relabelled.status, 0, relabelled.stderr);
    assert.deepEqual(
      await manifest(ws, "tickets/labelled", d2),
      labelled,
      "a rerun of label publishes nothing new",
    );
    assert.deepEqual(await manifest(ws, "tickets/novelty", d2), pool, "nor a new novelty pool");
    assert.match(String(label.summary.topicModel), new RegExp(`date=${d1}`));
    assert.equal(ws.run("tickets", "train", "--date", d2).status, 0);
    const evaluate = ws.run("tickets", "evaluate", "--date", d2, "--resamples", "1000");
    assert.equal(evaluate.status, 0, evaluate.stderr);
    assert.match(String(evaluate.summary.champion), new RegExp(`^${d1}`));
    assert.match(String(evaluate.summary.reason), /McNemar p=/);
  });

  test("bad input exits 2 with a clear JSON message and publishes nothing", async () => {
    const badDate = ws.run("tickets", "label", "--date", "2026-02-30");
    assert.equal(badDate.status, 2, JSON.stringify(badDate.summary));
    assert.equal(badDate.summary.status, "error");
    assert.match(String(badDate.summary.error), /not a calendar day/);

    const noModel = ws.run("tickets", "label", "--date", "2025-01-01");
    assert.equal(noModel.status, 2, "a past date cannot use a model published after it");
    assert.match(String(noModel.summary.error), /no topic model published on or before 2025-01-01/);

    for (const keepPos of ["", "NN"]) {
      const badPos = ws.run("tickets", "preprocess", "--date", d2, "--keep-pos", keepPos);
      assert.equal(badPos.status, 2, JSON.stringify(badPos.summary));
      assert.match(String(badPos.summary.error), /valid tags: ADJ, .*"all"/);
    }

    const strict = ws.run(
      "tickets",
      "preprocess",
      "--date",
      d2,
      "--max-reject-share",
      "0.0001",
      "--run-id",
      "strict",
    );
    assert.equal(strict.status, 2, JSON.stringify(strict.summary));
    assert.match(String(strict.summary.error), /rows rejected .* rejects kept at/);
    const kept = await manifest(ws, "tickets/preprocessed", d2, "manifest-shard-0-of-1.json");
    assert.notEqual(
      (kept as unknown as { runId: string }).runId,
      "strict",
      "the failed run did not replace the published partition",
    );

    // An empty window is refused unless allowed; allowed here, the point is the missing shard.
    const half = ws.run(
      "tickets",
      "preprocess",
      "--date",
      "2026-03-23",
      "--shard",
      "0",
      "--shards",
      "2",
      "--allow-empty",
    );
    assert.equal(half.status, 0, half.stderr);
    const incomplete = ws.run("tickets", "relabel", "--date", "2026-03-23");
    assert.equal(incomplete.status, 2, JSON.stringify(incomplete.summary));
    assert.match(String(incomplete.summary.error), /incomplete/);

    const corrupt = join(ws.dir, "corrupt-model.json");
    const model = await manifest(ws, "tickets/classifier", d1);
    const text = await readFile(join(ws.dir, "clean", output(model, "model.json").key), "utf8");
    // One flipped base64 digit inside the weights: the bytes still parse, only the checksum can tell.
    const at = text.indexOf('"$f64":"') + 20;
    await writeFile(corrupt, text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1));
    const refused = ws.run(
      "tickets",
      "predict",
      "--date",
      d1,
      "--model",
      corrupt,
      "--input",
      join(repoRoot, "test/fixtures/tickets/cfpb.json"),
      "--output",
      join(ws.dir, "p.jsonl"),
    );
    assert.equal(refused.status, 2, JSON.stringify(refused.summary));
    assert.match(String(refused.summary.error), /checksum mismatch/);

    const truncated = join(ws.dir, "truncated-model.json");
    await writeFile(truncated, text.slice(0, text.length / 2));
    const cut = ws.run(
      "tickets",
      "predict",
      "--date",
      d1,
      "--model",
      truncated,
      "--input",
      join(repoRoot, "test/fixtures/tickets/cfpb.json"),
      "--output",
      join(ws.dir, "p.jsonl"),
    );
    assert.equal(cut.status, 2, JSON.stringify(cut.summary));
    assert.match(String(cut.summary.error), /truncated|checksum/);
  });

  test("every step has --help", () => {
    for (const step of [
      "generate",
      "ingest",
      "preprocess",
      "relabel",
      "label",
      "taxonomy",
      "train",
      "evaluate",
      "predict",
    ]) {
      const help = ws.run("tickets", step, "--help");
      assert.equal(help.status, 0, step);
      assert.match(help.stdout, /--date/, step);
    }
    const preprocess = ws.run("tickets", "preprocess", "--help").stdout;
    assert.match(preprocess, /--keep-pos[\s\S]*"all"[\s\S]*\[default: /);
    assert.doesNotMatch(preprocess, /keep nouns/);
  });
});
