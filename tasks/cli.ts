import type { CommandModule } from "yargs";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { boundsProblem, numberFlagBounds } from "./flag-bounds.js";
import { mistypedCommand } from "./mistyped-command.js";
import { fail } from "./start-messages.js";
import { notANumber, usageLine } from "./usage-problems.js";

/** `inflow <pipeline> <step> --date YYYY-MM-DD ...`: every step of every pipeline, one CLI. */
export async function main(argv = hideBin(process.argv)): Promise<void> {
  // A pipeline's steps (and all the library they pull in) load only when that pipeline is run: yargs
  // builds a command's subcommands only when it is chosen, and `inflow deploy` needs none of them.
  const ticketCommands = argv.includes("tickets") ? (await import("./tickets/index.js")).ticketCommands : [];
  const activityCommands = argv.includes("activity")
    ? (await import("./activity/index.js")).activityCommands
    : [];
  const { serveCommand } = await import("./serve.js");
  const { deployCommand } = await import("./deploy.js");
  const { streamCommand } = await import("./stream.js");
  const { consoleCommand } = await import("./console.js");
  const topCommands = [serveCommand, deployCommand, streamCommand, consoleCommand];
  // A typo gets its one useful line, not the whole help and "Unknown arguments" of yargs' strict mode.
  const typo = mistypedCommand(argv, ["tickets", "activity", ...topCommands.map(commandName)], {
    tickets: ticketCommands.map(commandName),
    activity: activityCommands.map(commandName),
  });
  // Usage problems exit 2 (never worth a retry): one line on a terminal, one JSON record off it.
  if (typo) fail("inflow", typo, 2);
  await yargs(argv)
    .scriptName("inflow")
    .usage("$0 <pipeline> <step> --date YYYY-MM-DD [options]\n$0 serve | console | stream | deploy [options]")
    .command("tickets", "Ticket labelling and routing pipeline", (y) => {
      for (const command of ticketCommands) y.command(command);
      return y.demandCommand(1, "Choose a step of the tickets pipeline");
    })
    .command("activity", "Chat activity forecasting pipeline", (y) => {
      for (const command of activityCommands) y.command(command);
      return y.demandCommand(1, "Choose a step of the activity pipeline");
    })
    .command(serveCommand)
    .command(deployCommand)
    .command(streamCommand)
    .command(consoleCommand)
    .demandCommand(1, "Choose a pipeline")
    .strict()
    .help()
    .alias("h", "help")
    .version()
    .wrap(Math.min(120, process.stdout.columns ?? 120))
    .check((parsed) => notANumber(parsed, argv) ?? boundsProblem(parsed, numberFlagBounds) ?? true)
    .fail((message, error) => {
      // A command's own failure propagates; a flag check's (returned as a string) is a usage error.
      if (error instanceof Error) throw error;
      fail("inflow", usageLine(message, argv), 2);
    })
    .parseAsync();
}

/** A command module's name: the first word of its `command` string. */
function commandName(command: Pick<CommandModule, "command">): string {
  const spec = Array.isArray(command.command) ? command.command[0] : command.command;
  return String(spec ?? "").split(" ")[0] ?? "";
}

await main();
