import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CommitGuard } from "../../server/stream/commit-guard.js";

const at = (partition: number, ...offsets: number[]) =>
  offsets.map((o) => ({ topic: "raw", partition, offset: BigInt(o) }));

describe("commit guard", () => {
  test("a regained partition routed from past its committed offset refuses the commit, naming the gap", async () => {
    // The chaos test's miss: committed offset 0 (nobody routed the partition), routing resumed at 46.
    const guard = new CommitGuard();
    guard.gained("raw:1", Promise.resolve(0n));
    guard.routed(at(1, 46, 47));
    assert.deepEqual(await guard.unrouted(at(1, 46, 47)), [{ partition: "raw:1", from: 0n, to: 45n }]);
  });

  test("routing from the committed offset (or before it: a replay) commits, and is not checked again", async () => {
    const guard = new CommitGuard();
    guard.gained("raw:1", Promise.resolve(46n));
    guard.gained("raw:3", Promise.resolve(10n));
    guard.routed([...at(1, 46, 47), ...at(3, 8, 9, 10)]);
    assert.deepEqual(await guard.unrouted([...at(1, 46, 47), ...at(3, 8, 9, 10)]), []);
    // Checked once per gain: later batches (even past a transaction marker) commit.
    guard.routed(at(1, 60));
    assert.deepEqual(await guard.unrouted(at(1, 60)), []);
  });

  test("partitions held from the start, and a regained one not yet routed, are not held back", async () => {
    const guard = new CommitGuard();
    guard.gained("raw:2", Promise.resolve(5n));
    guard.routed(at(0, 100));
    assert.deepEqual(await guard.unrouted(at(0, 100)), []);
    assert.deepEqual(await guard.unrouted(at(2, 7)), []);
  });

  test("an unreadable committed offset fails the check instead of letting the commit through", async () => {
    const guard = new CommitGuard();
    guard.gained("raw:1", Promise.reject(new Error("coordinator gone")));
    guard.routed(at(1, 3));
    await assert.rejects(guard.unrouted(at(1, 3)), /coordinator gone/);
  });
});
