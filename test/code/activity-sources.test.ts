import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import bigInt from "big-integer";
import { Api } from "telegram";
import { generateActivity } from "../../src/activity/generate.js";
import { parseTimestamp, readDelimited } from "../../src/activity/sources/delimited.js";
import { chatEntityLike, fromGramjsMessage } from "../../src/activity/sources/gramjs.js";
import {
  type ChatHistoryClient,
  fetchChatWindow,
  type HistoryMessage,
  type IterOptions,
} from "../../src/activity/sources/live-history.js";
import {
  type ExportTally,
  exportText,
  readTelegramExport,
} from "../../src/activity/sources/telegram-export.js";
import { telegramExportJson } from "../../src/activity/sources/telegram-export-writer.js";
import type { MessageRecord } from "../../src/activity/types.js";

const fixture = "test/fixtures/telegram/result.json";

async function collect(it: AsyncIterable<MessageRecord>): Promise<MessageRecord[]> {
  const out: MessageRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

test("Desktop export: user messages counted by date_unixtime, service and undated skipped, no text by default", async () => {
  const tally: ExportTally = { counted: 0, service: 0, unsupported: 0, undated: 0 };
  const records = await collect(readTelegramExport(fixture, {}, tally));
  assert.deepEqual(records, [
    { chatId: "1234567890", messageId: 11, timestamp: 1711840200, senderId: "user111" },
    { chatId: "1234567890", messageId: 12, timestamp: 1711848600, senderId: "user222" },
    { chatId: "1234567890", messageId: 13, timestamp: 1711848660, senderId: "user222" },
    { chatId: "1234567890", messageId: 14, timestamp: 1711850400, senderId: "user111" },
  ]);
  assert.deepEqual(tally, { counted: 4, service: 2, unsupported: 2, undated: 1 });
});

test("Desktop export: a chat id split across input chunks is read whole", async () => {
  const json =
    '{"id": 1234567890, "messages": [{"id": 1, "type": "message", "date_unixtime": "1711840200"}]}';
  const split = json.indexOf("4567");
  const records = await collect(readTelegramExport(Readable.from([json.slice(0, split), json.slice(split)])));
  assert.deepEqual(records, [{ chatId: "1234567890", messageId: 1, timestamp: 1711840200 }]);
});

test("Desktop export: opt-in text flattens rich text; opt-in service messages use the actor", async () => {
  const records = await collect(readTelegramExport(fixture, { includeText: true, includeService: true }));
  assert.equal(records.length, 6);
  assert.equal(records.find((r) => r.messageId === 12)!.text, "see https://example.org and this");
  assert.equal(records[0]!.senderId, "user111");
  assert.equal(exportText(["a", { type: "bold", text: "b" }, 3]), "ab");
});

test("export writer output reads back to the same records", async () => {
  const { messages } = generateActivity({ days: 3 });
  const json = telegramExportJson(messages, { name: "demo", id: 42, zone: "Europe/Berlin" });
  const back = await collect(readTelegramExport(Readable.from([json])));
  assert.deepEqual(
    back,
    messages.map((m) => ({ ...m, chatId: "42" })),
  );
  assert.match(json, /"date":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"/);
});

test("CSV and JSONL logs: zoned timestamps, derived ids stable across re-reads, zone-less rejected", async () => {
  const csv =
    "timestamp,sender,text\n2024-01-01T10:00:00Z,ann,hi\n1704103200,bob,hi\n2024-01-01T12:00:00+02:00,ann,hi\n";
  const a = await collect(readDelimited(Readable.from([csv]), { format: "csv", chatId: "c" }));
  const b = await collect(readDelimited(Readable.from([csv]), { format: "csv", chatId: "c" }));
  assert.deepEqual(a, b);
  assert.deepEqual(
    a.map((r) => r.timestamp),
    [1704103200, 1704103200, 1704103200],
  );
  // Same second, same text: ann's two lines stay two messages; bob's is another.
  assert.equal(new Set(a.map((r) => r.messageId)).size, 3);
  assert.equal(a[0]!.text, undefined);
  const jsonl =
    '{"timestamp":1704103200,"sender":"ann","text":"x","id":7}\n\n{"timestamp":"2024-01-01T10:00:01Z"}\n';
  const j = await collect(
    readDelimited(Readable.from([jsonl]), { format: "jsonl", chatId: "c", includeText: true }),
  );
  assert.deepEqual(j[0], { chatId: "c", messageId: 7, timestamp: 1704103200, senderId: "ann", text: "x" });
  assert.equal(j[1]!.timestamp, 1704103201);
  assert.throws(() => parseTimestamp("2024-01-01T10:00:00"), /with a zone/);
});

test("hourly counts as TSV with named columns become that many messages per hour, stable ids", async () => {
  const tsv = "datetime\ttxt_cnt\n2024-01-01T10:00:00Z\t3\n2024-01-01T11:00:00+00:00\t0\n1704110400\t2\n";
  const options = {
    format: "csv",
    chatId: "c",
    timeField: "datetime",
    countField: "txt_cnt",
    delimiter: "\t",
  } as const;
  const a = await collect(readDelimited(Readable.from([tsv]), options));
  const b = await collect(readDelimited(Readable.from([tsv]), options));
  assert.deepEqual(a, b);
  assert.deepEqual(
    a.map((r) => r.timestamp),
    [1704103200, 1704103200, 1704103200, 1704110400, 1704110400],
  );
  assert.equal(new Set(a.map((r) => r.messageId)).size, 5);
});

test("every bad row names its line and column, never the parser's message", async () => {
  const read = (text: string, extra: object = {}) =>
    collect(readDelimited(Readable.from([text]), { format: "csv", chatId: "c", ...extra }));
  const counts = { timeField: "datetime", countField: "txt_cnt" };
  // The case: a TSV read with the default column names and delimiter.
  await assert.rejects(read("datetime\ttxt_cnt\n2024-01-01T10:00:00Z\t3\n"), {
    message:
      'no column "timestamp" in the header (columns: "datetime\\ttxt_cnt"); name the columns with --time-field and --count-field, the separator with --delimiter',
  });
  await assert.rejects(read("datetime,txt_cnt\n2024-01-01T10:00:00Z,3\n2024-01-01T11:00:00Z\n", counts), {
    message: 'line 3: 1 fields but the header has 2 ("txt_cnt" is missing; delimiter ",")',
  });
  await assert.rejects(
    read("datetime,txt_cnt\n2024-01-01T10:00:00Z,-1\n", counts),
    /^RangeError: line 2, column "txt_cnt": count must be an integer/,
  );
  await assert.rejects(
    read("datetime,txt_cnt\n2024-01-01 10:00:00,4\n", counts),
    /^RangeError: line 2, column "datetime": timestamp must be .* with a zone/,
  );
  await assert.rejects(
    read('timestamp,sender\n"1704103200,ann\n'),
    /^RangeError: line \d+: malformed CSV \(CSV_/,
  );
});

class FakeHistory implements ChatHistoryClient {
  calls: IterOptions[] = [];
  constructor(
    private readonly messages: HistoryMessage[],
    private readonly floodAfter: number[] = [],
  ) {}
  async resolveChat(ref: string) {
    return ref === "@team" ? "-1001" : ref;
  }
  async *iterMessages(_chat: string, options: IterOptions): AsyncIterable<HistoryMessage> {
    this.calls.push(options);
    let yielded = 0;
    const floodAt = this.floodAfter.shift();
    for (const m of this.messages) {
      if (options.offsetDate !== undefined && m.date <= options.offsetDate) continue;
      if (options.offsetId !== undefined && m.id <= options.offsetId) continue;
      if (floodAt !== undefined && yielded === floodAt) {
        throw Object.assign(new Error("A wait of 3 seconds is required"), {
          errorMessage: "FLOOD",
          seconds: 3,
        });
      }
      yielded++;
      yield m;
    }
  }
}

const day = { from: 1_000_000, to: 1_086_400 };
const history: HistoryMessage[] = [
  { id: 1, date: day.from - 5, senderId: "user1", isService: false },
  { id: 2, date: day.from, senderId: "user1", text: "a", isService: false },
  { id: 3, date: day.from + 10, isService: true },
  { id: 4, date: day.from + 20, senderId: "user2", text: "b", isService: false },
  { id: 5, date: day.from + 30, senderId: "user1", isService: false },
  { id: 6, date: day.to, senderId: "user2", isService: false },
];

test("live history: the day's window, oldest first, service skipped, text only on opt-in", async () => {
  const client = new FakeHistory(history);
  const records = await fetchChatWindow(client, "@team", { ...day });
  assert.deepEqual(
    records.map((r) => [r.chatId, r.messageId, r.senderId, r.text]),
    [
      ["-1001", 2, "user1", undefined],
      ["-1001", 4, "user2", undefined],
      ["-1001", 5, "user1", undefined],
    ],
  );
  assert.equal(client.calls[0]!.offsetDate, day.from - 1);
  assert.equal(client.calls[0]!.reverse, true);
  const withText = await fetchChatWindow(new FakeHistory(history), "@team", { ...day, includeText: true });
  assert.equal(withText[1]!.text, "b");
  await assert.rejects(
    fetchChatWindow(new FakeHistory(history), "@team", { ...day, limit: 2 }),
    /more than 2/,
  );
});

test("live history: FloodWait sleeps the demanded seconds and resumes after the last message", async () => {
  const slept: number[] = [];
  const client = new FakeHistory(history, [2, 1]);
  const records = await fetchChatWindow(client, "@team", { ...day, sleep: async (s) => void slept.push(s) });
  assert.deepEqual(
    records.map((r) => r.messageId),
    [2, 4, 5],
  );
  assert.deepEqual(slept, [4, 5]);
  assert.deepEqual(
    client.calls.map((c) => c.offsetId),
    [undefined, 3, 4],
  );
  const giveUp = new FakeHistory(history, [0, 0, 0]);
  await assert.rejects(
    fetchChatWindow(giveUp, "@team", { ...day, maxFloodWaits: 2, sleep: async () => {} }),
    /FloodWait of 3 s/,
  );
});

test("gramjs mapping: messages, service messages, senders, chat references", () => {
  const message = new Api.Message({
    id: 7,
    date: 1700000000,
    message: "hello",
    peerId: new Api.PeerChannel({ channelId: bigInt(1) }),
    fromId: new Api.PeerUser({ userId: bigInt(555) }),
  });
  assert.deepEqual(fromGramjsMessage(message), {
    id: 7,
    date: 1700000000,
    isService: false,
    senderId: "user555",
    text: "hello",
  });
  const service = new Api.MessageService({
    id: 8,
    date: 1700000001,
    peerId: new Api.PeerChannel({ channelId: bigInt(1) }),
    action: new Api.MessageActionPinMessage(),
  });
  assert.deepEqual(fromGramjsMessage(service), { id: 8, date: 1700000001, isService: true });
  assert.equal(fromGramjsMessage(new Api.MessageEmpty({ id: 9 })), null);
  assert.equal(chatEntityLike("https://t.me/inflow_team"), "inflow_team");
  assert.equal(chatEntityLike("@inflow_team"), "inflow_team");
  assert.equal(chatEntityLike("-1001234567890"), -1001234567890);
  assert.throws(() => chatEntityLike("https://t.me/+AbCdEf"), /invite links/);
});
