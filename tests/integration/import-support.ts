/** Helpers shared by the import integration tests: a seeded workspace, uploads from files or text, runs to the end. */
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { seedDemo } from "@/db/seed/demo";
import type { ImportKind } from "@/lib/import";
import type { ImportDeps } from "@/server/services/import/context";
import { getImportJob, startImportJob, type JobView } from "@/server/services/import/import-jobs.service";
import { receiveUpload } from "@/server/services/import/upload.service";
import type { RunSummary } from "@/server/services/import/run-import.service";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

export const FIXTURES = path.resolve(__dirname, "../fixtures/import");
/** The clock of the tests: the demo history ends here; the fixture's leads are from June 2025. */
export const NOW = new Date("2026-03-02T12:00:00Z");

export interface ImportTestEnv extends TestDatabase {
  deps: ImportDeps;
  workspaceId: string;
  actor: { workspaceId: string; id: string };
  dataDir: string;
  cleanup(): Promise<void>;
}

/** A test database with a small demo workspace (reps, route paths, a published table) and a temp DATA_DIR. */
export async function createImportTestEnv(leads = 200): Promise<ImportTestEnv> {
  const t = await createTestDatabase();
  const summary = await seedDemo(t.db, { leads, now: NOW, seed: "import-tests" });
  const dataDir = await mkdtemp(path.join(tmpdir(), "sy-import-"));
  const ops = await t.db.selectFrom("users").select("id").where("email", "=", "ops@demo.switchyard.dev").executeTakeFirstOrThrow();
  return {
    ...t,
    deps: { db: t.db, now: () => NOW, dataDir },
    workspaceId: summary.workspaceId,
    actor: { workspaceId: summary.workspaceId, id: ops.id },
    dataDir,
    async cleanup() {
      await t.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function bodyOf(source: { file: string } | { text: string }): ReadableStream<Uint8Array> {
  if ("file" in source) return Readable.toWeb(createReadStream(source.file)) as ReadableStream<Uint8Array>;
  return new Blob([source.text]).stream();
}

/** Uploads a file (or text) as a raw text/csv body; returns the pending job's id. */
export async function upload(env: ImportTestEnv, kind: ImportKind, source: { file: string } | { text: string }, filename = "upload.csv"): Promise<string> {
  const job = await receiveUpload(env.deps, {
    workspaceId: env.workspaceId, userId: env.actor.id, contentType: "text/csv", contentLength: null, body: bodyOf(source), kind, filename,
  });
  return job.id;
}

export async function mappingFile(name: string): Promise<unknown> {
  return JSON.parse(await readFile(name, "utf8")) as unknown;
}

/** Uploads, starts with `mapping` and waits for the run; returns the run summary and the job view. */
export async function importAll(env: ImportTestEnv, kind: ImportKind, source: { file: string } | { text: string }, mapping: unknown): Promise<{ summary: RunSummary; job: JobView }> {
  const id = await upload(env, kind, source);
  const { done } = await startImportJob(env.deps, env.actor, id, mapping);
  const summary = await done;
  return { summary, job: await getImportJob(env.deps, env.actor, id) };
}
