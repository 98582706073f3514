/**
 * Import jobs for the UI and the API: list, view, analyse an uploaded file (detected column types and a suggested
 * mapping), preview a mapping on the first rows, start, pause and resume. Runs go through the in-process runner.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { isValidTimeZone } from "@/lib/calendar";
import {
  checkMapping, describeMappedRow, detectColumns, ImportMapping, suggestMapping, targetsFor, type DetectedColumn, type ImportKind,
  type MappingIssue, type RowError, type TargetField,
} from "@/lib/import";
import { ConflictError, NotFoundError, PreconditionError, ValidationError, fieldErrorsFromIssues, type FieldErrors } from "../../errors";
import { claimJob, getJob, getWorkspaceInfo, listJobs, pauseJob, setJobMapping, type JobRow } from "../../repositories/import.repository";
import type { BatchEnv, RowOutcome } from "./batches";
import { loadImportContext, type ImportDeps } from "./context";
import { openCsv, readSample, shapeProblem, sniffDelimiter, type CsvItem } from "./csv-file";
import { importCompletion, isImportActive, launchImport, stopImport } from "./runner";
import { jobFilePath, mapperFor, prepareBatch, STALE_AFTER_MS, type JobHandle, type RunStats, type RunSummary } from "./run-import.service";

export interface ImportActor {
  workspaceId: string;
  id: string | null;
}

const SAMPLE_ROWS = 1000;
const PREVIEW_ROWS = 20;

interface CursorShape {
  row?: number;
  heartbeatAt?: string;
  file?: string;
  stats?: RunStats;
  failure?: string;
  runId?: string;
}

function cursorOf(row: { cursor: Record<string, unknown> | null }): CursorShape {
  return (row.cursor ?? {}) as CursorShape;
}

/** The file a job reads: the CLI's source path, or the uploaded copy. */
export function jobFile(deps: Pick<ImportDeps, "dataDir">, job: { id: string; cursor: Record<string, unknown> | null }): string {
  return cursorOf(job).file ?? jobFilePath(deps.dataDir, job.id);
}

function savedMapping(row: JobRow): ImportMapping | null {
  const parsed = ImportMapping.safeParse(row.mapping);
  return parsed.success ? parsed.data : null;
}

export interface JobView {
  id: string;
  kind: ImportKind;
  filename: string;
  status: JobRow["status"];
  /** Running here, or elsewhere with a fresh heartbeat. */
  active: boolean;
  /** Marked running, but its process stopped (stale heartbeat): offer Resume. */
  interrupted: boolean;
  totalRows: number | null;
  processedRows: number;
  errorCount: number;
  errors: RowError[];
  stats: RunStats;
  failure: string | null;
  mapping: ImportMapping | null;
  createdAt: Date;
  finishedAt: Date | null;
  createdByName: string | null;
}

function view(row: JobRow, now: Date): JobView {
  const c = cursorOf(row);
  const heartbeat = c.heartbeatAt ? Date.parse(c.heartbeatAt) : 0;
  const fresh = now.getTime() - heartbeat < STALE_AFTER_MS;
  const here = isImportActive(row.id);
  return {
    id: row.id,
    kind: row.kind,
    filename: row.filename,
    status: row.status,
    active: row.status === "running" && (here || fresh),
    interrupted: row.status === "running" && !here && !fresh,
    totalRows: row.total_rows,
    processedRows: row.processed_rows,
    errorCount: row.error_count,
    errors: (row.errors as RowError[]) ?? [],
    stats: c.stats ?? { inserted: 0, updated: 0, skipped: 0 },
    failure: c.failure ?? null,
    mapping: savedMapping(row),
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    createdByName: row.created_by_name,
  };
}

async function loadJob(deps: ImportDeps, actor: ImportActor, id: string): Promise<JobRow> {
  const row = await getJob(deps.db, actor.workspaceId, id);
  if (!row) throw new NotFoundError("Import");
  return row;
}

/** The workspace's imports, newest first. */
export async function listImportJobs(deps: ImportDeps, actor: ImportActor, limit = 50) {
  const rows = await listJobs(deps.db, actor.workspaceId, limit);
  const now = deps.now();
  return rows.map((r) => {
    const c = cursorOf(r);
    const fresh = now.getTime() - (c.heartbeatAt ? Date.parse(c.heartbeatAt) : 0) < STALE_AFTER_MS;
    return {
      id: r.id, kind: r.kind, filename: r.filename, status: r.status, totalRows: r.total_rows, processedRows: r.processed_rows,
      errorCount: r.error_count, stats: c.stats ?? { inserted: 0, updated: 0, skipped: 0 }, createdAt: r.created_at, finishedAt: r.finished_at,
      createdByName: r.created_by_name, interrupted: r.status === "running" && !isImportActive(r.id) && !fresh,
    };
  });
}

export async function getImportJob(deps: ImportDeps, actor: ImportActor, id: string): Promise<JobView> {
  return view(await loadJob(deps, actor, id), deps.now());
}

export interface Analysis {
  job: JobView;
  headers: string[];
  delimiter: string;
  columns: DetectedColumn[];
  sampleRows: number;
  badSampleRows: number;
  suggestion: ImportMapping;
  needsReceivedAt: boolean;
  scores: Record<string, number>;
  targets: readonly TargetField[];
  workspace: { timeZone: string; currency: string };
  routePaths: string[];
  reps: number;
}

/** Detected column types (first 1,000 rows) and a suggested mapping for an uploaded file. */
export async function analyzeImportJob(deps: ImportDeps, actor: ImportActor, id: string): Promise<Analysis> {
  const row = await loadJob(deps, actor, id);
  const file = jobFile(deps, row);
  const delimiter = await sniffDelimiter(file).catch(() => {
    throw new PreconditionError("The uploaded file is gone; upload it again.");
  });
  const { headers, rows } = await readSample(file, SAMPLE_ROWS, { delimiter });
  const good = rows.filter((r): r is Extract<CsvItem, { kind: "row" }> => r.kind === "row");
  const columns = detectColumns(headers, good.map((r) => r.cells));
  const suggestion = suggestMapping(row.kind, columns);
  suggestion.mapping.options.delimiter = delimiter;
  const ctx = await loadImportContext(deps.db, actor.workspaceId, suggestion.mapping);
  return {
    job: view(row, deps.now()),
    headers,
    delimiter,
    columns,
    sampleRows: rows.length,
    badSampleRows: rows.length - good.length,
    suggestion: suggestion.mapping,
    needsReceivedAt: suggestion.needsReceivedAt,
    scores: suggestion.scores,
    targets: targetsFor(row.kind),
    workspace: { timeZone: ctx.workspace.timeZone, currency: ctx.workspace.currency },
    routePaths: [...ctx.routes.keys()],
    reps: ctx.directory.repCount(),
  };
}

/** Parses and checks a mapping against the job's kind and file header; ValidationError with field errors. */
async function validMapping(deps: ImportDeps, row: JobRow, input: unknown): Promise<{ mapping: ImportMapping; headers: string[] }> {
  const parsed = ImportMapping.safeParse(input);
  if (!parsed.success) throw new ValidationError("The mapping is not valid.", fieldErrorsFromIssues(parsed.error.issues));
  const mapping = parsed.data;
  if (mapping.kind !== row.kind) throw new ValidationError("The mapping is for another kind of import.", { kind: [`this import is of ${row.kind}`] });
  const file = jobFile(deps, row);
  const { headers, records } = await openCsv(file, { delimiter: mapping.options.delimiter }).catch((error: unknown) => {
    throw new PreconditionError(`The file cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  });
  await records.return(undefined);
  const issues: MappingIssue[] = checkMapping(mapping, { headers, isValidTimeZone });
  if (mapping.options.currency !== undefined) {
    const { currency } = await getWorkspaceInfo(deps.db, row.workspace_id);
    if (mapping.options.currency !== currency) issues.push({ path: "options.currency", message: `Amounts must be in the workspace currency ${currency}.` });
  }
  if (issues.length) {
    const fields: FieldErrors = {};
    for (const i of issues) (fields[i.path] ??= []).push(i.message);
    throw new ValidationError(issues.map((i) => i.message).join(" "), fields);
  }
  return { mapping, headers };
}

export interface PreviewRow {
  row: number;
  ok: boolean;
  values: Record<string, string | null>;
  outcome: RowOutcome | null;
  errors: RowError[];
}

/** The first 20 rows through the mapping — mapped, resolved and decided exactly as the import will — without writing. */
export async function previewImportJob(deps: ImportDeps, actor: ImportActor, id: string, input: unknown): Promise<{ rows: PreviewRow[]; keys: string[] }> {
  const row = await loadJob(deps, actor, id);
  const { mapping, headers } = await validMapping(deps, row, input);
  const now = deps.now();
  const ctx = await loadImportContext(deps.db, actor.workspaceId, mapping);
  const mapper = mapperFor(mapping, ctx, headers, row.id, row.total_rows, now);
  const { rows: items } = await readSample(jobFile(deps, row), PREVIEW_ROWS, { delimiter: mapping.options.delimiter });
  const keys = targetsFor(mapping.kind).map((t) => t.key).filter((k) => mapping.fields[k] !== undefined);
  const env: BatchEnv = { ctx, mapping, headers, jobId: row.id, now };
  const out = new Map<number, PreviewRow>();
  const mapped = [];
  const cells = new Map<number, string[]>();
  for (const item of items) {
    if (item.kind === "bad") {
      out.set(item.row, { row: item.row, ok: false, values: {}, outcome: null, errors: [{ row: item.row, column: null, field: "", message: item.message }] });
      continue;
    }
    const shape = shapeProblem(item.cells, headers.length);
    if (shape) {
      out.set(item.row, { row: item.row, ok: false, values: {}, outcome: null, errors: [{ row: item.row, column: null, field: "", message: shape }] });
      continue;
    }
    const r = mapper(item.cells, item.row);
    if (!r.ok) {
      out.set(item.row, { row: item.row, ok: false, values: {}, outcome: null, errors: r.errors });
      continue;
    }
    mapped.push(r.value);
    cells.set(item.row, item.cells);
    out.set(item.row, { row: item.row, ok: true, values: describeMappedRow(r.value, keys), outcome: null, errors: [] });
  }
  const prepared = await prepareBatch(deps, env, mapped, cells);
  for (const e of prepared.errors) {
    const p = out.get(e.row);
    if (p) {
      p.ok = false;
      p.errors.push(e);
    }
  }
  for (const item of prepared.items) {
    const p = out.get(item.row);
    if (p) p.outcome = item.outcome;
  }
  return { rows: [...out.values()].sort((a, b) => a.row - b.row), keys };
}

function handleOf(deps: ImportDeps, row: JobRow, mapping: ImportMapping, runId: string, claimed: { cursor: Record<string, unknown> | null; errors: unknown[]; error_count: number; total_rows: number | null }): JobHandle {
  const c = (claimed.cursor ?? {}) as CursorShape;
  return {
    id: row.id,
    runId,
    workspaceId: row.workspace_id,
    mapping,
    file: jobFile(deps, row),
    totalRows: claimed.total_rows,
    cursorRow: c.row ?? 0,
    errorCount: claimed.error_count,
    errors: (claimed.errors as RowError[]) ?? [],
    stats: c.stats ?? { inserted: 0, updated: 0, skipped: 0 },
    ...(c.file ? { cursorExtra: { file: c.file } } : {}),
  };
}

async function claimAndLaunch(deps: ImportDeps, row: JobRow, mapping: ImportMapping): Promise<{ done: Promise<RunSummary> }> {
  if (isImportActive(row.id)) throw new ConflictError("This import is still running here; wait for it to stop before resuming.");
  const runId = randomUUID();
  const now = deps.now();
  const claimed = await claimJob(deps.db, row.id, runId, now, new Date(now.getTime() - STALE_AFTER_MS));
  if (!claimed) {
    throw new ConflictError(row.status === "done" ? "This import has finished." : "This import is running in another process.");
  }
  return { done: launchImport(deps, handleOf(deps, row, mapping, runId, claimed)) };
}

/**
 * Saves the confirmed mapping of an uploaded job and starts it in the background. Returns the job view and the
 * run's completion (callers that want to wait — tests — await it).
 */
export async function startImportJob(deps: ImportDeps, actor: ImportActor, id: string, input: unknown): Promise<{ job: JobView; done: Promise<RunSummary> }> {
  const row = await loadJob(deps, actor, id);
  if (row.status !== "pending") throw new ConflictError(`This import is ${row.status}; only a new upload can be started (resume a paused one).`);
  const { mapping } = await validMapping(deps, row, input);
  await setJobMapping(deps.db, row.id, mapping);
  const { done } = await claimAndLaunch(deps, { ...row, mapping: mapping as unknown as Record<string, unknown> }, mapping);
  return { job: await getImportJob(deps, actor, id), done };
}

/** Resumes a paused, failed or interrupted job from its cursor. */
export async function resumeImportJob(deps: ImportDeps, actor: ImportActor, id: string): Promise<{ job: JobView; done: Promise<RunSummary> }> {
  const row = await loadJob(deps, actor, id);
  const mapping = savedMapping(row);
  if (!mapping) throw new PreconditionError("This import has no confirmed mapping yet; map and start it.");
  if (row.status === "done") throw new ConflictError("This import has finished.");
  if (row.status === "pending") throw new ConflictError("This import has not started; map and start it.");
  const { done } = await claimAndLaunch(deps, row, mapping);
  return { job: await getImportJob(deps, actor, id), done };
}

/** Pauses a running job after its current batch (here or in another process, through the job row). */
export async function pauseImportJob(deps: ImportDeps, actor: ImportActor, id: string): Promise<JobView> {
  const row = await loadJob(deps, actor, id);
  if (row.status !== "running") throw new ConflictError(`This import is ${row.status}, not running.`);
  await pauseJob(deps.db, actor.workspaceId, id);
  stopImport(id);
  await Promise.race([importCompletion(id) ?? Promise.resolve(null), new Promise((r) => setTimeout(r, 5000))]);
  return getImportJob(deps, actor, id);
}
