# The task image: the `inflow` CLI that every Airflow task runs (KubernetesPodOperator pods), e.g.
#   docker run --rm inflow-task tickets preprocess --date 2026-03-09 --run-id manual__2026-03-09
# Build from the repository root:
#   docker build -f images/task.Dockerfile -t inflow-task .
# Everything a step needs comes with the npm dependencies, so nothing is downloaded at run time and
# nothing comes from apt: the chart font (dejavu-fonts-ttf), the NLP model (wink-eng-lite-web-model)
# and Skia (@napi-rs/canvas, a prebuilt binary per platform). Configuration is environment only
# (INFLOW_*, AWS_*, MLFLOW_TRACKING_URI, CLEARML_*, TELEGRAM_*; see src/config/env.ts).

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
    INFLOW_LOG_LEVEL=info
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
# The default file:// stores resolve under the working directory; production sets s3:// stores.
RUN mkdir -p /app/.inflow && chown node:node /app/.inflow
USER node
ENTRYPOINT ["node", "bin/inflow.js"]
CMD ["--help"]
