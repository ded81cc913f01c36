import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { openRoutingModel } from "../../src/classify/model.js";
import { humanLabelsKind, readHumanLabels } from "../../src/review/human-labels.js";
import { readEvaluations } from "../../src/review/workspace.js";
import { readManifest, readPartManifests, readVerified, requireOutput } from "../../src/store/publish.js";
import { kinds } from "../../src/tickets/dataset.js";
import { openStore } from "../../stores/open.js";
import { repoRoot, runCli, type Workspace } from "../harness/cli.js";
import {
  consoleDate,
  consoleToken,
  hostileTexts,
  pipelineWorkspace,
  startTestConsole,
  type TestConsole,
} from "../harness/console.js";

/** A browser-like client: keeps cookies, reads the CSRF token of the last page. */
class Client {
  private readonly cookies = new Map<string, string>();
  csrf = "";

  constructor(private readonly base: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(`${this.base}${path}`, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return response;
  }

  async page(path: string): Promise<{ status: number; html: string }> {
    const response = await this.request(path);
    const html = await response.text();
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf;
    return { status: response.status, html };
  }

  post(path: string, form: Record<string, string>, withCsrf = true): Promise<Response> {
    const body = new URLSearchParams(withCsrf ? { _csrf: this.csrf, ...form } : form);
    return this.request(path, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  }

  async login(name = "Ada"): Promise<void> {
    await this.page("/login");
    const response = await this.post("/login", { name, token: consoleToken, next: "/topics" });
    assert.equal(response.status, 303);
  }
}

describe("review console over HTTP", () => {
  let ws: Workspace;
  let server: TestConsole;
  const bearer = { authorization: `Bearer ${consoleToken}`, "x-reviewer": "sim" };

  before(async () => {
    ws = await pipelineWorkspace();
    server = await startTestConsole(ws);
  });
  after(async () => {
    await server?.close();
    await ws?.dispose();
  });

  test("nothing is served before sign-in: pages go to the login form, the API answers 401", async () => {
    const client = new Client(server.url);
    const page = await client.request("/topics");
    assert.equal(page.status, 303);
    assert.equal(page.headers.get("location"), "/login?next=%2Ftopics");
    const api = await client.request("/api/topics");
    assert.equal(api.status, 401);
    assert.match(((await api.json()) as { message: string }).message, /Bearer/);
    const wrong = await client.request("/api/topics", {
      headers: { authorization: "Bearer not-the-token-at-all" },
    });
    assert.equal(wrong.status, 401);
  });

  test("an unknown address is the console's own 404 page, or JSON under /api/; never before sign-in", async () => {
    const client = new Client(server.url);
    assert.equal((await client.request("/nope")).status, 303);
    await client.login();
    const page = await client.page("/nope?x=1");
    assert.equal(page.status, 404);
    assert.match(page.html, /<title>[^<]*Not found/);
    assert.match(page.html, /no page at \/nope</);
    assert.match(
      page.html,
      /go back to <a href="\/topics">the topics list<\/a>/,
      "a way back, besides the nav bar",
    );
    const api = await fetch(`${server.url}/api/nope`, { headers: bearer });
    assert.equal(api.status, 404);
    assert.equal(((await api.json()) as { message: string }).message, "no page at /api/nope");
  });

  test("login needs the token and a name; a wrong token is refused, next never leaves the site", async () => {
    const client = new Client(server.url);
    await client.page("/login");
    assert.equal(
      (await client.post("/login", { name: "Ada", token: "wrong-token-wrong-token" })).status,
      401,
    );
    const ok = await client.post("/login", { name: "Ada", token: consoleToken, next: "//evil.example/x" });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), "/topics");
    const topics = await client.page("/topics");
    assert.equal(topics.status, 200);
    assert.match(topics.html, /Topics/);
    assert.match(topics.html, /unassigned/);
  });

  test("every change needs the CSRF token of a console page; with it, a rename publishes the next version", async () => {
    const client = new Client(server.url);
    await client.login();
    const before = server.workspace.taxonomy.value.version;
    await client.page("/topics/0");
    const forged = await client.post("/topics/0/rename", { name: "Forged", base: String(before) }, false);
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /reload the page and send the form again/);
    assert.equal(server.workspace.taxonomy.value.version, before);
    const renamed = await client.post("/topics/0/rename", { name: "Card payments", base: String(before) });
    assert.equal(renamed.status, 303);
    assert.equal(server.workspace.taxonomy.value.version, before + 1);
    assert.equal(server.workspace.taxonomy.value.topics.find((t) => t.id === 0)!.name, "Card payments");
    assert.equal(server.workspace.taxonomy.value.topics.find((t) => t.id === 0)!.origin, "person");
  });

  test("a topic page offers a split only where one can run, and names the router it routes with", async () => {
    const client = new Client(server.url);
    await client.login();
    const topic = server.workspace.taxonomy.value.topics[2]!.id;
    const full = await client.page(`/topics/${topic}`);
    assert.ok(full.html.includes(`href="/topics/${topic}/split"`));
    assert.ok(full.html.includes(`Router ${server.workspace.router!.model.version},`));
    // The same topic with 9 tickets (the others unassigned, in memory only): a split cannot run, so the
    // page says why instead of linking to an error.
    const all = server.workspace.tickets;
    let kept = 0;
    server.workspace.tickets = all.map((t) => (t.topic === topic && kept++ >= 9 ? { ...t, topic: -1 } : t));
    try {
      const small = await client.page(`/topics/${topic}`);
      assert.ok(!small.html.includes(`href="/topics/${topic}/split"`));
      assert.match(small.html, /Too small to split: a split needs at least 10 tickets/);
      const refused = await client.page(`/topics/${topic}/split`);
      assert.equal(refused.status, 400);
      assert.match(refused.html, /change what the message above names/);
    } finally {
      server.workspace.tickets = all;
    }
  });

  test("two reviewers on one topic: the second gets a 409 showing their edit, ready to apply to the latest", async () => {
    const first = new Client(server.url);
    const second = new Client(server.url);
    await first.login("First");
    await second.login("Second");
    await first.page("/topics/1");
    await second.page("/topics/1");
    const base = String(server.workspace.taxonomy.value.version);
    assert.equal((await first.post("/topics/1/rename", { name: "Mortgage payments", base })).status, 303);
    const late = await second.post("/topics/1/rename", { name: 'Loans <b>"escrow"</b>', base });
    assert.equal(late.status, 409);
    const html = await late.text();
    assert.match(html, /not lost/);
    assert.match(html, /Loans &lt;b&gt;&quot;escrow&quot;&lt;\/b&gt;/);
    assert.ok(!html.includes("<b>"), "the edit is shown as text");
    // Applying it again on the version the page now offers succeeds.
    second.csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const current = /name="base" value="(\d+)"/.exec(html)![1]!;
    assert.equal(current, String(server.workspace.taxonomy.value.version));
    const retried = await second.post("/topics/1/rename", { name: 'Loans <b>"escrow"</b>', base: current });
    assert.equal(retried.status, 303);
    assert.equal(
      server.workspace.taxonomy.value.topics.find((t) => t.id === 1)!.name,
      'Loans <b>"escrow"</b>',
    );
    // A change made on that same old version, to a topic nobody touched since, is no conflict.
    const other = await first.post("/topics/2/route", { department: "Mortgage desk", base });
    assert.equal(other.status, 303);
    assert.equal(server.workspace.taxonomy.value.topics.find((t) => t.id === 2)!.department, "Mortgage desk");
    // A revert made on an old version always is.
    assert.equal((await first.post("/history/revert", { to: base, base })).status, 409);
  });

  test("ticket text is escaped wherever it is shown, and never logged", async () => {
    const client = new Client(server.url);
    await client.login();
    for (const [i, text] of hostileTexts.entries()) {
      const { status, html } = await client.page(`/tickets/hostile-${i}`);
      assert.equal(status, 200);
      assert.ok(!html.includes("<script>window"), "no script tag from a ticket");
      assert.ok(!html.includes("<img src=x"), "no element from a ticket");
      if (i === 0) assert.match(html, /&lt;script&gt;window.__pwned = 1&lt;\/script&gt;/);
      if (i >= 2) assert.ok(html.includes(text.slice(0, 12)), "RTL and emoji text come through intact");
    }
    const queue = await client.request("/api/queue?size=50", { headers: bearer });
    const items = ((await queue.json()) as { items: { text: string }[] }).items;
    assert.ok(items.length > 0);
    const logged = server.logs.join("");
    for (const text of [...hostileTexts, ...items.map((item) => item.text)])
      assert.ok(!logged.includes(text.slice(0, 40)), "no ticket text in the log");
    assert.match(logged, /"route":"\/tickets\/:id"/);
  });

  test("the queue's topic filter: hidden without script, topic names escaped in its attributes", async () => {
    const client = new Client(server.url);
    await client.login();
    const topic = server.workspace.taxonomy.value.topics[1]!;
    const rename = (name: string) =>
      server.workspace.edit(
        server.workspace.taxonomy.value.version,
        { action: "rename", topic: topic.id, name },
        "Ada",
      );
    await rename('"><img src=x onerror="window.__pwned=3"> fees');
    try {
      const { status, html } = await client.page("/queue");
      assert.equal(status, 200);
      assert.match(html, /<div class="topic-filter" id="topic-filter-box" hidden>/);
      assert.ok(!html.includes("<img src=x"), "no element from a topic name");
      const choice = new RegExp(
        `<button type="submit" name="topic" value="${topic.id}" data-filter="([^"]*)" data-name="([^"]*)"`,
      );
      const [, filter, name] = choice.exec(html) ?? [];
      assert.match(filter!, /^&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=3&quot;&gt; fees /);
      assert.match(filter!, new RegExp(` #${topic.id}$`), "the filter also finds a topic by #id");
      assert.equal(name, "&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=3&quot;&gt; fees");
    } finally {
      await rename(topic.name);
    }
  });

  test("labels are appended (who, when, source), undo retracts, raw and labelled data are untouched", async () => {
    const client = new Client(server.url);
    await client.login("Labeller");
    const store = await openStore(ws.store);
    const partsBefore = (await readPartManifests(store, humanLabelsKind, consoleDate)).length;
    const queue = (await (await client.request("/api/queue?size=3", { headers: bearer })).json()) as {
      items: { id: string }[];
    };
    const topic = server.workspace.taxonomy.value.topics[2]!.id;
    await client.page("/queue");
    for (const item of queue.items.slice(0, 2)) {
      const response = await client.post("/queue/label", { ticket: item.id, topic: String(topic) });
      assert.equal(response.status, 303);
    }
    assert.equal((await client.post("/queue/undo", {})).status, 303);
    const labels = await readHumanLabels(store, consoleDate);
    const mine = labels.filter((l) => l.reviewer === "Labeller");
    assert.deepEqual(
      mine.map((l) => [l.ticketId, l.answer.kind]),
      [
        [queue.items[0]!.id, "topic"],
        [queue.items[1]!.id, "topic"],
        [queue.items[1]!.id, "retract"],
      ],
    );
    assert.ok(mine.every((l) => l.source === "console" && !Number.isNaN(Date.parse(l.at))));
    assert.equal((await readPartManifests(store, humanLabelsKind, consoleDate)).length, partsBefore + 3);
    // A browser session without the CSRF header cannot label through the API either.
    const forged = await client.request("/api/labels", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ labels: [{ ticketId: queue.items[2]!.id, answer: { kind: "topic", topic } }] }),
    });
    assert.equal(forged.status, 403);
    const bad = await client.request("/api/labels", {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify({ labels: [{ ticketId: "no-such-ticket", answer: { kind: "topic", topic } }] }),
    });
    assert.equal(bad.status, 400);
    const refusal = (await bad.json()) as { error: string; message: string };
    assert.equal(refusal.error, "Bad Request");
    assert.match(refusal.message, /ticket no-such-ticket is not among the tickets of/);
  });

  test("train uses the human labels: they override topic labels, a named new topic becomes a class", async () => {
    const tickets = server.workspace.tickets.filter((t) => t.topic >= 0).slice(0, 12);
    const target = server.workspace.taxonomy.value.topics.find((t) => t.mergedInto === undefined)!.id;
    const idsBefore = server.workspace.taxonomy.value.topics.map((t) => [t.id, t.name]);
    const fresh = server.workspace.tickets.filter((t) => t.topic >= 0).slice(12, 15);
    const other = server.workspace.tickets.filter((t) => t.topic >= 0)[15]!;
    const versionBefore = server.workspace.taxonomy.value.version;
    const response = await fetch(`${server.url}/api/labels`, {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify({
        labels: [
          ...tickets.map((t) => ({ ticketId: t.id, answer: { kind: "topic", topic: target } })),
          // One new topic however its name is spaced or cased.
          ...fresh.map((t, i) => ({
            ticketId: t.id,
            answer: { kind: "new-topic", name: ["Lost card", " lost  CARD ", "Lost Card"][i] },
          })),
          { ticketId: other.id, answer: { kind: "new-topic", name: "Card delivery" } },
        ],
      }),
    });
    assert.equal(response.status, 200);
    const taxonomy = server.workspace.taxonomy.value;
    const added = taxonomy.topics.find((t) => t.name === "Lost card")!;
    assert.ok(added, "the named topic is in the taxonomy");
    assert.equal(taxonomy.topics.filter((t) => t.name.toLowerCase() === "lost card").length, 1);
    assert.ok(
      idsBefore.every(([id]) => (id as number) < added.id),
      "a new id, after every existing one",
    );
    const delivery = taxonomy.topics.find((t) => t.name === "Card delivery")!;
    // Existing topics keep their ids and names.
    assert.deepEqual(
      taxonomy.topics.filter((t) => t.id !== added.id && t.id !== delivery.id).map((t) => [t.id, t.name]),
      idsBefore,
    );
    // The batch's new topics come as one version, audited with both.
    assert.equal(taxonomy.version, versionBefore + 1);
    assert.deepEqual((await server.workspace.history()).at(-1)!.edit, {
      action: "add",
      topics: [
        { topic: added.id, name: "Lost card" },
        { topic: delivery.id, name: "Card delivery" },
      ],
    });
    const labels = await readHumanLabels(await openStore(ws.store), consoleDate);
    for (const t of fresh)
      assert.deepEqual(labels.findLast((l) => l.ticketId === t.id)!.answer, {
        kind: "topic",
        topic: added.id,
      });
    const train = ws.run("tickets", "train", "--date", consoleDate);
    assert.equal(train.status, 0, train.stderr);
    const store = await openStore(ws.store);
    const model = openRoutingModel(
      (await store.get(String(train.summary.model).slice(store.uri.length + 1))).toString(),
      "model.json",
      null,
    );
    assert.ok(model.classTopics.includes(added.id), "the new topic is a class of the router");
    assert.ok(Number.isInteger(train.summary.humanPropagated), JSON.stringify(train.summary));
    const humanLabels = (await readHumanLabels(await openStore(ws.store), consoleDate)).length;
    assert.ok(humanLabels >= 12);
    assert.ok(Number(train.summary.humanLabels) >= 12, JSON.stringify(train.summary));
    assert.ok(Number(train.summary.humanOverrides) >= tickets.filter((t) => t.topic !== target).length);
    // The running console picks up the router train just published.
    const before = server.workspace.router!.uri;
    assert.equal(await server.workspace.refreshIfChanged(true), true);
    assert.notEqual(server.workspace.router!.uri, before);
    assert.equal(await server.workspace.refreshIfChanged(true), false);
  });

  test("the queue exports as Label Studio tasks and CSV; Label Studio's export imports as human labels", async () => {
    const tasks = (await (
      await fetch(`${server.url}/api/export/label-studio.json?size=5`, { headers: bearer })
    ).json()) as {
      data: { text: string; ticket_id: string };
    }[];
    assert.equal(tasks.length, 5);
    const csv = await fetch(`${server.url}/api/export/queue.csv?size=5`, { headers: bearer });
    assert.match(csv.headers.get("content-type")!, /text\/csv/);
    assert.match(await csv.text(), /^ticket_id,text,predicted_topic,predicted_name,margin\r\n/);
    const config = await (
      await fetch(`${server.url}/api/export/label-studio-config.xml`, { headers: bearer })
    ).text();
    assert.match(config, /<Choices name="topic" toName="text" choice="single"/);
    const [a, b] = tasks;
    const topic = server.workspace.taxonomy.value.topics.find((t) => t.mergedInto === undefined)!.id;
    const exported = (await readFile(join(repoRoot, "test/fixtures/label-studio/export.json"), "utf8"))
      .replaceAll("TICKET_A", a!.data.ticket_id)
      .replaceAll("TICKET_B", b!.data.ticket_id)
      .replaceAll("TOPIC_OLD", "0")
      .replaceAll("TOPIC_NEW", String(topic));
    const response = await fetch(`${server.url}/api/import/label-studio`, {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: exported,
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { imported: 2, skipped: ["task 3: no data.ticket_id"] });
    const imported = (await readHumanLabels(await openStore(ws.store), consoleDate)).filter(
      (l) => l.source === "import",
    );
    assert.deepEqual(
      imported.map((l) => [l.ticketId, l.answer, l.reviewer]),
      [
        [a!.data.ticket_id, { kind: "topic", topic }, "labelstudio:grace@example.org"],
        [b!.data.ticket_id, { kind: "new-topic" }, "labelstudio:user 10"],
      ],
    );
  });

  test("inflow console: --help lists its options; bad configuration and an empty store exit 2 with the reason", () => {
    const help = ws.run("console", "--help");
    assert.equal(help.status, 0);
    assert.match(help.stdout, /INFLOW_CONSOLE_PORT/);
    const short = runCli(["console"], { ...ws.env, INFLOW_CONSOLE_TOKEN: "short" });
    assert.equal(short.status, 2);
    assert.match(short.stderr, /INFLOW_CONSOLE_TOKEN must be at least 16 characters/);
    const missing = runCli(["console", "--store", `file://${ws.dir}/nothing-here`], {
      ...ws.env,
      INFLOW_CONSOLE_PORT: "0",
    });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /store folder .*nothing-here.* does not exist/);
    mkdirSync(join(ws.dir, "empty-store"));
    const empty = runCli(["console", "--store", `file://${ws.dir}/empty-store`], {
      ...ws.env,
      INFLOW_CONSOLE_PORT: "0",
    });
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /no labelled tickets on or before .* run the pipeline first/);
  });

  test("off a terminal, a generated sign-in token goes to a private file, never to the log", {
    timeout: 120_000,
  }, async () => {
    const child = spawn(process.execPath, [join(repoRoot, "bin/inflow.js"), "console", "--port", "0"], {
      cwd: ws.dir,
      env: { ...ws.env, INFLOW_CONSOLE_TOKEN: undefined, INFLOW_LOG_LEVEL: "info" },
    });
    let stderr = "";
    const exited = new Promise((done) => child.once("exit", done));
    try {
      // Off a terminal every line is a JSON log record.
      const [, url, file] = await new Promise<RegExpMatchArray>((done, fail) => {
        child.stderr.on("data", (chunk) => {
          stderr += chunk;
          const said = stderr
            .split("\n")
            .slice(0, -1) // the last piece may be a line still being written
            .filter((line) => line.startsWith("{"))
            .map((line) => (JSON.parse(line) as { msg: string }).msg)
            .join("\n");
          const shown = /console: (\S+)\n[\s\S]*Sign-in token written to (\S+),/.exec(said);
          if (shown) done(shown);
        });
        child.once("exit", () => fail(new Error(`console exited: ${stderr}`)));
      });
      assert.ok(
        stderr
          .trim()
          .split("\n")
          .every((line) => line.startsWith("{")),
        "nothing but JSON lines",
      );
      assert.equal(statSync(file!).mode & 0o777, 0o600);
      const token = readFileSync(file!, "utf8").trim();
      assert.ok(token.length >= 16);
      assert.ok(!stderr.includes(token), "the token is not in the log");
      const signedIn = await fetch(`${url}api/topics`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(signedIn.status, 200);
      child.kill("SIGTERM");
      await exited;
      assert.ok(!existsSync(file!), "the token file is removed at exit");
    } finally {
      child.kill("SIGKILL");
    }
  });

  test("a published file changed after publication is refused, never shown as the pipeline's", async () => {
    const copy = join(ws.dir, "tampered");
    await cp(join(ws.dir, "clean"), copy, { recursive: true });
    const store = await openStore(`file://${copy}`);
    const manifest = await readManifest(store, kinds.evaluation, consoleDate);
    // The confusion matrix the model page shows is read checked as well.
    await writeFile(
      join(copy, requireOutput(manifest!, "confusion-matrix.png").key),
      "not the published PNG",
    );
    const [shown] = await readEvaluations(store, consoleDate);
    await assert.rejects(readVerified(store, shown!.confusion!), /differs from the published/);
    const path = join(copy, requireOutput(manifest!, "evaluation.json").key);
    await writeFile(path, (await readFile(path, "utf8")).replace('"model"', '"model" '));
    await assert.rejects(readEvaluations(store, consoleDate), /differs from the published/);
  });

  test("an authenticating proxy's user header is trusted only when configured", async () => {
    const trusting = await startTestConsole(ws, { userHeader: "x-forwarded-user" });
    try {
      const viaProxy = await fetch(`${trusting.url}/topics`, {
        headers: { "x-forwarded-user": "grace@example.org" },
        redirect: "manual",
      });
      assert.equal(viaProxy.status, 200);
      assert.match(await viaProxy.text(), /grace@example.org/);
      const ignored = await fetch(`${server.url}/topics`, {
        headers: { "x-forwarded-user": "mallory" },
        redirect: "manual",
      });
      assert.equal(ignored.status, 303);
    } finally {
      await trusting.close();
    }
  });
});
