import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fitLogistic, logisticModel } from "../../src/classify/logistic.js";
import { openRoutingModel, type RoutingModel, sealRoutingModel } from "../../src/classify/model.js";
import { createPredictor } from "../../src/classify/model-predict.js";
import { routerDocs } from "../../src/classify/router-input.js";
import { appendHumanLabels, type HumanLabel } from "../../src/review/human-labels.js";
import { ReviewWorkspace, readEvaluations } from "../../src/review/workspace.js";
import { Publication, readManifest, readVerified, requireOutput } from "../../src/store/publish.js";
import { readChampionPointer } from "../../src/tickets/champion.js";
import { kinds } from "../../src/tickets/dataset.js";
import { labelledTickets } from "../../src/tickets/models.js";
import { preprocessedTexts } from "../../src/tickets/raw-text.js";
import { readTruth } from "../../src/tickets/truth.js";
import { fitTransformTfidf } from "../../src/topics/tfidf.js";
import { openStore } from "../../stores/open.js";
import { createWorkspace, type Workspace } from "../harness/cli.js";

/**
 * The console's promise (issue 12): people label tickets, the pipeline reruns, the served router
 * changes. Once people's labels replace the topic model's classes, evaluate must score the challenger
 * (and the champion) on people's held-out labels: against the topic labels a router of people's
 * classes looks wrong everywhere and would never be promoted.
 */
const d1 = "2026-06-01";
const d2 = "2026-06-08";
let ws: Workspace;

before(async () => {
  ws = await createWorkspace();
});
after(() => ws.dispose());

function ok(result: ReturnType<Workspace["run"]>) {
  assert.equal(result.status, 0, result.stderr);
  return result.summary;
}

function generate(date: string, seed: string, truthOut: string) {
  ok(
    ws.run(
      "tickets",
      "generate",
      "--date",
      date,
      "--count",
      "600",
      "--days",
      "7",
      "--seed",
      seed,
      "--truth-out",
      truthOut,
    ),
  );
}

test("people's classes: train → evaluate scores on their held-out labels, promotes, and the served router changes", async () => {
  generate(d1, "5", join(ws.dir, "truth-1.jsonl"));
  ok(ws.run("tickets", "preprocess", "--date", d1));
  ok(ws.run("tickets", "relabel", "--date", d1, "--k", "6"));
  ok(ws.run("tickets", "train", "--date", d1));
  assert.equal(ok(ws.run("tickets", "evaluate", "--date", d1, "--resamples", "200")).promote, true);
  const store = await openStore(ws.store);
  const champion = (await readChampionPointer(store))!.challenger.version;

  const truthPath = join(ws.dir, "truth-2.jsonl");
  generate(d2, "4", truthPath);
  ok(ws.run("tickets", "preprocess", "--date", d2));
  ok(ws.run("tickets", "label", "--date", d2));
  // People give 12 tickets of each department a class of their own (new topics 100 + department).
  const truth = await readTruth(truthPath, "department");
  const departments = [...new Set(truth.values())].sort();
  const tickets = (await labelledTickets(store, d2))!.tickets;
  const given = new Map<string, number>();
  const labels: HumanLabel[] = [];
  for (const ticket of [...tickets].sort((a, b) => a.id.localeCompare(b.id))) {
    const department = truth.get(ticket.id);
    if (department === undefined || (given.get(department) ?? 0) >= 12) continue;
    given.set(department, (given.get(department) ?? 0) + 1);
    const topic = 100 + departments.indexOf(department);
    labels.push({
      ticketId: ticket.id,
      answer: { kind: "topic", topic },
      reviewer: "r",
      at: `2026-06-08T10:00:${String(labels.length % 60).padStart(2, "0")}Z`,
      source: "import",
    });
  }
  await appendHumanLabels(store, d2, labels);

  const trained = ok(ws.run("tickets", "train", "--date", d2));
  assert.equal(trained.peopleClasses, true, "people's labels outvote the topic model");
  const evaluated = ok(ws.run("tickets", "evaluate", "--date", d2, "--resamples", "200"));
  assert.equal(evaluated.champion, champion);
  assert.equal(evaluated.promote, true, String(evaluated.reason));
  assert.equal(evaluated.championPointerMoved, true);
  assert.equal(evaluated.peopleLabels, true);
  assert.match(String(evaluated.reason), /^on held-out people's labels: .*McNemar p=/);
  const served = (await readChampionPointer(store))!.challenger.version;
  assert.equal(served, trained.version, "the API now serves the router of people's classes");
  assert.notEqual(served, champion);

  // Scored on people's labels of held-out tickets only, never on a row the router trained on.
  const clean = join(ws.dir, "clean");
  const manifest = async (kind: string) =>
    JSON.parse(await readFile(join(clean, kind, `date=${d2}`, "manifest.json"), "utf8")) as {
      outputs: { key: string }[];
    };
  const read = async (kind: string, name: string) =>
    JSON.parse(
      await readFile(
        join(clean, (await manifest(kind)).outputs.find((o) => o.key.endsWith(name))!.key),
        "utf8",
      ),
    );
  const testIds = new Set<string>(await read("tickets/classifier", "test-ids.json"));
  const heldLabels = labels.filter((l) => testIds.has(l.ticketId)).length;
  assert.ok(
    heldLabels > 0 && heldLabels < labels.length,
    `${heldLabels} of ${labels.length} labels held out`,
  );
  // train chose what the router reads on people's labels and stored it in the artifact evaluate and the API load.
  const modelKey = (await manifest("tickets/classifier")).outputs.find((o) =>
    o.key.endsWith("model.json"),
  )!.key;
  const model = openRoutingModel(await readFile(join(clean, modelKey), "utf8"), modelKey, null);
  assert.equal(model.routerInput, trained.routerInput);
  assert.equal(typeof (trained.routerInputCvMacroF1 as Record<string, number>).terms, "number");
  // ... and whether to spread people's labels: the option that scored higher out of fold (a tie is off).
  const spreadCv = trained.spreadCvMacroF1 as Record<string, number>;
  assert.deepEqual(Object.keys(spreadCv).sort(), ["0", "0.1"]);
  assert.equal(trained.spreadWeight, spreadCv["0.1"]! > spreadCv["0"]! ? 0.1 : 0, JSON.stringify(spreadCv));
  if (trained.spreadWeight === 0) assert.equal(trained.humanPropagated, 0, "nothing spreads when it is off");
  const evaluation = await read("tickets/evaluation", "evaluation.json");
  assert.equal(evaluation.reference, "people's labels");
  assert.equal(evaluation.testRows, heldLabels);
  assert.equal(evaluation.agreementWithTopicLabels, undefined);
  // The served router refitted on the held-out labels: evaluate scored the topics train's router gave
  // them before the refit (held-out-topics.json, test-ids.json's order), never the served router's.
  assert.equal(trained.refittedOnHeldOut, true);
  const heldOutTopics: number[] = await read("tickets/classifier", "held-out-topics.json");
  const topicOf = new Map([...testIds].map((id, k) => [id, heldOutTopics[k]!]));
  const held = labels.filter((l) => testIds.has(l.ticketId));
  const agreed = held.filter((l) => l.answer.kind === "topic" && topicOf.get(l.ticketId) === l.answer.topic);
  assert.equal(evaluation.agreementWithPeopleLabels.accuracy, agreed.length / held.length);
  assert.ok(evaluation.comparison.challengerMacroF1 > evaluation.comparison.championMacroF1);
  // The console's model page says what each evaluation was scored against.
  const [newest, first] = await readEvaluations(store, d2);
  assert.equal(newest!.reference, "people's labels");
  assert.equal(newest!.macroF1, evaluation.agreementWithPeopleLabels.macro.f1);
  assert.equal(first!.reference, "topic labels");
});

test("the console's queue reads the tickets as the newest router does, its words too", async () => {
  const [store, rawStore] = await Promise.all([openStore(ws.store), openStore(ws.rawStore)]);
  const manifest = (await readManifest(store, kinds.classifier, d2))!;
  const trained = openRoutingModel(
    (await readVerified(store, requireOutput(manifest, "model.json"))).toString("utf8"),
    "trained",
    null,
  );
  // A router that reads the surface words alone, published as d2's newest router through the real publish.
  const texts = await preprocessedTexts(store, rawStore, d2);
  const tickets = (await labelledTickets(store, d2))!.tickets.filter((t) => t.topic >= 0);
  const { model: tfidf, matrix } = fitTransformTfidf(routerDocs("words", tickets, texts), { minDf: 2 });
  const classTopics = [...new Set(tickets.map((t) => t.topic))].sort((a, b) => a - b);
  const y = Int32Array.from(tickets, (t) => classTopics.indexOf(t.topic));
  const fit = fitLogistic(matrix, y, classTopics.length, { C: 10, maxIter: 50 });
  const model: RoutingModel = {
    ...trained,
    version: `${d2}.words`,
    routerInput: "words",
    tfidf,
    classifier: logisticModel(fit),
    classTopics,
  };
  const publication = new Publication(store, kinds.classifier, d2, "words-router");
  await publication.put("model.json", sealRoutingModel(model));
  await publication.publish({ inputs: [], params: {} }, {});

  const workspace = await ReviewWorkspace.open(store, rawStore, d2);
  const router = workspace.router!;
  assert.equal(router.model.routerInput, "words");
  // The queue's probabilities are the served router's for the ticket's text (what the API would answer).
  const predictor = createPredictor(router.model, 0);
  const termsRouter = createPredictor(trained, 0);
  const K = classTopics.length;
  let differs = 0;
  workspace.tickets.forEach((t, i) => {
    const row = router.probabilities.subarray(i * K, (i + 1) * K);
    const best = row.indexOf(Math.max(...row));
    const served = predictor.predict(texts.get(t.id)!);
    assert.equal(classTopics[best], served.topicId, t.id);
    assert.ok(Math.abs(row[best]! - served.confidence) < 1e-9, t.id);
    if (served.topicId !== termsRouter.predict(texts.get(t.id)!).topicId) differs++;
  });
  assert.ok(differs > 0, "the words router routes some tickets differently from the terms router");
});
