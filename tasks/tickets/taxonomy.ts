import { readFile, writeFile } from "node:fs/promises";
import { Publication } from "../../src/store/publish.js";
import { kinds } from "../../src/tickets/dataset.js";
import { taxonomyAsOf, topicModelAsOf } from "../../src/tickets/models.js";
import { parseTaxonomy, serializeTaxonomy } from "../../src/topics/taxonomy.js";
import { InputError } from "../../src/util/errors.js";
import { requireFolderOf } from "../../src/util/folders.js";
import type { TaskDefinition } from "../task.js";

interface Options {
  export?: string;
  publish?: string;
}

/** taxonomy: export the current taxonomy for a person to edit, or publish their edited file. */
export const taxonomyTask: TaskDefinition<Options> = {
  pipeline: "tickets",
  step: "taxonomy",
  describe: "Export the taxonomy in force on --date to a YAML file, or validate and publish an edited one",
  options: (argv) =>
    argv
      .option("export", { type: "string", describe: "Write the taxonomy in force on --date to this file" })
      .option("publish", {
        type: "string",
        describe: "Validate this edited taxonomy file and publish it for --date",
      })
      // A string (not a throw): the CLI prints it with the usage and exits 2.
      .check((o) =>
        Boolean(o.export) === Boolean(o.publish) ? "give exactly one of --export or --publish" : true,
      ),
  async run({ date, runId, store, run }, options) {
    const current = await taxonomyAsOf(store, date, false);
    if (!current) throw new InputError(`no taxonomy on or before ${date}: run relabel first`);
    if (options.export) {
      await requireFolderOf(options.export, "--export");
      await writeFile(options.export, serializeTaxonomy(current.value));
      return {
        exported: options.export,
        version: current.value.version,
        topics: current.value.topics.length,
      };
    }
    const path = options.publish!;
    const edited = parseTaxonomy(
      await readFile(path, "utf8").catch((e) => {
        throw new InputError(`cannot read ${path}: ${(e as Error).message}`);
      }),
      path,
    );
    const model = await topicModelAsOf(store, date, false);
    const known = new Set(model?.value.topicIds ?? []);
    const missing = [...known].filter((id) => !edited.topics.some((t) => t.id === id));
    const unknown = edited.topics.filter((t) => !known.has(t.id)).map((t) => t.id);
    if (missing.length || unknown.length) {
      throw new InputError(
        `${path}: topics must match the topic model in force (missing ids [${missing}], unknown ids [${unknown}])`,
      );
    }
    const next = { ...edited, version: current.value.version + 1 };
    const publication = new Publication(store, kinds.taxonomy, date, runId);
    await publication.put("taxonomy.yaml", serializeTaxonomy(next));
    await publication.publish(
      { inputs: [{ uri: current.uri, sha256: current.sha256 }], params: { editedFile: path } },
      { version: next.version },
    );
    await run.logParams({ taxonomyVersion: next.version });
    return { published: next.version, topics: next.topics.length };
  },
};
