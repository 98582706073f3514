/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR. */
import path from "node:path";
import { createDatabase } from "../index";
import { migrateToLatest } from "../migrate";

const dataDir = path.resolve(process.env.DATA_DIR ?? ".data", "pglite");
const handle = createDatabase({ url: process.env.DATABASE_URL || undefined, dataDir });
try {
  const results = await migrateToLatest(handle.db);
  const applied = results.filter((r) => r.status === "Success").map((r) => r.migrationName);
  console.log(applied.length ? `Applied ${applied.join(", ")} on ${handle.location}` : `Already up to date (${handle.location})`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await handle.close();
}
