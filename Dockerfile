# The treasury-engine image: `docker build -t treasury-engine .`
# Three stages on one pinned base: `build` compiles with the dev dependencies, `prod-deps` installs only the
# production dependencies (better-sqlite3 is native: both need the compiler toolchain), and the runtime stage
# gets node_modules from `prod-deps` and the compiled output from `build`, without a compiler or npm's cache.
# Nothing is installed or compiled when the container starts.
# The base is written out in each FROM (dockerfilelint reads neither ARG in FROM nor stage names); the
# toolchain RUN is the same text on the same base in both build stages, so the second is a cache hit.

FROM node:20.20.2-bookworm-slim AS build
# python3, make and g++ build better-sqlite3 when no prebuilt binary matches the platform. Debian's versions
# are fixed by the pinned base (bookworm's security updates only), so they are not pinned one by one.
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts ./scripts
COPY libs ./libs
COPY apps ./apps
RUN npm run build

FROM node:20.20.2-bookworm-slim AS prod-deps
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    EVENT_STORE=sqlite \
    TREASURY_DB=/data/treasury.db \
    PROJECTION_SNAPSHOT=/data/projection.snapshot \
    BOOTSTRAP_KEY_FILE=/data/admin.key
# Its own uid, not the image's `node` (1000): EventStoreDB's image runs as 1000, and the API must not be able
# to read the nodes' private keys in the shared certificate volume (it reads only ca/ca.crt).
RUN groupadd --system --gid 10001 treasury \
  && useradd --system --uid 10001 --gid treasury --home-dir /app --shell /usr/sbin/nologin treasury \
  && mkdir -p /data \
  && chown treasury:treasury /data \
  && chmod 0700 /data
WORKDIR /app
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json ./
# The server and the CLI (backup, verify, keys: `docker compose exec api node dist/apps/cli/src/main.js ...`).
# The CSV profiles are compiled in (dist/apps/cli/profiles); the console is dist/web; swagger-ui-dist's
# assets come with node_modules.
COPY --from=build --chown=root:root /app/dist/apps/api ./dist/apps/api
COPY --from=build --chown=root:root /app/dist/apps/cli ./dist/apps/cli
COPY --from=build --chown=root:root /app/dist/libs ./dist/libs
COPY --from=build --chown=root:root /app/dist/web ./dist/web
COPY --from=build --chown=root:root /app/apps/cli/examples ./apps/cli/examples
USER treasury
# The store, its projection snapshot and the bootstrap admin key. Mount a named volume here.
VOLUME /data
EXPOSE 3000
# /ready is 200 once the projection has caught up with the log (public, no key needed); slim has no curl.
# No --start-period: dockerfilelint 1.8 rejects it (its option regex stops at the hyphen). Twelve retries
# give a start two minutes; the compose files set their own start_period for a long catch-up.
HEALTHCHECK --interval=10s --timeout=5s --retries=12 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ready',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/api/src/main.js"]
