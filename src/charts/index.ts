/** Server-side PNG charts for the reports and the Telegram bot. */
export { type ActivityDayInput, renderActivityDay } from "./activity-day.js";
export { type ChartSize, DEFAULT_CHART_SIZE } from "./canvas.js";
export { type ConfusionMatrixInput, renderConfusionMatrix } from "./confusion-matrix.js";
export { CHART_FONT_FAMILY } from "./font.js";
export { type ForecastInput, renderForecast } from "./forecast.js";
export { renderTopicSizes, type TopicSizesInput } from "./topic-sizes.js";
