/**
 * `npm run worker`: a job worker of its own, for PostgreSQL (DATABASE_URL). Run as many as you like beside the app:
 * they share the queue through FOR UPDATE SKIP LOCKED and leases (server/jobs/worker.ts); set JOB_WORKER=off on the
 * app's processes to leave the jobs to these. SIGTERM or SIGINT finishes the batch in hand, then exits; after a
 * SIGKILL the batch's leases expire (2 minutes) and another worker takes its jobs over.
 *
 * On the embedded database the app runs its worker itself (PGlite is one process's), so this refuses to start.
 */
import { createDatabase } from "@/db";
import { migrateToLatest } from "@/db/migrate";
import { log } from "../log";
import { jobHandlers } from "./handlers";
import { JobWorker } from "./worker";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("npm run worker needs DATABASE_URL (PostgreSQL). On the embedded database the app runs its own worker: npm start.");
  process.exit(1);
}
const handle = createDatabase({ url, poolSize: 4 });
await migrateToLatest(handle.db);
/** A positive whole number from the environment, or the default. */
const positive = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
// JOB_BATCH_SIZE: jobs claimed at a time; JOB_LEASE_MS: how long a claim lasts before another worker may take over.
const worker = new JobWorker(handle.db, { handlers: jobHandlers, batchSize: positive("JOB_BATCH_SIZE", 200), leaseMs: positive("JOB_LEASE_MS", 120_000) });
log.info("job worker started", { workerId: worker.workerId, database: handle.location });
worker.start();
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info("job worker stopping", { workerId: worker.workerId, signal });
  await worker.stop();
  await handle.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
