/**
 * One headless Firefox per test process: Debian's firefox-esr (installed by scripts/setup-firefox.sh;
 * nothing is downloaded at test time), driven over WebDriver BiDi, the W3C protocol Firefox speaks
 * natively, by puppeteer-core. Not playwright-core: its Firefox is a patched build that cannot be
 * downloaded here, and its BiDi client (1.65) sends commands Firefox ESR 153 does not know yet
 * (`emulation.setMediaFeaturesOverride` on every new context). Screenshots and axe checks go through
 * the shared helpers of ./browser.ts.
 */
import { existsSync } from "node:fs";
import puppeteer, { type Browser } from "puppeteer-core";

export function firefoxPath(): string {
  return process.env.INFLOW_FIREFOX ?? "/usr/bin/firefox-esr";
}

/** Why Firefox cannot start here (the test is then skipped with this message), or undefined. */
export function firefoxMissing(): string | undefined {
  const path = firefoxPath();
  return existsSync(path)
    ? undefined
    : `no Firefox at ${path}: run scripts/setup-firefox.sh (or set INFLOW_FIREFOX)`;
}

let shared: Promise<Browser> | undefined;

/** The process's Firefox, started on first use. */
export function firefox(): Promise<Browser> {
  shared ??= puppeteer.launch({ browser: "firefox", executablePath: firefoxPath(), headless: true });
  return shared;
}

export async function closeFirefox(): Promise<void> {
  if (shared) await (await shared).close();
  shared = undefined;
}
