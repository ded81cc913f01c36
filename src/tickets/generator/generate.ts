/**
 * Seeded generator of CFPB-style support tickets with ground truth kept aside. Ticket `i` of a seed is
 * a pure function of (seed, i, options), so corpora stream without being held in memory and a slice
 * can be regenerated on its own.
 */
import { Rng } from "../../util/random.js";
import { buildNarrative, type CompiledSubtopic, compiledDepartments } from "./narrative.js";
import { garbageText, pickGarbageKind } from "./noise.js";
import { pick, type TicketContext } from "./template.js";
import {
  type CompanyKind,
  companyKinds,
  type Department,
  departments,
  filedProducts,
  type ProductChoice,
  values,
} from "./vocabulary.js";

export { writeCfpbExport } from "./export.js";
export { generatorWords } from "./narrative.js";
export { type GarbageKind, garbageKinds } from "./noise.js";
export { type Department, departments } from "./vocabulary.js";
export { writeJsonl } from "./write.js";

export const defaultClassShares: Record<Department, number> = {
  "Bank account services": 0.3,
  "Credit card / Prepaid card": 0.25,
  "Theft/Dispute reporting": 0.18,
  "Mortgages/loans": 0.15,
  Others: 0.12,
};

export interface GeneratedTicket {
  id: string;
  /** Usually a string; garbage rows may be null, a number, empty or whitespace. */
  text: unknown;
  /** CFPB product as the consumer filed it: noisy, not a function of the department. */
  product: string;
  subProduct: string | null;
  issue: string;
  company: string;
  state: string;
  /** ISO 8601 timestamp (UTC). */
  createdAt: string;
}

export interface TicketTruth {
  id: string;
  department: Department;
  /** Sub-topic name, or `garbage:<kind>` for garbage rows. */
  subtopic: string;
  garbage: boolean;
}

export interface GenerateOptions {
  count: number;
  seed: number;
  /** Share of garbage rows (empty, whitespace, number, null, symbols, short). */
  garbageRate: number;
  /** Department shares; missing departments get 0; normalised. Default: defaultClassShares. */
  classShares?: Record<string, number>;
  /** createdAt range, inclusive, as YYYY-MM-DD. */
  startDate: string;
  endDate: string;
  /** Expected typos per word (default 0.008). */
  typoRate?: number;
  /** Share of tickets filed under a product unrelated to their sub-topic (default 0.08). */
  productNoiseRate?: number;
  /** Index of the first ticket, to generate a slice of a larger corpus (default 0). */
  firstIndex?: number;
}

export const defaultTypoRate = 0.008;
export const defaultProductNoiseRate = 0.08;
/** Public complaint ids are 7-digit numbers; ticket i gets firstComplaintId + i. */
const firstComplaintId = 3_000_000;
const dayMs = 86_400_000;

export function* generateTickets(
  options: GenerateOptions,
): Generator<{ ticket: GeneratedTicket; truth: TicketTruth }> {
  const plan = planFrom(options);
  const start = options.firstIndex ?? 0;
  for (let index = start; index < start + options.count; index++) yield generateOne(plan, index);
}

interface Plan {
  seedHash: number;
  garbageRate: number;
  typoRate: number;
  productNoiseRate: number;
  cumulativeShares: Float64Array;
  startMs: number;
  days: number;
}

function generateOne(plan: Plan, index: number): { ticket: GeneratedTicket; truth: TicketTruth } {
  const rng = new Rng(mix32(plan.seedHash ^ mix32(index + 0x632be5ab)));
  const department = compiledDepartments[pickCumulative(rng, plan.cumulativeShares)]!;
  const subtopic = pickWeighted(rng, department.subtopics);
  const createdMs = pickTime(rng, plan);
  const filed =
    rng.next() < plan.productNoiseRate ? pick(rng, filedProducts) : pickWeighted(rng, subtopic.products);
  const ctx = newContext(rng, new Date(createdMs).getUTCFullYear());
  const id = (firstComplaintId + index).toString();
  const ticket: GeneratedTicket = {
    id,
    text: "",
    product: filed.product,
    subProduct: rng.next() < 0.05 ? null : pick(rng, filed.subProducts),
    issue: filed.issue,
    company: ctx.companies[subtopic.company],
    state: pick(rng, values.states),
    createdAt: new Date(createdMs).toISOString(),
  };
  if (rng.next() < plan.garbageRate) {
    const kind = pickGarbageKind(rng);
    ticket.text = garbageText(kind, rng);
    return { ticket, truth: { id, department: department.name, subtopic: `garbage:${kind}`, garbage: true } };
  }
  const leak = rng.next() < 0.6 ? pick(rng, subtopic.related) : null;
  ticket.text = buildNarrative({ department, subtopic, leak, typoRate: plan.typoRate }, ctx);
  return { ticket, truth: { id, department: department.name, subtopic: subtopic.name, garbage: false } };
}

function newContext(rng: Rng, createdYear: number): TicketContext {
  const companies = {} as Record<CompanyKind, string>;
  for (const kind of companyKinds) companies[kind] = pick(rng, values.companies[kind]);
  return {
    rng,
    year: rng.next() < 0.25 ? createdYear - 1 : createdYear,
    companies,
    card: pick(rng, values.cardNames),
    amountStyle: rng.next() < 0.55 ? 0 : rng.next() < 0.75 ? 1 : 2,
  };
}

/** Relative ticket volume of a UTC day: weekends are half as busy as weekdays. */
export function dayWeight(date: string): number {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6 ? 0.5 : 1;
}

/** A day in the range (weekends half as busy) and a time of day peaking in the afternoon (UTC). */
function pickTime(rng: Rng, plan: Plan): number {
  let day = rng.int(plan.days);
  for (let attempt = 0; attempt < 3; attempt++) {
    const weekday = new Date(plan.startMs + day * dayMs).getUTCDay();
    if ((weekday !== 0 && weekday !== 6) || rng.next() < 0.5) break;
    day = rng.int(plan.days);
  }
  const hour = Math.min(23, Math.max(0, Math.round(17 + 4 * rng.normal())));
  const seconds = hour * 3600 + rng.int(3600);
  return plan.startMs + day * dayMs + seconds * 1000;
}

function planFrom(options: GenerateOptions): Plan {
  const problems: string[] = [];
  if (!Number.isInteger(options.count) || options.count < 0) problems.push("count must be an integer >= 0");
  if (!Number.isInteger(options.seed)) problems.push("seed must be an integer");
  checkRate(options.garbageRate, "garbageRate", problems);
  checkRate(options.typoRate ?? defaultTypoRate, "typoRate", problems);
  checkRate(options.productNoiseRate ?? defaultProductNoiseRate, "productNoiseRate", problems);
  const firstIndex = options.firstIndex ?? 0;
  if (!Number.isInteger(firstIndex) || firstIndex < 0) problems.push("firstIndex must be an integer >= 0");
  const startMs = parseDay(options.startDate, "startDate", problems);
  const endMs = parseDay(options.endDate, "endDate", problems);
  if (startMs > endMs) problems.push("startDate must not be after endDate");
  const cumulativeShares = cumulative(options.classShares ?? defaultClassShares, problems);
  if (problems.length > 0) throw new RangeError(`invalid ticket generator options: ${problems.join("; ")}`);
  return {
    seedHash: mix32(options.seed),
    garbageRate: options.garbageRate,
    typoRate: options.typoRate ?? defaultTypoRate,
    productNoiseRate: options.productNoiseRate ?? defaultProductNoiseRate,
    cumulativeShares,
    startMs,
    days: Math.round((endMs - startMs) / dayMs) + 1,
  };
}

function checkRate(value: number, name: string, problems: string[]): void {
  if (!(value >= 0 && value <= 1)) problems.push(`${name} must be within [0, 1]`);
}

function parseDay(text: string, name: string, problems: string[]): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms)) problems.push(`${name} must be a YYYY-MM-DD date`);
  return ms;
}

function cumulative(shares: Record<string, number>, problems: string[]): Float64Array {
  for (const name of Object.keys(shares)) {
    if (!(departments as readonly string[]).includes(name))
      problems.push(`unknown department in classShares: ${name}`);
  }
  const result = new Float64Array(departments.length);
  let total = 0;
  departments.forEach((name, i) => {
    const share = shares[name] ?? 0;
    if (!(share >= 0)) problems.push(`classShares[${name}] must be >= 0`);
    total += Math.max(0, share);
    result[i] = total;
  });
  if (!(total > 0)) problems.push("classShares must have a positive total");
  for (let i = 0; i < result.length; i++) result[i] /= total;
  return result;
}

function pickCumulative(rng: Rng, cumulativeShares: Float64Array): number {
  const u = rng.next();
  for (let i = 0; i < cumulativeShares.length; i++) if (u < cumulativeShares[i]!) return i;
  // Rounding left u above the last bound: take the last department with a positive share.
  let last = cumulativeShares.length - 1;
  while (last > 0 && cumulativeShares[last] === cumulativeShares[last - 1]) last--;
  return last;
}

function pickWeighted<T extends CompiledSubtopic | ProductChoice>(rng: Rng, items: readonly T[]): T {
  let total = 0;
  for (const item of items) total += item.weight;
  let u = rng.next() * total;
  for (const item of items) {
    u -= item.weight;
    if (u < 0) return item;
  }
  return items[items.length - 1]!;
}

/** murmur3's finaliser: spreads nearby integers (seeds, indices) over the whole 32-bit range. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
