import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Prisma 7's CLI would download a native schema engine; ours runs the wasm engine offline.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, '../platform/tools/prisma-schema-engine.mjs');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '', shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL },
});
