/**
 * Builds one complaint narrative: an optional opening, sentences of the ticket's sub-topic mixed with
 * department-wide and shared customer-service sentences, sometimes a sentence or two from a related
 * sub-topic of another department, and an optional closing — until the target length is reached.
 */
import type { Rng } from "../../util/random.js";
import { addTypos } from "./noise.js";
import {
  companyPools,
  compileTemplate,
  renderTemplate,
  type Template,
  type TicketContext,
  templateLiterals,
} from "./template.js";
import {
  type CompanyKind,
  type Department,
  departmentSources,
  type ProductChoice,
  sharedSentences,
  values,
} from "./vocabulary.js";

export interface CompiledSubtopic {
  name: string;
  department: Department;
  weight: number;
  company: CompanyKind;
  products: readonly ProductChoice[];
  related: CompiledSubtopic[];
  sentences: readonly Template[];
}

export interface CompiledDepartment {
  name: Department;
  sentences: readonly Template[];
  subtopics: readonly CompiledSubtopic[];
}

export const compiledDepartments: readonly CompiledDepartment[] = compileDepartments();
const openings = sharedSentences.opening.map(compileTemplate);
const services = sharedSentences.service.map(compileTemplate);
const closings = sharedSentences.closing.map(compileTemplate);

/** Hard bounds on narrative length, in whitespace-separated words. */
export const minWords = 20;
export const maxWords = 400;

export interface NarrativeRequest {
  department: CompiledDepartment;
  subtopic: CompiledSubtopic;
  /** A related sub-topic of another department that leaks into this story, or null. */
  leak: CompiledSubtopic | null;
  typoRate: number;
}

export function buildNarrative(request: NarrativeRequest, ctx: TicketContext): string {
  const rng = ctx.rng;
  const { department, subtopic, leak } = request;
  const target = targetLength(rng);
  const sentences: string[] = [];
  const used: Template[] = [];
  let words = 0;

  const add = (pool: readonly Template[], company: CompanyKind): void => {
    // A long story that has said everything about its sub-topic moves on to a sibling sub-topic
    // (a second problem with the same kind of company), then to customer service, before repeating.
    let template = pickUnused(rng, pool, used);
    if (template === null) {
      const sibling = department.subtopics[rng.int(department.subtopics.length)]!;
      template = pickUnused(rng, sibling.sentences, used);
      company = sibling.company;
    }
    if (template === null) {
      template = pickUnused(rng, services, used) ?? pool[rng.int(pool.length)]!;
      company = subtopic.company;
    }
    used.push(template);
    const sentence = renderTemplate(template, ctx, company);
    sentences.push(sentence);
    words += countWords(sentence);
  };

  if (rng.next() < 0.5) add(openings, subtopic.company);
  add(subtopic.sentences, subtopic.company);
  const closing = rng.next() < 0.65;
  const bodyTarget = closing ? Math.max(minWords, target - 10) : target;
  while (words < bodyTarget) {
    const u = rng.next();
    if (leak !== null && u < 0.22) add(leak.sentences, leak.company);
    else if (u < 0.55) add(subtopic.sentences, subtopic.company);
    else if (u < 0.72) add(department.sentences, subtopic.company);
    else add(services, subtopic.company);
  }
  if (closing) add(closings, subtopic.company);
  while (words > maxWords) words -= countWords(sentences.pop()!);

  let text = joinSentences(sentences, rng);
  text = addTypos(text, words, request.typoRate, rng);
  return applyCase(text, rng);
}

/** Skewed length: log-normal with median ~115 words, most between 60 and 200, within [20, 400]. */
function targetLength(rng: Rng): number {
  const length = Math.round(Math.exp(Math.log(115) + 0.55 * rng.normal()));
  return Math.min(maxWords - 20, Math.max(minWords, length));
}

/** A random template of `pool` not used yet in this story, or null when all are. */
function pickUnused(rng: Rng, pool: readonly Template[], used: readonly Template[]): Template | null {
  const offset = rng.int(pool.length);
  for (let i = 0; i < pool.length; i++) {
    const template = pool[(offset + i) % pool.length]!;
    if (!used.includes(template)) return template;
  }
  return null;
}

function joinSentences(sentences: readonly string[], rng: Rng): string {
  const paragraphs = rng.next() < 0.25;
  const doubleSpaced = rng.next() < 0.1;
  let text = sentences[0]!;
  for (let i = 1; i < sentences.length; i++) {
    const separator = paragraphs && rng.next() < 0.3 ? "\n" : doubleSpaced ? "  " : " ";
    text += separator + sentences[i]!;
  }
  const u = rng.next();
  if (u < 0.05) return text.replaceAll(". ", " ");
  if (u < 0.12) return `${text.slice(0, -1)}!!`;
  return text;
}

/** Most writers use normal case; a few shout in capitals, a few never press shift. */
function applyCase(text: string, rng: Rng): string {
  const u = rng.next();
  if (u < 0.035) return text.toUpperCase();
  if (u < 0.06) return text.toLowerCase().replaceAll("xxxx", "XXXX").replaceAll("xx/xx/", "XX/XX/");
  return text;
}

export function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const space = code === 32 || code === 10 || code === 9 || code === 13;
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}

/** Every lowercase word the generator can write before typos: what a typo-free corpus is made of. */
export function generatorWords(): ReadonlySet<string> {
  const fragments: string[] = [];
  const templates = [openings, services, closings, ...compiledDepartments.map((d) => d.sentences)].flat();
  for (const department of compiledDepartments) {
    for (const subtopic of department.subtopics) templates.push(...subtopic.sentences);
  }
  for (const template of templates) templateLiterals(template, fragments);
  for (const pool of Object.values(companyPools)) fragments.push(...pool);
  fragments.push(...values.cardNames, ...values.merchants, ...values.monthNames, ...values.ordinals);
  fragments.push("two three four five several multiple numerous XXXX XX/XX/XXXX");
  const words = new Set<string>();
  for (const fragment of fragments) {
    for (const match of fragment.toLowerCase().matchAll(/[a-z]+/g)) words.add(match[0]);
  }
  return words;
}

function compileDepartments(): CompiledDepartment[] {
  const byName = new Map<string, CompiledSubtopic>();
  const compiled = departmentSources.map((source) => ({
    name: source.name,
    sentences: source.sentences.map(compileTemplate),
    subtopics: source.subtopics.map((sub) => {
      const subtopic: CompiledSubtopic = {
        name: sub.name,
        department: source.name,
        weight: sub.weight,
        company: sub.company,
        products: sub.products,
        related: [],
        sentences: sub.sentences.map(compileTemplate),
      };
      if (byName.has(sub.name)) throw new Error(`duplicate sub-topic ${sub.name}`);
      byName.set(sub.name, subtopic);
      return subtopic;
    }),
  }));
  for (const source of departmentSources) {
    for (const sub of source.subtopics) {
      const subtopic = byName.get(sub.name)!;
      for (const name of sub.related) {
        const related = byName.get(name);
        if (related === undefined || related.department === source.name) {
          throw new Error(`sub-topic ${sub.name}: related ${name} must be a sub-topic of another department`);
        }
        subtopic.related.push(related);
      }
    }
  }
  return compiled;
}
