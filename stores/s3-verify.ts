import { createHash } from "node:crypto";
import { Transform } from "node:stream";

/**
 * A pass-through that hashes what flows through it and, at the end, fails the stream when the bytes
 * differ from what was recorded (sha256 and/or size): a truncated download or a file changed during
 * its upload surfaces as an error instead of wrong data.
 */
export function verifyingStream(expected: { sha256?: string; size?: number }, what: string): Transform {
  const hash = createHash("sha256");
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      if (expected.size !== undefined && size !== expected.size) {
        done(new Error(`${what}: got ${size} bytes, expected ${expected.size}`));
        return;
      }
      const actual = hash.digest("hex");
      if (expected.sha256 !== undefined && actual !== expected.sha256) {
        done(new Error(`${what}: sha256 ${actual} differs from the recorded ${expected.sha256}`));
        return;
      }
      done();
    },
  });
}
