import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StallWatchdog, unreadElsewhere, waitingRecords } from "../../server/stream/watchdog.js";
import { createLogger } from "../../src/util/log.js";

describe("stall watchdog", () => {
  const watch = (seconds: number) => {
    const stalls: number[] = [];
    const dog = new StallWatchdog(seconds, createLogger("test", "silent"), () => stalls.push(1));
    return { dog, stalls };
  };

  test("fires once when records wait and none is read for the whole span", () => {
    const { dog, stalls } = watch(30);
    dog.consumed(50);
    dog.sample(100n, 0);
    dog.sample(100n, 5_000);
    dog.sample(100n, 34_000);
    assert.equal(stalls.length, 0, "30 s since the first sample without progress have not passed");
    dog.sample(100n, 35_000);
    assert.equal(stalls.length, 1);
    assert.equal(dog.fired, true);
    dog.sample(100n, 70_000);
    assert.equal(stalls.length, 1, "once");
  });

  test("never fires while records are read, nothing waits, or the broker does not answer", () => {
    const { dog, stalls } = watch(10);
    for (let t = 0; t <= 60_000; t += 5_000) {
      dog.consumed(1);
      dog.sample(500n, t);
    }
    for (let t = 60_000; t <= 120_000; t += 5_000) dog.sample(0n, t);
    // A broker outage (no answer on a fresh connection either): no lag known, so the span restarts when it answers again.
    dog.sample(7n, 120_000);
    for (let t = 125_000; t <= 300_000; t += 5_000) dog.unanswered(t, false);
    dog.sample(7n, 305_000);
    assert.equal(stalls.length, 0);
    dog.sample(7n, 315_000);
    assert.equal(stalls.length, 1, "10 s of waiting records after the broker came back");
  });

  test("0 seconds turns it off", () => {
    const { dog, stalls } = watch(0);
    for (let t = 0; t <= 600_000; t += 5_000) dog.sample(9n, t);
    for (let t = 600_000; t <= 1_200_000; t += 5_000) dog.unanswered(t, true);
    assert.equal(stalls.length, 0);
  });

  test("a wedged client: its samples unanswered while a fresh connection is answered, for twice the window, fires once", () => {
    const { dog, stalls } = watch(10);
    dog.sample(0n, 0);
    // The broker down for everyone first: never counts, however long.
    for (let t = 5_000; t <= 200_000; t += 5_000) dog.unanswered(t, false);
    assert.equal(stalls.length, 0, "an outage");
    // Back for everyone but this client: twice the window (20 s) from the first such sample.
    dog.unanswered(205_000, true);
    dog.unanswered(220_000, true);
    assert.equal(stalls.length, 0, "15 s of 20");
    dog.unanswered(225_000, true);
    assert.equal(stalls.length, 1);
    dog.unanswered(260_000, true);
    assert.equal(stalls.length, 1, "once");
  });

  test("a wedge's span restarts on an answered sample, a record read, or a fresh connection unanswered too", () => {
    const { dog, stalls } = watch(10);
    const wedgedFor15s = (from: number) => {
      for (let t = from; t <= from + 15_000; t += 5_000) dog.unanswered(t, true);
    };
    wedgedFor15s(0);
    dog.sample(0n, 20_000);
    wedgedFor15s(25_000);
    dog.consumed(3);
    wedgedFor15s(45_000);
    dog.unanswered(65_000, false);
    wedgedFor15s(70_000);
    assert.equal(stalls.length, 0, "never 20 s in a row");
    dog.unanswered(90_000, true);
    assert.equal(stalls.length, 1, "20 s since 70 s");
  });

  test("waiting records: past the fetch position, or past the commit for a partition the client holds no position for", () => {
    const ends = [10n, 20n, 30n, 40n];
    const positions = new Map([
      [0, 10n],
      [1, 15n],
    ]);
    const commits = new Map([
      [1, 5n],
      [2, 25n],
    ]);
    const waiting = (partitions: number[]) =>
      waitingRecords(
        partitions,
        ends,
        (p) => positions.get(p),
        (p) => commits.get(p),
      );
    assert.equal(waiting([0]), 0n, "read up to its end");
    assert.equal(waiting([1]), 5n, "the fetch position, not the commit behind it");
    // No position (an offset refresh that has not ended: nothing is fetched from it): from the commit.
    assert.equal(waiting([2]), 5n);
    assert.equal(waiting([3]), 40n, "no position and no commit: from 0");
    assert.equal(waiting([0, 1, 2, 3]), 50n);
    assert.equal(waiting([]), 0n, "no partitions assigned: nothing waits on this member");
  });

  test("unread elsewhere: the backlog on partitions this member does not hold, only while the group's commits there stand still", () => {
    const ends = [10n, 20n, 30n, 40n];
    const commits = [10n, 5n, 30n, -1n];
    assert.equal(unreadElsewhere([0, 1], ends, commits, undefined), 0n, "no earlier sample: no evidence yet");
    assert.equal(
      unreadElsewhere([0, 1], ends, commits, commits),
      40n,
      "partition 3, never committed: from 0",
    );
    assert.equal(
      unreadElsewhere([], ends, commits, commits),
      55n,
      "no assignment at all: every partition's backlog",
    );
    assert.equal(unreadElsewhere([0, 1, 2, 3], ends, commits, commits), 0n, "all held: waitingRecords' part");
    const moved = [10n, 5n, 30n, 12n];
    assert.equal(
      unreadElsewhere([0, 1], ends, moved, commits),
      0n,
      "a member is committing partition 3: read",
    );
    assert.equal(
      unreadElsewhere([2, 3], ends, [10n, 9n, 30n, -1n], commits),
      0n,
      "partition 1's commit moved: its reader is at work",
    );
    assert.equal(
      unreadElsewhere([1], ends, [10n, 5n, 31n, -1n], [10n, 7n, 31n, -1n]),
      40n,
      "only the commits of partitions it does not hold count as movement",
    );
  });
});
