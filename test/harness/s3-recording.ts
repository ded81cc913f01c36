/**
 * moto keeps objects in memory; its recorder appends every request it receives (whole body, before
 * handling it) to a JSON-lines file. Replaying the mutating requests of that log into a fresh moto
 * process restores the state the killed one had accepted: this is the S3 harness's persistence.
 */
import { open, readFile, stat, writeFile } from "node:fs/promises";

interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  body_encoded?: boolean;
}

/** Headers the HTTP client must compute itself for the replayed request. */
const hopHeaders = new Set(["host", "content-length", "transfer-encoding", "connection", "expect"]);

/** Drops a line the kill cut short: that request never fully reached the server. */
export async function trimRecording(file: string): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  if (complete.length !== text.length) await writeFile(file, complete);
  return complete;
}

/**
 * Sends the recorded PUT/POST/DELETE requests to `endpoint`, in order. Multipart upload ids are random
 * per process, so each recorded id is mapped to the one the replayed CreateMultipartUpload returns.
 */
export async function replayRecording(recording: string, endpoint: string): Promise<number> {
  const uploadIds = new Map<string, string>();
  const openedUploads = new Map<string, string>();
  let replayed = 0;
  for (const line of recording.split("\n")) {
    if (!line) continue;
    const entry = JSON.parse(line) as RecordedRequest;
    if (entry.method === "GET" || entry.method === "HEAD") continue;
    const recorded = new URL(entry.url);
    if (recorded.pathname.startsWith("/moto-api/")) continue;
    let search = recorded.search;
    const oldId = /[?&]uploadId=([^&]+)/.exec(search)?.[1];
    if (oldId) {
      if (!uploadIds.has(oldId) && openedUploads.has(recorded.pathname)) {
        uploadIds.set(oldId, openedUploads.get(recorded.pathname)!);
        openedUploads.delete(recorded.pathname);
      }
      search = search.replace(
        `uploadId=${oldId}`,
        `uploadId=${encodeURIComponent(uploadIds.get(oldId) ?? oldId)}`,
      );
    }
    const headers = Object.fromEntries(
      Object.entries(entry.headers).filter(([name]) => !hopHeaders.has(name.toLowerCase())),
    );
    const body = entry.body_encoded ? Buffer.from(entry.body ?? "", "base64") : (entry.body ?? "");
    const response = await fetch(`${endpoint}${recorded.pathname}${search}`, {
      method: entry.method,
      headers,
      body: body.length > 0 ? body : undefined,
    });
    const text = await response.text();
    if (entry.method === "POST" && /[?&]uploads(=|&|$)/.test(recorded.search)) {
      const fresh = /<UploadId>([^<]+)<\/UploadId>/.exec(text)?.[1];
      if (fresh) openedUploads.set(recorded.pathname, fresh);
    }
    replayed++;
  }
  return replayed;
}

/**
 * Calls `onRequest(method, url)` for each request the server records from now on, as soon as its
 * line is written (before the server has handled it). Returns a stop function.
 */
export async function watchRecording(
  file: string,
  onRequest: (method: string, url: string) => void,
): Promise<() => void> {
  let offset = (await stat(file).catch(() => ({ size: 0 }))).size;
  let tail = "";
  let busy = false;
  const requestLine = /"method": "([A-Z]+)", "url": "([^"]+)"/g;
  const poll = async () => {
    if (busy) return;
    busy = true;
    const handle = await open(file, "r").catch(() => null);
    try {
      if (!handle) return;
      const { size } = await handle.stat();
      if (size <= offset) return;
      const chunk = Buffer.alloc(size - offset);
      await handle.read(chunk, 0, chunk.length, offset);
      offset = size;
      // Keep a short tail so a method/url pair split across two reads is still seen.
      const text = tail + chunk.toString("latin1");
      let last = 0;
      for (const match of text.matchAll(requestLine)) {
        onRequest(match[1]!, match[2]!);
        last = match.index + match[0].length;
      }
      tail = text.slice(Math.max(last, text.length - 4096));
    } finally {
      await handle?.close();
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), 5);
  // A watch that never fires must not keep the test process alive.
  timer.unref();
  return () => clearInterval(timer);
}
