# The sync service for Google spreadsheets (see docs/google-deploy.md): Node 20, only the
# production dependencies, run as the unprivileged `node` user, listening on $PORT.
FROM node:20-slim

ENV NODE_ENV=production \
    PORT=8080 \
    CRM_CONFIG=/etc/crm/crm.config.json
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

COPY bin ./bin
COPY shared ./shared
COPY sheets-templates ./sheets-templates
COPY sync-server ./sync-server
COPY tsconfig.json ./

USER node
EXPOSE 8080
CMD ["node", "bin/crm-sync.js", "serve", "--config", "/etc/crm/crm.config.json"]
