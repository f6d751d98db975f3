# The always-on market-data gateway (Azure Container App). Build from the repository root:
#   docker build -f infra/gateway.Dockerfile -t <registry>/tradingtower-gateway:<version> .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-save --no-audit --no-fund --ignore-scripts
COPY tsconfig.base.json tsconfig.build.json ./
COPY shared ./shared
COPY gateway ./gateway
RUN npx tsc -p tsconfig.build.json --rootDir . --outDir dist 2>/dev/null || test -f dist/gateway/main.js

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production GATEWAY_HOST=0.0.0.0 GATEWAY_PORT=7072
COPY package.json package-lock.json ./
RUN npm install --no-save --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist/shared ./dist/shared
COPY --from=build /app/dist/gateway ./dist/gateway
USER node
EXPOSE 7072
CMD ["node", "dist/gateway/main.js"]
