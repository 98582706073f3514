/**
 * The job worker: claims due jobs in batches (jobs.repository.ts), runs each kind's handler on its batch and
 * records the outcome — done, retried later with exponential backoff and jitter (lib/jobs/backoff.ts), or dead
 * after its last attempt (Settings lists dead jobs with a Retry button).
 *
 * Handlers come in two shapes:
 * - transactional: the handler's database effects and the jobs' completion commit together, inside a transaction
 *   that first locks the jobs this worker still holds — so an effect happens exactly once even when a lease expired
 *   and another worker took the job over (SLA steps: events, reassignment, in-app notifications);
 * - external: the handler talks to the outside world (Slack, SMTP, webhooks) outside any transaction and reports
 *   per job; completion is fenced on the lease. Receivers deduplicate a retry on the delivery's event id.
 *
 * The clock is injected: tests drive `drain()` with a controllable `now` (no sleeping); the running loop sleeps
 * until the next due job, at most `pollMs`, and wakes early on `wake()` (this process enqueued something due).
 */
import "server-only";
import os from "node:os";
import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "@/db/types";
import { retryDelayMs, type BackoffPolicy } from "@/lib/jobs/backoff";
import { claimJobs, completeJobs, failJob, lockHeldJobs, nextDueAt, reclaimExpired, type ClaimedJob } from "../repositories/jobs.repository";
import { log } from "../log";

type Db = Kysely<Database>;

/** One job's outcome: done, or failed (retried unless `dead`, or unless its attempts are used up). */
export type JobOutcome = { id: number; ok: true } | { id: number; ok: false; error: string; dead?: boolean };

export interface JobContext {
  now: Date;
  workerId: string;
}

/** Called for jobs that died because their worker never came back (every attempt's lease expired). */
type OnDead = (db: Db, jobs: Array<{ id: number; payload: Record<string, unknown> }>, now: Date) => Promise<void>;

export type JobHandler =
  | { transactional: true; run: (trx: Transaction<Database>, jobs: ClaimedJob[], ctx: JobContext) => Promise<JobOutcome[]>; onDead?: OnDead }
  | { transactional: false; run: (db: Db, jobs: ClaimedJob[], ctx: JobContext) => Promise<JobOutcome[]>; onDead?: OnDead };

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  workerId?: string;
  /** Jobs claimed at a time. */
  batchSize?: number;
  /** How long a claim holds a job before another worker may take it over. */
  leaseMs?: number;
  /** Longest sleep between two looks at the queue. */
  pollMs?: number;
  /**
   * Shortest sleep after a batch that was not full: timers falling due one by one are then taken a few dozen at a
   * time (at most this much later) instead of one transaction each.
   */
  minSleepMs?: number;
  now?: () => Date;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Called after every batch (tests and the benchmark count and time what fired). */
  onBatch?: (jobs: ClaimedJob[], outcomes: JobOutcome[], at: Date) => void;
}

export class JobWorker {
  readonly workerId: string;
  private readonly o: Required<Omit<WorkerOptions, "backoff" | "onBatch" | "workerId">> & Pick<WorkerOptions, "backoff" | "onBatch">;
  private running = false;
  private lastReclaim = -Infinity;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Db, options: WorkerOptions) {
    this.workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.o = {
      handlers: options.handlers, batchSize: options.batchSize ?? 200, leaseMs: options.leaseMs ?? 120_000, pollMs: options.pollMs ?? 1000, minSleepMs: options.minSleepMs ?? 50,
      now: options.now ?? (() => new Date()), random: options.random ?? Math.random, backoff: options.backoff, onBatch: options.onBatch,
    };
  }

  /** One look at the queue: expired leases reclaimed (unless `reclaim` is false), one batch claimed and run. Returns the jobs it ran. */
  async runOnce(reclaim = true): Promise<number> {
    const now = this.o.now();
    if (reclaim) {
      const { dead } = await reclaimExpired(this.db, now);
      for (const kind of new Set(dead.map((d) => d.kind))) {
        await this.o.handlers[kind]?.onDead?.(this.db, dead.filter((d) => d.kind === kind), now);
      }
    }
    const jobs = await claimJobs(this.db, { workerId: this.workerId, now, limit: this.o.batchSize, leaseMs: this.o.leaseMs });
    if (!jobs.length) return 0;
    const byKind = new Map<string, ClaimedJob[]>();
    for (const j of jobs) byKind.set(j.kind, [...(byKind.get(j.kind) ?? []), j]);
    const outcomes: JobOutcome[] = [];
    for (const [kind, batch] of byKind) outcomes.push(...(await this.runKind(kind, batch, now)));
    this.o.onBatch?.(jobs, outcomes, now);
    return jobs.length;
  }

  /** Runs every job due at the clock's now (tests: advance the clock, then drain). Returns the jobs run. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runOnce();
      total += n;
      if (n === 0) return total;
    }
  }

  /** Starts the loop in the background. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let n = 0;
        try {
          // Expired leases are rare (a worker died): the loop looks for them at most once a second.
          const reclaim = Date.now() - this.lastReclaim >= 1000;
          if (reclaim) this.lastReclaim = Date.now();
          n = await this.runOnce(reclaim);
        } catch (error) {
          log.error("job worker: a batch failed", { workerId: this.workerId, error: error instanceof Error ? error.message : String(error) });
        }
        if (!this.running) break;
        if (n >= this.o.batchSize) continue; // more is due: no sleep
        await this.sleep(Math.max(this.o.minSleepMs, await this.untilNextDue()));
      }
    })();
  }

  /** Something was enqueued that may be due now: look at the queue without waiting for the poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops after the batch in hand; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = null;
  }

  private async untilNextDue(): Promise<number> {
    try {
      const next = await nextDueAt(this.db);
      if (!next) return this.o.pollMs;
      return Math.max(0, Math.min(this.o.pollMs, next.getTime() - this.o.now().getTime()));
    } catch {
      return this.o.pollMs;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        this.wakeUp = null;
        resolve();
      };
      this.wakeUp = done;
      this.timer = setTimeout(done, ms);
    });
  }

  private async runKind(kind: string, batch: ClaimedJob[], now: Date): Promise<JobOutcome[]> {
    const handler = this.o.handlers[kind];
    const ctx: JobContext = { now, workerId: this.workerId };
    if (!handler) {
      const outcomes = batch.map((j): JobOutcome => ({ id: j.id, ok: false, error: `no handler for job kind "${kind}"`, dead: true }));
      await this.record(this.db, batch, outcomes, now);
      return outcomes;
    }
    try {
      if (handler.transactional) {
        return await this.db.transaction().execute(async (trx) => {
          const held = await lockHeldJobs(trx, this.workerId, batch.map((j) => j.id));
          const mine = batch.filter((j) => held.has(j.id));
          if (!mine.length) return [];
          const outcomes = await handler.run(trx, mine, ctx);
          await this.record(trx, mine, outcomes, now);
          return outcomes;
        });
      }
      const outcomes = await handler.run(this.db, batch, ctx);
      await this.record(this.db, batch, outcomes, now);
      return outcomes;
    } catch (error) {
      // The handler threw (a transactional one rolled back): every job of the batch is retried.
      const text = error instanceof Error ? error.message : String(error);
      log.warn("job worker: a handler failed; its jobs will be retried", { kind, jobs: batch.length, error: text });
      const outcomes = batch.map((j): JobOutcome => ({ id: j.id, ok: false, error: text }));
      await this.record(this.db, batch, outcomes, now);
      return outcomes;
    }
  }

  private async record(db: Db | Transaction<Database>, batch: ClaimedJob[], outcomes: JobOutcome[], now: Date): Promise<void> {
    const byId = new Map(outcomes.map((o) => [o.id, o]));
    const done: number[] = [];
    for (const job of batch) {
      const o = byId.get(job.id) ?? { id: job.id, ok: false as const, error: "the handler reported no outcome" };
      if (o.ok) {
        done.push(job.id);
        continue;
      }
      const retryAt = new Date(now.getTime() + retryDelayMs(job.attempts, this.o.random(), this.o.backoff));
      const status = await failJob(db, this.workerId, job.id, { error: o.error, retryAt, now, dead: o.dead });
      if (status === "dead") log.warn("job is dead after its last attempt", { jobId: job.id, kind: job.kind, attempts: job.attempts, error: o.error });
    }
    // Completed at the clock's time now, after the work (with the real clock: when the effects were written).
    await completeJobs(db, this.workerId, done, this.o.now());
  }
}
