import yargs from "yargs";
import { hideBin } from "yargs/helpers";

/** `inflow <pipeline> <step> --date YYYY-MM-DD ...`: every step of every pipeline, one CLI. */
export async function main(argv = hideBin(process.argv)): Promise<void> {
  // A pipeline's steps (and all the library they pull in) load only when that pipeline is run: yargs
  // builds a command's subcommands only when it is chosen, and `inflow deploy` needs none of them.
  const ticketCommands = argv.includes("tickets") ? (await import("./tickets/index.js")).ticketCommands : [];
  const activityCommands = argv.includes("activity")
    ? (await import("./activity/index.js")).activityCommands
    : [];
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
