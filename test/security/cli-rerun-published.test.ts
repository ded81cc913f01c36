import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { PromotionRecord } from "../../src/tickets/champion.js";
import { createWorkspace, repoRoot, type Workspace } from "../harness/cli.js";

/**
 * Replays the red-team attempts on published models through the built CLI: reruns of train for the
 * champion's date must neither rewrite nor prune the served model, and a model whose bytes do not
 * match the pointer is refused.
 */
const date = "2026-04-06";

describe("reruns never touch the served model", () => {
  let ws: Workspace;
  let champion: PromotionRecord;
  const championBytes = async () => readFile(join(ws.dir, "clean", champion.challenger.key));
  const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
  const input = () => join(ws.dir, "in.jsonl");

  before(async () => {
    ws = await createWorkspace();
    await writeFile(input(), '{"id":"1","text":"my card payment was declined twice at the store"}\n');
    for (const step of [
      ["generate", "--count", "600", "--days", "7", "--seed", "5"],
      ["preprocess"],
      ["relabel", "--k", "5"],
      ["train"],
      ["evaluate", "--resamples", "200"],
    ]) {
      const result = ws.run("tickets", step[0]!, "--date", date, ...step.slice(1));
      assert.equal(result.status, 0, `${step[0]}: ${result.stderr}`);
    }
    champion = JSON.parse(await readFile(join(ws.dir, "clean", "tickets/champion.json"), "utf8"));
    assert.equal(sha(await championBytes()), champion.challenger.sha256);
  });
  after(() => ws.dispose());

  test("train --date <champion's date> with other options (same run id) writes a new version", async () => {
    const rerun = ws.run("tickets", "train", "--date", date, "-c", "0.01", "--class-weight", "none");
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.equal(rerun.summary.version, `${date}.manual__${date}.2`, "a new, distinct model version");
    assert.notEqual(rerun.summary.model, champion.challenger.uri);
    assert.equal(
      sha(await championBytes()),
      champion.challenger.sha256,
      "the champion's bytes are untouched",
    );
    const predict = ws.run(
      "tickets",
      "predict",
      "--date",
      date,
      "--model",
      "champion",
      "--input",
      input(),
      "--output",
      join(ws.dir, "out.jsonl"),
    );
    assert.equal(predict.status, 0, predict.stderr);
    assert.equal(predict.summary.model, champion.challenger.version, "the champion is what is served");
  });

  test("train --date <champion's date> under another --run-id keeps the champion's version folder", async () => {
    const rerun = ws.run("tickets", "train", "--date", date, "--run-id", "scheduled__other", "-c", "0.01");
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.equal(sha(await championBytes()), champion.challenger.sha256);
  });

  test("a predict that fails on a terminal exits, its progress bar stopped, and leaves no temp file", async () => {
    // `script` gives the CLI a terminal, where the bar redraws on a timer that kept the failed process alive.
    const cli = [process.execPath, join(repoRoot, "bin/inflow.js"), "tickets", "predict", "--date", date];
    cli.push("--input", join(ws.dir, "missing.jsonl"), "--output", join(ws.dir, "tty-out.jsonl"));
    const result = spawnSync("script", ["-qec", cli.join(" "), "/dev/null"], {
      env: { ...ws.env, CI: "" },
      cwd: ws.dir,
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(result.status, 2, `${result.error ?? ""} ${result.stdout}`);
    assert.match(result.stdout, /inflow tickets predict failed: cannot read/);
    assert.deepEqual(
      (await readdir(ws.dir)).filter((name) => name.startsWith("tty-out")),
      [],
    );
  });

  test("predict refuses a champion whose bytes no longer match the pointer's sha256", async () => {
    const path = join(ws.dir, "clean", champion.challenger.key);
    const original = await readFile(path);
    const newest = JSON.parse(
      await readFile(join(ws.dir, "clean", "tickets/classifier", `date=${date}`, "manifest.json"), "utf8"),
    ) as { outputs: { key: string }[] };
    const other = newest.outputs.find((o) => o.key.endsWith("/model.json"))!.key;
    await writeFile(path, await readFile(join(ws.dir, "clean", other)));
    try {
      const predict = ws.run(
        "tickets",
        "predict",
        "--date",
        date,
        "--model",
        "champion",
        "--input",
        input(),
        "--output",
        join(ws.dir, "out.jsonl"),
      );
      assert.equal(predict.status, 2, predict.stdout);
      assert.match(String(predict.summary.error), /differs from the published/);
    } finally {
      await writeFile(path, original);
    }
  });
});
