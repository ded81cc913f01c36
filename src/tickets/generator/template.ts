/**
 * Sentence templates for the ticket generator: `{slot}` is filled from a value pool (with CFPB-style
 * redaction where the real database redacts), `[a|b|c]` picks one alternative. Templates are compiled
 * once at module load so rendering is a walk over a small array.
 */
import type { Rng } from "../../util/random.js";
import { type CompanyKind, values } from "./vocabulary.js";

export const companyPools: Readonly<Record<CompanyKind, readonly string[]>> = values.companies;

const slotNames = [
  "company",
  "bank",
  "card",
  "bureau",
  "merchant",
  "agent",
  "date",
  "month",
  "year",
  "amount",
  "smallAmount",
  "bigAmount",
  "fee",
  "payment",
  "limit",
  "bonus",
  "points",
  "apr",
  "rate",
  "count",
  "days",
  "hours",
  "minutes",
  "years",
  "ordinal",
] as const;
type SlotName = (typeof slotNames)[number];

interface ChoicePiece {
  options: Piece[][];
}
type Piece = string | { slot: SlotName } | ChoicePiece;
export type Template = readonly Piece[];

/** Everything a ticket keeps constant across its sentences (the same bank, card, year...). */
export interface TicketContext {
  rng: Rng;
  /** Year the story happens in, shown when a date keeps its year (XX/XX/2019). */
  year: number;
  companies: Record<CompanyKind, string>;
  card: string;
  /** 0: {$1250.00} (CFPB export), 1: $1,250.00, 2: $1250 */
  amountStyle: number;
}

export function compileTemplate(source: string): Template {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === "[") {
      const end = source.indexOf("]", i);
      if (end < 0) throw new Error(`unclosed [ in template: ${source}`);
      const options = source
        .slice(i + 1, end)
        .split("|")
        .map((option) => compileTemplate(option) as Piece[]);
      pieces.push({ options });
      i = end + 1;
    } else if (ch === "{") {
      const end = source.indexOf("}", i);
      const name = source.slice(i + 1, end);
      if (end < 0 || !(slotNames as readonly string[]).includes(name)) {
        throw new Error(`unknown slot {${name}} in template: ${source}`);
      }
      pieces.push({ slot: name as SlotName });
      i = end + 1;
    } else {
      let end = i;
      while (end < source.length && source[end] !== "[" && source[end] !== "{") end++;
      pieces.push(source.slice(i, end));
      i = end;
    }
  }
  return pieces;
}

export function renderTemplate(template: Template, ctx: TicketContext, company: CompanyKind): string {
  let out = "";
  for (const piece of template) {
    if (typeof piece === "string") out += piece;
    else if ("slot" in piece) out += fillSlot(piece.slot, ctx, company);
    else out += renderTemplate(piece.options[ctx.rng.int(piece.options.length)]!, ctx, company);
  }
  return out;
}

/** Every literal fragment of a template, for building the generator's known-word list. */
export function templateLiterals(template: Template, into: string[]): void {
  for (const piece of template) {
    if (typeof piece === "string") into.push(piece);
    else if ("options" in piece) for (const option of piece.options) templateLiterals(option, into);
  }
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

function fillSlot(slot: SlotName, ctx: TicketContext, company: CompanyKind): string {
  const rng = ctx.rng;
  switch (slot) {
    case "company":
      return ctx.companies[company];
    case "bank":
      return ctx.companies.bank;
    case "card":
      return ctx.card;
    case "bureau":
      return pick(rng, values.companies.bureau);
    case "merchant":
      // Small merchants are redacted in the public database; big names usually survive.
      return rng.next() < 0.45 ? "XXXX" : pick(rng, values.merchants);
    case "agent":
      return redactedName(rng);
    case "date":
      return redactedDate(rng, ctx.year);
    case "month":
      return rng.next() < 0.6 ? "XXXX" : pick(rng, values.monthNames);
    case "year":
      return rng.next() < 0.3 ? "XXXX" : String(ctx.year);
    case "amount":
      return formatAmount(logUniform(rng, 40, 6000), ctx.amountStyle);
    case "smallAmount":
      return formatAmount(logUniform(rng, 5, 400), ctx.amountStyle);
    case "bigAmount":
      return formatAmount(Math.round(logUniform(rng, 2000, 90000)), ctx.amountStyle);
    case "fee":
      return formatAmount(pick(rng, fees), ctx.amountStyle);
    case "payment":
      return formatAmount(Math.round(logUniform(rng, 250, 4200)) + pick(rng, cents), ctx.amountStyle);
    case "limit":
      return formatAmount(500 * (1 + rng.int(40)), ctx.amountStyle);
    case "bonus":
      return formatAmount(100 * (1 + rng.int(7)), ctx.amountStyle);
    case "points":
      return withCommas(5000 * (1 + rng.int(30)));
    case "apr":
      return `${(14 + rng.int(16)).toString()}.${pick(rng, aprDecimals)}%`;
    case "rate":
      return `${(2 + rng.int(6)).toString()}.${pick(rng, rateDecimals)}%`;
    case "count":
      return rng.next() < 0.3 ? pick(rng, countWords) : String(2 + rng.int(11));
    case "days":
      return String(pick(rng, dayCounts));
    case "hours":
      return String(pick(rng, hourCounts));
    case "minutes":
      return String(15 + 5 * rng.int(30));
    case "years":
      return String(2 + rng.int(24));
    case "ordinal":
      return pick(rng, values.ordinals);
  }
}

const fees = [25, 29, 30, 34, 35, 36, 38, 39, 40, 45, 95, 99, 12, 15, 5, 10] as const;
const cents = [0, 0, 0, 0.17, 0.42, 0.5, 0.63, 0.88, 0.91] as const;
const aprDecimals = ["99", "49", "24", "74", "90"] as const;
const rateDecimals = ["125", "25", "375", "5", "625", "75", "875", "0"] as const;
const countWords = ["two", "three", "four", "five", "several", "multiple", "numerous"] as const;
const dayCounts = [2, 3, 5, 7, 7, 10, 10, 14, 30, 30, 45, 60, 90] as const;
const hourCounts = [2, 24, 24, 48, 72] as const;

function logUniform(rng: Rng, low: number, high: number): number {
  return Math.round(Math.exp(Math.log(low) + rng.next() * Math.log(high / low)) * 100) / 100;
}

function redactedDate(rng: Rng, year: number): string {
  const u = rng.next();
  if (u < 0.5) return "XX/XX/XXXX";
  if (u < 0.8) return `XX/XX/${year.toString()}`;
  if (u < 0.92) return "XXXX XXXX";
  return `XXXX XXXX, ${year.toString()}`;
}

function redactedName(rng: Rng): string {
  const u = rng.next();
  if (u < 0.55) return "XXXX";
  if (u < 0.9) return "XXXX XXXX";
  return "XXXX XXXX XXXX";
}

export function formatAmount(value: number, style: number): string {
  const whole = Math.floor(value);
  const centsPart = Math.round((value - whole) * 100);
  const fraction = centsPart < 10 ? `0${centsPart.toString()}` : centsPart.toString();
  if (style === 0) return `{$${whole.toString()}.${fraction}}`;
  if (style === 1) return `$${withCommas(whole)}.${fraction}`;
  return `$${whole.toString()}`;
}

function withCommas(n: number): string {
  const digits = n.toString();
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return out;
}
