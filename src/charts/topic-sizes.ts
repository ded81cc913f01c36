/** How many tickets each topic holds: a horizontal bar chart, largest topic on top. */
import type { ChartConfiguration, Plugin } from "chart.js";
import { AXIS_TITLE_COLOR, AXIS_TITLE_FONT, CHART_LOCALE, renderChartJs, titleOptions } from "./chartjs.js";
import { chartFont } from "./font.js";
import { SERIES_COLORS, TEXT_COLOR } from "./palette.js";
import { measuringContext, wrapText } from "./text-wrap.js";

export interface TopicSizesInput {
  topics: { name: string; size: number }[];
  title: string;
  subtitle?: string;
  /** Axis title for the sizes; "Tickets" unless given. */
  valueLabel?: string;
}

const WIDTH = 1200;
const ROW_HEIGHT = 52;
const LABEL_FONT_SIZE = 15;
const LABEL_MAX_WIDTH = 300;
const VALUE_FONT_SIZE = 14;
const VALUE_LABEL_GAP = 8;
const PADDING = { left: 12, right: 36, bottom: 8 };

export function renderTopicSizes(input: TopicSizesInput): Buffer {
  const { topics } = input;
  if (topics.length === 0) throw new RangeError("charts: renderTopicSizes needs at least one topic");
  for (const topic of topics) {
    if (!Number.isFinite(topic.size) || topic.size < 0) {
      throw new RangeError(`charts: topic size must be a finite non-negative number, got ${topic.size}`);
    }
  }
  const sorted = topics.map((topic, index) => ({ ...topic, index }));
  sorted.sort((a, b) => b.size - a.size || a.index - b.index);
  const total = sorted.reduce((sum, topic) => sum + topic.size, 0);
  const measurer = measuringContext(chartFont(LABEL_FONT_SIZE));
  const labels = sorted.map((topic) => wrapText(measurer, topic.name, LABEL_MAX_WIDTH, 2));
  const valueLabels = sorted.map((topic) => valueLabel(topic.size, total));
  const valueMeasurer = measuringContext(chartFont(VALUE_FONT_SIZE, "bold"));
  const valueLabelRoom =
    VALUE_LABEL_GAP + Math.max(...valueLabels.map((text) => valueMeasurer.measureText(text).width));
  // Room for the value labels: stretch the value axis so the longest bar stops that many pixels
  // short of the plot's right edge. The plot width is estimated low (category labels taken wider
  // than they are), which only ever leaves more room.
  const labelColumn = Math.max(...labels.flat().map((line) => measurer.measureText(line).width)) + 40;
  const plotWidth = WIDTH - PADDING.left - PADDING.right - labelColumn;
  const stretch = plotWidth / Math.max(plotWidth - valueLabelRoom, plotWidth / 4);

  const config: ChartConfiguration<"bar"> = {
    type: "bar",
    data: {
      labels,
      datasets: [
        {
          label: input.valueLabel ?? "Tickets",
          data: sorted.map((topic) => topic.size),
          backgroundColor: SERIES_COLORS.blue,
          barPercentage: 0.8,
          categoryPercentage: 0.9,
        },
      ],
    },
    options: {
      indexAxis: "y",
      layout: { padding: PADDING },
      plugins: { ...titleOptions(WIDTH, input.title, input.subtitle), legend: { display: false } },
      scales: {
        x: {
          beginAtZero: true,
          suggestedMax: sorted[0]!.size * stretch,
          title: {
            display: true,
            text: input.valueLabel ?? "Tickets",
            color: AXIS_TITLE_COLOR,
            font: AXIS_TITLE_FONT,
          },
          ticks: { font: { size: 14 }, precision: 0 },
        },
        y: {
          grid: { display: false },
          ticks: { font: { size: LABEL_FONT_SIZE }, color: TEXT_COLOR, autoSkip: false },
        },
      },
    },
    plugins: [barValueLabels(valueLabels)],
  };
  const height = Math.max(420, 170 + ROW_HEIGHT * sorted.length);
  return renderChartJs(config, { width: WIDTH, height });
}

function valueLabel(size: number, total: number): string {
  const count = size.toLocaleString(CHART_LOCALE);
  if (total === 0) return count;
  const percent = (100 * size) / total;
  // A share that rounds to 0.0% but is not zero should not read as nothing.
  const share = percent > 0 && percent < 0.05 ? "<0.1%" : `${percent.toFixed(1)}%`;
  return `${count} (${share})`;
}

/** Draws each bar's value and share just past its end. */
function barValueLabels(texts: string[]): Plugin<"bar"> {
  return {
    id: "inflowBarValueLabels",
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const bars = chart.getDatasetMeta(0).data;
      ctx.save();
      ctx.font = chartFont(VALUE_FONT_SIZE, "bold");
      ctx.fillStyle = TEXT_COLOR;
      ctx.textAlign = "left";
      ctx.textBaseline = "middle";
      bars.forEach((bar, index) => {
        ctx.fillText(texts[index]!, bar.x + VALUE_LABEL_GAP, bar.y);
      });
      ctx.restore();
    },
  };
}
