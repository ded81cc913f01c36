/**
 * The Node the project declares (package.json engines, the images' base, CI) runs every dependency:
 * `npm ci` (CI, the images' build stage: dev ones too) must not warn EBADENGINE. A dependency that moves to a
 * newer Node fails here, before an image is built (package.json `overrides` pins one that keeps the API).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import semver from "semver";
import { repoRoot } from "../harness/cli.js";

interface LockPackage {
  engines?: { node?: string };
}
const read = <T>(file: string) => JSON.parse(readFileSync(join(repoRoot, file), "utf8")) as T;
const engines = read<{ engines: { node: string } }>("package.json").engines.node;
const lock = read<{ packages: Record<string, LockPackage> }>("package-lock.json");
/**
 * Packages whose engines field is stricter than the only package that uses them says and is tested on:
 * @platformatic/kafka declares Node >= 20.19.4 (test/integration runs it on Node 20), yet its helpers
 * declare >= 22.19 in every release. `npm ci` warns EBADENGINE for these two and no others.
 */
const strictButUsedOnNode20 = [
  "node_modules/@platformatic/dynamic-buffer",
  "node_modules/@platformatic/wasm-utils",
];

test("the Node running the tests is one the project declares", () => {
  assert.ok(
    semver.satisfies(process.versions.node, engines),
    `${process.versions.node} vs engines ${engines}`,
  );
});

test("every dependency supports the oldest Node the project declares and the one running", () => {
  const oldest = semver.minVersion(engines)!.version;
  const refusing = Object.entries(lock.packages)
    .filter(([path, pkg]) => path !== "" && pkg.engines?.node)
    .filter(
      ([, pkg]) =>
        !semver.satisfies(oldest, pkg.engines!.node!) ||
        !semver.satisfies(process.versions.node, pkg.engines!.node!),
    )
    .map(([path]) => path);
  // Listed exceptions must still be needed, so the list cannot outlive the reason for it.
  assert.deepEqual(refusing, strictButUsedOnNode20, `engines ${engines}`);
});
