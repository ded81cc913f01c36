import { Type } from "@sinclair/typebox";

/** Every error response: no stack, no internals; `message` names the problem. */
export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String(),
    request_id: Type.String(),
  },
  { title: "Error" },
);

export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  413: ErrorSchema,
  415: ErrorSchema,
  503: ErrorSchema,
} as const;
