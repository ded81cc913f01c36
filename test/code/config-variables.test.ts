import assert from "node:assert/strict";
import { test } from "node:test";
import { Type } from "@sinclair/typebox";
import { readActivityConfig } from "../../src/activity/config.js";
import { IntegerIn, NumberIn, OneOf, readSettings, setting, Text } from "../../src/config/variables.js";

const settings = {
  port: setting("PORT", IntegerIn(0, 65_535), 8000),
  ratio: setting("RATIO", NumberIn(0, 1), 0.5),
  mode: setting("MODE", OneOf(["fast", "exact"]), "fast"),
  on: setting("ON", Type.Boolean(), false),
  limit: setting(["NEW_LIMIT", "OLD_LIMIT"], IntegerIn(1, 10), 3),
  token: setting("TOKEN", Text({ minLength: 16, description: "at least 16 characters" }), null, {
    secret: true,
  }),
};

test("settings: text converted by the schema's type; unset or blank keeps the default; the first set name wins", () => {
  const problems: string[] = [];
  assert.deepEqual(
    readSettings({ RATIO: " 0.25 ", MODE: "exact", ON: "yes", OLD_LIMIT: "7", PORT: "" }, settings, problems),
    {
      port: 8000,
      ratio: 0.25,
      mode: "exact",
      on: true,
      limit: 7,
      token: null,
    },
  );
  assert.equal(readSettings({ NEW_LIMIT: "2", OLD_LIMIT: "7" }, settings, problems).limit, 2);
  assert.deepEqual(problems, []);
});

test("settings: every bad value is a problem naming the variable and what it must be; a secret's value is never echoed", () => {
  const problems: string[] = [];
  const values = readSettings(
    { PORT: "2.5", RATIO: "lots", MODE: "quick", ON: "maybe", NEW_LIMIT: "11", TOKEN: "hunter2" },
    settings,
    problems,
  );
  assert.deepEqual(problems, [
    'PORT must be an integer in [0, 65535], got "2.5"',
    'RATIO must be a number in [0, 1], got "lots"',
    'MODE must be one of fast, exact, got "quick"',
    'ON must be true or false, got "maybe"',
    'NEW_LIMIT must be an integer in [1, 10], got "11"',
    "TOKEN must be at least 16 characters",
  ]);
  assert.equal(values.port, 8000, "a bad value keeps the default");
});

test("activity configuration: its problems join the caller's list", () => {
  const problems = ["INFLOW_STORE must be a file:// or s3:// URI"];
  readActivityConfig(
    { INFLOW_ACTIVITY_TIME_ZONE: "Mars/Olympus", INFLOW_ACTIVITY_KEEP_TEXT: "perhaps" },
    {},
    {},
    problems,
  );
  assert.equal(problems.length, 4);
  assert.match(problems.join("\n"), /INFLOW_ACTIVITY_CHAT is required/);
  assert.match(problems.join("\n"), /unknown IANA time zone "Mars\/Olympus"/);
  assert.match(problems.join("\n"), /INFLOW_ACTIVITY_KEEP_TEXT must be true or false/);
});
