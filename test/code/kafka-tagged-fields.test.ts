import assert from "node:assert/strict";
import { test } from "node:test";

/**
 * A Fetch v17 response as Kafka 4 sends it after a broker restart to a member still sending the old
 * leader epoch: partition 0 fails with FENCED_LEADER_EPOCH (74) and carries the CurrentLeader tagged
 * field (tag 1: leader id, leader epoch, no tags); partition 1 is fine and empty.
 */
function fencedFetchResponse(): Buffer {
  const int16 = (v: number) => Buffer.from([(v >> 8) & 0xff, v & 0xff]);
  const int32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return b;
  };
  const int64 = (v: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    return b;
  };
  const byte = (...v: number[]) => Buffer.from(v);
  const partition = (index: number, errorCode: number, tags: Buffer) =>
    Buffer.concat([
      int32(index),
      int16(errorCode),
      int64(-1n), // high watermark
      int64(-1n), // last stable offset
      int64(-1n), // log start offset
      byte(0), // aborted transactions: null
      int32(-1), // preferred read replica
      byte(0), // records: null
      tags,
    ]);
  const currentLeader = Buffer.concat([int32(1), int32(5), byte(0)]);
  return Buffer.concat([
    int32(0), // throttle
    int16(0), // error code
    int32(0), // session id
    byte(2), // one topic
    Buffer.alloc(16, 7), // topic id
    byte(3), // two partitions
    partition(0, 74, Buffer.concat([byte(1, 1, currentLeader.length), currentLeader])),
    partition(1, 0, byte(0)),
    byte(0), // topic's tagged fields
    byte(0), // response's tagged fields
  ]);
}

test("a fetch response with a tagged field is read whole: the error it carries reaches the client", async () => {
  const { Reader, fetchV17 } = await import("@platformatic/kafka");
  const parse = () => fetchV17.parseResponse(0, 1, 17, Reader.from(fencedFetchResponse()));
  // The client alone cannot read it (when this fails, the client reads tagged fields: drop the patch).
  assert.throws(parse, /Out of bounds/);

  await import("../../server/stream/kafka-tagged-fields.js");
  let error: unknown;
  try {
    parse();
  } catch (thrown) {
    error = thrown;
  }
  const fenced = error as { findBy(key: string, value: unknown): unknown; response: unknown };
  assert.ok(fenced.findBy("apiId", "FENCED_LEADER_EPOCH"), "the client resets the epoch on this error");
  const { responses } = fenced.response as { responses: { partitions: { partitionIndex: number }[] }[] };
  assert.deepEqual(
    responses[0]!.partitions.map((p) => p.partitionIndex),
    [0, 1],
  );
});
