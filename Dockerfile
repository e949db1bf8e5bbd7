# syntax=docker/dockerfile:1
# The container images of the five apps, one target each; the build context is the repository root:
#   docker build --target module-controller -t eevee/module-controller .
# Always name a --target (without one Docker builds the last stage, backup-runner). docs/images.md has the
# commands for every app, multi-platform builds, and what each image needs at run time.
#
# Every image: node 24 and the app's esbuild bundle, /app/main.js, with the workspace packages and dependencies
# inside it (no other file of the app is read at run time). It runs as uid/gid 65532 and writes nothing to the
# image's filesystem: readOnlyRootFilesystem works, and only backup-runner writes at all (to the module's
# volume and to its result file, see its stage).

# ---- build: install the apps' dependencies and bundle every app into apps/<app>/dist/main.js ----------------
# The bundles are plain JavaScript (no native module), so this stage runs on the builder's own platform and its
# output serves every target platform: a multi-platform build emulates nothing here.
FROM --platform=$BUILDPLATFORM node:24.21.0-bookworm-slim AS build
WORKDIR /src
# pnpm at the version package.json's "packageManager" names, through the corepack that Node 24 bundles.
ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0
COPY package.json ./
RUN corepack enable pnpm && corepack install

# Dependencies from the lockfile and the workspace manifests only, so this layer is reused until one changes.
# Every workspace package the apps depend on needs its manifest here (e2e's is not needed).
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
COPY packages/backups/package.json packages/backups/
COPY packages/crds/package.json packages/crds/
COPY packages/runtime/package.json packages/runtime/
COPY packages/stack/package.json packages/stack/
COPY packages/testenv/package.json packages/testenv/
COPY apps/module-controller/package.json apps/module-controller/
COPY apps/ipc-controller/package.json apps/ipc-controller/
COPY apps/backup-controller/package.json apps/backup-controller/
COPY apps/api-gateway/package.json apps/api-gateway/
COPY apps/backup-runner/package.json apps/backup-runner/
RUN --mount=type=cache,id=eevee-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --store-dir /pnpm/store --filter "{./apps/*}..."

# The sources esbuild reads: .dockerignore lets through only manifests, tsconfigs and src/ (without tests).
COPY tsconfig.base.json ./
COPY packages/ packages/
COPY apps/ apps/
RUN pnpm --filter "./apps/*" run build
# backup-runner: upstream Jobs run /usr/local/bin/backup.sh and restore.sh (the backup-controller's too), so the
# image provides both as wrappers; exec keeps node the main process (signals and exit code reach Kubernetes).
RUN for action in backup restore; do \
      printf '#!/bin/sh\nexec node --max-semi-space-size=2 --max-old-space-size=96 /app/main.js %s "$@"\n' "$action" \
        > "apps/backup-runner/dist/$action.sh"; \
    done \
 && chmod 755 apps/backup-runner/dist/*.sh

# ---- runtime: what every app image starts from --------------------------------------------------------------
FROM node:24.21.0-bookworm-slim AS runtime
# Not needed to run a bundle: npm, corepack and yarn are removed so they are neither there to run nor to scan.
RUN rm -rf /usr/local/lib/node_modules /opt/yarn-* \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg
# The repository's address, licence and commit are passed by whoever builds (docs/images.md).
ARG SOURCE_URL=""
ARG LICENSES="NOASSERTION"
ARG REVISION=""
LABEL org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.licenses="${LICENSES}" \
      org.opencontainers.image.revision="${REVISION}"
ENV NODE_ENV=production
# /app and everything in it belong to root and are world-readable: the app can read but not change its code,
# and any uid can run it (backup Jobs run the runner as the modules' uid 1000).
WORKDIR /app
# 65532: the usual "nonroot" uid (distroless), in no group with rights on anything in the image.
USER 65532:65532

# ---- the apps ------------------------------------------------------------------------------------------------
# Controllers: METRICS_PORT 8080 and HEALTH_PORT 8081 (each answers /metrics, /healthz and /readyz).
FROM runtime AS module-controller
LABEL org.opencontainers.image.title="eevee module-controller" \
      org.opencontainers.image.description="Keeps, for every BotModule, its Deployment, ConfigMap, PersistentVolumeClaim, metrics Service, HPA and PDB, and reports its status."
COPY --from=build /src/apps/module-controller/dist/main.js /app/main.js
EXPOSE 8080 8081
# The V8 flags are apps/module-controller/src/node-flags.ts (e2e/test/dockerfiles.test.ts holds this file to them).
ENTRYPOINT ["node", "--optimize-for-size", "/app/main.js"]

FROM runtime AS ipc-controller
LABEL org.opencontainers.image.title="eevee ipc-controller" \
      org.opencontainers.image.description="Runs, for every IpcConfig, the bot's NATS: token Secret, server configuration, Deployment or clustered StatefulSet, Services and PDB."
COPY --from=build /src/apps/ipc-controller/dist/main.js /app/main.js
EXPOSE 8080 8081
ENTRYPOINT ["node", "/app/main.js"]

FROM runtime AS backup-controller
LABEL org.opencontainers.image.title="eevee backup-controller" \
      org.opencontainers.image.description="Tests S3Stores, keeps a backup CronJob per module of every BackupSchedule, runs BackupRestores and bootstraps new modules from their latest backup."
COPY --from=build /src/apps/backup-controller/dist/main.js /app/main.js
EXPOSE 8080 8081
ENTRYPOINT ["node", "/app/main.js"]

# The HTTP API, status page, /api/metrics, /healthz and /readyz, all on HTTP_API_PORT (9000).
FROM runtime AS api-gateway
LABEL org.opencontainers.image.title="eevee api-gateway" \
      org.opencontainers.image.description="The operator's HTTP API and status page: lists BotModules, requests module restarts, keeps the upstream routes beside /api/v1."
COPY --from=build /src/apps/api-gateway/dist/main.js /app/main.js
EXPOSE 9000
ENTRYPOINT ["node", "/app/main.js"]

# No port. `docker run … backup|restore`; Jobs run /usr/local/bin/backup.sh or restore.sh instead (same thing).
# Writes only to the module's volume (BACKUP_PVC_PATH, default /data) and to RESULT_FILE (default
# /dev/termination-log, which the kubelet provides).
FROM runtime AS backup-runner
LABEL org.opencontainers.image.title="eevee backup-runner" \
      org.opencontainers.image.description="The program backup and restore Jobs run: streams a volume as tar+gzip to S3 and back, with checksums, staged restores and retention."
COPY --from=build /src/apps/backup-runner/dist/main.js /app/main.js
COPY --from=build /src/apps/backup-runner/dist/backup.sh /src/apps/backup-runner/dist/restore.sh /usr/local/bin/
# The V8 flags are apps/backup-runner/src/node-flags.ts (e2e/test/dockerfiles.test.ts holds this file to them).
ENTRYPOINT ["node", "--max-semi-space-size=2", "--max-old-space-size=96", "/app/main.js"]
