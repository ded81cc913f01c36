import assert from "node:assert/strict";
import { test } from "node:test";
import { backtest } from "../../src/activity/backtest.js";
import type { Forecaster } from "../../src/activity/forecasters/types.js";
import {
  fromJsonl,
  mergePartition,
  partitionByUtcDate,
  toJsonl,
  withoutText,
} from "../../src/activity/history.js";
import { mae, pitShareInside, rmse, smape } from "../../src/activity/metrics.js";
import { bucketLocalHours, dayCounts, hourlySeries } from "../../src/activity/series.js";
import type { MessageRecord } from "../../src/activity/types.js";
import { localDayRange, zonedMidnight, zoneOffsetSeconds } from "../../src/activity/zone.js";

const utc = (iso: string) => Date.parse(iso) / 1000;

test("zone offsets and local midnights across Europe/Berlin DST", () => {
  assert.equal(zoneOffsetSeconds(utc("2024-03-30T12:00:00Z"), "Europe/Berlin"), 3600);
  assert.equal(zoneOffsetSeconds(utc("2024-03-31T12:00:00Z"), "Europe/Berlin"), 7200);
  assert.equal(zonedMidnight("2024-03-31", "Europe/Berlin"), utc("2024-03-30T23:00:00Z"));
  assert.equal(zonedMidnight("2024-04-01", "Europe/Berlin"), utc("2024-03-31T22:00:00Z"));
  assert.equal(zonedMidnight("2024-05-01", "Asia/Kolkata"), utc("2024-04-30T18:30:00Z"));
  const r = localDayRange("2024-10-27", "Europe/Berlin");
  assert.equal((r.to - r.from) / 3600, 25);
});

test("hourly series has 23 and 25 buckets on Berlin's DST days and counts in the right local hour", () => {
  const messages = [
    utc("2024-03-31T00:30:00Z"), // 01:30 CET, before the jump
    utc("2024-03-31T01:30:00Z"), // 03:30 CEST, the jump skipped 02:00–03:00
    utc("2024-10-27T00:15:00Z"), // 02:15 CEST, first pass
    utc("2024-10-27T01:15:00Z"), // 02:15 CET, second pass
    utc("2024-10-27T01:20:00Z"),
    utc("2024-10-28T12:00:00Z"), // outside the window
  ];
  const spring = hourlySeries(messages, {
    zone: "Europe/Berlin",
    firstDay: "2024-03-30",
    lastDay: "2024-04-01",
  });
  assert.deepEqual([...spring.dayStarts], [0, 24, 47, 71]);
  const march31 = dayCounts(spring, "2024-03-31");
  assert.equal(march31.length, 23);
  assert.equal(march31[1], 1);
  assert.equal(march31[2], 1);
  assert.deepEqual([...bucketLocalHours(spring, 24, 28)], [0, 1, 3, 4]);

  const autumn = hourlySeries(messages, {
    zone: "Europe/Berlin",
    firstDay: "2024-10-27",
    lastDay: "2024-10-27",
  });
  assert.equal(autumn.counts.length, 25);
  assert.deepEqual([...autumn.counts.subarray(0, 5)], [0, 0, 1, 2, 0]);
  assert.deepEqual([...bucketLocalHours(autumn, 0, 5)], [0, 1, 2, 2, 3]);
  assert.equal(
    autumn.counts.reduce((a, b) => a + b, 0),
    3,
  );
});

test("UTC series cuts days like the seed", () => {
  const s = hourlySeries([utc("2024-01-01T23:59:59Z"), utc("2024-01-02T00:00:00Z")], {
    zone: "UTC",
    firstDay: "2024-01-01",
    lastDay: "2024-01-02",
  });
  assert.equal(s.counts[23], 1);
  assert.equal(s.counts[24], 1);
});

const rec = (messageId: number, timestamp: number, chatId = "c"): MessageRecord => ({
  chatId,
  messageId,
  timestamp,
});

test("partitions merge with de-duplication by (chat, id), newest copy winning, sorted by time", () => {
  const existing = [rec(2, 200), rec(1, 100)];
  const incoming = [{ ...rec(2, 200), senderId: "user9" }, rec(3, 150), rec(1, 100, "other")];
  const merged = mergePartition(existing, incoming);
  assert.deepEqual(
    merged.map((r) => [r.chatId, r.messageId]),
    [
      ["c", 1],
      ["other", 1],
      ["c", 3],
      ["c", 2],
    ],
  );
  assert.equal(merged[3]!.senderId, "user9");
  assert.deepEqual(mergePartition(merged, incoming), merged);
});

test("partitions are UTC dates; JSONL round-trips; text is dropped on request", () => {
  const parts = partitionByUtcDate([
    rec(1, utc("2024-01-02T00:00:00Z")),
    rec(2, utc("2024-01-01T23:59:59Z")),
  ]);
  assert.deepEqual([...parts.keys()], ["2024-01-01", "2024-01-02"]);
  const records = [{ ...rec(1, 5), senderId: "u", text: "hi" }, rec(2, 6)];
  assert.deepEqual(fromJsonl(toJsonl(records)), records);
  assert.deepEqual(withoutText(records)[0], { chatId: "c", messageId: 1, timestamp: 5, senderId: "u" });
  assert.throws(() => fromJsonl('{"chatId":"c"}\n'), /line 1/);
});

test("metrics: the seed's sMAPE with 0/0 = 0, MAE, RMSE", () => {
  assert.equal(smape([0, 0, 2, 0], [0, 1, 2, 0]), 0.5);
  assert.equal(smape([1, 3], [3, 1]), 1);
  assert.equal(mae([1, 2, 3], [2, 2, 2]), 2 / 3);
  assert.equal(rmse([0, 0], [3, 4]), Math.sqrt(12.5));
  // Randomized PIT of a count: uniform on [F(y−1), F(y)] = [0.05, 0.45]; 0.35 of that width in [0.1, 0.9].
  assert.ok(Math.abs(pitShareInside(0.05, 0.45, 0.1, 0.9) - 0.875) < 1e-12);
});

test("backtest fits only on data before each origin and scores every model", () => {
  const series = Float64Array.from({ length: 24 * 10 }, (_, i) => i % 24);
  const seenLengths: number[] = [];
  const spy: Forecaster = {
    name: "spy",
    fit(history) {
      seenLengths.push(history.length);
      const last = history[history.length - 1]!;
      return {
        forecast: (h = 24) => ({
          mean: new Float64Array(h).fill(last),
          median: new Float64Array(h),
          quantiles: [],
        }),
      };
    },
  };
  const dayStarts = Int32Array.from({ length: 11 }, (_, d) => 24 * d);
  const result = backtest(series, [spy], { days: 3, dayStarts });
  assert.deepEqual(seenLengths, [168, 192, 216]);
  const score = result.scores[0]!;
  assert.equal(score.hours, 72);
  assert.equal(score.mae, 11.5);
  // Daily totals: actual 276 each; expected 23 · 24 = 552 → sMAPE 2·276/828.
  assert.ok(Math.abs(score.dailySmape - 2 / 3) < 1e-12);
  assert.equal(result.chosen, "spy");
  assert.throws(() => backtest(series, [spy], { days: 11, dayStarts }), /series has 10/);
});
