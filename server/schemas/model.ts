import { Type } from "@sinclair/typebox";

export const ModelInfoSchema = Type.Object(
  {
    version: Type.String(),
    date: Type.String({ description: "Logical date of the training run" }),
    created_at: Type.Union([Type.String(), Type.Null()], {
      description:
        "When the model's version was published (its manifest's time); null for a file outside a store that does not say",
    }),
    loaded_at: Type.String(),
    source: Type.String(),
    fingerprint: Type.String({
      description: "sha256 of the artifact (or of the champion record's artifact)",
    }),
    topic_model_version: Type.String(),
    classes: Type.Integer(),
    features: Type.Integer(),
    preprocess: Type.Union([Type.Literal("exact"), Type.Literal("lexicon")], {
      description:
        "How this server turns text into terms: the model's exact preprocessing, or the word lexicon (INFLOW_API_PREPROCESS)",
    }),
    taxonomy: Type.Object({
      version: Type.Integer(),
      review_threshold: Type.Number(),
      departments: Type.Array(Type.String()),
      topics: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), department: Type.String() })),
    }),
    training_data: Type.Object({ sha256: Type.String(), rows: Type.Integer() }),
    metrics: Type.Record(Type.String(), Type.Number()),
  },
  { title: "ModelInfo" },
);

export const HealthSchema = Type.Object({ status: Type.Literal("ok") });

export const ReadySchema = Type.Object({
  status: Type.Union([Type.Literal("ready"), Type.Literal("not ready")]),
  model_version: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Optional(Type.String()),
});
