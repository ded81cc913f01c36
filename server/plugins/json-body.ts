import type { ApiInstance } from "../instance.js";

/**
 * JSON bodies parsed by JSON.parse (which makes `__proto__` an ordinary own key, never a prototype),
 * then refused with the real reason when they carry a `__proto__` or `constructor.prototype` key:
 * such keys pollute prototypes wherever the body is later merged into an object.
 */
export function jsonBodies(app: ApiInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    // Tested, not trimmed: trimming would copy the whole body to find out it is not blank.
    if (!nonBlank.test(body as string)) {
      done(clientError("body is empty; send a JSON array of tickets"), undefined);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(body as string);
    } catch (error) {
      done(clientError(`body is not valid JSON: ${(error as Error).message}`), undefined);
      return;
    }
    const key = pollutingKey(value);
    if (key !== null) {
      done(
        clientError(`body holds a "${key}" key, refused (prototype pollution); remove that key`),
        undefined,
      );
      return;
    }
    done(null, value);
  });
}

const nonBlank = /\S/;

function clientError(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400 });
}

function pollutingKey(root: unknown): string | null {
  const pending = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== "object") continue;
    if (Object.hasOwn(value, "__proto__")) return "__proto__";
    const ctor = Object.hasOwn(value, "constructor") ? (value as { constructor: unknown }).constructor : null;
    if (ctor !== null && typeof ctor === "object" && Object.hasOwn(ctor, "prototype")) {
      return "constructor.prototype";
    }
    // Only objects can hold keys: strings and numbers (most of a body) are not queued.
    const children = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) if (child !== null && typeof child === "object") pending.push(child);
  }
  return null;
}
