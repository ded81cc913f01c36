/**
 * The generator's vocabulary is data, kept in vocabulary/ beside this module and checked against the
 * schemas below when loaded: value pools (companies, cards, merchants, states), the sentences every
 * department shares (openings, customer service, closings), the five departments with their
 * sub-topics, and the products a consumer can file a complaint under. The shared pool is what keeps
 * classes from separating on service words alone. Sentences are templates: `{slot}` fills a value,
 * `[a|b|c]` picks one alternative (./template.ts).
 */
import { type Static, Type } from "@sinclair/typebox";
import { checkedBySchema } from "../../util/schema.js";
import departmentsFile from "./vocabulary/departments.json" with { type: "json" };
import filedProductsFile from "./vocabulary/filed-products.json" with { type: "json" };
import sharedSentencesFile from "./vocabulary/shared-sentences.json" with { type: "json" };
import valuesFile from "./vocabulary/values.json" with { type: "json" };

export const departments = [
  "Bank account services",
  "Credit card / Prepaid card",
  "Theft/Dispute reporting",
  "Mortgages/loans",
  "Others",
] as const;
export type Department = (typeof departments)[number];

export const companyKinds = [
  "bank",
  "cardIssuer",
  "mortgageServicer",
  "lender",
  "collector",
  "bureau",
  "studentServicer",
  "transferApp",
] as const;
export type CompanyKind = (typeof companyKinds)[number];

const Words = Type.Array(Type.String({ minLength: 1 }), { minItems: 1 });

/** How a consumer files a complaint in the CFPB form: several choices, so the product is not the department. */
const ProductChoiceSchema = Type.Object(
  {
    product: Type.String({ minLength: 1 }),
    subProducts: Words,
    issue: Type.String({ minLength: 1 }),
    /** Relative frequency among a sub-topic's choices (default 1). */
    weight: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  },
  { additionalProperties: false },
);

const SubtopicSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    weight: Type.Number({ exclusiveMinimum: 0 }),
    /** The kind of company the complaint is about. */
    company: Type.Union(companyKinds.map((kind) => Type.Literal(kind))),
    products: Type.Array(ProductChoiceSchema, { minItems: 1 }),
    /** Sub-topics of other departments that naturally come up in the same complaint. */
    related: Type.Array(Type.String()),
    sentences: Words,
  },
  { additionalProperties: false },
);

const DepartmentSchema = Type.Object(
  {
    name: Type.Union(departments.map((name) => Type.Literal(name))),
    /** Department-wide sentences, used with any of its sub-topics. */
    sentences: Words,
    subtopics: Type.Array(SubtopicSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

const ValuesSchema = Type.Object(
  {
    /** One pool per company kind (`companyKinds`). */
    companies: Type.Object(
      {
        bank: Words,
        cardIssuer: Words,
        mortgageServicer: Words,
        lender: Words,
        collector: Words,
        bureau: Words,
        studentServicer: Words,
        transferApp: Words,
      },
      { additionalProperties: false },
    ),
    cardNames: Words,
    merchants: Words,
    monthNames: Words,
    ordinals: Words,
    /** Consumer states for the export, roughly weighted by complaint volume (repeats are weights). */
    states: Words,
  },
  { additionalProperties: false },
);

const SharedSentencesSchema = Type.Object(
  { opening: Words, service: Words, closing: Words },
  { additionalProperties: false },
);

export interface ProductChoice {
  product: string;
  subProducts: readonly string[];
  issue: string;
  weight: number;
}
export type SubtopicSource = Omit<Static<typeof SubtopicSchema>, "products"> & {
  products: readonly ProductChoice[];
};
export interface DepartmentSource {
  name: Department;
  sentences: readonly string[];
  subtopics: readonly SubtopicSource[];
}

export const values = checkedBySchema(ValuesSchema, valuesFile, "vocabulary/values.json");
export const sharedSentences = checkedBySchema(
  SharedSentencesSchema,
  sharedSentencesFile,
  "vocabulary/shared-sentences.json",
);

/** The departments in the order of `departments` (class shares are indexed by it). */
export const departmentSources: readonly DepartmentSource[] = checkedBySchema(
  Type.Array(DepartmentSchema),
  departmentsFile,
  "vocabulary/departments.json",
).map((department, i) => {
  if (department.name !== departments[i])
    throw new Error(`vocabulary/departments.json: department ${i} must be "${departments[i]}"`);
  return {
    ...department,
    subtopics: department.subtopics.map((subtopic) => ({
      ...subtopic,
      products: subtopic.products.map(withWeight),
    })),
  };
});
if (departmentSources.length !== departments.length)
  throw new Error(`vocabulary/departments.json must list the ${departments.length} departments`);

/** All products a consumer can pick in the form, for the share of complaints filed under the wrong one. */
export const filedProducts: readonly ProductChoice[] = checkedBySchema(
  Type.Array(ProductChoiceSchema, { minItems: 1 }),
  filedProductsFile,
  "vocabulary/filed-products.json",
).map(withWeight);

function withWeight(choice: Static<typeof ProductChoiceSchema>): ProductChoice {
  return { ...choice, weight: choice.weight ?? 1 };
}
