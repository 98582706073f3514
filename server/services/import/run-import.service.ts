/**
 * Runs an import job: streams the file, maps each row (lib/import), prepares a batch (500 rows by default) and
 * writes it in one transaction together with the job's progress (processed rows, error count, the first 200
 * errors, and the cursor = the last row committed). So the cursor and the data always agree: a job paused, failed or
 * killed at any point resumes after its cursor, and a row is never half-written.
 *
 * A bad row never stops the job: it is counted and listed. A batch the database refuses as a whole (a value it
 * rejects) is retried row by row so that only the offending rows fail. Every write is idempotent (leads by
 * `import:<external id>`, events by `import:<type>` per lead, accounts and reps by their keys), so re-running a file
 * — or resuming after a crash in the middle of that row-by-row retry — duplicates nothing.
 *
 * Pause: the job's status is set to "paused" (by the UI, the CLI's Ctrl-C, or another process); the batch in flight
 * sees it when recording its progress and rolls back; the job stops with its cursor at the last committed batch.
 */
import "server-only";
import { isValidTimeZone } from "@/lib/calendar";
import {
  checkMapping, createRowMapper, type ImportMapping, type MappedAccount, type MappedLead, type MappedRep, type RowError, type RowMapper,
} from "@/lib/import";
import { finishJob, recordProgress } from "../../repositories/import.repository";
import { prepareAccounts, prepareLeadInserts, prepareLeadUpdates, prepareReps, type BatchEnv, type PreparedBatch, type PreparedItem } from "./batches";
import { loadImportContext, type ImportContext, type ImportDeps } from "./context";
import { openCsv, shapeProblem, type CsvItem } from "./csv-file";

export const MAX_STORED_ERRORS = 200;
export const DEFAULT_BATCH_SIZE = 500;
/** A running job whose heartbeat is older than this is considered interrupted (its process is gone). */
export const STALE_AFTER_MS = 60_000;

export interface RunStats {
  inserted: number;
  updated: number;
  skipped: number;
}

/** Everything a run needs to know about its job (from the job row, or made up for a dry run). */
export interface JobHandle {
  id: string;
  /** The claim of this run (see claimJob); progress is recorded only while it owns the job. */
  runId: string;
  workspaceId: string;
  mapping: ImportMapping;
  file: string;
  totalRows: number | null;
  /** Rows ≤ cursor were committed by an earlier run. */
  cursorRow: number;
  errorCount: number;
  errors: RowError[];
  stats: RunStats;
  /** Extra fields kept on the cursor (e.g. the CLI's source path). */
  cursorExtra?: Record<string, unknown>;
}

export interface RunProgress {
  jobId: string;
  row: number;
  totalRows: number | null;
  errorCount: number;
  stats: RunStats;
  /** Rows handled in this run (excluding rows skipped below the cursor). */
  rowsThisRun: number;
  elapsedMs: number;
}

export interface RunOptions {
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
  /** Map and write every batch, then roll it back: the full validation without a trace. No job row is touched. */
  dryRun?: boolean;
}

export interface RunSummary {
  status: "done" | "paused" | "failed";
  row: number;
  totalRows: number | null;
  errorCount: number;
  errors: RowError[];
  stats: RunStats;
  rowsThisRun: number;
  elapsedMs: number;
  failure?: string;
}

class StopRequested extends Error {}
class DryRunRollback extends Error {}

/** The job file: DATA_DIR/imports/<job id>.csv for uploads. */
export function jobFilePath(dataDir: string, jobId: string): string {
  return `${dataDir.replace(/\/+$/, "")}/imports/${jobId}.csv`;
}

/** Maps a batch of CSV items into rows of the import's kind, collecting errors. */
function mapItems(items: CsvItem[], mapper: RowMapper, headerCount: number): { mapped: Array<MappedLead | MappedAccount | MappedRep>; errors: RowError[]; cells: Map<number, string[]> } {
  const mapped: Array<MappedLead | MappedAccount | MappedRep> = [];
  const errors: RowError[] = [];
  const cells = new Map<number, string[]>();
  for (const item of items) {
    if (item.kind === "bad") {
      errors.push({ row: item.row, column: null, field: "", message: item.message });
      continue;
    }
    const shape = shapeProblem(item.cells, headerCount);
    if (shape) {
      errors.push({ row: item.row, column: null, field: "", message: shape });
      continue;
    }
    const result = mapper(item.cells, item.row);
    if (result.ok) {
      mapped.push(result.value);
      cells.set(item.row, item.cells);
    } else {
      errors.push(...result.errors);
    }
  }
  return { mapped, errors, cells };
}

/** Prepares a batch of mapped rows for the import's kind and mode. */
export async function prepareBatch(deps: ImportDeps, env: BatchEnv, mapped: Array<MappedLead | MappedAccount | MappedRep>, cells: Map<number, string[]>): Promise<PreparedBatch> {
  const kind = env.mapping.kind;
  if (kind === "leads") {
    const leads = mapped as MappedLead[];
    return (env.mapping.options.mode === "update" ? prepareLeadUpdates(deps.db, env, leads) : prepareLeadInserts(deps.db, env, leads, cells)) as Promise<PreparedBatch>;
  }
  if (kind === "accounts") return prepareAccounts(deps.db, env, mapped as MappedAccount[]) as Promise<PreparedBatch>;
  return prepareReps(deps.db, env, mapped as MappedRep[]) as Promise<PreparedBatch>;
}

/** Builds the mapper for a file header; throws an Error listing the mapping's problems when it does not fit. */
export function mapperFor(mapping: ImportMapping, ctx: ImportContext, headers: readonly string[], jobId: string, totalRows: number | null, now: Date): RowMapper {
  const issues = checkMapping(mapping, { headers, isValidTimeZone });
  if (mapping.options.currency !== undefined && mapping.options.currency !== ctx.workspace.currency) {
    issues.push({ path: "options.currency", message: `Amounts must be in the workspace currency ${ctx.workspace.currency}, not ${mapping.options.currency}.` });
  }
  if (issues.length) throw new Error(`The mapping does not fit the file: ${issues.map((i) => i.message).join(" ")}`);
  return createRowMapper(mapping, {
    headers, timeZone: ctx.timeZone, currency: ctx.workspace.currency, now, jobId, totalRows, routeKeys: new Set(ctx.routes.keys()),
  });
}

/** Runs (or resumes) a job to its end, a pause, or a failure. Never throws for row problems. */
export async function runImportJob(deps: ImportDeps, job: JobHandle, options: RunOptions = {}): Promise<RunSummary> {
  const started = performance.now();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const now = deps.now();
  const stats: RunStats = { ...job.stats };
  let cursorRow = job.cursorRow;
  let lastSeenRow = job.cursorRow;
  let errorCount = job.errorCount;
  const storedErrors: RowError[] = [...job.errors];
  let rowsThisRun = 0;

  const cursorOf = (): Record<string, unknown> => ({
    ...job.cursorExtra, row: cursorRow, heartbeatAt: deps.now().toISOString(), stats,
  });
  const progressOf = () => ({ processedRows: cursorRow, errorCount, errors: storedErrors, cursor: cursorOf() });
  const elapsed = () => Math.round(performance.now() - started);
  const summary = (status: RunSummary["status"], failure?: string): RunSummary => ({
    status, row: cursorRow, totalRows: job.totalRows, errorCount, errors: storedErrors, stats, rowsThisRun, elapsedMs: elapsed(),
    ...(failure ? { failure } : {}),
  });

  let records: AsyncGenerator<CsvItem> | null = null;
  try {
    const ctx = await loadImportContext(deps.db, job.workspaceId, job.mapping);
    const opened = await openCsv(job.file, { delimiter: job.mapping.options.delimiter });
    records = opened.records;
    const headers = opened.headers;
    const mapper = mapperFor(job.mapping, ctx, headers, job.id, job.totalRows, now);
    const env: BatchEnv = { ctx, mapping: job.mapping, headers, jobId: job.id, now };

    const processBatch = async (items: CsvItem[]): Promise<void> => {
      const lastRow = items[items.length - 1]!.row;
      const { mapped, errors, cells } = mapItems(items, mapper, headers.length);
      const prepared = await prepareBatch(deps, env, mapped, cells);
      errors.push(...prepared.errors);
      const rowErrors = new Map<number, RowError[]>();
      const note = (list: RowError[]) => {
        for (const e of list) rowErrors.set(e.row, [...(rowErrors.get(e.row) ?? []), e]);
      };
      note(errors);
      const record = async (trx: typeof deps.db, result: { inserted: number; updated: number; skipped: number }) => {
        const nextStats = { inserted: stats.inserted + result.inserted, updated: stats.updated + result.updated, skipped: stats.skipped + result.skipped };
        const nextErrorCount = errorCount + rowErrors.size;
        const nextStored = [...storedErrors, ...[...rowErrors.values()].flat().sort((a, b) => a.row - b.row)].slice(0, MAX_STORED_ERRORS);
        if (options.dryRun) return { nextStats, nextErrorCount, nextStored };
        const ok = await recordProgress(trx, job.id, job.runId, {
          processedRows: lastRow, errorCount: nextErrorCount, errors: nextStored,
          cursor: { ...job.cursorExtra, row: lastRow, heartbeatAt: deps.now().toISOString(), stats: nextStats },
        });
        if (!ok) throw new StopRequested();
        return { nextStats, nextErrorCount, nextStored };
      };
      let committed: PreparedItem[] = prepared.items;
      let outcome: Awaited<ReturnType<typeof record>>;
      try {
        outcome = await deps.db.transaction().execute(async (trx) => {
          const result = await prepared.write(trx, prepared.items);
          const recorded = await record(trx, result);
          if (options.dryRun) throw Object.assign(new DryRunRollback(), { recorded });
          return recorded;
        });
      } catch (error) {
        if (error instanceof DryRunRollback) {
          outcome = (error as DryRunRollback & { recorded: Awaited<ReturnType<typeof record>> }).recorded;
        } else if (error instanceof StopRequested) {
          throw error;
        } else {
          // The database refused the batch: find the rows it refuses, one transaction each.
          committed = [];
          let result = { inserted: 0, updated: 0, skipped: 0 };
          for (const item of prepared.items) {
            try {
              const r = await deps.db.transaction().execute(async (trx) => {
                const written = await prepared.write(trx, [item]);
                if (options.dryRun) throw Object.assign(new DryRunRollback(), { written });
                return written;
              });
              result = { inserted: result.inserted + r.inserted, updated: result.updated + r.updated, skipped: result.skipped + r.skipped };
              committed.push(item);
            } catch (rowError) {
              if (rowError instanceof DryRunRollback) {
                const r = (rowError as DryRunRollback & { written: typeof result }).written;
                result = { inserted: result.inserted + r.inserted, updated: result.updated + r.updated, skipped: result.skipped + r.skipped };
                committed.push(item);
                continue;
              }
              note([{ row: item.row, column: null, field: "", message: `The database refused this row: ${rowError instanceof Error ? rowError.message : String(rowError)}` }]);
            }
          }
          outcome = await deps.db.transaction().execute((trx) => record(trx, result));
        }
      }
      if (!options.dryRun) {
        for (const item of committed) env.ctx.directory.commit(item.needs);
        prepared.afterCommit?.(committed);
      }
      stats.inserted = outcome.nextStats.inserted;
      stats.updated = outcome.nextStats.updated;
      stats.skipped = outcome.nextStats.skipped;
      errorCount = outcome.nextErrorCount;
      storedErrors.splice(0, storedErrors.length, ...outcome.nextStored);
      cursorRow = lastRow;
      rowsThisRun += items.length;
      options.onProgress?.({ jobId: job.id, row: cursorRow, totalRows: job.totalRows, errorCount, stats, rowsThisRun, elapsedMs: elapsed() });
      if (options.signal?.aborted) throw new StopRequested();
    };

    let batch: CsvItem[] = [];
    for await (const item of records) {
      lastSeenRow = item.row;
      if (item.row <= job.cursorRow) continue;
      batch.push(item);
      if (batch.length >= batchSize) {
        await processBatch(batch);
        batch = [];
      }
    }
    if (batch.length) await processBatch(batch);
    cursorRow = Math.max(cursorRow, lastSeenRow);
    if (!options.dryRun) {
      await finishJob(deps.db, job.id, job.runId, "done", { ...progressOf(), totalRows: lastSeenRow, finishedAt: deps.now() });
    }
    return { ...summary("done"), totalRows: lastSeenRow };
  } catch (error) {
    if (error instanceof StopRequested) {
      if (!options.dryRun) await finishJob(deps.db, job.id, job.runId, "paused", { ...progressOf(), finishedAt: null });
      return summary("paused");
    }
    const failure = error instanceof Error ? error.message : String(error);
    if (!options.dryRun) {
      await finishJob(deps.db, job.id, job.runId, "failed", { ...progressOf(), cursor: { ...cursorOf(), failure }, finishedAt: deps.now() }).catch(() => undefined);
    }
    return summary("failed", failure);
  } finally {
    await records?.return(undefined);
  }
}
