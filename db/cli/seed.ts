/**
 * `npm run db:seed`: migrates, then creates the demo workspace (see README). Refuses when a demo workspace exists.
 * Options: --leads N, --seed S, --days D.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { createDatabase } from "../index";
import { migrateToLatest } from "../migrate";
import { seedDemo } from "../seed/demo";

function args() {
  try {
    return parseArgs({ options: { leads: { type: "string" }, seed: { type: "string" }, days: { type: "string" } }, strict: true }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\nUsage: npm run db:seed -- [--leads N] [--days D] [--seed S]`);
    process.exit(2);
  }
}
const values = args();
const leads = values.leads !== undefined ? Number(values.leads) : undefined;
const days = values.days !== undefined ? Number(values.days) : undefined;
for (const [name, v] of [["--leads", leads], ["--days", days]] as const) {
  if (v !== undefined && !(Number.isInteger(v) && v > 0)) {
    console.error(`${name} must be a positive whole number`);
    process.exit(2);
  }
}

const dataDir = path.resolve(process.env.DATA_DIR ?? ".data", "pglite");
const handle = createDatabase({ url: process.env.DATABASE_URL || undefined, dataDir });
try {
  await migrateToLatest(handle.db);
  const existing = await handle.db.selectFrom("workspaces").select("id").where("slug", "=", "demo").executeTakeFirst();
  if (existing) {
    console.error(`A demo workspace already exists in ${handle.location}; nothing to do.`);
    process.exitCode = 1;
  } else {
    const summary = await seedDemo(handle.db, { leads, days, seed: values.seed, onProgress: (m) => console.log(m) });
    console.log(`Seeded the demo workspace on ${handle.location}: ${summary.leads} leads, ${summary.events} events, ${summary.accounts} accounts in ${(summary.ms / 1000).toFixed(1)} s`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await handle.close();
}
