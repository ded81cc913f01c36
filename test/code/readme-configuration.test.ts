/**
 * The README's configuration table names every INFLOW_* variable the program reads, in any of a row's
 * cells (a row may name a family, `INFLOW_STREAM_*`, whose variables its linked doc lists), so a new
 * setting cannot ship undocumented, as INFLOW_DEMO_* did.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../harness/cli.js";

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(join(repoRoot, dir), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => join(e.parentPath, e.name));
}

/** The variables a table row names: `A`, a family `A_*`, or `A_IN/_ROUTED` and `A_USER/PASSWORD` shorthands. */
function rowNames(cell: string): { names: string[]; families: string[] } {
  const names: string[] = [];
  const families: string[] = [];
  for (const [, token] of cell.matchAll(/`([A-Z0-9_/*]+)`/g)) {
    if (token!.endsWith("*")) families.push(token!.slice(0, -1));
    const [first, ...rest] = token!.split("/");
    names.push(first!);
    for (const part of rest)
      names.push(
        part.startsWith("_")
          ? first!.slice(0, first!.lastIndexOf("_")) + part
          : first!.slice(0, first!.lastIndexOf("_") + 1) + part,
      );
  }
  return { names, families };
}

test("the README's configuration table names every INFLOW_* variable the code reads", async () => {
  const read = new Set<string>();
  for (const dir of ["src", "tasks", "server", "stores", "scripts", "mlflow", "clearml"])
    for (const file of await sources(dir)) {
      const text = await readFile(file, "utf8");
      for (const [, quoted, member] of text.matchAll(
        /["'`](INFLOW_[A-Z0-9_]*[A-Z0-9])["'`]|env\.(INFLOW_[A-Z0-9_]+)/g,
      ))
        read.add((quoted ?? member)!);
    }
  const readme = await readFile(join(repoRoot, "README.md"), "utf8");
  const table = readme.slice(readme.indexOf("| variable | default | meaning |"));
  const rows = table.slice(0, table.indexOf("\n\n")).split("\n");
  const names = new Set<string>();
  const families: string[] = [];
  for (const row of rows) {
    const parsed = rowNames(row);
    for (const name of parsed.names) names.add(name);
    families.push(...parsed.families);
  }
  const missing = [...read]
    .filter((name) => !names.has(name) && !families.some((f) => name.startsWith(f)))
    .sort();
  assert.ok(read.size > 50, `found only ${read.size} variables: the scan is broken`);
  assert.deepEqual(missing, []);
});
