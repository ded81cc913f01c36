import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../harness/cli.js";

// The README's first command, as a newcomer runs it: no INFLOW_* settings, embedded defaults.
test("the demo runs both weeks on embedded defaults from any folder and says where everything went", async () => {
  const dir = await mkdtemp(join(tmpdir(), "inflow-demo-"));
  try {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith("INFLOW_")),
    );
    const result = spawnSync(process.execPath, [join(repoRoot, "dist/scripts/demo.js")], {
      cwd: dir,
      env: { ...env, INFLOW_DEMO_TICKETS: "2000" },
      encoding: "utf8",
      timeout: 600_000,
    });
    assert.equal(result.status, 0, result.stderr);
    for (const step of ["relabel --date 2026-11-09", "label --date 2026-11-16", "train --date 2026-11-16"])
      assert.match(result.stderr, new RegExp(`\\$ inflow tickets ${step}`));
    assert.match(result.stdout, /routing vs the truth kept aside.*NMI \d\.\d{3}, accuracy \d+\.\d%/);
    assert.match(
      result.stdout,
      /│ id │ topic +│ department +│ tickets │ share │ top terms/,
      "the topic table",
    );
    assert.match(result.stdout, /champion: /);
    assert.ok(existsSync(join(dir, ".inflow/customer-sup-tickets-clean/tickets/champion.json")));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
