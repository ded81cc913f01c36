import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { cfpbFooter, cfpbHeader, cfpbRow } from "../../src/tickets/generator/export.js";
import { generateTickets, generatorWords } from "../../src/tickets/generator/generate.js";

// The sha256s of a fixed-seed corpus, computed before the generator's vocabulary moved from TypeScript
// literals to data files: a refactoring of the generator must not change one byte it writes.
test("a fixed seed reproduces the recorded corpus byte for byte (tickets, truth, CFPB export, word list)", () => {
  const tickets = createHash("sha256");
  const truth = createHash("sha256");
  const cfpb = createHash("sha256").update(cfpbHeader);
  let index = 0;
  const options = {
    count: 4000,
    seed: 20260309,
    garbageRate: 0.03,
    startDate: "2024-01-01",
    endDate: "2024-12-31",
  };
  for (const row of generateTickets(options)) {
    tickets.update(`${JSON.stringify(row.ticket)}\n`);
    truth.update(`${JSON.stringify(row.truth)}\n`);
    cfpb.update(cfpbRow(row.ticket, index++));
  }
  cfpb.update(cfpbFooter);
  assert.equal(tickets.digest("hex"), "caef2a3cefd208da8ab1613d37e55f7ae47fe98944a83b6362f5d037a739b68a");
  assert.equal(truth.digest("hex"), "dda4698b17741e398416a0ba78aa283d0f1789d9042ee44f4b7e2e579e0ef204");
  assert.equal(cfpb.digest("hex"), "727efb8462c1b423e00ce88febd65b725e44d4d79d3dccf7f2bfa4a164b2c120");
  const words = createHash("sha256").update([...generatorWords()].join("\n"));
  assert.equal(words.digest("hex"), "a97c3c9c353a50b0c0a6da2672e34a4e54d5d5d58a779d213334f2dfcc609c42");
});
