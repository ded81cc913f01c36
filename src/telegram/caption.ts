/** Captions in Telegram's HTML parse mode: escaping, and the 1024-character caption limit. */

export const CAPTION_LIMIT = 1024;

/** Escapes the three characters Telegram's HTML mode requires escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Length Telegram counts for an HTML caption: the text after tags and entities are parsed. */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/g, "").replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, "_").length;
}

/**
 * Joins caption lines (each already valid HTML), dropping whole lines from the end until the
 * caption fits: cutting inside a line could split a tag or an entity and make Telegram reject it.
 */
export function fitCaption(lines: readonly string[], limit = CAPTION_LIMIT): string {
  const kept = [...lines];
  while (kept.length > 0 && visibleLength(kept.join("\n")) > limit) kept.pop();
  if (kept.length === 0) throw new RangeError(`the first caption line alone exceeds ${limit} characters`);
  return kept.join("\n");
}

/** The caption line linking the tracked run: a link for MLflow/ClearML, the run file's path for the local run store. */
export function trackedRunLine(runLink: string): string {
  return /^https?:\/\//.test(runLink)
    ? `<a href="${escapeHtml(runLink).replace(/"/g, "&quot;")}">Tracked run</a>`
    : `Tracked run: <code>${escapeHtml(runLink)}</code>`;
}
