import { createLogger, logsForPeople } from "../src/util/log.js";

/**
 * What a long-running command (serve, stream, console) says before its own logger runs: one plain
 * line for a person at a terminal, a JSON record for the log collector otherwise — the same split as
 * the batch tasks' logs, so a pod's log never holds a stray line a parser cannot read.
 */
export function tell(command: string, message: string, level: "info" | "warn" = "info"): void {
  if (logsForPeople()) process.stderr.write(`${message}\n`);
  else createLogger(command)[level](message);
}

/** A start that cannot succeed as configured (bad setting, port in use): say why and exit 2. */
export function failStart(command: string, message: string): never {
  fail(command, message, 2);
}

/**
 * A command that cannot go on: one line for a person at a terminal, one fatal JSON record off it (no
 * stack trace: the message says what happened and what it means), then exit with `exitCode`.
 */
export function fail(command: string, message: string, exitCode: number): never {
  if (logsForPeople()) process.stderr.write(`${message}\n`);
  // At any log level, even "silent": the reason is the command's result, as a task's summary is.
  else createLogger(command, "fatal").fatal({ exitCode }, message);
  process.exit(exitCode);
}
