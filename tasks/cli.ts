import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { activityCommands } from "./activity/index.js";
import { ticketCommands } from "./tickets/index.js";

/** `inflow <pipeline> <step> --date YYYY-MM-DD ...`: every step of every pipeline, one CLI. */
export async function main(argv = hideBin(process.argv)): Promise<void> {
  await yargs(argv)
    .scriptName("inflow")
    .usage("$0 <pipeline> <step> --date YYYY-MM-DD [options]")
    .command("tickets", "Ticket labelling and routing pipeline", (y) => {
      for (const command of ticketCommands) y.command(command);
      return y.demandCommand(1, "Choose a step of the tickets pipeline");
    })
    .command("activity", "Chat activity forecasting pipeline", (y) => {
      for (const command of activityCommands) y.command(command);
      return y.demandCommand(1, "Choose a step of the activity pipeline");
    })
    .command((await import("./serve.js")).serveCommand)
    .command((await import("./deploy.js")).deployCommand)
    .command((await import("./stream.js")).streamCommand)
    .command((await import("./console.js")).consoleCommand)
    .demandCommand(1, "Choose a pipeline")
    .strict()
    .help()
    .alias("h", "help")
    .version()
    .wrap(Math.min(120, process.stdout.columns ?? 120))
    .fail((message, error, y) => {
      if (error) throw error;
      process.stderr.write(`${y.help()}\n\n${message}\n`);
      process.exit(2);
    })
    .parseAsync();
}

await main();
