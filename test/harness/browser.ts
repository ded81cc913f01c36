/**
 * One headless Debian chromium per test process, driven by playwright-core (installed by
 * scripts/setup-chromium.sh; nothing is downloaded at test time), with axe-core for accessibility
 * checks and screenshots written to test/screenshots/ (gitignored) for people to look at. The
 * screenshot and axe helpers take any page that evaluates scripts and takes screenshots, so the
 * Firefox pages of ./firefox.ts (puppeteer-core) use them too.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { repoRoot } from "./cli.js";

export const screenshotDir = join(repoRoot, "test", "screenshots");

let shared: Promise<Browser> | undefined;

export function chromiumPath(): string {
  const path = process.env.INFLOW_CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(path))
    throw new Error(`no chromium at ${path}: run scripts/setup-chromium.sh (or set INFLOW_CHROMIUM)`);
  return path;
}

/** The process's browser, started on first use. */
export function browser(): Promise<Browser> {
  shared ??= chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu"] });
  return shared;
}

export async function closeBrowser(): Promise<void> {
  if (shared) await (await shared).close();
  shared = undefined;
}

/** What the helpers below need of a page: Playwright's and Puppeteer's pages both have it. */
export interface ScriptablePage {
  evaluate(script: string): Promise<unknown>;
  screenshot(options: { path: string; fullPage: boolean }): Promise<unknown>;
}

export async function screenshot(page: ScriptablePage, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's WCAG 2 A/AA rules on the current page; returns the serious and critical violations. */
export async function seriousViolations(page: ScriptablePage): Promise<AxeViolation[]> {
  axeSource ??= await readFile(join(repoRoot, "node_modules", "axe-core", "axe.min.js"), "utf8");
  // Evaluated through the browser's automation protocol (DevTools or WebDriver BiDi), so the
  // console's CSP (script-src 'self') stays on.
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(
    `axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"] } }).then((r) => r.violations)`,
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}
