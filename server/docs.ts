import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { ApiInstance } from "./instance.js";

/** OpenAPI 3 generated from the route schemas: the document at /openapi.json, Swagger UI at /docs. */
export async function registerDocs(app: ApiInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Inflow classify API",
        description: "Routes support tickets: topic, department, confidence and explanation per ticket.",
        version,
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, (_request, reply) => {
    reply.send(app.swagger());
  });
}
