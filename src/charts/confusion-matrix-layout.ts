/**
 * Where everything of a confusion-matrix heatmap goes: measured from the real label texts in the
 * chart font, so long class names wrap (or, with many classes, rotate) instead of overlapping.
 */
import type { ChartSize } from "./canvas.js";
import { chartFont } from "./font.js";
import { ellipsize, measuringContext, wrapText } from "./text-wrap.js";

export interface ConfusionMatrixInput {
  labels: string[];
  /** matrix[t][p]: how many samples of true class t were predicted as class p. */
  matrix: number[][];
  title: string;
  /** Also show each cell's share of its true class (row) and colour cells by that share. */
  normalize?: boolean;
}

export const FONT_SIZES = { title: 24, subtitle: 16, axisTitle: 18, label: 15, colorbarTick: 14 } as const;
export const LABEL_LINE_HEIGHT = 19;
export const TITLE_LINE_HEIGHT = 30;
export const COLORBAR_WIDTH = 22;

const MARGIN = 32;
const GRID_TARGET = 720;
const MIN_CELL = 40;
const MAX_CELL = 150;
const ROW_LABEL_MAX_WIDTH = 250;
const ROTATED_LABEL_MAX_WIDTH = 260;
// Below this cell width, column labels are rotated 45° rather than wrapped under their cell.
const MIN_CELL_FOR_WRAPPED_COLUMNS = 96;
const LABEL_GAP = 12;
const AXIS_TITLE_BAND = 26;
const COLORBAR_GAP = 36;
const TITLE_WRAP_WIDTH = 1200;

export interface ConfusionMatrixLayout {
  size: ChartSize;
  n: number;
  cellSize: number;
  gridLeft: number;
  gridTop: number;
  titleLines: string[];
  titleY: number;
  subtitleY: number;
  /** x of the rotated "True" axis title's centre line. */
  trueTitleX: number;
  /** y of the "Predicted" axis title's top. */
  predictedTitleY: number;
  rowLabelLines: string[][];
  /** Right edge of the row labels. */
  rowLabelRight: number;
  columnLabelLines: string[][];
  columnLabelsRotated: boolean;
  columnLabelTop: number;
  colorbarLeft: number;
  colorbarTicks: { value: number; text: string }[];
  /** Value at the top of the colour bar (1 for shares, the largest count otherwise). */
  colorbarMax: number;
  colorbarTitleX: number;
  centerX: number;
}

export function validateConfusionMatrix({ labels, matrix }: ConfusionMatrixInput): void {
  const n = labels.length;
  if (n === 0) throw new RangeError("charts: a confusion matrix needs at least one class");
  if (matrix.length !== n || matrix.some((row) => row.length !== n)) {
    throw new RangeError(`charts: confusion matrix must be ${n}×${n} for ${n} labels`);
  }
  for (const row of matrix) {
    for (const count of row) {
      if (!Number.isFinite(count) || count < 0) {
        throw new RangeError(`charts: confusion matrix counts must be finite and non-negative, got ${count}`);
      }
    }
  }
}

export function layoutConfusionMatrix(input: ConfusionMatrixInput): ConfusionMatrixLayout {
  validateConfusionMatrix(input);
  const n = input.labels.length;
  const cellSize = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(GRID_TARGET / n)));
  const grid = cellSize * n;
  const labelMeasurer = measuringContext(chartFont(FONT_SIZES.label));

  const rowMaxLines = Math.max(1, Math.min(3, Math.floor(cellSize / LABEL_LINE_HEIGHT)));
  const rowLabelLines = input.labels.map((label) =>
    wrapText(labelMeasurer, label, ROW_LABEL_MAX_WIDTH, rowMaxLines),
  );
  const rowLabelWidth = maxLineWidth(labelMeasurer, rowLabelLines);

  const columnLabelsRotated = cellSize < MIN_CELL_FOR_WRAPPED_COLUMNS;
  const columnLabelLines = columnLabelsRotated
    ? input.labels.map((label) => [ellipsize(labelMeasurer, label, ROTATED_LABEL_MAX_WIDTH)])
    : input.labels.map((label) => wrapText(labelMeasurer, label, cellSize - 12, 3));
  const rotatedExtent = columnLabelsRotated
    ? maxLineWidth(labelMeasurer, columnLabelLines) * Math.SQRT1_2 + LABEL_LINE_HEIGHT
    : 0;
  const columnLabelHeight = columnLabelsRotated
    ? rotatedExtent
    : Math.max(...columnLabelLines.map((lines) => lines.length)) * LABEL_LINE_HEIGHT;

  const normalize = input.normalize === true;
  const maxCount = Math.max(0, ...input.matrix.flat());
  const colorbarMax = normalize ? 1 : Math.max(maxCount, 1);
  const colorbarTicks = niceTicks(colorbarMax, !normalize).map((value) => ({
    value,
    text: normalize ? `${Math.round(value * 100)}%` : value.toLocaleString("en-US"),
  }));
  const tickMeasurer = measuringContext(chartFont(FONT_SIZES.colorbarTick));
  const tickWidth = Math.max(...colorbarTicks.map((tick) => tickMeasurer.measureText(tick.text).width));

  // Horizontal: "True" title | row labels | grid | colour bar, ticks, colour bar title.
  const trueTitleX = MARGIN + AXIS_TITLE_BAND / 2;
  const labelsLeft = MARGIN + AXIS_TITLE_BAND + LABEL_GAP;
  const gridLeftMin = labelsLeft + rowLabelWidth + LABEL_GAP;
  // Rotated column labels run down-left from their column; keep the first one on the canvas.
  const gridLeft = Math.ceil(Math.max(gridLeftMin, MARGIN + rotatedExtent - cellSize / 2));
  const colorbarLeft = gridLeft + grid + COLORBAR_GAP;
  const colorbarTitleX = colorbarLeft + COLORBAR_WIDTH + 8 + tickWidth + 8 + AXIS_TITLE_BAND / 2;
  const contentRight = colorbarTitleX + AXIS_TITLE_BAND / 2 + MARGIN;

  const titleMeasurer = measuringContext(chartFont(FONT_SIZES.title, "bold"));
  // A long title widens the image up to the usual chart width, then wraps.
  const titleMaxWidth = Math.max(contentRight, TITLE_WRAP_WIDTH) - 2 * MARGIN;
  const titleLines = wrapText(titleMeasurer, input.title, titleMaxWidth);
  const titleWidth = maxLineWidth(titleMeasurer, [titleLines]) + 2 * MARGIN;
  const width = Math.ceil(Math.max(contentRight, titleWidth));
  // A title wider than the content centres the content under it.
  const shift = Math.floor((width - contentRight) / 2);

  // Vertical: title, subtitle, grid, column labels, "Predicted" title.
  const titleY = MARGIN;
  const subtitleY = titleY + titleLines.length * TITLE_LINE_HEIGHT + 4;
  const gridTop = subtitleY + FONT_SIZES.subtitle + 28;
  const columnLabelTop = gridTop + grid + LABEL_GAP;
  const predictedTitleY = columnLabelTop + columnLabelHeight + LABEL_GAP;
  const height = Math.ceil(predictedTitleY + FONT_SIZES.axisTitle + 8 + MARGIN);

  return {
    size: { width, height },
    n,
    cellSize,
    titleLines,
    gridLeft: gridLeft + shift,
    gridTop,
    titleY,
    subtitleY,
    trueTitleX: trueTitleX + shift,
    predictedTitleY,
    rowLabelLines,
    rowLabelRight: gridLeft + shift - LABEL_GAP,
    columnLabelLines,
    columnLabelsRotated,
    columnLabelTop,
    colorbarLeft: colorbarLeft + shift,
    colorbarTicks,
    colorbarMax,
    colorbarTitleX: colorbarTitleX + shift,
    centerX: width / 2,
  };
}

function maxLineWidth(
  measurer: { measureText(text: string): { width: number } },
  labels: string[][],
): number {
  let widest = 0;
  for (const lines of labels) {
    for (const line of lines) widest = Math.max(widest, measurer.measureText(line).width);
  }
  return Math.ceil(widest);
}

/**
 * 0, max and round steps (1, 2, 2.5 or 5 × 10^k) between them, at most five steps; whole steps
 * only when `integerSteps` (counts).
 */
export function niceTicks(max: number, integerSteps: boolean): number[] {
  const rawStep = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const niceStep = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rawStep)!;
  const step = integerSteps ? Math.max(1, Math.ceil(niceStep)) : niceStep;
  const ticks: number[] = [];
  // Whole multiples only, rounded to the step's precision so 0.1 × 3 prints as 0.3.
  for (let k = 0; k * step < max - step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)));
  // The top tick is max itself; drop the step before it when the two would crowd each other.
  if (ticks.length > 1 && max - ticks[ticks.length - 1]! < step / 2) ticks.pop();
  ticks.push(max);
  return ticks;
}
