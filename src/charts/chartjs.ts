/**
 * chart.js rendering on a server canvas: only the controllers and elements the charts use are
 * registered, defaults put all text in the chart font, and every render is deterministic
 * (no animation, no resizing, a fixed device pixel ratio and number locale).
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartItem,
  type ChartType,
  Filler,
  Legend,
  type LegendItem,
  LinearScale,
  LineController,
  LineElement,
  type Plugin,
  PointElement,
  SubTitle,
  Title,
} from "chart.js";
import { type ChartSize, createChartCanvas, toPng } from "./canvas.js";
import { CHART_FONT_FAMILY, chartFont } from "./font.js";
import { BACKGROUND_COLOR, GRID_COLOR, SECONDARY_TEXT_COLOR, TEXT_COLOR } from "./palette.js";
import { measuringContext, wrapText } from "./text-wrap.js";

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Filler,
  Legend,
  Title,
  SubTitle,
);
Chart.defaults.font.family = CHART_FONT_FAMILY;
Chart.defaults.font.size = 15;
Chart.defaults.color = SECONDARY_TEXT_COLOR;
Chart.defaults.borderColor = GRID_COLOR;

/** Number formatting in ticks and labels must not depend on the host's locale. */
export const CHART_LOCALE = "en-US";

export const TITLE_FONT = { size: 24, weight: "bold" } as const;
export const SUBTITLE_FONT = { size: 16 } as const;
export const AXIS_TITLE_FONT = { size: 16, weight: "bold" } as const;
export const AXIS_TITLE_COLOR = TEXT_COLOR;

// chart.js clears the canvas to transparent before drawing; paint it white again.
const whiteBackground: Plugin = {
  id: "inflowWhiteBackground",
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = BACKGROUND_COLOR;
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/**
 * Title and optional subtitle plugin options in the shared style (hidden when empty). Text wider
 * than the chart wraps onto more lines: chart.js would squeeze it horizontally instead.
 */
export function titleOptions(chartWidth: number, title: string, subtitle?: string) {
  const maxWidth = chartWidth - 48;
  return {
    title: {
      display: title !== "",
      text: wrapText(measuringContext(chartFont(TITLE_FONT.size, TITLE_FONT.weight)), title, maxWidth),
      color: TEXT_COLOR,
      font: TITLE_FONT,
      padding: { top: 8, bottom: subtitle ? 4 : 16 },
    },
    subtitle: {
      display: Boolean(subtitle),
      text: wrapText(measuringContext(chartFont(SUBTITLE_FONT.size)), subtitle ?? "", maxWidth),
      color: SECONDARY_TEXT_COLOR,
      font: SUBTITLE_FONT,
      padding: { bottom: 10 },
    },
  };
}

/**
 * A legend above the plot in dataset order, keyed the way each series is drawn: a line sample for
 * lines (dashed when the line is), a filled box for bars and bands. `hidden` labels are left out.
 */
export function seriesLegend(hidden: readonly string[] = []) {
  return {
    position: "top" as const,
    labels: {
      font: { size: 15 },
      padding: 20,
      usePointStyle: true,
      pointStyleWidth: 34,
      boxHeight: 14,
      filter: (item: LegendItem) => !hidden.includes(item.text),
      sort: (a: LegendItem, b: LegendItem) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0),
      generateLabels: (chart: Chart) =>
        Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => {
          const index = item.datasetIndex ?? 0;
          const dataset = chart.data.datasets[index] as {
            fill?: unknown;
            borderDash?: number[];
            borderWidth?: number;
          };
          if (chart.getDatasetMeta(index).type !== "line" || dataset.fill) {
            return { ...item, pointStyle: "rect" as const };
          }
          // With point styles on, chart.js styles the sample like a point; draw it like the line.
          return {
            ...item,
            pointStyle: "line" as const,
            lineDash: dataset.borderDash ?? [],
            lineWidth: dataset.borderWidth ?? item.lineWidth,
          };
        }),
    },
  };
}

/**
 * Draws at `size` (layout units) on a canvas `pixelRatio` times larger, so a chart laid out for a
 * phone screen stays sharp on its high-density display.
 */
export function renderChartJs<TType extends ChartType>(
  config: ChartConfiguration<TType>,
  size: ChartSize,
  pixelRatio = 1,
): Buffer {
  const { canvas } = createChartCanvas(size);
  const chart = new Chart(
    canvas as unknown as ChartItem,
    {
      ...config,
      options: {
        ...config.options,
        animation: false,
        responsive: false,
        devicePixelRatio: pixelRatio,
        locale: CHART_LOCALE,
      },
      plugins: [whiteBackground, ...(config.plugins ?? [])],
    } as ChartConfiguration<TType>,
  );
  try {
    // With animation off, the constructor has already drawn the chart synchronously.
    return toPng(canvas);
  } finally {
    chart.destroy();
  }
}
