/**
 * A confusion matrix as a heatmap: true classes down, predicted classes across, each cell showing
 * its count (and, normalised, its share of the true class), shaded by a colour-blind-safe ramp
 * with a colour bar as its key.
 *
 * Drawn directly on the canvas rather than through chart.js: chart.js has no heatmap, and the
 * `chartjs-chart-matrix` plugin would still leave the cell texts, label wrapping and colour bar to
 * custom code, so a direct drawing is shorter and needs no extra dependency. It uses the same
 * font, colours and canvas helpers as the chart.js charts.
 */
import type { SKRSContext2D } from "@napi-rs/canvas";
import { createChartCanvas, toPng } from "./canvas.js";
import {
  COLORBAR_WIDTH,
  type ConfusionMatrixInput,
  type ConfusionMatrixLayout,
  FONT_SIZES,
  LABEL_LINE_HEIGHT,
  layoutConfusionMatrix,
  TITLE_LINE_HEIGHT,
} from "./confusion-matrix-layout.js";
import { chartFont } from "./font.js";
import {
  GRID_COLOR,
  rgbCss,
  SECONDARY_TEXT_COLOR,
  sequentialBlue,
  TEXT_COLOR,
  textColorOver,
} from "./palette.js";

export type { ConfusionMatrixInput } from "./confusion-matrix-layout.js";

const CELL_BORDER_COLOR = "#C8C8C8";

export function renderConfusionMatrix(input: ConfusionMatrixInput): Buffer {
  const layout = layoutConfusionMatrix(input);
  const { canvas, context } = createChartCanvas(layout.size);
  drawTitles(context, input, layout);
  drawCells(context, input, layout);
  drawRowLabels(context, layout);
  drawColumnLabels(context, layout);
  drawColorbar(context, input, layout);
  return toPng(canvas);
}

/**
 * What decides each cell's colour, in [0, 1]: its share of the row when normalised, else its count
 * over the largest count.
 */
export function cellIntensities(input: ConfusionMatrixInput): number[][] {
  if (input.normalize) {
    return input.matrix.map((row) => {
      const rowTotal = sum(row);
      return row.map((count) => (rowTotal === 0 ? 0 : count / rowTotal));
    });
  }
  const maxCount = Math.max(...input.matrix.flat());
  return input.matrix.map((row) => row.map((count) => (maxCount === 0 ? 0 : count / maxCount)));
}

function drawTitles(
  context: SKRSContext2D,
  input: ConfusionMatrixInput,
  layout: ConfusionMatrixLayout,
): void {
  const total = sum(input.matrix.flat());
  const correct = input.matrix.reduce((acc, row, index) => acc + row[index]!, 0);
  const accuracy = total === 0 ? "n/a" : `${((100 * correct) / total).toFixed(1)}%`;
  const subtitle = `${layout.n} classes · ${total.toLocaleString("en-US")} samples · accuracy ${accuracy}`;

  context.textAlign = "center";
  context.textBaseline = "top";
  context.fillStyle = TEXT_COLOR;
  context.font = chartFont(FONT_SIZES.title, "bold");
  layout.titleLines.forEach((line, k) => {
    context.fillText(line, layout.centerX, layout.titleY + k * TITLE_LINE_HEIGHT);
  });
  context.fillStyle = SECONDARY_TEXT_COLOR;
  context.font = chartFont(FONT_SIZES.subtitle);
  context.fillText(subtitle, layout.centerX, layout.subtitleY);

  const grid = layout.cellSize * layout.n;
  context.fillStyle = TEXT_COLOR;
  context.font = chartFont(FONT_SIZES.axisTitle, "bold");
  context.fillText("Predicted", layout.gridLeft + grid / 2, layout.predictedTitleY);
  drawRotatedTitle(context, "True", layout.trueTitleX, layout.gridTop + grid / 2);
}

function drawCells(context: SKRSContext2D, input: ConfusionMatrixInput, layout: ConfusionMatrixLayout): void {
  const { n, cellSize, gridLeft, gridTop } = layout;
  const intensities = cellIntensities(input);
  const texts = input.matrix.map((row, r) =>
    row.map((count, c) => ({
      count: count.toLocaleString("en-US"),
      share: input.normalize ? shareText(row, intensities[r]![c]!) : "",
    })),
  );
  const countFontSize = fittedFontSize(
    context,
    texts.flat().flatMap((text) => [text.count, text.share]),
    cellSize - 8,
    Math.max(11, Math.min(22, Math.round(cellSize * 0.26))),
  );
  const shareFontSize = Math.max(9, Math.round(countFontSize * 0.8));
  const lineGap = input.normalize ? (countFontSize + shareFontSize) / 2 + 1 : 0;

  context.textAlign = "center";
  context.textBaseline = "middle";
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const fill = sequentialBlue(intensities[r]![c]!);
      const x = gridLeft + c * cellSize;
      const y = gridTop + r * cellSize;
      context.fillStyle = rgbCss(fill);
      context.fillRect(x, y, cellSize, cellSize);
      const centerX = x + cellSize / 2;
      const centerY = y + cellSize / 2;
      context.fillStyle = textColorOver(fill);
      context.font = chartFont(countFontSize, "bold");
      context.fillText(texts[r]![c]!.count, centerX, centerY - lineGap / 2);
      if (input.normalize) {
        context.font = chartFont(shareFontSize);
        context.fillText(texts[r]![c]!.share, centerX, centerY + lineGap / 2);
      }
    }
  }

  // Thin separators so neighbouring cells of similar shade stay distinct, and a frame.
  context.strokeStyle = CELL_BORDER_COLOR;
  context.lineWidth = 1;
  context.beginPath();
  for (let k = 0; k <= n; k++) {
    const offset = k * cellSize + 0.5;
    context.moveTo(gridLeft + offset, gridTop);
    context.lineTo(gridLeft + offset, gridTop + n * cellSize);
    context.moveTo(gridLeft, gridTop + offset);
    context.lineTo(gridLeft + n * cellSize, gridTop + offset);
  }
  context.stroke();
}

function drawRowLabels(context: SKRSContext2D, layout: ConfusionMatrixLayout): void {
  context.fillStyle = TEXT_COLOR;
  context.font = chartFont(FONT_SIZES.label);
  context.textAlign = "right";
  context.textBaseline = "middle";
  layout.rowLabelLines.forEach((lines, r) => {
    const centerY = layout.gridTop + (r + 0.5) * layout.cellSize;
    const firstY = centerY - ((lines.length - 1) * LABEL_LINE_HEIGHT) / 2;
    lines.forEach((line, k) => {
      context.fillText(line, layout.rowLabelRight, firstY + k * LABEL_LINE_HEIGHT);
    });
  });
}

function drawColumnLabels(context: SKRSContext2D, layout: ConfusionMatrixLayout): void {
  context.fillStyle = TEXT_COLOR;
  context.font = chartFont(FONT_SIZES.label);
  layout.columnLabelLines.forEach((lines, c) => {
    const centerX = layout.gridLeft + (c + 0.5) * layout.cellSize;
    if (layout.columnLabelsRotated) {
      // Text ends at its column and runs down-left at 45°.
      context.save();
      context.translate(centerX, layout.columnLabelTop);
      context.rotate(-Math.PI / 4);
      context.textAlign = "right";
      context.textBaseline = "middle";
      context.fillText(lines[0]!, 0, 0);
      context.restore();
      return;
    }
    context.textAlign = "center";
    context.textBaseline = "top";
    lines.forEach((line, k) => {
      context.fillText(line, centerX, layout.columnLabelTop + k * LABEL_LINE_HEIGHT);
    });
  });
}

function drawColorbar(
  context: SKRSContext2D,
  input: ConfusionMatrixInput,
  layout: ConfusionMatrixLayout,
): void {
  const top = layout.gridTop;
  const height = layout.cellSize * layout.n;
  const left = layout.colorbarLeft;
  // One-pixel rows from dark (top, maximum) to light (bottom, zero).
  for (let y = 0; y < height; y++) {
    context.fillStyle = rgbCss(sequentialBlue(1 - y / (height - 1)));
    context.fillRect(left, top + y, COLORBAR_WIDTH, 1);
  }
  context.strokeStyle = GRID_COLOR;
  context.strokeRect(left + 0.5, top + 0.5, COLORBAR_WIDTH - 1, height - 1);

  context.fillStyle = SECONDARY_TEXT_COLOR;
  context.strokeStyle = SECONDARY_TEXT_COLOR;
  context.font = chartFont(FONT_SIZES.colorbarTick);
  context.textAlign = "left";
  context.textBaseline = "middle";
  for (const tick of layout.colorbarTicks) {
    const y = Math.round(top + height - (tick.value / layout.colorbarMax) * (height - 1)) - 0.5;
    context.beginPath();
    context.moveTo(left + COLORBAR_WIDTH, y);
    context.lineTo(left + COLORBAR_WIDTH + 5, y);
    context.stroke();
    context.fillText(tick.text, left + COLORBAR_WIDTH + 8, y);
  }

  context.fillStyle = TEXT_COLOR;
  context.font = chartFont(FONT_SIZES.label, "bold");
  const title = input.normalize ? "Share of true class" : "Count";
  drawRotatedTitle(context, title, layout.colorbarTitleX, top + height / 2);
}

function drawRotatedTitle(context: SKRSContext2D, text: string, x: number, centerY: number): void {
  context.save();
  context.translate(x, centerY);
  context.rotate(-Math.PI / 2);
  context.textAlign = "center";
  context.textBaseline = "middle";
  context.fillText(text, 0, 0);
  context.restore();
}

function shareText(row: readonly number[], share: number): string {
  return sum(row) === 0 ? "–" : `${(100 * share).toFixed(1)}%`;
}

/** The largest size ≤ `preferred` (down to 9 px) at which every text fits `maxWidth` in bold. */
function fittedFontSize(
  context: SKRSContext2D,
  texts: string[],
  maxWidth: number,
  preferred: number,
): number {
  for (let size = preferred; size > 9; size--) {
    context.font = chartFont(size, "bold");
    if (texts.every((text) => context.measureText(text).width <= maxWidth)) return size;
  }
  return 9;
}

function sum(values: readonly number[]): number {
  return values.reduce((acc, value) => acc + value, 0);
}
