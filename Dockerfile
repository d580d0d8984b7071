# Waymark as one image: the server, the HTTP API, the sync endpoint and the built web app.
#
#   docker build -t waymark .
#   docker run -p 8080:8080 -v waymark-data:/data waymark
#
# Alone it keeps maps in SQLite under /data; with DATABASE_URL and REDIS_URL several containers
# of it serve the same maps (docker-compose.yml).

# Build: the README's install and build, with every dependency (the type check covers the tests).
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/model/package.json packages/model/
COPY tests/bench/package.json tests/bench/
RUN npx --yes pnpm@10.34.9 install --frozen-lockfile
COPY . .
RUN npx --yes pnpm@10.34.9 build

# What the server needs at run time: its dependencies and the model's, without development ones.
# better-sqlite3 downloads its prebuilt binary here; where it cannot, it compiles with this
# image's compiler.
FROM node:20-bookworm AS runtime-deps
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/model/package.json packages/model/
COPY tests/bench/package.json tests/bench/
RUN npx --yes pnpm@10.34.9 install --frozen-lockfile --prod --filter '@waymark/server...'

# Same Debian release as the stages above, so the native modules built there load here.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=runtime-deps /app/node_modules node_modules
COPY --from=runtime-deps /app/apps/server/node_modules apps/server/node_modules
COPY --from=runtime-deps /app/packages/model/node_modules packages/model/node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/apps/server/package.json apps/server/
COPY --from=build /app/apps/server/dist apps/server/dist
COPY --from=build /app/packages/model/package.json packages/model/
COPY --from=build /app/packages/model/dist packages/model/dist
COPY --from=build /app/apps/web/dist apps/web/dist
# DATA_DIR: the SQLite database, and the generated secret and workspace token when
# AUTH_SECRET and WORKSPACE_TOKEN are not set.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# What `pnpm start` runs after its build. SIGTERM (docker stop) flushes and compacts every map.
CMD ["node", "apps/server/dist/main.js"]
