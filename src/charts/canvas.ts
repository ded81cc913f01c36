/**
 * What every chart shares: a canvas of a fixed pixel size with an opaque white background (a
 * transparent PNG turns black in some Telegram clients), drawing in the registered chart font,
 * and PNG encoding.
 */
import { type Canvas, createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import "./font.js";
import { BACKGROUND_COLOR } from "./palette.js";

export interface ChartSize {
  width: number;
  height: number;
}

/** 2:1 fits a Telegram photo preview and a report page alike. */
export const DEFAULT_CHART_SIZE: ChartSize = { width: 1200, height: 600 };

/**
 * The hourly forecast charts are read on a phone in the morning report: laid out 600 wide (a
 * Telegram photo is shown ≈ 400 CSS px wide, so 15 px text stays ≈ 10 px) and drawn at twice that
 * for high-density screens (1200 × 1120 pixels).
 */
export const PHONE_CHART_SIZE: ChartSize = { width: 600, height: 560 };
export const PHONE_PIXEL_RATIO = 2;

export function createChartCanvas(size: ChartSize): { canvas: Canvas; context: SKRSContext2D } {
  if (!Number.isInteger(size.width) || !Number.isInteger(size.height) || size.width < 1 || size.height < 1) {
    throw new RangeError(`charts: canvas size must be positive integers, got ${size.width}×${size.height}`);
  }
  const canvas = createCanvas(size.width, size.height);
  const context = canvas.getContext("2d");
  context.fillStyle = BACKGROUND_COLOR;
  context.fillRect(0, 0, size.width, size.height);
  return { canvas, context };
}

/** PNG bytes without metadata chunks, so the same drawing always gives the same bytes. */
export function toPng(canvas: Canvas): Buffer {
  return canvas.encodeSync("png");
}
