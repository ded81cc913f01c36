import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { KeyInput, Page } from "puppeteer-core";
import { screenshot, seriousViolations } from "../harness/browser.js";
import type { Workspace } from "../harness/cli.js";
import { consoleToken, pipelineWorkspace, startTestConsole, type TestConsole } from "../harness/console.js";
import { closeFirefox, firefox, firefoxMissing } from "../harness/firefox.js";

/**
 * The console's main journeys in Firefox (Debian's firefox-esr over WebDriver BiDi), next to the
 * Chromium ones in console-browser.test.ts: sign-in, topics, rename and route, keyboard labelling
 * with undo, a taxonomy revert, hostile text; every page checked with axe-core and screenshotted.
 */
describe("review console in Firefox", { skip: firefoxMissing() }, () => {
  let ws: Workspace;
  let server: TestConsole;
  let page: Page;

  /** Screenshot and accessibility check of the page as it is now. */
  async function look(name: string): Promise<void> {
    await screenshot(page, `console-firefox-${name}`);
    const violations = await seriousViolations(page);
    assert.deepEqual(
      violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
      [],
      `serious accessibility violations on ${name} in Firefox`,
    );
  }

  /** Runs an action that submits a form and waits for the page it leads to. */
  async function submit(action: () => Promise<unknown>): Promise<void> {
    await Promise.all([page.waitForNavigation(), action()]);
  }

  const text = (selector: string) => page.$eval(selector, (e) => e.textContent ?? "");
  const currentTicket = () => page.$eval("section.current", (e) => e.getAttribute("data-ticket"));
  const mine = () => [...server.workspace.current().values()].filter((l) => l.reviewer === "Grace Hopper");

  before(async () => {
    const [workspace, browser] = await Promise.all([pipelineWorkspace(), firefox()]);
    ws = workspace;
    server = await startTestConsole(ws);
    const context = await browser.createBrowserContext();
    page = await context.newPage();
    await page.setViewport({ width: 1366, height: 768 });
  });
  after(async () => {
    await closeFirefox();
    await server?.close();
    await ws?.dispose();
  });

  test("sign in with a name and the token", async () => {
    await page.goto(`${server.url}/queue`);
    assert.match(page.url(), /\/login\?next=%2Fqueue$/);
    await look("login");
    await page.locator("#name").fill("Grace Hopper");
    await page.locator("#token").fill(consoleToken);
    await submit(() => page.click("button[type=submit]"));
    assert.match(page.url(), /\/queue$/);
  });

  test("topics page, then rename a topic and route it to a new department", async () => {
    await page.goto(`${server.url}/topics`);
    await look("topics");
    const charts = await page.$$eval("svg.spark polyline", (lines) => lines.length);
    assert.equal(charts, server.workspace.taxonomy.value.topics.length, "a share-over-time chart per topic");
    const id = server.workspace.taxonomy.value.topics[0]!.id;
    await submit(() => page.click(`a[href="/topics/${id}"]`));
    await look("topic");
    await page.locator("#name").fill("Disputed card charges");
    await submit(() => page.click("button::-p-text(Rename)"));
    assert.match(await text("[role=status]"), /Saved \(rename\)/);
    await page.locator("#newDepartment").fill("Chargebacks");
    await submit(() => page.click("button::-p-text(Route)"));
    const topic = server.workspace.taxonomy.value.topics.find((t) => t.id === id)!;
    assert.deepEqual(
      [topic.name, topic.department, topic.origin],
      ["Disputed card charges", "Chargebacks", "person"],
    );
    await page.goto(`${server.url}/topics`);
    assert.ok((await text("table.topics")).includes("Disputed card charges"));
  });

  test("label tickets by keyboard, skip one, undo one", async () => {
    await page.goto(`${server.url}/queue`);
    await look("queue");
    const keys = await page.$$eval("#label-form button[data-key]", (buttons) =>
      buttons.map((b) => b.getAttribute("data-key")!).filter((k) => k !== "n"),
    );
    assert.ok(keys.length >= 2, "topics have keys");
    const seen: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      seen.push(await currentTicket());
      await submit(() => page.keyboard.press(keys[i % keys.length] as KeyInput));
    }
    assert.equal(new Set(seen).size, 6, "each key press moved on to a new ticket");
    assert.equal(mine().length, 6);
    const skipped = await currentTicket();
    await submit(() => page.keyboard.press("s"));
    assert.notEqual(await currentTicket(), skipped);
    assert.equal(mine().length, 6, "a skip is not a label");
    await submit(() => page.keyboard.press("u"));
    assert.equal(mine().length, 5);
    assert.match(await text("#progress"), /You labelled 5;/, "the undone label no longer counts");
    assert.ok(
      await page.$eval("button[data-key=u]", (b) => b.hasAttribute("disabled")),
      "one undo: a second has nothing to retract",
    );
  });

  test("revert the taxonomy to the pipeline's version from the history", async () => {
    await page.goto(`${server.url}/history`);
    await look("history");
    const baseline = (await server.workspace.history())[0]!;
    assert.equal(baseline.reviewer, "pipeline");
    await submit(() => page.click(`button::-p-text(Revert to version ${baseline.version})`));
    assert.match(await text("[role=status]"), /Reverted/);
    assert.deepEqual(
      server.workspace.taxonomy.value.topics.map((t) => t.name),
      baseline.taxonomy.topics.map((t) => t.name),
    );
    await look("history-after-revert");
  });

  test("hostile ticket text stays text; the model page shows its confusion matrix", async () => {
    for (const id of ["hostile-0", "hostile-1", "hostile-2", "hostile-3"]) {
      await page.goto(`${server.url}/tickets/${id}`);
      assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);
      assert.equal(await page.$$eval(".ticket-text img", (images) => images.length), 0);
    }
    assert.match(await text(".ticket-text"), /💳🔥 my debit card 🏦/);
    await look("ticket");
    await page.goto(`${server.url}/model`);
    await page.click("details summary");
    // The matrix is a PNG the console serves: loaded and decoded, not a broken image.
    await page.waitForFunction(`document.querySelector("img.confusion")?.complete`);
    assert.ok(Number(await page.evaluate(`document.querySelector("img.confusion").naturalWidth`)) > 0);
    await look("model");
  });
});
