import { Reader } from "@platformatic/kafka";

/**
 * Reads a response's tagged fields (KIP-482) as Kafka writes them: an unsigned varint count, then per
 * field an unsigned varint tag, an unsigned varint size and that many bytes, skipped here.
 *
 * @platformatic/kafka 1.35's `Reader.readTaggedFields` ("Tagged fields are not supported yet") reads
 * the count as a zigzag varint byte length instead: correct only when there are none. A Fetch (v12+)
 * partition that fails with FENCED_LEADER_EPOCH or NOT_LEADER_OR_FOLLOWER carries the CurrentLeader
 * tag (KIP-951), as after a broker restart bumps the leader epoch while a member still sends the old
 * one; the whole response then fails to decode ("Out of bounds."), the client retries the same fetch
 * forever (1 s apart) instead of seeing FENCED_LEADER_EPOCH and resetting the epoch, and the member
 * reads nothing more while its partitions fill up (the chaos test's stall, one run in four). Patched
 * on the prototype the client's parsers use, so every response is read correctly; remove once the
 * client reads tagged fields.
 */
function readTaggedFieldsAsKafkaWrites(this: Reader): void {
  const count = this.readUnsignedVarInt();
  for (let i = 0; i < count; i++) {
    this.readUnsignedVarInt();
    this.skip(this.readUnsignedVarInt());
  }
}

Reader.prototype.readTaggedFields = readTaggedFieldsAsKafkaWrites;
