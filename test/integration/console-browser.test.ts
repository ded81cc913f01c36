import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { browser, closeBrowser, screenshot, seriousViolations } from "../harness/browser.js";
import type { Workspace } from "../harness/cli.js";
import {
  consoleDate,
  consoleToken,
  pipelineWorkspace,
  startTestConsole,
  type TestConsole,
} from "../harness/console.js";

/** The console's main journeys in a real browser (Debian chromium), each page checked with axe-core. */
describe("review console in a browser", () => {
  let ws: Workspace;
  let server: TestConsole;
  let context: BrowserContext;
  let page: Page;
  const checked = new Set<string>();

  /** Screenshot and accessibility check of the page as it is now. */
  async function look(name: string): Promise<void> {
    await screenshot(page, `console-${name}`);
    const violations = await seriousViolations(page);
    assert.deepEqual(
      violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
      [],
      `serious accessibility violations on ${name}`,
    );
    checked.add(name);
  }

  async function submit(action: () => Promise<unknown>): Promise<void> {
    await Promise.all([page.waitForEvent("load"), action()]);
  }

  before(async () => {
    ws = await pipelineWorkspace();
    server = await startTestConsole(ws);
    context = await (await browser()).newContext({ viewport: { width: 1366, height: 768 } });
    page = await context.newPage();
    page.on("dialog", (dialog) => void dialog.dismiss());
  });
  after(async () => {
    await context?.close();
    await closeBrowser();
    await server?.close();
    await ws?.dispose();
  });

  test("sign in with a name and the token", async () => {
    await page.goto(`${server.url}/queue`);
    assert.match(page.url(), /\/login\?next=%2Fqueue$/);
    await look("login");
    await page.fill("#name", "Ada Lovelace");
    await page.fill("#token", consoleToken);
    await submit(() => page.click("button[type=submit]"));
    assert.match(page.url(), /\/queue$/);
  });

  test("on a phone (390×844) the queue shows the ticket and its keys in the first screen; no page scrolls sideways", async () => {
    const phone = await (await browser()).newContext({
      viewport: { width: 390, height: 844 },
      storageState: await context.storageState(),
    });
    const small = await phone.newPage();
    try {
      await small.goto(`${server.url}/queue`);
      await screenshot(small, "console-queue-phone");
      const text = (await small.locator("section.current .ticket-text").boundingBox())!;
      assert.ok(text.y < 844, `the ticket text starts at ${text.y} px`);
      // Four rows of keys at least (one row and a bit showed before: three-line keys under the
      // keyboard help).
      const keys = small.locator("#label-form button[data-key]");
      const wanted = Math.min(8, await keys.count());
      assert.ok(wanted > 0);
      const eighth = (await keys.nth(wanted - 1).boundingBox())!;
      assert.ok(eighth.y + eighth.height <= 844, `key ${wanted} ends at ${eighth.y + eighth.height} px`);
      const violations = await seriousViolations(small);
      assert.deepEqual(
        violations.map((v) => v.id),
        [],
        "serious accessibility violations on the phone queue",
      );
      for (const path of ["/queue", "/topics", `/topics/${server.workspace.taxonomy.value.topics[0]!.id}`]) {
        await small.goto(`${server.url}${path}`);
        const width = Number(await small.evaluate("document.documentElement.scrollWidth"));
        assert.ok(width <= 390, `${path} is ${width} px wide`);
      }
    } finally {
      await phone.close();
    }
  });

  test("an unknown topic's page says so and links back to the topics list", async () => {
    const response = await page.goto(`${server.url}/topics/9999`);
    assert.equal(response?.status(), 404);
    assert.match((await page.textContent("[role=alert]"))!, /no topic 9999/);
    assert.equal(await page.locator('main a[href="/topics"]').count(), 1);
    await look("not-found");
  });

  test("rename a topic and route it to a new department", async () => {
    await page.goto(`${server.url}/topics`);
    await look("topics");
    const id = server.workspace.taxonomy.value.topics[0]!.id;
    await submit(() => page.click(`a[href="/topics/${id}"]`));
    await look("topic");
    await page.fill("#name", "Disputed card charges");
    await submit(() => page.click("button:has-text('Rename')"));
    assert.match((await page.textContent("[role=status]")) ?? "", /Saved \(rename\)/);
    await page.fill("#newDepartment", "Chargebacks");
    await submit(() => page.click("button:has-text('Route')"));
    const topic = server.workspace.taxonomy.value.topics.find((t) => t.id === id)!;
    assert.deepEqual(
      [topic.name, topic.department, topic.origin],
      ["Disputed card charges", "Chargebacks", "person"],
    );
    await page.goto(`${server.url}/topics`);
    assert.ok((await page.textContent("table.topics"))!.includes("Disputed card charges"));
  });

  test("label 20 tickets by keyboard, skip one, undo one", async () => {
    await page.goto(`${server.url}/queue`);
    await look("queue");
    const keys = await page.$$eval("#label-form button[data-key]", (buttons) =>
      buttons.map((b) => b.getAttribute("data-key")!).filter((k) => k !== "n"),
    );
    assert.ok(keys.length >= 2, "topics have keys");
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      seen.push((await page.getAttribute("section.current", "data-ticket"))!);
      await submit(() => page.keyboard.press(keys[i % keys.length]!));
    }
    assert.equal(new Set(seen).size, 20, "each key press moved on to a new ticket");
    const mine = () => [...server.workspace.current().values()].filter((l) => l.reviewer === "Ada Lovelace");
    assert.equal(mine().length, 20);
    const skipped = await page.getAttribute("section.current", "data-ticket");
    await submit(() => page.keyboard.press("s"));
    assert.notEqual(await page.getAttribute("section.current", "data-ticket"), skipped);
    assert.equal(mine().length, 20, "a skip is not a label");
    await submit(() => page.keyboard.press("u"));
    assert.equal(mine().length, 19);
    assert.match((await page.textContent("#progress"))!, /You labelled/);
    await submit(() => page.keyboard.press(keys[0]!));
    assert.equal(mine().length, 20);
  });

  test("find a topic by typing: / filters the choices, arrows move, Enter labels, Esc clears", async () => {
    // Only 32 topics get a key; the rest (and any topic) are reached by name, department or term.
    await page.goto(`${server.url}/queue`);
    const choices = "#label-form button[data-filter]";
    const shown = () => page.$$eval(choices, (bs) => bs.filter((b) => !b.hidden).map((b) => b.value));
    const all = await shown();
    const target = server.workspace.taxonomy.value.topics.find((t) => t.id === Number(all.at(-1)))!;
    const active = () => page.getAttribute(`${choices}.active`, "value");
    await page.keyboard.press("/");
    assert.equal(await page.$eval(":focus", (el) => el.id), "topic-filter");
    await page.keyboard.type(target.name.toUpperCase());
    const byName = await shown();
    assert.ok(byName.includes(String(target.id)) && byName.length < all.length, `${byName}`);
    assert.equal(await active(), byName[0], "the first match is highlighted");
    await page.keyboard.press("Escape");
    assert.equal(await page.inputValue("#topic-filter"), "");
    assert.equal((await shown()).length, all.length);
    // By department, then arrows: down and up again, up once more wraps to the last match (the target).
    await page.keyboard.type(target.department);
    const sameDepartment = server.workspace.taxonomy.value.topics
      .filter((t) => t.department === target.department)
      .map((t) => String(t.id));
    const byDepartment = await shown();
    assert.ok(
      sameDepartment.filter((id) => all.includes(id)).every((id) => byDepartment.includes(id)),
      `${byDepartment}`,
    );
    for (const key of ["ArrowDown", "ArrowUp", "ArrowUp"]) await page.keyboard.press(key);
    assert.equal(await active(), String(target.id));
    assert.match((await page.textContent("#topic-filter-status"))!, /Enter labels/);
    await look("queue-filter");
    const ticket = (await page.getAttribute("section.current", "data-ticket"))!;
    await submit(() => page.keyboard.press("Enter"));
    assert.deepEqual(server.workspace.current().get(ticket)!.answer, { kind: "topic", topic: target.id });
    // Nothing matches: Enter labels nothing; Esc clears, a second Esc leaves the box for the keys.
    await page.keyboard.press("/");
    await page.keyboard.type("zzzz-no-such-topic");
    assert.deepEqual(await shown(), []);
    await page.keyboard.press("Enter");
    await page.keyboard.press("Escape");
    assert.equal((await shown()).length, all.length);
    await page.keyboard.press("Escape");
    assert.equal(await page.$eval("#topic-filter", (el) => el.matches(":focus")), false);
    const next = (await page.getAttribute("section.current", "data-ticket"))!;
    assert.ok(!server.workspace.current().has(next), "no label given while nothing matched");
  });

  test("merge two topics", async () => {
    const [from, into] = server.workspace.taxonomy.value.topics.slice(1, 3);
    await page.goto(`${server.url}/topics/${from!.id}`);
    await page.selectOption("#into", String(into!.id));
    await submit(() => page.click("button:has-text('Merge')"));
    assert.match(page.url(), new RegExp(`/topics/${into!.id}\\?saved=merge$`));
    const merged = server.workspace.taxonomy.value.topics.find((t) => t.id === from!.id)!;
    assert.equal(merged.mergedInto, into!.id);
  });

  test("split a topic: preview two halves, accept, the tickets are relabelled with a new topic", async () => {
    const { topics } = (await (await page.request.get(`${server.url}/api/topics`)).json()) as {
      topics: { id: number; size: number; mergedInto?: number }[];
    };
    const largest = topics.filter((t) => t.mergedInto === undefined).sort((a, b) => b.size - a.size)[0]!;
    await page.goto(`${server.url}/topics/${largest.id}`);
    await submit(() => page.click("a:has-text('Split this topic')"));
    await look("split");
    const sizes = await page.$$eval("section.card h2", (headings) =>
      headings.map((h) => h.textContent ?? ""),
    );
    assert.equal(sizes.length, 2);
    const before = server.workspace.taxonomy.value.topics.length;
    await submit(() => page.click("button:has-text('Accept the split')"));
    const match = /\/topics\/(\d+)\?saved=split$/.exec(page.url());
    assert.ok(match, page.url());
    const newTopic = Number(match[1]);
    assert.equal(server.workspace.taxonomy.value.topics.length, before + 1);
    assert.equal(server.workspace.taxonomy.value.topics.at(-1)!.id, newTopic);
    assert.ok(
      server.workspace.tickets.some((t) => t.topic === newTopic),
      "tickets moved to the new topic",
    );
    assert.match((await page.textContent("h1"))!, new RegExp(`Topic ${newTopic}`));
  });

  test("revert the taxonomy to the pipeline's version from the history", async () => {
    await page.goto(`${server.url}/history`);
    await look("history");
    const baseline = (await server.workspace.history())[0]!;
    assert.equal(baseline.reviewer, "pipeline");
    await submit(() => page.click(`button:has-text('Revert to version ${baseline.version}')`));
    assert.match((await page.textContent("[role=status]"))!, /Reverted/);
    assert.deepEqual(
      server.workspace.taxonomy.value.topics.map((t) => t.name),
      baseline.taxonomy.topics.map((t) => t.name),
    );
    await look("history-after-revert");
  });

  test("hostile ticket text stays text; the model and conflict pages pass axe too", async () => {
    for (const id of ["hostile-0", "hostile-1"]) {
      await page.goto(`${server.url}/tickets/${id}`);
      assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);
      assert.equal(await page.locator(".ticket-text img").count(), 0);
    }
    assert.match((await page.textContent(".ticket-text"))!, /<img src=x onerror=/);
    await look("ticket");
    await page.goto(`${server.url}/model`);
    await look("model");
    // A stale form: the page was loaded, someone else changed the taxonomy, then this one is sent.
    const id = server.workspace.taxonomy.value.topics[3]!.id;
    await page.goto(`${server.url}/topics/${id}`);
    await server.workspace.edit(
      server.workspace.taxonomy.value.version,
      { action: "rename", topic: id, name: "Changed meanwhile" },
      "Bob",
    );
    await page.fill("#name", "My name for it");
    await submit(() => page.click("button:has-text('Rename')"));
    assert.match((await page.textContent("main"))!, /not lost/);
    await look("conflict");
    await submit(() => page.click("button:has-text('Apply my change')"));
    assert.equal(server.workspace.taxonomy.value.topics.find((t) => t.id === id)!.name, "My name for it");
  });

  test("train uses the labels given in the browser", () => {
    const train = ws.run("tickets", "train", "--date", consoleDate);
    assert.equal(train.status, 0, train.stderr);
    // Every label counts: trained on, or (once people's classes are in force) held out as evaluate's reference.
    const { humanLabels, humanHeldOut } = train.summary;
    assert.ok(Number(humanLabels) + Number(humanHeldOut) >= 20, JSON.stringify(train.summary));
    assert.deepEqual([...checked].sort(), [
      "conflict",
      "history",
      "history-after-revert",
      "login",
      "model",
      "not-found",
      "queue",
      "queue-filter",
      "split",
      "ticket",
      "topic",
      "topics",
    ]);
  });
});
