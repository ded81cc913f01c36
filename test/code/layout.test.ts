import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Where the program is assembled and the backends that implement src/'s interfaces live. */
const outsideLibrary = ["tasks", "server", "mlflow", "clearml", "stores"];

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

/** Every module specifier of a file: static imports and exports, and dynamic `import(...)`. */
function specifiers(source: string): string[] {
  const found = source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)["']([^"']+)["']/gm);
  return [...found].map((m) => m[1]!);
}

test("src/ never imports the CLI, the servers or the backends that implement its interfaces", () => {
  const crossings: string[] = [];
  for (const file of sourceFiles(join(repoRoot, "src"))) {
    for (const specifier of specifiers(readFileSync(file, "utf8"))) {
      const target = specifier.startsWith(".") ? relative(repoRoot, resolve(dirname(file), specifier)) : "";
      const top = target.split("/")[0]!;
      if (outsideLibrary.includes(top) || specifier.startsWith("@aws-sdk/"))
        crossings.push(`${relative(repoRoot, file)} → ${specifier}`);
    }
  }
  assert.deepEqual(crossings, []);
});

test("the import scan sees static, re-exported and dynamic imports", () => {
  assert.deepEqual(
    specifiers(
      'import { a } from "../x.js";\nexport { b } from "./y.js";\nconst c = await import("../../z.js");\nimport "./side.js";',
    ),
    ["../x.js", "./y.js", "../../z.js", "./side.js"],
  );
});
