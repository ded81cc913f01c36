/**
 * Fitting label text into a width: long class and topic names ("Credit card / Prepaid card")
 * wrap onto several lines instead of overlapping their neighbours or being clipped.
 */
import { createCanvas, type SKRSContext2D } from "@napi-rs/canvas";

/** Anything that can measure text in its current font (a canvas 2D context). */
export interface TextMeasurer {
  measureText(text: string): { width: number };
}

/** A context for measuring only, with `font` set. */
export function measuringContext(font: string): SKRSContext2D {
  const context = createCanvas(1, 1).getContext("2d");
  context.font = font;
  return context;
}

// Break opportunities: after whitespace other than a no-break space, a slash or a hyphen (the
// separator stays on the line).
const BREAK_AFTER = /(?<=[^\S\u00a0]|[/-])/;

/**
 * Greedy word wrap of `text` into lines no wider than `maxWidth`. A word wider than the width on
 * its own is cut between characters. With `maxLines`, the last kept line ends in an ellipsis
 * when text was left out.
 */
export function wrapText(
  measurer: TextMeasurer,
  text: string,
  maxWidth: number,
  maxLines = Number.POSITIVE_INFINITY,
): string[] {
  const fits = (candidate: string) => measurer.measureText(candidate.trimEnd()).width <= maxWidth;
  const lines: string[] = [];
  let line = "";
  for (const piece of text.trim().split(BREAK_AFTER)) {
    if (fits(line + piece)) {
      line += piece;
      continue;
    }
    if (line.trim() !== "") lines.push(line.trimEnd());
    line = "";
    for (const character of piece.trimStart()) {
      if (line !== "" && !fits(line + character)) {
        lines.push(line);
        line = "";
      }
      line += character;
    }
  }
  if (line.trim() !== "") lines.push(line.trimEnd());
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = ellipsize(measurer, `${kept[maxLines - 1]}…`, maxWidth);
  return kept;
}

/** `text` shortened with a trailing ellipsis until it fits `maxWidth` (unchanged when it fits). */
export function ellipsize(measurer: TextMeasurer, text: string, maxWidth: number): string {
  if (measurer.measureText(text).width <= maxWidth) return text;
  const characters = Array.from(text.endsWith("…") ? text.slice(0, -1) : text);
  while (characters.length > 0) {
    characters.pop();
    const candidate = `${characters.join("").trimEnd()}…`;
    if (measurer.measureText(candidate).width <= maxWidth) return candidate;
  }
  return "…";
}
