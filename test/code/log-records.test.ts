import assert from "node:assert/strict";
import { test } from "node:test";
import { pino } from "pino";
import { logRecordOptions } from "../../src/util/log.js";

test("an error's log record keeps its own message, its cause apart (not appended to the message again)", () => {
  const lines: string[] = [];
  const log = pino(logRecordOptions("tickets.predict", "info"), {
    write: (line: string) => lines.push(line),
  });
  const cause = new Error("ENOENT: no such file or directory, open '/nope.json'");
  const error = new Error(`cannot read json tickets from /nope.json: ${cause.message}`, { cause });
  log.error({ err: error }, "task failed");
  const record = JSON.parse(lines[0]!) as {
    service: string;
    err: { message: string; cause: { message: string } };
  };
  assert.equal(record.service, "inflow");
  assert.equal(record.err.message, error.message);
  assert.equal(record.err.cause.message, cause.message);
});
