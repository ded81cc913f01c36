import assert from "node:assert/strict";
import { test } from "node:test";
import { mistypedCommand } from "../../tasks/mistyped-command.js";

const commands = ["tickets", "activity", "serve"];
const stepsOf = { tickets: ["preprocess", "relabel", "train"], activity: ["ingest"] };

test("a mistyped command word is named with the nearest command within three edits", () => {
  assert.equal(
    mistypedCommand(["tickets", "trian", "--date", "2025-01-01"], commands, stepsOf),
    'Unknown command "trian". Did you mean train? (`inflow tickets --help` lists them)',
  );
  assert.equal(
    mistypedCommand(["srve"], commands, stepsOf),
    'Unknown command "srve". Did you mean serve? (`inflow --help` lists them)',
  );
  assert.equal(
    mistypedCommand(["tickets", "forecast"], commands, stepsOf),
    'Unknown command "forecast". (`inflow tickets --help` lists them)',
    "nothing near: no guess",
  );
});

test("known command words, flags and what follows a step are left to yargs", () => {
  for (const argv of [
    [],
    ["--help"],
    ["tickets"],
    ["tickets", "--help"],
    ["tickets", "train", "unexpected"],
    ["serve", "--port", "8080"],
    ["activity", "ingest"],
  ])
    assert.equal(mistypedCommand(argv, commands, stepsOf), undefined, argv.join(" "));
});
