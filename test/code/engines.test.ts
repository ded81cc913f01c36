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
    .map(([path, pkg]) => `${path} needs node ${pkg.engines!.node}`);
  assert.deepEqual(refusing, [], `engines ${engines}`);
});
