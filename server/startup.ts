/**
 * Server start: refuse unsafe configuration, migrate (and on an empty database seed) in the background so the first
 * page load does not pay for it, then keep finishing any lead that was captured but never routed (a crash between
 * capture and routing) — at start and every RECOVERY_INTERVAL_MS after. Workspaces without an offline classifier get
 * one trained at start, and leads from before the lead_metrics projection get their metric rows. The job worker
 * (SLA timers, notifications) runs here unless JOB_WORKER=off.
 */
import "server-only";
import { getDb } from "./db";
import { log } from "./log";
import { ensureOfflineModels } from "./services/classify/classifier.service";
import { recoverUnprocessedLeads } from "./services/ingest/ingest-lead.service";
import { backfillLeadMetrics, ensureDailyRollups } from "./services/metrics/lead-metrics";
import { failInterruptedSimulations } from "./services/routing/simulation.service";
import { maintainStoredHistory } from "./repositories/simulation.repository";
import { ingestDeps } from "./services/ingest/inbound";
import { env } from "./env";
import { jobHandlers } from "./jobs/handlers";
import { JobWorker } from "./jobs/worker";
import { ensureDueReviews } from "./services/review/reviews.service";

const RECOVERY_INTERVAL_MS = 15_000;
/** A lead younger than this may still be in flight in another instance. */
const RECOVERY_MIN_AGE_MS = 10_000;
const RECOVERY_BATCH = 500;

export async function onServerStart(): Promise<void> {
  if (process.env.DATABASE_URL && !process.env.AUTH_SECRET) {
    log.error("AUTH_SECRET is required when DATABASE_URL is set. Generate one with `openssl rand -base64 32`, set it, and start again.");
    process.exit(1);
  }
  getDb()
    .then(async (db) => {
      // Train each workspace's offline classifier now if it has none, so the first lead does not wait for it.
      ensureOfflineModels(db).catch((error: unknown) => {
        log.error("offline classifier training failed", { error: error instanceof Error ? error.message : String(error) });
      });
      // Simulations a previous process was running will not finish: say so instead of showing them as running.
      failInterruptedSimulations(db)
        .then((n) => { if (n > 0) log.warn("marked simulations interrupted by the restart as failed", { simulations: n }); })
        .catch((error: unknown) => log.error("simulation cleanup failed", { error: error instanceof Error ? error.message : String(error) }));
      // Stored simulation history: changed days rebuilt and moot change marks pruned, now and every 10 minutes.
      let maintaining = false;
      const maintain = async () => {
        if (maintaining) return;
        maintaining = true;
        try {
          const r = await maintainStoredHistory(db);
          if (r.days > 0 || r.marksPruned > 0) log.info("refreshed stored simulation history", r);
        } catch (error) {
          log.error("stored simulation history maintenance failed", { error: error instanceof Error ? error.message : String(error) });
        } finally {
          maintaining = false;
        }
      };
      void maintain();
      setInterval(() => void maintain(), 600_000).unref();
      // Monthly routing reviews: the month that ended gets its review (ops told), unsigned ones turn overdue.
      const reviews = () => ensureDueReviews(db, new Date())
        .then((r) => { if (r.created || r.overdue) log.info("monthly routing reviews", r); })
        .catch((error: unknown) => log.error("monthly review upkeep failed", { error: error instanceof Error ? error.message : String(error) }));
      void reviews();
      setInterval(() => void reviews(), 3_600_000).unref();
      // A database from before the lead_metrics projection: build the missing rows once (the dashboard reads them).
      backfillLeadMetrics(db)
        .then(async (n) => {
          if (n > 0) log.info("built the metric rows of existing leads", { leads: n });
          const rebuilt = await ensureDailyRollups(db);
          if (rebuilt.length) log.info("built the daily metric rollups", { workspaces: rebuilt.length });
        })
        .catch((error: unknown) => log.error("metric backfill failed", { error: error instanceof Error ? error.message : String(error) }));
      let running = false;
      const sweep = async () => {
        if (running) return; // a slow sweep and the next tick must not route the same leads twice
        running = true;
        try {
          // Batches of RECOVERY_BATCH, back to back while full: a crash under load can leave thousands behind.
          let total = 0;
          for (;;) {
            const n = await recoverUnprocessedLeads(ingestDeps(db), RECOVERY_MIN_AGE_MS, RECOVERY_BATCH);
            total += n;
            if (n < RECOVERY_BATCH) break;
          }
          if (total > 0) log.warn("routed leads left unprocessed by an earlier crash", { leads: total });
        } catch (error) {
          log.error("lead recovery failed", { error: error instanceof Error ? error.message : String(error) });
        } finally {
          running = false;
        }
      };
      // At start, anything older than the minimum age was captured by a process that is gone.
      setTimeout(sweep, RECOVERY_MIN_AGE_MS).unref();
      setInterval(sweep, RECOVERY_INTERVAL_MS).unref();
      // SLA timers and notifications: this process works the job queue unless dedicated workers do (JOB_WORKER=off).
      if (env().JOB_WORKER === "inline") {
        const worker = new JobWorker(db, { handlers: jobHandlers });
        worker.start();
        log.info("job worker running in the app", { workerId: worker.workerId });
      }
    })
    .catch((error: unknown) => {
      log.error("database preparation failed", { error: error instanceof Error ? error.message : String(error) });
    });
}
