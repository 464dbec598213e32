# One image for both services (and the CLI): `node dist/apps/parser/src/main.js`,
# `node dist/apps/generator/src/main.js`, `node bin/formbridge.js …`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# LibreOffice converts legacy .doc/.rtf submissions and renders PDFs (driven over UNO by Debian's
# python3-uno); the CJK fonts (Noto Serif/Sans CJK) are what libreoffice/fonts.conf maps the forms'
# official faces to. Build with --build-arg WITH_LIBREOFFICE=false for a much smaller image that
# refuses .doc and PDF.
ARG WITH_LIBREOFFICE=true
RUN if [ "$WITH_LIBREOFFICE" = "true" ]; then \
      apt-get update && apt-get install -y --no-install-recommends libreoffice-writer-nogui python3-uno fonts-noto-cjk \
      && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY templates ./templates
COPY libreoffice ./libreoffice
USER node
CMD ["node", "dist/apps/parser/src/start.js"]
