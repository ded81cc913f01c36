/** Small charts as SVG geometry for the templates (numbers only: nothing to escape, no script, no network). */

export interface Sparkline {
  points: string;
  width: number;
  height: number;
  /** Described in words for screen readers. */
  label: string;
}

/** A line through (date, share) pairs, scaled to the box; one point is drawn as a flat line. */
export function sparkline(values: { date: string; share: number }[], width = 120, height = 28): Sparkline {
  const max = Math.max(0.0001, ...values.map((v) => v.share));
  const step = values.length > 1 ? (width - 4) / (values.length - 1) : 0;
  const y = (share: number) => (height - 2 - (share / max) * (height - 4)).toFixed(1);
  const points =
    values.length === 1
      ? `2,${y(values[0]!.share)} ${width - 2},${y(values[0]!.share)}`
      : values.map((v, i) => `${(2 + i * step).toFixed(1)},${y(v.share)}`).join(" ");
  const label = values.map((v) => `${v.date}: ${(100 * v.share).toFixed(1)}%`).join(", ");
  return { points, width, height, label: `share over time: ${label || "no data"}` };
}

export interface Bars {
  bars: { x: number; y: number; width: number; height: number }[];
  width: number;
  height: number;
  label: string;
}

/** Ten bars: tickets per confidence decile. */
export function histogram(counts: number[], width = 100, height = 28): Bars {
  const max = Math.max(1, ...counts);
  const barWidth = width / counts.length;
  const bars = counts.map((count, i) => {
    const h = (count / max) * (height - 2);
    return { x: i * barWidth + 1, y: height - h, width: barWidth - 2, height: h };
  });
  const label = counts.map((c, i) => `${i / 10}–${(i + 1) / 10}: ${c}`).join(", ");
  return { bars, width, height, label: `tickets by confidence: ${label}` };
}
