/**
 * The script a worker thread runs for the module `name` beside `callerUrl` (the caller's
 * import.meta.url). Compiled code runs its .js sibling directly. Under tsx (tests and benches run
 * TypeScript directly) a worker does not inherit the TypeScript loader, so a small start-up module
 * registers tsx inside the worker before importing the .ts file.
 */
export function workerScript(callerUrl: string, name: string): URL {
  if (!callerUrl.endsWith(".ts")) return new URL(`./${name}.js`, callerUrl);
  const worker = new URL(`./${name}.ts`, callerUrl).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(worker)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}
