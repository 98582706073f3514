/**
 * An evenly spaced, open-loop HTTP load generator, run as its own process (the benchmark and the crash test start
 * it with `node --import tsx tests/bench/lib/load-generator.ts '<LoadOptions as JSON>'`; it prints one LoadResult
 * as JSON on stdout and progress on stderr).
 *
 * Why our own and not autocannon: autocannon's `-R` rate mode sends in bursts, which inflates the tail of a server
 * that would have coped with the same rate evenly spaced (STACK.md). Here request i is *scheduled* at
 * `start + i / rate`, sent as soon as the timer fires at or after that moment, and its latency is measured from the
 * scheduled moment — not from when it was actually sent — so a stalled server or a late generator cannot hide
 * delay (no coordinated omission). The schedule never waits for answers (open loop): requests pile up in flight
 * if the server falls behind, exactly as real senders would.
 *
 * Requests go through node:http with a keep-alive agent rather than fetch: on a 2-core machine shared with the
 * server and PostgreSQL, fetch's extra per-request CPU would be taken from the server being measured. Bodies and
 * keys are generated before the clock starts for the same reason.
 */
import http from "node:http";
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { benchKey, benchLeadBody } from "./lead-bodies";

export interface LoadOptions {
  /** Full URL, e.g. http://127.0.0.1:3500/api/v1/leads */
  url: string;
  /** Extra request headers (authorization…); content-type JSON and the per-request Idempotency-Key are added. */
  headers: Record<string, string>;
  /** Requests per second, evenly spaced. */
  rate: number;
  /** How long to send for, in seconds. */
  durationS: number;
  /** Bodies and keys: benchLeadBody(runId, phase, startIndex + i), Idempotency-Key benchKey(runId, phase, …). */
  runId: string;
  phase: string;
  startIndex?: number;
  /** Per-request timeout (ms); a request without an answer by then counts as "timeout". */
  timeoutMs: number;
  /** Stop scheduling (and mark the run aborted) when this many requests are in flight at once. */
  abortInFlight?: number;
  /** Write one JSON line per request (key, status, leadId, error, latency) to this file. */
  recordsPath?: string;
  /** Print a progress line to stderr every second. */
  progress?: boolean;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  phase: string;
  targetRate: number;
  durationS: number;
  scheduled: number;
  sent: number;
  /** Requests that got an HTTP answer (any status). */
  answered: number;
  ok2xx: number;
  /** Counts by HTTP status, and by network error (ECONNREFUSED, ECONNRESET, timeout…). */
  statuses: Record<string, number>;
  errors: Record<string, number>;
  /** 2xx answers per second over the run (first scheduled send → last answer). */
  achievedRps: number;
  /** From the scheduled send time to the full answer (ms), answered requests only. */
  latency: LatencySummary;
  /** From the actual send to the answer (ms): the server's view. */
  service: LatencySummary;
  /** How late the generator sent requests against their schedule (ms). */
  sendLag: LatencySummary;
  maxInFlight: number;
  aborted: boolean;
  /** CPU the generator itself used (ms) over the run. */
  generatorCpuMs: number;
  wallMs: number;
}

/** One request's outcome (written to `recordsPath`). */
export interface RequestRecord {
  i: number;
  key: string;
  /** HTTP status, or 0 when no answer came (error says why). */
  status: number;
  leadId: string | null;
  error: string | null;
  latencyMs: number | null;
}

/** Nearest-rank percentiles of a list of milliseconds (sorted in place). */
export function summarize(values: number[]): LatencySummary {
  if (values.length === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1))]!;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { count: values.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: values[values.length - 1]!, mean };
}

/** Runs the load described by `options` and resolves with its result once every request is answered or timed out. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const total = Math.max(1, Math.round(options.rate * options.durationS));
  const interval = 1000 / options.rate;
  const startIndex = options.startIndex ?? 0;
  const keys: string[] = new Array<string>(total);
  const bodies: Buffer[] = new Array<Buffer>(total);
  for (let i = 0; i < total; i++) {
    keys[i] = benchKey(options.runId, options.phase, startIndex + i);
    bodies[i] = Buffer.from(JSON.stringify(benchLeadBody(options.runId, options.phase, startIndex + i)));
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 1000 });
  const records: RequestRecord[] = [];
  const latencies: number[] = [];
  const service: number[] = [];
  const lags: number[] = [];
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let sent = 0;
  let answered = 0;
  let ok2xx = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let lastAnswerAt = 0;
  let aborted = false;
  const cpu0 = process.cpuUsage();
  const start = performance.now() + 50;

  return new Promise<LoadResult>((resolve) => {
    let next = 0;
    let doneScheduling = false;
    const progress = options.progress
      ? setInterval(() => process.stderr.write(`[load ${options.phase}] ${((performance.now() - start) / 1000).toFixed(0)}s sent=${sent} ok=${ok2xx} inflight=${inFlight}\n`), 1000)
      : null;

    const finish = () => {
      if (!doneScheduling || inFlight > 0) return;
      if (progress) clearInterval(progress);
      agent.destroy();
      const cpu = process.cpuUsage(cpu0);
      if (options.recordsPath) writeFileSync(options.recordsPath, records.map((r) => JSON.stringify(r)).join("\n") + (records.length ? "\n" : ""));
      const spanMs = Math.max(1, (lastAnswerAt || performance.now()) - start);
      resolve({
        phase: options.phase,
        targetRate: options.rate,
        durationS: options.durationS,
        scheduled: total,
        sent,
        answered,
        ok2xx,
        statuses,
        errors,
        achievedRps: ok2xx / (spanMs / 1000),
        latency: summarize(latencies),
        service: summarize(service),
        sendLag: summarize(lags),
        maxInFlight,
        aborted,
        generatorCpuMs: (cpu.user + cpu.system) / 1000,
        wallMs: performance.now() - start,
      });
    };

    const send = (i: number) => {
      const scheduledAt = start + i * interval;
      const sentAt = performance.now();
      lags.push(sentAt - scheduledAt);
      sent++;
      inFlight++;
      if (inFlight > maxInFlight) maxInFlight = inFlight;
      let settled = false;
      const body = bodies[i]!;
      const settle = (status: number, payload: Buffer | null, error: string | null) => {
        if (settled) return;
        settled = true;
        inFlight--;
        const now = performance.now();
        let leadId: string | null = null;
        if (status > 0) {
          answered++;
          lastAnswerAt = now;
          latencies.push(now - scheduledAt);
          service.push(now - sentAt);
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status >= 200 && status < 300) {
            ok2xx++;
            if (options.recordsPath && payload) {
              try {
                leadId = (JSON.parse(payload.toString("utf8")) as { leadId?: string }).leadId ?? null;
              } catch {
                leadId = null;
              }
            }
          }
        } else {
          errors[error ?? "error"] = (errors[error ?? "error"] ?? 0) + 1;
        }
        if (options.recordsPath) records.push({ i: startIndex + i, key: keys[i]!, status, leadId, error, latencyMs: status > 0 ? now - scheduledAt : null });
        finish();
      };
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: "POST",
          agent,
          headers: { ...options.headers, "content-type": "application/json", "content-length": body.length, "idempotency-key": keys[i]! },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => settle(res.statusCode ?? 0, Buffer.concat(chunks), res.statusCode ? null : "no status"));
          res.on("error", (e: NodeJS.ErrnoException) => settle(0, null, e.code ?? e.message));
        },
      );
      req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error("timeout"), { code: "timeout" })));
      req.on("error", (e: NodeJS.ErrnoException) => settle(0, null, e.code ?? e.message));
      req.end(body);
    };

    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        if (options.abortInFlight !== undefined && inFlight >= options.abortInFlight) {
          aborted = true;
          next = total;
          break;
        }
        send(next++);
      }
      if (next < total) {
        setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
      } else {
        doneScheduling = true;
        finish();
      }
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
}

// Run as a process: one JSON argument in, one JSON result out.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Never outlive the benchmark that started us (a crashed parent must not leave load running).
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(2);
  }, 500).unref();
  const options = JSON.parse(process.argv[2] ?? "{}") as LoadOptions;
  const result = await runLoad(options);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
