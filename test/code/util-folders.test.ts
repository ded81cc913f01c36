import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { makeFolders, unwritableCause } from "../../src/util/folders.js";

const failure = (code: string) => Object.assign(new Error(code), { code });

/**
 * Node's mkdir on a read-only mount at /ro holding /ro/store: the recursive form reports a folder it
 * cannot make as ENOENT (nodejs/node#47098), the one-level form as EROFS.
 */
function readOnlyMount() {
  const folders = new Set(["/", "/ro", "/ro/store"]);
  return async (path: string, options?: { recursive: true }) => {
    if (folders.has(path)) {
      if (options?.recursive) return;
      throw failure("EEXIST");
    }
    if (path.startsWith("/ro/")) throw failure(options?.recursive ? "ENOENT" : "EROFS");
    if (!options?.recursive && !folders.has(dirname(path))) throw failure("ENOENT");
    folders.add(path);
  };
}

test("a folder on a read-only mount fails with EROFS, not the ENOENT of Node's recursive mkdir", async () => {
  await assert.rejects(makeFolders("/ro/store/tickets/date=2026-11-16", readOnlyMount()), { code: "EROFS" });
  await makeFolders("/ro/store", readOnlyMount());
  await makeFolders("/rw/a/b", readOnlyMount());
});

test("makeFolders makes nested folders and accepts existing ones", async () => {
  const dir = await mkdtemp(join(tmpdir(), "inflow-folders-"));
  try {
    await makeFolders(join(dir, "a", "b", "c"));
    await makeFolders(join(dir, "a", "b"));
    assert.ok(existsSync(join(dir, "a", "b", "c")));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("permission and read-only errors are named as what a retry cannot fix; others are not", () => {
  assert.equal(unwritableCause(failure("EROFS")), "the file system is read-only (EROFS)");
  assert.equal(unwritableCause(failure("EACCES")), "permission denied (EACCES)");
  assert.equal(unwritableCause(failure("ENOSPC")), undefined);
  assert.equal(unwritableCause(new Error("plain")), undefined);
});
