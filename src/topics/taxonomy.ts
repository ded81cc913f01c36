import { LineCounter, parse, stringify, YAMLError } from "yaml";
import { InputError } from "../util/errors.js";

/**
 * The taxonomy: a human-editable, versioned YAML file mapping topic id → name → department (routing queue).
 * The topic model finds topics; people decide what they are called and where they go.
 */
export interface TaxonomyTopic {
  id: number;
  name: string;
  department: string;
  /** How the entry was named: by a person, from the catalog, or from top terms (needs a person). */
  origin: "person" | "catalog" | "top-terms";
  /** The topic's top terms when it was last fitted, for the person editing the file. */
  topTerms: string[];
  /** Set when a person merged this topic into another: its tickets count as that topic's. */
  mergedInto?: number;
  /** Set when a person marked the topic as noise: its tickets are not routed or trained on. */
  noise?: boolean;
}

export interface CatalogEntry {
  name: string;
  department: string;
  /** Lemmatized nouns that identify the category. */
  keywords: string[];
}

export interface Taxonomy {
  version: number;
  /** Predictions below this confidence are flagged needs_review. */
  reviewThreshold: number;
  /** Departments a topic may route to; "Unrouted" is where unnamed topics wait for a person. */
  departments: string[];
  topics: TaxonomyTopic[];
  /** Known categories a new topic is named after when its terms clearly match one (src/topics/naming.ts). */
  catalog: CatalogEntry[];
}

export const unrouted = "Unrouted";

/**
 * The seed's five CFPB product categories: a domain pack for consumer-finance complaints, applied
 * only when chosen (`relabel --catalog cfpb`, or a taxonomy whose catalog holds it), never by default.
 */
export const cfpbCatalog: CatalogEntry[] = [
  {
    name: "Bank account services",
    department: "Accounts",
    keywords: [
      "account",
      "checking",
      "saving",
      "deposit",
      "overdraft",
      "branch",
      "debit",
      "wire",
      "balance",
      "check",
      "atm",
      "bank",
    ],
  },
  {
    name: "Credit card / Prepaid card",
    department: "Cards",
    keywords: [
      "card",
      "credit",
      "prepaid",
      "limit",
      "fee",
      "reward",
      "apr",
      "interest",
      "statement",
      "point",
      "annual",
    ],
  },
  {
    name: "Theft/Dispute reporting",
    department: "Fraud and disputes",
    keywords: [
      "fraud",
      "dispute",
      "theft",
      "identity",
      "transaction",
      "chargeback",
      "claim",
      "scam",
      "police",
      "unauthorized",
      "merchant",
    ],
  },
  {
    name: "Mortgages/loans",
    department: "Lending",
    keywords: [
      "mortgage",
      "loan",
      "escrow",
      "foreclosure",
      "modification",
      "refinance",
      "lender",
      "servicer",
      "home",
      "property",
      "house",
    ],
  },
  {
    name: "Others",
    department: "General",
    keywords: ["report", "collection", "debt", "bureau", "agency", "score", "student"],
  },
];

/** Catalogs `relabel --catalog` can choose; "none" names topics from their own terms only. */
export const catalogs: Record<string, CatalogEntry[]> = { none: [], cfpb: cfpbCatalog };

/** The taxonomy before any person edited it: no topics, and the given catalog (none by default). */
export function defaultTaxonomy(catalog: CatalogEntry[] = []): Taxonomy {
  return {
    version: 0,
    reviewThreshold: 0.5,
    departments: [...new Set([...catalog.map((c) => c.department), unrouted])],
    topics: [],
    catalog,
  };
}

/** The topic a topic's tickets count as (itself, or the one it was merged into); null for noise. */
export function effectiveTopic(taxonomy: Taxonomy, id: number): number | null {
  const topic = taxonomy.topics.find((t) => t.id === id);
  if (!topic) return id;
  const target =
    topic.mergedInto === undefined ? topic : taxonomy.topics.find((t) => t.id === topic.mergedInto);
  return target?.noise ? null : (target?.id ?? id);
}

export function topicById(taxonomy: Taxonomy): Map<number, TaxonomyTopic> {
  return new Map(taxonomy.topics.map((t) => [t.id, t]));
}

export function serializeTaxonomy(taxonomy: Taxonomy): string {
  const header =
    "# Inflow taxonomy: topic id -> name -> department (routing queue).\n" +
    "# Edit names and departments, then publish with `inflow tickets taxonomy --date <date> --publish <this file>`.\n" +
    `# Names: 1-${maxNameLength} characters; letters, digits, punctuation, symbols and single spaces.\n` +
    "# Topics with origin top-terms were named automatically and wait for a person.\n";
  return header + stringify(taxonomy, { lineWidth: 0 });
}

/** Topic and department names reach dashboards, metric labels and help desks: short, printable, one line. */
export const maxNameLength = 80;
const printableName = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]+( [\p{L}\p{M}\p{N}\p{P}\p{S}]+)*$/u;

/** Why `name` is not a valid topic or department name, or null. */
export function nameProblem(name: unknown): string | null {
  if (typeof name !== "string" || name.length === 0) return "must be a non-empty string";
  if ([...name].length > maxNameLength) return `is longer than ${maxNameLength} characters`;
  if (!printableName.test(name))
    return "may hold only letters, digits, punctuation, symbols and single spaces (no control characters, tabs, line breaks or leading/trailing spaces)";
  return null;
}

/** Parses and validates a taxonomy file, listing every problem at once. */
export function parseTaxonomy(text: string, source: string): Taxonomy {
  let raw: unknown;
  // Without prettyErrors the message is one line (no code frame under it); the place is added here.
  const lines = new LineCounter();
  try {
    raw = parse(text, { lineCounter: lines, prettyErrors: false });
  } catch (error) {
    if (!(error instanceof YAMLError)) throw error;
    const { line, col } = lines.linePos(error.pos[0]);
    throw new InputError(`${source}: not valid YAML at line ${line}, column ${col}: ${error.message}`);
  }
  const problems: string[] = [];
  const t = raw as Partial<Taxonomy> | null;
  if (!t || typeof t !== "object") throw new InputError(`${source}: a taxonomy must be a YAML mapping`);
  if (!Number.isInteger(t.version) || (t.version as number) < 0)
    problems.push("version must be a non-negative integer");
  if (typeof t.reviewThreshold !== "number" || t.reviewThreshold < 0 || t.reviewThreshold > 1) {
    problems.push("reviewThreshold must be a number in [0, 1]");
  }
  if (!Array.isArray(t.departments)) problems.push("departments must be a list of names");
  for (const [i, department] of (Array.isArray(t.departments) ? t.departments : []).entries()) {
    const problem = nameProblem(department);
    if (problem) problems.push(`departments[${i}] ${JSON.stringify(department)} ${problem}`);
  }
  const departments = new Set(t.departments ?? []);
  const ids = new Set<number>();
  if (!Array.isArray(t.topics)) problems.push("topics must be a list");
  for (const [i, topic] of (t.topics ?? []).entries()) {
    const where = `topics[${i}]`;
    if (!topic || typeof topic !== "object") {
      problems.push(`${where} must be a mapping`);
      continue;
    }
    if (!Number.isInteger(topic.id) || topic.id < 0)
      problems.push(`${where}.id must be a non-negative integer`);
    else if (ids.has(topic.id)) problems.push(`${where}.id ${topic.id} is duplicated`);
    else ids.add(topic.id);
    const problem = nameProblem(topic.name);
    if (problem) problems.push(`${where}.name ${JSON.stringify(topic.name)} ${problem}`);
    if (!departments.has(topic.department)) {
      problems.push(`${where}.department "${String(topic.department)}" is not one of departments`);
    }
    if (!["person", "catalog", "top-terms"].includes(topic.origin)) {
      problems.push(`${where}.origin must be person, catalog or top-terms`);
    }
    if (!Array.isArray(topic.topTerms)) problems.push(`${where}.topTerms must be a list`);
    if (topic.mergedInto !== undefined && !Number.isInteger(topic.mergedInto))
      problems.push(`${where}.mergedInto must be a topic id`);
    if (topic.noise !== undefined && typeof topic.noise !== "boolean")
      problems.push(`${where}.noise must be true or false`);
  }
  for (const topic of t.topics ?? []) {
    if (topic?.mergedInto === undefined) continue;
    const target = (t.topics ?? []).find((other) => other?.id === topic.mergedInto);
    if (!target || target.mergedInto !== undefined || target.id === topic.id)
      problems.push(`topic ${topic.id} is merged into ${topic.mergedInto}, which is not an unmerged topic`);
  }
  if (!Array.isArray(t.catalog)) problems.push("catalog must be a list (may be empty)");
  if (problems.length > 0) throw new InputError(`${source}: invalid taxonomy: ${problems.join("; ")}`);
  return t as Taxonomy;
}
