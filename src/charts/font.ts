/**
 * The one font every chart uses: DejaVu Sans shipped through npm (`dejavu-fonts-ttf`), registered
 * at module load. A slim container has no system fonts, and Skia then draws text as nothing at
 * all, silently; so the font comes with the package, never from a system path.
 *
 * It is registered under its own family name so a chart can only ever pick this copy: a system
 * "DejaVu Sans" of another version (or its absence) cannot change how a chart looks.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { GlobalFonts } from "@napi-rs/canvas";

export const CHART_FONT_FAMILY = "Inflow DejaVu Sans";

const fontDirectory = join(
  dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")),
  "ttf",
);

/** Regular and bold faces: chart text uses only these two weights. */
export const CHART_FONT_FILES: readonly string[] = [
  join(fontDirectory, "DejaVuSans.ttf"),
  join(fontDirectory, "DejaVuSans-Bold.ttf"),
];

for (const file of CHART_FONT_FILES) {
  if (GlobalFonts.registerFromPath(file, CHART_FONT_FAMILY) === null) {
    throw new Error(`charts: cannot register font ${file}`);
  }
}

export type FontWeight = "normal" | "bold";

/** A CSS font shorthand in the chart font, for drawing on a canvas context directly. */
export function chartFont(sizePx: number, weight: FontWeight = "normal"): string {
  return `${weight} ${sizePx}px ${CHART_FONT_FAMILY}`;
}
