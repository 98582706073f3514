/**
 * The job queue (server/repositories/jobs.repository.ts, server/jobs/worker.ts) on a real database, with a
 * controllable clock: nothing runs before its time, failures back off with jitter and end dead, dead jobs retry, a
 * lease that expires is taken over and the first worker's late completion changes nothing; on PostgreSQL two workers
 * on their own connection pools share 1,000 due jobs and every job takes effect exactly once.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDatabase } from "@/db";
import { retryDelayMs } from "@/lib/jobs/backoff";
import { claimJobs, completeJobs, enqueueJobs, retryDeadJobs } from "@/server/repositories/jobs.repository";
import { JobWorker, type JobHandler } from "@/server/jobs/worker";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

let t: TestDatabase;
let workspaceId: string;
const T0 = new Date("2026-03-02T09:00:00Z");
let clock = T0;
const now = () => clock;
const at = (ms: number) => new Date(T0.getTime() + ms);

beforeAll(async () => {
  t = await createTestDatabase();
  await sql`create table test_job_effects (job_id bigint not null, worker text not null, at timestamptz not null)`.execute(t.db);
  workspaceId = (await t.db.insertInto("workspaces").values({ slug: "jobs", name: "Jobs", settings: "{}" }).returning("id").executeTakeFirstOrThrow()).id;
}, 120_000);
afterAll(async () => t?.close());
beforeEach(async () => {
  clock = T0;
  await sql`truncate jobs, test_job_effects cascade`.execute(t.db);
});

/** A transactional handler recording each job's effect in test_job_effects (fails jobs whose payload says so). */
const effect: JobHandler = {
  transactional: true,
  run: async (trx, jobs, ctx) => {
    const outcomes = [];
    for (const j of jobs) {
      if (j.payload.fail) {
        outcomes.push({ id: j.id, ok: false as const, error: `failing on purpose (attempt ${j.attempts})` });
        continue;
      }
      await sql`insert into test_job_effects (job_id, worker, at) values (${j.id}, ${ctx.workerId}, ${ctx.now})`.execute(trx);
      outcomes.push({ id: j.id, ok: true as const });
    }
    return outcomes;
  },
};

const effects = async () => (await sql<{ job_id: number; worker: string }>`select job_id, worker from test_job_effects order by job_id`.execute(t.db)).rows;
const job = async (id: number) => t.db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("job queue", () => {
  it("runs nothing before its time and each due job once, earliest first", async () => {
    await enqueueJobs(t.db, [
      { workspaceId: null, kind: "effect", payload: {}, runAt: at(60_000) },
      { workspaceId: null, kind: "effect", payload: {}, runAt: at(1_000) },
    ]);
    const w = new JobWorker(t.db, { handlers: { effect }, now, workerId: "w1" });
    expect(await w.drain()).toBe(0);
    clock = at(1_000);
    expect(await w.drain()).toBe(1);
    clock = at(59_999);
    expect(await w.drain()).toBe(0);
    clock = at(120_000);
    expect(await w.drain()).toBe(1);
    expect(await w.drain()).toBe(0);
    const rows = await t.db.selectFrom("jobs").select(["status", "attempts", "run_at", "first_claimed_at"]).orderBy("run_at").execute();
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([["done", 1], ["done", 1]]);
    // The second job fired 60 s after it was due (the clock jumped): first_claimed_at − run_at is the delay.
    expect(new Date(rows[1]!.first_claimed_at!).getTime() - new Date(rows[1]!.run_at).getTime()).toBe(60_000);
    expect((await effects()).length).toBe(2);
  });

  it("enqueues a job once per dedupe key", async () => {
    const first = await enqueueJobs(t.db, [{ workspaceId: null, kind: "effect", payload: {}, runAt: T0, dedupeKey: "lead-1:step-0" }]);
    const again = await enqueueJobs(t.db, [
      { workspaceId: null, kind: "effect", payload: {}, runAt: T0, dedupeKey: "lead-1:step-0" },
      { workspaceId: null, kind: "effect", payload: {}, runAt: T0, dedupeKey: "lead-1:step-1" },
    ]);
    expect([first, again]).toEqual([1, 1]);
    expect(await new JobWorker(t.db, { handlers: { effect }, now }).drain()).toBe(2);
  });

  it("retries a failing job with exponential backoff and jitter, then marks it dead; a manual retry runs it again", async () => {
    const [id] = (await t.db.insertInto("jobs").values({ kind: "effect", payload: JSON.stringify({ fail: true }), run_at: T0, max_attempts: 3, workspace_id: workspaceId }).returning("id").execute()).map((r) => Number(r.id));
    const draws = [0, 1];
    const w = new JobWorker(t.db, { handlers: { effect }, now, workerId: "w1", random: () => draws.shift() ?? 0.5 });
    expect(await w.drain()).toBe(1);
    let j = await job(id!);
    // Attempt 1 failed with random 0: the shortest delay of step 1 (half of 10 s).
    expect([j.status, j.attempts, new Date(j.run_at).getTime() - T0.getTime()]).toEqual(["queued", 1, retryDelayMs(1, 0)]);
    expect(retryDelayMs(1, 0)).toBe(5_000);
    expect(j.last_error).toContain("attempt 1");
    clock = new Date(j.run_at);
    expect(await w.drain()).toBe(1);
    j = await job(id!);
    // Attempt 2 with random 1: the longest of step 2 (20 s).
    expect([j.status, j.attempts, new Date(j.run_at).getTime() - clock.getTime()]).toEqual(["queued", 2, 20_000]);
    clock = new Date(j.run_at);
    expect(await w.drain()).toBe(1);
    j = await job(id!);
    expect([j.status, j.attempts]).toEqual(["dead", 3]);
    expect(j.finished_at).not.toBeNull();
    clock = at(3_600_000);
    expect(await w.drain()).toBe(0);
    // Retry from Settings: queued now with fresh attempts (only the workspace's own); it succeeds once its payload
    // is fixed.
    await t.db.updateTable("jobs").set({ payload: JSON.stringify({}) }).where("id", "=", id!).execute();
    expect(await retryDeadJobs(t.db, "00000000-0000-0000-0000-000000000000", [id!], clock)).toBe(0);
    expect(await retryDeadJobs(t.db, workspaceId, [id!], clock)).toBe(1);
    expect([(await job(id!)).status, (await job(id!)).attempts]).toEqual(["queued", 0]);
    expect(await w.drain()).toBe(1);
    expect((await job(id!)).status).toBe("done");
    expect((await effects()).map((e) => e.job_id)).toEqual([id]);
  });

  it("a handler that throws rolls back its effects and the batch is retried", async () => {
    await enqueueJobs(t.db, [{ workspaceId: null, kind: "boom", payload: {}, runAt: T0 }, { workspaceId: null, kind: "nothing", payload: {}, runAt: T0 }]);
    const boom: JobHandler = {
      transactional: true,
      run: async (trx, jobs) => {
        await sql`insert into test_job_effects (job_id, worker, at) values (${jobs[0]!.id}, 'boom', now())`.execute(trx);
        throw new Error("handler crashed");
      },
    };
    const w = new JobWorker(t.db, { handlers: { boom }, now, random: () => 0 });
    await w.drain();
    expect(await effects()).toEqual([]);
    const rows = await t.db.selectFrom("jobs").select(["kind", "status", "last_error"]).orderBy("kind").execute();
    expect(rows).toEqual([
      { kind: "boom", status: "queued", last_error: "handler crashed" },
      // A kind nobody handles is dead at once: retrying cannot help.
      { kind: "nothing", status: "dead", last_error: 'no handler for job kind "nothing"' },
    ]);
  });

  it("takes over a job whose lease expired; the first worker's late completion changes nothing", async () => {
    await enqueueJobs(t.db, [{ workspaceId: null, kind: "effect", payload: {}, runAt: T0 }]);
    // Worker A claims and then hangs (or was killed) without finishing.
    const [claimed] = await claimJobs(t.db, { workerId: "A", now: T0, limit: 10, leaseMs: 30_000 });
    expect(claimed!.attempts).toBe(1);
    const b = new JobWorker(t.db, { handlers: { effect }, now, workerId: "B", leaseMs: 30_000 });
    clock = at(29_999);
    expect(await b.drain()).toBe(0); // still A's
    clock = at(30_001);
    expect(await b.drain()).toBe(1);
    expect(await completeJobs(t.db, "A", [claimed!.id], clock)).toEqual([]);
    const j = await job(claimed!.id);
    expect([j.status, j.attempts, j.locked_by]).toEqual(["done", 2, null]);
    expect(j.last_error).toContain("lease expired: the worker A");
    expect((await effects()).map((e) => e.worker)).toEqual(["B"]);
  });

  it("a job whose every attempt expired its lease ends dead, and its handler hears of it", async () => {
    await t.db.insertInto("jobs").values({ kind: "effect", payload: JSON.stringify({ note: "lost" }), run_at: T0, max_attempts: 1, workspace_id: null }).execute();
    await claimJobs(t.db, { workerId: "A", now: T0, limit: 10, leaseMs: 1_000 });
    clock = at(5_000);
    const heard: Array<{ payload: Record<string, unknown> }> = [];
    const withOnDead: JobHandler = { ...effect, onDead: async (_db, jobs) => { heard.push(...jobs); } };
    expect(await new JobWorker(t.db, { handlers: { effect: withOnDead }, now }).drain()).toBe(0);
    expect((await t.db.selectFrom("jobs").select("status").executeTakeFirstOrThrow()).status).toBe("dead");
    expect(heard.map((j) => j.payload)).toEqual([{ note: "lost" }]);
  });

  it("two workers on their own connections share 1,000 due jobs; each takes effect exactly once", async (ctx) => {
    if (t.kind !== "postgres") ctx.skip(); // PGlite is one connection in one process: nothing runs concurrently
    const jobs = Array.from({ length: 1000 }, (_, i) => ({ workspaceId: null, kind: "effect", payload: { i }, runAt: at(-i) }));
    await enqueueJobs(t.db, jobs);
    const handles = [createDatabase({ url: t.url!, poolSize: 3 }), createDatabase({ url: t.url!, poolSize: 3 })];
    try {
      const real = () => new Date(T0.getTime() + 1);
      const workers = handles.map((h, i) => new JobWorker(h.db, { handlers: { effect }, now: real, workerId: `w${i}`, batchSize: 25 }));
      const counts = await Promise.all(workers.map((w) => w.drain()));
      expect(counts[0]! + counts[1]!).toBe(1000);
      // Both took part (batches of 25 over 1,000 jobs interleave).
      expect(Math.min(...counts)).toBeGreaterThan(0);
      const rows = await effects();
      expect(rows.length).toBe(1000);
      expect(new Set(rows.map((r) => r.job_id)).size).toBe(1000);
      const done = await t.db.selectFrom("jobs").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", "done").where("attempts", "=", 1).executeTakeFirstOrThrow();
      expect(Number(done.n)).toBe(1000);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  }, 60_000);
});
