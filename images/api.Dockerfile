# The classify API image: `inflow serve` (server/, DESIGN.md). Build from the repository root:
#   docker build -f images/api.Dockerfile -t inflow-api .
# Configuration is environment only (INFLOW_MODEL, INFLOW_STORE, INFLOW_API_*; see server/config.ts).

# --- build: all dependencies, TypeScript → dist/ ---
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY tasks ./tasks
COPY server ./server
COPY mlflow ./mlflow
COPY clearml ./clearml
COPY scripts ./scripts
COPY bench ./bench
COPY test/harness ./test/harness
RUN npm run build

# --- runtime: production dependencies only, no install scripts, non-root ---
FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production \
    INFLOW_API_HOST=0.0.0.0 \
    INFLOW_API_PORT=8000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
USER node
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.INFLOW_API_PORT || 8000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/inflow.js", "serve"]
