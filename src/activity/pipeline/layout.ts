/**
 * Where the activity pipeline keeps things in the derived store, one folder per chat:
 *
 *   activity/chat=<key>/history/date=<UTC date>/      messages.jsonl (partitions by UTC date)
 *   activity/chat=<key>/series/date=<D>/              series.json (hours up to the end of D-1)
 *   activity/chat=<key>/evaluation/date=<D>/          evaluation.json (day D-1 vs its forecast)
 *   activity/chat=<key>/model/date=<D>/               model.json, backtest.csv (model choice)
 *   activity/chat=<key>/forecast/date=<D>/            forecast.json, forecast.csv (day D)
 *   activity/chat=<key>/charts/date=<D>/              yesterday.png, today.png
 *   activity/chat=<key>/report-sent/to=<chat>/<D>.json  sent marker of the morning report
 *
 * Every date folder is a publication (a manifest written last, see store/publish.ts).
 */
export interface ActivityKinds {
  history: string;
  series: string;
  evaluation: string;
  model: string;
  forecast: string;
  charts: string;
  reportSent: string;
}

export function activityKinds(chatKey: string): ActivityKinds {
  const root = `activity/chat=${chatKey}`;
  return {
    history: `${root}/history`,
    series: `${root}/series`,
    evaluation: `${root}/evaluation`,
    model: `${root}/model`,
    forecast: `${root}/forecast`,
    charts: `${root}/charts`,
    reportSent: `${root}/report-sent`,
  };
}

/** A report destination (numeric id or @channel) as a key segment. */
export function destinationKey(chatId: string): string {
  return chatId.replace(/^@/, "").toLowerCase();
}
