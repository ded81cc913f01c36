import assert from "node:assert/strict";
import { test } from "node:test";
import { Type } from "@sinclair/typebox";
import { checkedBySchema } from "../../src/util/schema.js";

const Pool = Type.Object({
  name: Type.String({ minLength: 1 }),
  words: Type.Array(Type.String(), { minItems: 1 }),
});

test("a value that fits its schema comes back typed; one that does not lists every problem with its path", () => {
  assert.deepEqual(checkedBySchema(Pool, { name: "banks", words: ["Chase"] }, "pools.json"), {
    name: "banks",
    words: ["Chase"],
  });
  assert.throws(
    () => checkedBySchema(Pool, { name: "", words: [] }, "pools.json"),
    (error: Error) =>
      error.message.startsWith("pools.json is invalid:") &&
      error.message.includes("/name:") &&
      error.message.includes("/words:"),
  );
});
