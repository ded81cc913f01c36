import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { InputError } from "./errors.js";

/**
 * Error codes retrying cannot fix: the folder's permissions or mount are wrong (configuration, exit 2),
 * with what each means to a person.
 */
export const unwritableCodes: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
};

/** What a file-system error means when a retry cannot fix it (see unwritableCodes), else undefined. */
export function unwritableCause(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  const cause = unwritableCodes[code];
  return cause === undefined ? undefined : `${cause} (${code})`;
}

type MakeFolder = (path: string, options?: { recursive: true }) => Promise<unknown>;

/**
 * `mkdir -p` that fails with the real cause. Node's recursive mkdir reports a read-only file system
 * (EROFS) as ENOENT (nodejs/node#47098): a store on a read-only mount read as a missing folder and a
 * retryable failure. On ENOENT the folders are made one level at a time, so the first that cannot be
 * made fails with its own code.
 */
export async function makeFolders(path: string, makeFolder: MakeFolder = mkdir): Promise<void> {
  try {
    await makeFolder(path, { recursive: true });
  } catch (error) {
    const parent = dirname(path);
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" || parent === path) throw error;
    await makeFolders(parent, makeFolder);
    await makeFolder(path).catch((cause: NodeJS.ErrnoException) => {
      if (cause.code !== "EEXIST") throw cause;
    });
  }
}

/**
 * Fails with InputError (exit 2) unless the folder of a file named on the command line (`--output`)
 * exists: checked before the step's work, not found as a crash when the file is first written.
 */
export async function requireFolderOf(path: string, flag: string): Promise<void> {
  const folder = dirname(resolve(path));
  const isFolder = await stat(folder).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isFolder)
    throw new InputError(
      `${flag} ${path}: the folder ${folder} does not exist; create it or choose another path`,
    );
}
