import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { parse, stringify } from "yaml";
import { readPublishedRoutingModel } from "../../src/classify/model.js";
import { readChampionPointer } from "../../src/tickets/champion.js";
import type { Taxonomy } from "../../src/topics/taxonomy.js";
import { openStore } from "../../stores/open.js";
import { createWorkspace, type Workspace } from "../harness/cli.js";

/**
 * The console's promise for a rename or a route: it reaches the served router at the next evaluate,
 * even when the retrained challenger is not promoted (the champion's weights answer through the
 * edited taxonomy). Before, the champion kept answering with the taxonomy sealed at its train.
 */
const d1 = "2026-06-01";
const d2 = "2026-06-08";
let ws: Workspace;
test.after(() => ws?.dispose());

test("a renamed and rerouted topic is served after evaluate keeps the champion", async () => {
  ws = await createWorkspace();
  /** One `inflow tickets` step that must succeed; its summary. */
  const tickets = (...args: string[]) => {
    const result = ws.run("tickets", ...args);
    assert.equal(result.status, 0, result.stderr);
    return result.summary;
  };
  const week = (date: string, seed: string) =>
    tickets(
      "generate",
      "--date",
      date,
      "--count",
      "400",
      "--seed",
      seed,
      "--truth-out",
      join(ws.dir, `truth-${date}.jsonl`),
    );
  week(d1, "5");
  tickets("preprocess", "--date", d1);
  tickets("relabel", "--date", d1, "--k", "6");
  tickets("train", "--date", d1);
  assert.equal(tickets("evaluate", "--date", d1, "--resamples", "200").promote, true);
  const store = await openStore(ws.store);
  const first = (await readChampionPointer(store))!;

  week(d2, "4");
  tickets("preprocess", "--date", d2);
  tickets("label", "--date", d2);
  // A person renames topic 0 and routes it to a new department (what the console's Rename/Route publish).
  const file = join(ws.dir, "taxonomy.yaml");
  tickets("taxonomy", "--date", d2, "--export", file);
  const taxonomy = parse(await readFile(file, "utf8")) as Taxonomy;
  const topic = taxonomy.topics.find((t) => t.id === 0)!;
  const before = { name: topic.name, department: topic.department };
  topic.name = "Stolen card used with PIN";
  topic.department = "Card fraud";
  topic.origin = "person";
  taxonomy.departments.push("Card fraud");
  await writeFile(file, stringify(taxonomy));
  tickets("taxonomy", "--date", d2, "--publish", file);
  tickets("train", "--date", d2);
  // --margin 0 asks for proof the challenger is not worse at all: an equally good one is kept out.
  const evaluated = tickets("evaluate", "--date", d2, "--resamples", "200", "--margin", "0");
  assert.equal(evaluated.promote, false, String(evaluated.reason));
  assert.equal(evaluated.championPointerMoved, true);

  const pointer = (await readChampionPointer(store))!;
  assert.equal(pointer.champion?.version, first.challenger.version);
  const served = await readPublishedRoutingModel(store, pointer.challenger, pointer.challenger.uri);
  const champion = await readPublishedRoutingModel(store, first.challenger, first.challenger.uri);
  assert.equal(served.version, `${champion.version}+taxonomy-v${served.taxonomy.version}`);
  assert.deepEqual(served.classifier.weights, champion.classifier.weights, "the champion's weights are kept");
  const routed = served.taxonomy.topics.find((t) => t.id === 0)!;
  assert.deepEqual([routed.name, routed.department], ["Stolen card used with PIN", "Card fraud"]);
  assert.deepEqual(evaluated.taxonomyCarried, {
    version: served.version,
    changes: [
      {
        topic: 0,
        name: { from: before.name, to: "Stolen card used with PIN" },
        department: { from: before.department, to: "Card fraud" },
      },
    ],
  });

  // What predict (and `inflow serve`, following the same pointer) answers for topic 0's tickets.
  const input = join(ws.dir, "in.jsonl");
  const output = join(ws.dir, "out.jsonl");
  const text = champion.taxonomy.topics.find((t) => t.id === 0)!.topTerms.join(" ");
  await writeFile(input, `${JSON.stringify({ id: "t1", text })}\n`);
  tickets("predict", "--date", "2026-06-09", "--input", input, "--output", output);
  const answer = JSON.parse(await readFile(output, "utf8"));
  assert.deepEqual(
    [answer.topic_id, answer.topic, answer.department],
    [0, "Stolen card used with PIN", "Card fraud"],
  );
  assert.equal(answer.model_version, served.version);

  // predict --date reads the champion serving on that date: no later promotion, and none before the first.
  const onD1 = tickets("predict", "--date", d1, "--input", input, "--output", output);
  assert.equal(onD1.model, champion.version);
  const tooEarly = ws.run("tickets", "predict", "--date", "2026-05-31", "--input", input, "--output", output);
  assert.equal(tooEarly.status, 2);
  assert.match(String(tooEarly.summary.error), /no champion promoted on or before 2026-05-31/);

  // A rerun of evaluate reproduces the same served model (same key and bytes), nothing new published.
  tickets("evaluate", "--date", d2, "--resamples", "200", "--margin", "0");
  assert.deepEqual((await readChampionPointer(store))!.challenger, pointer.challenger);
});
