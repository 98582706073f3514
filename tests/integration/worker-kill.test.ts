/**
 * The job worker survives SIGKILL: `npm run worker` processes (server/jobs/cli.ts) against PostgreSQL work through
 * 3,000 due SLA breach timers; three times one is killed with SIGKILL mid-batch and a new one started, then two run
 * side by side to the end. Every timer fires exactly once: one sla_breached event and one notification per lead,
 * every job done, none dead — the jobs the killed workers held were taken over once their 2-second lease expired.
 * PostgreSQL only (on PGlite the worker lives inside the app's process).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fabricateDueTimers, timerCounts, type TimerLoad } from "../support/sla-load";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

let t: TestDatabase;
let load: TimerLoad;
const TIMERS = 3000;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  t = await createTestDatabase();
  if (t.kind === "postgres") load = await fabricateDueTimers(t.db, { count: TIMERS, dueFrom: new Date(Date.now() - 600_000), spreadMs: 300_000, slug: "kill-test" });
}, 120_000);
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await t?.close();
});

function startWorker(name: string): ChildProcess {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "server/jobs/cli.ts"], {
    env: { ...process.env, DATABASE_URL: t.url!, JOB_BATCH_SIZE: "25", JOB_LEASE_MS: "2000", LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => { stderr += d.toString(); });
  child.on("exit", (code, signal) => {
    children.delete(child);
    if (code !== 0 && signal === null) console.error(`worker ${name} exited with ${code}: ${stderr.slice(-2000)}`);
  });
  children.add(child);
  return child;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, ok: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ok()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("job worker under SIGKILL (PostgreSQL)", () => {
  it("fires every due timer exactly once through three kills and two workers side by side", async (ctx) => {
    if (t.kind !== "postgres") ctx.skip();
    const lines: string[] = [];
    const heldAtKills = new Set<number>();
    for (let round = 1; round <= 3; round++) {
      const before = (await timerCounts(t.db, load.workspaceId)).done;
      const w = startWorker(`kill-${round}`);
      await waitFor(`worker ${round} to get going`, async () => (await timerCounts(t.db, load.workspaceId)).done >= before + 300, 60_000);
      w.kill("SIGKILL");
      await new Promise((r) => w.once("exit", r));
      const c = await timerCounts(t.db, load.workspaceId);
      // Jobs a killed worker held (this one's, and an earlier one's whose lease has not expired yet).
      const held = await t.db.selectFrom("jobs").select("id").where("workspace_id", "=", load.workspaceId).where("status", "=", "running").execute();
      for (const h of held) heldAtKills.add(Number(h.id));
      lines.push(`kill ${round}: ${c.done} done, ${c.running} held by killed workers, ${c.queued} queued; ${c.breaches} breach events`);
    }
    const a = startWorker("final-a");
    const b = startWorker("final-b");
    await waitFor("every timer to fire", async () => (await timerCounts(t.db, load.workspaceId)).done === TIMERS, 90_000);
    a.kill("SIGTERM");
    b.kill("SIGTERM");
    await Promise.all([a, b].map((w) => (w.exitCode !== null ? null : new Promise((r) => w.once("exit", r)))));
    const c = await timerCounts(t.db, load.workspaceId);
    lines.push(`end: ${c.done} done, ${c.dead} dead, ${c.retried} taken over after a kill (${heldAtKills.size} distinct held at the kills); ${c.breaches} sla_breached events for ${c.leads_breached} leads; ${c.notifications} notifications`);
    console.log(`[worker-kill] ${TIMERS} due SLA timers, batches of 25, lease 2 s\n  ${lines.join("\n  ")}`);
    expect(heldAtKills.size).toBeGreaterThan(0); // the kills landed mid-batch: the test exercised a takeover
    expect(c).toMatchObject({ done: TIMERS, queued: 0, running: 0, dead: 0, breaches: TIMERS, leads_breached: TIMERS, notifications: TIMERS });
    // Every job a killed worker held was claimed again (a second attempt) and took effect once.
    const again = await t.db.selectFrom("jobs").select("id").where("id", "in", [...heldAtKills]).where("attempts", ">=", 2).where("status", "=", "done").execute();
    expect(again.length).toBe(heldAtKills.size);
  }, 240_000);
});
