import { InputError } from "../util/errors.js";
import { sha256 } from "../util/hash.js";

/**
 * A sealed artifact: one JSON file holding a format name, a schema version and a payload, with the
 * payload's sha256. Typed arrays are stored as base64 of their little-endian bytes (exact, compact).
 * Opening verifies format, schema version and checksum, so a truncated or corrupted model is refused.
 */
export interface SealedHeader {
  format: string;
  schemaVersion: number;
  checksum: string;
}

function encode(_key: string, value: unknown): unknown {
  if (value instanceof Float64Array) return { $f64: bytes(value) };
  if (value instanceof Float32Array) return { $f32: bytes(value) };
  if (value instanceof Int32Array) return { $i32: bytes(value) };
  return value;
}

function bytes(array: Float64Array | Float32Array | Int32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString("base64");
}

function decode(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const encoded = value as Partial<Record<"$f64" | "$f32" | "$i32", string>>;
    if (typeof encoded.$f64 === "string") return typed(encoded.$f64, Float64Array);
    if (typeof encoded.$f32 === "string") return typed(encoded.$f32, Float32Array);
    if (typeof encoded.$i32 === "string") return typed(encoded.$i32, Int32Array);
  }
  return value;
}

function typed<T extends Float64Array | Float32Array | Int32Array>(
  base64: string,
  Kind: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
): T {
  const buffer = Buffer.from(base64, "base64");
  if (buffer.length % Kind.BYTES_PER_ELEMENT !== 0) throw new InputError("corrupt typed array in artifact");
  // Copy into a fresh, aligned ArrayBuffer.
  const aligned = new ArrayBuffer(buffer.length);
  new Uint8Array(aligned).set(buffer);
  return new Kind(aligned);
}

export function seal(format: string, schemaVersion: number, payload: unknown): string {
  const body = JSON.stringify(payload, encode);
  const header = JSON.stringify({ format, schemaVersion, checksum: `sha256:${sha256(body)}` });
  // The payload text is embedded verbatim so its checksum can be verified on the exact bytes written.
  return `${header.slice(0, -1)},"payload":${body}}\n`;
}

export function unseal<T>(
  text: string,
  format: string,
  supportedVersions: readonly number[],
  source: string,
): T {
  const start = text.indexOf(',"payload":');
  if (!text.startsWith("{") || start < 0) throw new InputError(`${source}: not an Inflow ${format} artifact`);
  let header: SealedHeader;
  try {
    header = JSON.parse(`${text.slice(0, start)}}`) as SealedHeader;
  } catch {
    throw new InputError(`${source}: unreadable artifact header`);
  }
  if (header.format !== format) {
    throw new InputError(`${source}: expected a ${format} artifact, found "${String(header.format)}"`);
  }
  if (!supportedVersions.includes(header.schemaVersion)) {
    throw new InputError(
      `${source}: schema version ${header.schemaVersion} is not supported (supported: ${supportedVersions.join(", ")})`,
    );
  }
  const body = text.slice(start + ',"payload":'.length).trimEnd();
  if (!body.endsWith("}")) throw new InputError(`${source}: artifact is truncated`);
  const payloadText = body.slice(0, -1);
  if (`sha256:${sha256(payloadText)}` !== header.checksum) {
    throw new InputError(`${source}: checksum mismatch (the file is corrupted or was modified)`);
  }
  try {
    return JSON.parse(payloadText, decode) as T;
  } catch {
    throw new InputError(`${source}: artifact payload is not valid JSON`);
  }
}
