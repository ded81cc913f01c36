import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { sep } from "node:path";
import { test } from "node:test";
import { GlobalFonts } from "@napi-rs/canvas";
import { niceTicks } from "../../src/charts/confusion-matrix-layout.js";
import { CHART_FONT_FAMILY, CHART_FONT_FILES, chartFont } from "../../src/charts/font.js";
import { relativeLuminance, sequentialBlue, textColorOver } from "../../src/charts/palette.js";
import { ellipsize, measuringContext, wrapText } from "../../src/charts/text-wrap.js";

test("the chart font is registered from the npm package under its own family, regular and bold", () => {
  assert.ok(GlobalFonts.has(CHART_FONT_FAMILY));
  const family = GlobalFonts.families.find((entry) => entry.family === CHART_FONT_FAMILY);
  assert.ok(family, `${CHART_FONT_FAMILY} missing from GlobalFonts.families`);
  const weights = new Set(family.styles.map((style) => style.weight));
  assert.ok(weights.has(400) && weights.has(700), `weights: ${[...weights].join(", ")}`);
  for (const file of CHART_FONT_FILES) {
    assert.ok(file.includes(`node_modules${sep}dejavu-fonts-ttf${sep}`), file);
    assert.ok(existsSync(file), file);
  }
});

test("text in the chart font has real glyph widths, and bold is wider than regular", () => {
  const regular = measuringContext(chartFont(15)).measureText("Credit card / Prepaid card").width;
  const bold = measuringContext(chartFont(15, "bold")).measureText("Credit card / Prepaid card").width;
  // DejaVu Sans at 15 px: about 7.5 px per character for this text.
  assert.ok(regular > 170 && regular < 220, `regular width ${regular}`);
  assert.ok(bold > regular * 1.05, `bold ${bold} vs regular ${regular}`);
});

test("wrapText breaks after spaces and slashes and keeps every line within the width", () => {
  const measurer = measuringContext(chartFont(15));
  const width =
    Math.max(measurer.measureText("Credit card /").width, measurer.measureText("Prepaid card").width) + 1;
  assert.deepEqual(wrapText(measurer, "Credit card / Prepaid card", width), [
    "Credit card /",
    "Prepaid card",
  ]);
  const slashWidth =
    Math.max(measurer.measureText("Theft/").width, measurer.measureText("Dispute").width) + 1;
  assert.deepEqual(wrapText(measurer, "Theft/Dispute", slashWidth), ["Theft/", "Dispute"]);
  for (const line of wrapText(
    measurer,
    "Checking or savings account, money transfer, virtual currency",
    90,
  )) {
    assert.ok(measurer.measureText(line).width <= 90, line);
  }
  assert.deepEqual(wrapText(measurer, "Others", 500), ["Others"]);
});

test("wrapText cuts a word wider than the line between characters", () => {
  const measurer = measuringContext(chartFont(15));
  const width = measurer.measureText("abcd").width + 0.5;
  const lines = wrapText(measurer, "abcdefghij", width);
  assert.deepEqual(lines, ["abcd", "efgh", "ij"]);
});

test("wrapText with maxLines ends the last kept line in an ellipsis that fits", () => {
  const measurer = measuringContext(chartFont(15));
  const width = 120;
  const lines = wrapText(
    measurer,
    "Payday loan, title loan, personal loan, and other consumer credit",
    width,
    2,
  );
  assert.equal(lines.length, 2);
  assert.ok(lines[1]!.endsWith("…"), lines[1]);
  for (const line of lines) assert.ok(measurer.measureText(line).width <= width, line);
});

test("ellipsize leaves fitting text alone and shortens the rest to fit", () => {
  const measurer = measuringContext(chartFont(15));
  assert.equal(ellipsize(measurer, "Others", 200), "Others");
  const short = ellipsize(measurer, "Money transfer, virtual currency", 100);
  assert.ok(short.endsWith("…") && short.startsWith("Money"), short);
  assert.ok(measurer.measureText(short).width <= 100);
});

test("niceTicks: round steps from 0 to the maximum itself", () => {
  assert.deepEqual(niceTicks(1, false), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(niceTicks(872, true), [0, 250, 500, 872]);
  assert.deepEqual(niceTicks(1000, true), [0, 250, 500, 750, 1000]);
  assert.deepEqual(niceTicks(3, true), [0, 1, 2, 3]);
  assert.deepEqual(niceTicks(1, true), [0, 1]);
});

test("the heatmap ramp runs from near white to dark blue, darker with every step", () => {
  assert.deepEqual(sequentialBlue(0), [0xf7, 0xfb, 0xff]);
  assert.deepEqual(sequentialBlue(1), [0x08, 0x30, 0x6b]);
  assert.deepEqual(sequentialBlue(-3), sequentialBlue(0));
  assert.deepEqual(sequentialBlue(7), sequentialBlue(1));
  let previous = Number.POSITIVE_INFINITY;
  for (let k = 0; k <= 100; k++) {
    const luminance = relativeLuminance(sequentialBlue(k / 100));
    assert.ok(luminance < previous, `luminance not decreasing at ${k / 100}`);
    previous = luminance;
  }
  assert.equal(textColorOver(sequentialBlue(0)), "#222222");
  assert.equal(textColorOver(sequentialBlue(1)), "#FFFFFF");
});
