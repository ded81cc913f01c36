import assert from "node:assert/strict";
import { test } from "node:test";
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { renderActivityDay } from "../../src/charts/activity-day.js";
import { renderConfusionMatrix } from "../../src/charts/confusion-matrix.js";
import { layoutConfusionMatrix } from "../../src/charts/confusion-matrix-layout.js";
import { renderForecast } from "../../src/charts/forecast.js";
import { renderTopicSizes } from "../../src/charts/topic-sizes.js";
import { departments } from "../../src/tickets/generator/generate.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, after checking the PNG signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE, "PNG signature");
  assert.equal(png.toString("latin1", 12, 16), "IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

async function decode(png: Buffer): Promise<Pixels> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  return {
    width: image.width,
    height: image.height,
    data: context.getImageData(0, 0, image.width, image.height).data,
  };
}

function rgbAt(pixels: Pixels, x: number, y: number): [number, number, number] {
  const offset = (y * pixels.width + x) * 4;
  return [pixels.data[offset]!, pixels.data[offset + 1]!, pixels.data[offset + 2]!];
}

/** Rows (y) of the pixels that differ between two same-sized images. */
function differingRows(a: Pixels, b: Pixels): number[] {
  assert.equal(a.width, b.width);
  assert.equal(a.height, b.height);
  const rows: number[] = [];
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const offset = (y * a.width + x) * 4;
      if (
        a.data[offset] !== b.data[offset] ||
        a.data[offset + 1] !== b.data[offset + 1] ||
        a.data[offset + 2] !== b.data[offset + 2]
      ) {
        rows.push(y);
      }
    }
  }
  return rows;
}

/** Pixels within `tolerance` per channel of `color`, in an optional band of rows. */
function countColor(
  pixels: Pixels,
  color: readonly number[],
  tolerance: number,
  fromY = 0,
  toY = pixels.height,
) {
  let count = 0;
  for (let y = fromY; y < toY; y++) {
    for (let x = 0; x < pixels.width; x++) {
      const [r, g, b] = rgbAt(pixels, x, y);
      if (
        Math.abs(r - color[0]!) <= tolerance &&
        Math.abs(g - color[1]!) <= tolerance &&
        Math.abs(b - color[2]!) <= tolerance
      ) {
        count++;
      }
    }
  }
  return count;
}

/** Pixels clearly darker than the white background (text, lines, fills) in a band of rows. */
function countInk(pixels: Pixels, fromY: number, toY: number): number {
  let count = 0;
  for (let y = fromY; y < toY; y++) {
    for (let x = 0; x < pixels.width; x++) {
      const [r, g, b] = rgbAt(pixels, x, y);
      if (r + g + b < 3 * 160) count++;
    }
  }
  return count;
}

const luminance = ([r, g, b]: [number, number, number]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

/** The seed taxonomy's five topics. */
const SEED_TOPICS: string[] = [...departments];
const CONFUSION = [
  [1182, 41, 63, 12, 17],
  [38, 1004, 71, 9, 0],
  [57, 66, 1091, 25, 31],
  [14, 8, 21, 893, 15],
  [29, 34, 40, 19, 376],
];
const PROFILE = [2, 1, 1, 0, 0, 1, 3, 8, 18, 30, 36, 34, 27, 31, 35, 33, 28, 22, 16, 12, 9, 7, 5, 3];
const hourLabel = (hour: number) => String(hour).padStart(2, "0");

function activityDay(title: string, timeZone = "Europe/Moscow", withForecast = true): Buffer {
  return renderActivityDay({
    title,
    timeZone,
    subtitle: "sMAPE 21.4% · MAE 3.1",
    intervalLabel: "80% band",
    hours: PROFILE.map((count, hour) => ({
      label: hourLabel(hour),
      actual: count + (hour % 3),
      ...(withForecast
        ? { forecast: { mean: count, median: Math.floor(0.8 * count), band: [0.5 * count, 1.6 * count + 2] } }
        : {}),
    })),
  });
}

function forecast(title: string, withInterval = true): Buffer {
  return renderForecast({
    title,
    intervalLabel: "80% interval",
    hours: PROFILE.map((median, hour) => ({
      label: hourLabel(hour),
      mean: median + 0.5,
      median,
      ...(withInterval ? { band: [median * 0.6, median * 1.5 + 2] as [number, number], pActive: 0.9 } : {}),
    })),
  });
}

function topicSizes(title: string, topics = SEED_TOPICS.map((name, k) => ({ name, size: 1000 * (k + 1) }))) {
  return renderTopicSizes({ title, topics });
}

function confusionMatrix(title: string, normalize = false, labels = SEED_TOPICS): Buffer {
  return renderConfusionMatrix({ labels, matrix: CONFUSION, title, normalize });
}

const charts: { name: string; render: (title: string) => Buffer; width: number; titleBottom: number }[] = [
  // Laid out 600 wide for a phone, drawn at twice the pixels.
  { name: "activity day", render: (title) => activityDay(title), width: 1200, titleBottom: 80 },
  { name: "forecast", render: (title) => forecast(title), width: 1200, titleBottom: 80 },
  { name: "topic sizes", render: (title) => topicSizes(title), width: 1200, titleBottom: 45 },
  {
    name: "confusion matrix",
    render: (title) => confusionMatrix(title, true),
    width: layoutConfusionMatrix({ labels: SEED_TOPICS, matrix: CONFUSION, title: "x" }).size.width,
    titleBottom: layoutConfusionMatrix({ labels: SEED_TOPICS, matrix: CONFUSION, title: "x" }).subtitleY,
  },
];

for (const chart of charts) {
  test(`${chart.name}: a valid PNG of the expected size, byte-identical on every render`, () => {
    const first = chart.render("Chat activity on 2024-05-13");
    const size = pngSize(first);
    assert.equal(size.width, chart.width);
    assert.ok(size.height >= 400 && size.height <= 1400, `height ${size.height}`);
    assert.ok(first.equals(chart.render("Chat activity on 2024-05-13")), "same input, different bytes");
  });

  test(`${chart.name}: the title is drawn, and changing its text changes only the title band`, async () => {
    const a = await decode(chart.render("Chat activity on 2024-05-13"));
    const b = await decode(chart.render("Chat activity on 2024-05-14"));
    // A 24 px bold title leaves hundreds of dark pixels; invisible text leaves none.
    assert.ok(countInk(a, 0, chart.titleBottom) > 500, `title ink ${countInk(a, 0, chart.titleBottom)}`);
    const rows = differingRows(a, b);
    assert.ok(rows.length > 50, `only ${rows.length} pixels differ between the two titles`);
    assert.ok(Math.max(...rows) < chart.titleBottom, `a pixel differs at y=${Math.max(...rows)}`);
  });
}

test("activity day: the hour-axis title names the time zone, drawn at the bottom", async () => {
  const moscow = await decode(activityDay("Activity", "Europe/Moscow"));
  const tokyo = await decode(activityDay("Activity", "Asia/Tokyo"));
  const rows = differingRows(moscow, tokyo);
  assert.ok(rows.length > 50, `only ${rows.length} pixels differ`);
  assert.ok(Math.min(...rows) > moscow.height - 90, `a pixel differs at y=${Math.min(...rows)}`);
});

test("activity day: actual bars in sky blue, the expected counts in vermillion only when forecast", async () => {
  const skyBlue = [0x56, 0xb4, 0xe9];
  const vermillion = [0xd5, 0x5e, 0x00];
  const withForecast = await decode(activityDay("Activity"));
  const withoutForecast = await decode(activityDay("Activity", "Europe/Moscow", false));
  assert.ok(countColor(withForecast, skyBlue, 4) > 20_000);
  assert.ok(countColor(withForecast, vermillion, 10) > 2_000);
  assert.equal(countColor(withoutForecast, vermillion, 10), 0);
});

test("forecast: the interval band is shaded between low and high", async () => {
  // 20% Okabe–Ito blue over white.
  const band = [204, 227, 240];
  const wide = await decode(forecast("Forecast"));
  const none = await decode(forecast("Forecast", false));
  const legendBox = 34 * 14 * 4;
  assert.ok(countColor(wide, band, 4) > 40_000, `band pixels ${countColor(wide, band, 4)}`);
  assert.ok(countColor(none, band, 4) <= legendBox * 1.5, `band pixels ${countColor(none, band, 4)}`);
});

test("topic sizes: bars sorted largest first, lengths proportional to the sizes", async () => {
  const sizes = [1000, 4000, 2500, 500, 3000];
  const topics = sizes.map((size, k) => ({ name: SEED_TOPICS[k]!, size }));
  const pixels = await decode(topicSizes("Topics", topics));
  const barColor = [0x00, 0x72, 0xb2];
  // Each bar is a run of rows holding bar-coloured pixels; its length is the widest row.
  const lengths: number[] = [];
  let inBar = false;
  for (let y = 0; y < pixels.height; y++) {
    const width = countColor({ ...pixels }, barColor, 2, y, y + 1);
    if (width > 0 && !inBar) lengths.push(0);
    if (width > 0) lengths[lengths.length - 1] = Math.max(lengths[lengths.length - 1]!, width);
    inBar = width > 0;
  }
  const expected = [...sizes].sort((a, b) => b - a);
  assert.equal(lengths.length, expected.length, `bars found: ${lengths.join(", ")}`);
  for (let k = 0; k < expected.length; k++) {
    const ratio = lengths[k]! / lengths[0]!;
    assert.ok(Math.abs(ratio - expected[k]! / expected[0]!) < 0.01, `bar ${k}: ratio ${ratio}`);
  }
});

test("confusion matrix: the largest count's cell is darker than a zero cell, with light text on it", async () => {
  for (const normalize of [false, true]) {
    const input = { labels: SEED_TOPICS, matrix: CONFUSION, title: "Classifier", normalize };
    const layout = layoutConfusionMatrix(input);
    const pixels = await decode(renderConfusionMatrix(input));
    // Sample near a cell's corner, away from its text and the separators.
    const cellPixel = (row: number, column: number) =>
      rgbAt(
        pixels,
        layout.gridLeft + column * layout.cellSize + 5,
        layout.gridTop + row * layout.cellSize + 5,
      );
    const largest = luminance(cellPixel(0, 0)); // 1,182
    const zero = luminance(cellPixel(1, 4)); // 0
    assert.ok(largest < 100, `largest cell luminance ${largest}`);
    assert.ok(zero > 240, `zero cell luminance ${zero}`);
    const top = layout.gridTop;
    const cellText = countColor(pixels, [255, 255, 255], 30, top, top + layout.cellSize);
    assert.ok(cellText > 50, `light text pixels in the first row ${cellText}`);
  }
});

test("confusion matrix: class names are drawn, wrapped to their cells", async () => {
  // A short name, so the row label column keeps its width and the two images stay aligned.
  const renamed = SEED_TOPICS.map((label, k) => (k === 4 ? "Other" : label));
  const layout = layoutConfusionMatrix({ labels: SEED_TOPICS, matrix: CONFUSION, title: "C" });
  assert.deepEqual(layout.columnLabelLines[1], ["Credit card /", "Prepaid card"]);
  assert.equal(layout.columnLabelsRotated, false);
  const a = await decode(confusionMatrix("C"));
  const b = await decode(confusionMatrix("C", false, renamed));
  const rows = differingRows(a, b);
  const gridBottom = layout.gridTop + layout.cellSize * layout.n;
  // The row label (left of row 4) and the column label (under the grid) changed, nothing else.
  const row4Top = layout.gridTop + 4 * layout.cellSize;
  assert.ok(rows.some((y) => y > row4Top && y < gridBottom));
  assert.ok(rows.some((y) => y > gridBottom));
  assert.ok(rows.every((y) => y > row4Top && y < layout.predictedTitleY));
});

test("confusion matrix: many classes rotate the column labels and keep them on the canvas", () => {
  const labels = Array.from({ length: 14 }, (_, k) => `Payday loan, title loan, personal loan ${k}`);
  const matrix = labels.map((_, r) => labels.map((__, c) => (r === c ? 100 : 3)));
  const layout = layoutConfusionMatrix({ labels, matrix, title: "Many" });
  assert.equal(layout.columnLabelsRotated, true);
  assert.ok(layout.gridLeft > 0 && layout.size.height > layout.columnLabelTop);
  assert.ok(pngSize(renderConfusionMatrix({ labels, matrix, title: "Many" })).width === layout.size.width);
});

test("bad input is refused with a clear error", () => {
  assert.throws(
    () => renderConfusionMatrix({ labels: ["a", "b"], matrix: [[1, 2]], title: "x" }),
    /must be 2×2/,
  );
  assert.throws(() => renderConfusionMatrix({ labels: ["a"], matrix: [[-1]], title: "x" }), /non-negative/);
  assert.throws(() => renderTopicSizes({ title: "x", topics: [] }), /at least one topic/);
  assert.throws(
    () =>
      renderForecast({
        title: "x",
        intervalLabel: "80%",
        hours: [{ label: "00", mean: 5, median: 5, band: [7, 6] }],
      }),
    /low ≤ high/,
  );
  assert.throws(
    () => renderActivityDay({ title: "x", timeZone: "UTC", hours: [{ label: "00", actual: Number.NaN }] }),
    /finite/,
  );
});

test("forecast: the chance of any message is an orange line, drawn only when the model gives it", async () => {
  const orange = [0xe6, 0x9f, 0x00];
  const withChance = await decode(forecast("Forecast"));
  const without = await decode(forecast("Forecast", false));
  assert.ok(countColor(withChance, orange, 10) > 2_000, `orange ${countColor(withChance, orange, 10)}`);
  assert.equal(countColor(without, orange, 10), 0);
});
