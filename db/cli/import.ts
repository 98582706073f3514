/**
 * `npm run import -- --kind leads --file path.csv --mapping mapping.json [--workspace slug] [--dry-run]
 *   [--resume <jobId>] [--synthesize-from 2026-01-01 --synthesize-to 2026-03-31] [--batch 500]`
 *
 * Imports a CSV through the same services as the UI (streamed, in batches of 500 rows, each batch one transaction
 * with the job's progress), printing progress once a second and a summary: rows, imported, errors, rows/s, peak RSS.
 * Ctrl-C pauses after the current batch; `--resume <jobId>` continues from the job's cursor (also after a crash, and
 * jobs started in the UI). `--dry-run` maps and writes every batch inside a transaction it rolls back: every error
 * the real run would report, nothing stored, no job row.
 *
 * Database: DATABASE_URL, else the embedded PGlite in DATA_DIR (default .data/pglite) — stop `npm start` first when
 * using the embedded database (PGlite allows one process per data folder).
 *
 * Runs under `node --conditions=react-server --import tsx` (see package.json): the services import "server-only",
 * which only resolves to an empty module under the react-server condition.
 */
import { randomUUID } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { isValidTimeZone } from "@/lib/calendar";
import { checkMapping, ImportKind, ImportMapping, type ImportMappingInput, type RowError } from "@/lib/import";
import { claimJob, getJobAnyWorkspace, insertJob, listWorkspaces } from "@/server/repositories/import.repository";
import { jobFile } from "@/server/services/import/import-jobs.service";
import { countRows, openCsv } from "@/server/services/import/csv-file";
import { runImportJob, STALE_AFTER_MS, type JobHandle, type RunProgress, type RunStats } from "@/server/services/import/run-import.service";
import { createDatabase } from "../index";
import { migrateToLatest } from "../migrate";

const USAGE = `Usage: npm run import -- --kind leads|accounts|reps --file path.csv --mapping mapping.json
       [--workspace slug] [--dry-run] [--synthesize-from YYYY-MM-DD --synthesize-to YYYY-MM-DD] [--batch 500]
       npm run import -- --resume <jobId> [--file path.csv]`;

function fail(message: string, code = 2): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(code);
}

function args() {
  try {
    return parseArgs({
      options: {
        kind: { type: "string" }, file: { type: "string" }, mapping: { type: "string" }, workspace: { type: "string" },
        "dry-run": { type: "boolean" }, resume: { type: "string" }, "synthesize-from": { type: "string" },
        "synthesize-to": { type: "string" }, batch: { type: "string" }, help: { type: "boolean" },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

const a = args();
if (a.help) {
  console.log(USAGE);
  process.exit(0);
}
const batchSize = a.batch !== undefined ? Number(a.batch) : 500;
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) fail("--batch must be a whole number from 1 to 5000");
if ((a["synthesize-from"] === undefined) !== (a["synthesize-to"] === undefined)) fail("--synthesize-from and --synthesize-to go together");
if (!a.resume && (!a.kind || !a.file || !a.mapping)) fail("--kind, --file and --mapping are required (or --resume <jobId>)");

const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
const fmt = (n: number) => n.toLocaleString("en-US");

async function loadMapping(file: string, kind: string | undefined): Promise<ImportMapping> {
  let raw: ImportMappingInput;
  try {
    raw = JSON.parse(await readFile(file, "utf8")) as ImportMappingInput;
  } catch (error) {
    fail(`Cannot read the mapping ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (kind !== undefined) {
    const k = ImportKind.safeParse(kind);
    if (!k.success) fail("--kind must be leads, accounts or reps");
    if (raw.kind !== undefined && raw.kind !== k.data) fail(`The mapping is for ${raw.kind}, not ${k.data}`);
    raw = { ...raw, kind: k.data };
  }
  if (a["synthesize-from"] && a["synthesize-to"]) {
    raw = { ...raw, options: { ...raw.options, synthesizeReceivedAt: { ...raw.options?.synthesizeReceivedAt, from: a["synthesize-from"], to: a["synthesize-to"] } } };
  }
  const parsed = ImportMapping.safeParse(raw);
  if (!parsed.success) fail(`The mapping is not valid:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  return parsed.data;
}

const dataDir = path.resolve(process.env.DATA_DIR ?? ".data");
const handle = createDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: path.join(dataDir, "pglite") });
const deps = { db: handle.db, now: () => new Date(), dataDir };
const controller = new AbortController();
let interrupted = false;
process.on("SIGINT", () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  console.error("\nPausing after the current batch… (Ctrl-C again to quit at once)");
  controller.abort();
});

try {
  await migrateToLatest(handle.db);
  let job: JobHandle;
  let kind: string;
  if (a.resume) {
    const row = await getJobAnyWorkspace(handle.db, a.resume);
    if (!row) fail(`No import job ${a.resume}`, 1);
    const mapping = a.mapping ? await loadMapping(a.mapping, row.kind) : ImportMapping.safeParse(row.mapping).data;
    if (!mapping) fail(`Job ${row.id} has no confirmed mapping; pass --mapping`, 1);
    const file = a.file ? path.resolve(a.file) : jobFile(deps, row);
    const runId = randomUUID();
    const now = new Date();
    const claimed = await claimJob(handle.db, row.id, runId, now, new Date(now.getTime() - STALE_AFTER_MS));
    if (!claimed) fail(`Job ${row.id} is ${row.status === "done" ? "finished" : "running in another process"}; nothing to resume.`, 1);
    const c = (claimed.cursor ?? {}) as { row?: number; stats?: RunStats; file?: string };
    kind = row.kind;
    job = {
      id: row.id, runId, workspaceId: row.workspace_id, mapping, file, totalRows: claimed.total_rows, cursorRow: c.row ?? 0,
      errorCount: claimed.error_count, errors: claimed.errors as RowError[], stats: c.stats ?? { inserted: 0, updated: 0, skipped: 0 },
      ...(c.file || a.file ? { cursorExtra: { file } } : {}),
    };
    console.log(`Resuming import ${row.id} (${row.filename}) after row ${fmt(job.cursorRow)}`);
  } else {
    const mapping = await loadMapping(a.mapping!, a.kind);
    kind = mapping.kind;
    const file = path.resolve(a.file!);
    const size = (await stat(file).catch(() => fail(`No file ${file}`, 1))).size;
    const workspaces = await listWorkspaces(handle.db);
    const workspace = a.workspace ? workspaces.find((w) => w.slug === a.workspace) : workspaces.length === 1 ? workspaces[0] : undefined;
    if (!workspace) {
      fail(a.workspace ? `No workspace "${a.workspace}" (have: ${workspaces.map((w) => w.slug).join(", ") || "none"})`
        : workspaces.length ? `Several workspaces; choose one with --workspace (${workspaces.map((w) => w.slug).join(", ")})` : "No workspace yet: run npm run db:seed, or start the app once.", 1);
    }
    const { headers, records } = await openCsv(file, { delimiter: mapping.options.delimiter }).catch((error: unknown) => fail(`Cannot read ${file} as CSV: ${error instanceof Error ? error.message : String(error)}`, 1));
    await records.return(undefined);
    const issues = checkMapping(mapping, { headers, isValidTimeZone });
    if (mapping.options.currency !== undefined && mapping.options.currency !== workspace.currency) issues.push({ path: "options.currency", message: `Amounts must be in the workspace currency ${workspace.currency}.` });
    if (issues.length) fail(`The mapping does not fit ${path.basename(file)}:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`, 2);
    console.log(`Counting rows of ${file} (${mb(size)})…`);
    const t0 = performance.now();
    const { rows: totalRows } = await countRows(file, { delimiter: mapping.options.delimiter });
    console.log(`  ${fmt(totalRows)} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const id = randomUUID();
    const runId = randomUUID();
    if (!a["dry-run"]) {
      await insertJob(handle.db, {
        id, workspace_id: workspace.id, kind: mapping.kind, filename: path.basename(file).slice(0, 200), status: "pending",
        mapping: JSON.stringify(mapping), errors: JSON.stringify([]), total_rows: totalRows, cursor: JSON.stringify({ file }), created_at: new Date(),
      });
      const now = new Date();
      const claimed = await claimJob(handle.db, id, runId, now, now);
      if (!claimed) fail("Could not start the job", 1);
    }
    job = {
      id, runId, workspaceId: workspace.id, mapping, file, totalRows, cursorRow: 0, errorCount: 0, errors: [],
      stats: { inserted: 0, updated: 0, skipped: 0 }, cursorExtra: { file },
    };
    console.log(`${a["dry-run"] ? "Dry run of" : "Importing"} ${kind} into ${workspace.slug} on ${handle.location}${a["dry-run"] ? "" : ` — job ${id}`}`);
  }

  let peakRss = process.memoryUsage().rss;
  const rssAt = new Map<number, number>();
  let lastPrint = 0;
  const startRow = job.cursorRow;
  const onProgress = (p: RunProgress) => {
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    for (const mark of [100_000, 1_000_000]) if (p.row >= mark && !rssAt.has(mark)) rssAt.set(mark, rss);
    const t = performance.now();
    if (t - lastPrint < 1000 && p.row !== p.totalRows) return;
    lastPrint = t;
    const pct = p.totalRows ? ` (${((p.row / p.totalRows) * 100).toFixed(1)}%)` : "";
    const rate = p.rowsThisRun / Math.max(0.001, p.elapsedMs / 1000);
    console.log(`  ${fmt(p.row)}${p.totalRows ? ` / ${fmt(p.totalRows)}` : ""} rows${pct} · ${fmt(p.stats.inserted + p.stats.updated)} imported · ${fmt(p.stats.skipped)} skipped · ${fmt(p.errorCount)} errors · ${fmt(Math.round(rate))} rows/s · RSS ${mb(rss)}`);
  };
  const summary = await runImportJob(deps, job, { batchSize, signal: controller.signal, onProgress, dryRun: a["dry-run"] });
  peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  const seconds = summary.elapsedMs / 1000;
  console.log("");
  console.log(`${a["dry-run"] ? "Dry run" : "Import"} ${summary.status}${summary.failure ? `: ${summary.failure}` : ""}`);
  console.log(`  rows        ${fmt(summary.row)}${summary.totalRows ? ` of ${fmt(summary.totalRows)}` : ""}${startRow ? ` (resumed after ${fmt(startRow)})` : ""}`);
  console.log(`  imported    ${fmt(summary.stats.inserted)} new, ${fmt(summary.stats.updated)} updated${a["dry-run"] ? " (rolled back)" : ""}`);
  console.log(`  skipped     ${fmt(summary.stats.skipped)} (already imported)`);
  console.log(`  errors      ${fmt(summary.errorCount)} rows`);
  console.log(`  time        ${seconds.toFixed(1)} s · ${fmt(Math.round(summary.rowsThisRun / Math.max(0.001, seconds)))} rows/s`);
  console.log(`  memory      peak RSS ${mb(peakRss)}${[...rssAt].map(([row, rss]) => ` · RSS at ${fmt(row)} rows ${mb(rss)}`).join("")}`);
  if (summary.errors.length) {
    console.log(`\nFirst errors (of ${fmt(summary.errorCount)} rows):`);
    for (const e of summary.errors.slice(0, 20)) console.log(`  row ${e.row}${e.column ? ` [${e.column}]` : ""}: ${e.message}`);
  }
  if (summary.status === "paused") console.log(`\nPaused. Resume with: npm run import -- --resume ${job.id}`);
  if (summary.status === "failed") {
    if (!a["dry-run"]) console.log(`\nFix the cause, then: npm run import -- --resume ${job.id}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await handle.close();
}
