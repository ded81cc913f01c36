/**
 * Colours shared by all charts. Series colours are from the Okabe–Ito palette, distinguishable
 * under the common colour-vision deficiencies; the heatmap ramp is ColorBrewer "Blues", a
 * single-hue ramp whose lightness alone carries the value (it also survives greyscale printing).
 */

export const SERIES_COLORS = {
  blue: "#0072B2",
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  vermillion: "#D55E00",
  bluishGreen: "#009E73",
  reddishPurple: "#CC79A7",
} as const;

export const TEXT_COLOR = "#222222";
export const SECONDARY_TEXT_COLOR = "#555555";
export const GRID_COLOR = "#E3E3E3";
export const BACKGROUND_COLOR = "#FFFFFF";

/** `#RRGGBB` plus an alpha in [0, 1] as an `rgba()` string. */
export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = hexToRgb(hex);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export type Rgb = readonly [number, number, number];

const BLUES: readonly Rgb[] = [
  "#F7FBFF",
  "#DEEBF7",
  "#C6DBEF",
  "#9ECAE1",
  "#6BAED6",
  "#4292C6",
  "#2171B5",
  "#08519C",
  "#08306B",
].map(hexToRgb);

/** The heatmap colour for t in [0, 1] (clamped): near white at 0, dark blue at 1. */
export function sequentialBlue(t: number): Rgb {
  const clamped = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const position = clamped * (BLUES.length - 1);
  const lower = Math.min(Math.floor(position), BLUES.length - 2);
  const fraction = position - lower;
  const from = BLUES[lower]!;
  const to = BLUES[lower + 1]!;
  return [
    Math.round(from[0] + (to[0] - from[0]) * fraction),
    Math.round(from[1] + (to[1] - from[1]) * fraction),
    Math.round(from[2] + (to[2] - from[2]) * fraction),
  ];
}

export function rgbCss([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

/** WCAG relative luminance in [0, 1]; used to pick dark or light text over a fill. */
export function relativeLuminance([r, g, b]: Rgb): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** Text colour with the better contrast over `fill`. */
export function textColorOver(fill: Rgb): string {
  // 0.179 is the luminance where black and white text have equal WCAG contrast.
  return relativeLuminance(fill) > 0.179 ? TEXT_COLOR : BACKGROUND_COLOR;
}

function hexToRgb(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}
