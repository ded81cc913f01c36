import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createWorkspace, repoRoot, type Workspace } from "../harness/cli.js";

/**
 * Replays the red-team attempts on unreadable stores through the built CLI: a store that cannot be
 * read is an error (exit 2 for configuration), never an empty input that replaces good output.
 */
const date = "2026-05-04";

describe("an unreadable store is an error, never no data", () => {
  let ws: Workspace;
  const preprocessed = () =>
    readFile(
      join(ws.dir, "clean/tickets/preprocessed", `date=${date}`, "manifest-shard-0-of-1.json"),
      "utf8",
    );

  before(async () => {
    ws = await createWorkspace();
    const generated = ws.run(
      "tickets",
      "generate",
      "--date",
      date,
      "--count",
      "200",
      "--days",
      "3",
      "--seed",
      "9",
    );
    assert.equal(generated.status, 0, generated.stderr);
    const pre = ws.run("tickets", "preprocess", "--date", date);
    assert.equal(pre.status, 0, pre.stderr);
  });
  after(() => ws.dispose());

  test("preprocess with a misspelled --raw-store exits 2 and keeps the date's published output", async () => {
    const published = await preprocessed();
    const typo = ws.run("tickets", "preprocess", "--date", date, "--raw-store", `${ws.rawStore}w`);
    assert.equal(typo.status, 2, typo.stdout);
    assert.match(String(typo.summary.error), /does not exist: fix the store URI/);
    assert.equal(await preprocessed(), published);
  });

  test("train with a misspelled --store exits 2, names the store as new and leaves no folder behind", () => {
    const typo = join(ws.dir, "missing-parent", "clean");
    const train = ws.run("tickets", "train", "--date", date, "--store", `file://${typo}`);
    assert.equal(train.status, 2, train.stdout);
    assert.match(
      String(train.summary.error),
      /the store file:\S+ did not exist: check --store or INFLOW_STORE/,
    );
    assert.equal(existsSync(join(ws.dir, "missing-parent")), false);
  });

  test("preprocess for 9999-12-31 exits 2 instead of succeeding with 0 tickets", () => {
    const future = ws.run("tickets", "preprocess", "--date", "9999-12-31");
    assert.equal(future.status, 2, future.stdout);
    assert.match(String(future.summary.error), /more than 366 days after today/);
  });

  test("a quiet window is nothing to do (exit 3, skipped); a raw store without any tickets exits 2; --allow-empty publishes", async () => {
    const quiet = ws.run("tickets", "preprocess", "--date", "2026-01-05");
    assert.equal(quiet.status, 3, quiet.stdout);
    assert.equal(quiet.summary.status, "skipped");
    assert.match(
      String(quiet.summary.reason),
      /^no raw tickets in the window 2025-12-29\.\.2026-01-04 in file:/,
    );
    await mkdir(join(ws.dir, "no-tickets"), { recursive: true });
    const wrongStore = ws.run(
      "tickets",
      "preprocess",
      "--date",
      "2026-01-05",
      "--raw-store",
      `file://${join(ws.dir, "no-tickets")}`,
    );
    assert.equal(wrongStore.status, 2, wrongStore.stdout);
    assert.match(String(wrongStore.summary.error), /nor on any other day: check --raw-store .*--allow-empty/);
    const allowed = ws.run("tickets", "preprocess", "--date", "2026-01-05", "--allow-empty");
    assert.equal(allowed.status, 0, allowed.stderr);
    assert.equal(allowed.summary.tickets, 0);
  });

  test("raw files that hold no tickets do not publish an empty day unless --allow-empty", async () => {
    await mkdir(join(ws.dir, "raw/tickets/date=2026-02-01"), { recursive: true });
    await writeFile(join(ws.dir, "raw/tickets/date=2026-02-01/empty.jsonl"), "");
    const empty = ws.run("tickets", "preprocess", "--date", "2026-02-02", "--window-days", "1");
    assert.equal(empty.status, 2, empty.stdout);
    assert.match(
      String(empty.summary.error),
      /1 raw files of the window 2026-02-01\.\.2026-02-01 hold no tickets/,
    );
  });

  test("file:// with no path is refused instead of writing to the working folder", () => {
    const bare = ws.run("tickets", "preprocess", "--date", date, "--store", "file://");
    assert.equal(bare.status, 2, bare.stdout);
    assert.match(String(bare.summary.error), /names no folder/);
  });

  test("a store on a file system that refuses writes (EPERM/EROFS) exits 2, not 1", () => {
    const readOnly = ws.run("tickets", "preprocess", "--date", date, "--store", "file:///sys/inflow-store");
    assert.equal(readOnly.status, 2, readOnly.stdout);
    assert.match(String(readOnly.summary.error), /cannot create .*(EPERM|EROFS|EACCES)/);
  });

  test("a store folder on a read-only mount exits 2 naming EROFS (Node's recursive mkdir said ENOENT: exit 1)", async (t) => {
    const mounted = join(ws.dir, "raw-read-only");
    await mkdir(mounted);
    const bind = spawnSync("mount", ["--bind", "-o", "ro", join(ws.dir, "raw"), mounted], {
      encoding: "utf8",
    });
    if (bind.status !== 0) return t.skip(`cannot bind-mount read-only here: ${bind.stderr || bind.error}`);
    try {
      const generated = ws.run(
        "tickets",
        "generate",
        "--date",
        "2026-07-01",
        "--count",
        "20",
        "--days",
        "1",
        "--raw-store",
        `file://${mounted}`,
      );
      assert.equal(generated.status, 2, generated.stdout);
      assert.match(
        String(generated.summary.error),
        /cannot write .*: the file system is read-only \(EROFS\)/,
      );
    } finally {
      spawnSync("umount", [mounted]);
    }
  });

  test("a raw store the task may not read (EACCES) exits 2, not 1", async (t) => {
    if (process.getuid?.() !== 0) return t.skip("needs root to run the CLI as another user");
    const open = await mkdtemp(join(tmpdir(), "inflow-eacces-"));
    try {
      await chmod(open, 0o777);
      // ws.dir is 0700 and owned by root: the unprivileged user cannot search it.
      const result = spawnSync(
        "setpriv",
        [
          "--reuid=65534",
          "--regid=65534",
          "--clear-groups",
          process.execPath,
          join(repoRoot, "bin/inflow.js"),
        ]
          .concat(["tickets", "preprocess", "--date", date])
          .concat(["--store", `file://${open}/clean`, "--raw-store", ws.rawStore]),
        { encoding: "utf8", env: { ...ws.env, INFLOW_RUN_STORE: `${open}/runs` }, cwd: open },
      );
      assert.equal(result.status, 2, result.stdout + result.stderr);
      assert.match(result.stdout, /permission denied \(EACCES\)/);
    } finally {
      await rm(open, { recursive: true, force: true });
    }
  });
});
