/**
 * The in-process runner: imports run in the background of the server process that started (or resumed) them.
 * The job row is the source of truth — nothing here survives a restart, and nothing auto-resumes on start: a job
 * left "running" by a dead process shows as interrupted (stale heartbeat) and the UI or CLI offers Resume.
 * Kept on globalThis so route handlers and tRPC, which Next may bundle separately, share one registry.
 */
import "server-only";
import { log } from "../../log";
import type { ImportDeps } from "./context";
import { runImportJob, type JobHandle, type RunSummary } from "./run-import.service";

interface Active {
  controller: AbortController;
  done: Promise<RunSummary>;
}

const key = Symbol.for("switchyard.importRunner");
type GlobalWithRunner = typeof globalThis & { [key]?: Map<string, Active> };

function registry(): Map<string, Active> {
  const g = globalThis as GlobalWithRunner;
  g[key] ??= new Map();
  return g[key];
}

/** True while this process runs the job. */
export function isImportActive(jobId: string): boolean {
  return registry().has(jobId);
}

/** Starts a claimed job in the background; returns its completion (tests await it, the UI polls the job row). */
export function launchImport(deps: ImportDeps, job: JobHandle): Promise<RunSummary> {
  const existing = registry().get(job.id);
  if (existing) return existing.done;
  const controller = new AbortController();
  const done = runImportJob(deps, job, { signal: controller.signal })
    .then((summary) => {
      const level = summary.status === "failed" ? "warn" : "info";
      log[level](`import ${job.id} ${summary.status}`, { row: summary.row, errors: summary.errorCount, ...summary.stats, ms: summary.elapsedMs, failure: summary.failure });
      return summary;
    })
    .finally(() => registry().delete(job.id));
  registry().set(job.id, { controller, done });
  return done;
}

/** Asks a job running here to stop after its current batch. */
export function stopImport(jobId: string): void {
  registry().get(jobId)?.controller.abort();
}

/** The completion of a job running here, if any. */
export function importCompletion(jobId: string): Promise<RunSummary> | null {
  return registry().get(jobId)?.done ?? null;
}
