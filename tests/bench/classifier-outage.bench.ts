/**
 * Classifier outage drill: a production build on real PostgreSQL, 1,000 leads per scenario posted to
 * `POST /api/v1/leads` at an evenly spaced 25 leads/s from a second process, with the LLM configured (through the
 * environment) against an OpenAI-compatible server on 127.0.0.1 that this script runs:
 *
 *   offline   no LLM configured: the offline classifier alone (the baseline)
 *   healthy   the provider answers in ~150 ms (what a configured LLM costs when it works)
 *   refused   the provider stops listening (connection refused)
 *   http-500  the provider answers every call with 500
 *   hanging   the provider accepts and never answers (each call waits the 4 s timeout, retried once)
 *
 * Each scenario gets a fresh server, warmed up for 10 s at 20 leads/s against the healthy provider (JIT, route modules, pool,
 * model loading — so the figures measure the outage, not a cold start), then the outage begins and 1,000 leads follow.
 * For each: every lead answered 2xx is in the database and routed (none left "new"), zero 5xx, which classifier
 * answered, how many fell back, and p50/p99/max against the offline baseline. The drill fails (exit 1) only if a
 * lead is lost, left unrouted, or answered 5xx; latencies are printed, never asserted.
 *
 * Run: npm run bench:outage [-- --no-build] [-- --leads N]
 */
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEMO_API_KEY } from "@/db/seed/demo-users";
import {
  authSecret, createPostgresDatabase, ensureBuild, freePort, machineDescription, postgresVersion, acknowledgedLeadIds, prepareWorkspace, readRecords, runBench, runGenerator, sleep,
  startServer, waitForHealth, type BenchDatabase, type ServerProcess,
} from "./lib/harness";
import { benchKeyPrefix } from "./lib/lead-bodies";
import type { LoadResult } from "./lib/load-generator";

const { values: flags } = parseArgs({ options: { "no-build": { type: "boolean" }, leads: { type: "string" } }, strict: true });
const LEADS = Number(flags.leads ?? 1000);
const RATE = 25;
const log = (line: string) => process.stderr.write(`${line}\n`);
const runId = String(Date.now()).slice(-9);
const tmp = mkdtempSync(path.join(os.tmpdir(), "switchyard-outage-"));
const serverLog = path.join(tmp, "server.log");

type Scenario = "offline" | "healthy" | "refused" | "http-500" | "hanging";
const SCENARIOS: Scenario[] = ["offline", "healthy", "refused", "http-500", "hanging"];

// ------------------------------------------------------------------------------------------------ fake provider

const ANSWER = {
  category: "pricing_demo", confidence: 0.86, urgency: "normal", urgencyPhrase: null, timelineDays: null, productHints: [], evidence: [],
  briefing: "They ask for pricing and a demo. Offer a call this week.",
};

let behaviour: Scenario = "healthy";
const sockets = new Set<Socket>();
const provider: Server = createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => { body += c.toString(); });
  req.on("end", () => {
    if (behaviour === "hanging") return; // accept, never answer
    if (behaviour === "http-500") {
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "drill: provider down", type: "server_error" } }));
      return;
    }
    setTimeout(() => {
      const model = (JSON.parse(body || "{}") as { model?: string }).model ?? "drill";
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
        id: "chatcmpl-drill", object: "chat.completion", created: Math.floor(Date.now() / 1000), model,
        choices: [{ index: 0, message: { role: "assistant", content: JSON.stringify(ANSWER) }, finish_reason: "stop" }],
        usage: { prompt_tokens: 400, completion_tokens: 60, total_tokens: 460 },
      }));
    }, 150);
  });
});
provider.on("connection", (s: Socket) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });

function listen(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    provider.once("error", reject);
    provider.listen(port, "127.0.0.1", () => { provider.off("error", reject); resolve(); });
  });
}

/** Stops accepting connections and drops the open ones: new calls get ECONNREFUSED. */
function stopListening(): Promise<void> {
  return new Promise((resolve) => {
    provider.close(() => resolve());
    for (const s of sockets) s.destroy();
  });
}

// ------------------------------------------------------------------------------------------------ run

interface Row {
  scenario: Scenario;
  result: LoadResult;
  inDb: number;
  missing2xx: number;
  unrouted: number;
  by: Record<string, number>;
  fellBack: number;
}

let database: BenchDatabase | null = null;
let server: ServerProcess | null = null;

async function main(): Promise<number> {
  log(`Switchyard classifier outage drill — run ${runId}, ${LEADS} leads per scenario at ${RATE}/s; scratch files in ${tmp}`);
  for (const line of machineDescription()) log(line);
  ensureBuild(log, flags["no-build"] === true);
  const providerPort = await freePort(3590, 3599);
  await listen(providerPort);
  const providerUrl = `http://127.0.0.1:${providerPort}/v1`;

  database = await createPostgresDatabase("switchyard_outage");
  const prepared = await prepareWorkspace(database, 500);
  log(`Database ${database.label}: demo workspace with ${prepared.seededLeads} leads.`);
  const port = await freePort(3550, 3589);
  const url = `http://127.0.0.1:${port}/api/v1/leads`;
  const rows: Row[] = [];

  for (const scenario of SCENARIOS) {
    behaviour = "healthy";
    if (!provider.listening) await listen(providerPort);
    const llmEnv = scenario === "offline" ? {} : {
      OPENAI_BASE_URL: providerUrl,
      OPENAI_API_KEY: "drill-key",
      SWITCHYARD_LLM_MODEL: "drill-model",
      SWITCHYARD_LLM_API: "chat",
    };
    server = startServer({ port, env: { DATABASE_URL: database.url, AUTH_SECRET: authSecret(), SEED_ON_START: "never", ...llmEnv }, logPath: serverLog });
    log(`→ ${scenario}: server ready in ${await waitForHealth(server)} ms`);
    await runGenerator({ url, headers: { authorization: `Bearer ${DEMO_API_KEY}` }, rate: 20, durationS: 10, runId, phase: `warm${SCENARIOS.indexOf(scenario)}`, timeoutMs: 15_000 });
    await sleep(1000);
    // The outage begins.
    behaviour = scenario;
    if (scenario === "refused") await stopListening();
    const phase = `o${SCENARIOS.indexOf(scenario)}`;
    const recordsPath = path.join(tmp, `records-${phase}.jsonl`);
    const result = await runGenerator({ url, headers: { authorization: `Bearer ${DEMO_API_KEY}` }, rate: RATE, durationS: LEADS / RATE, runId, phase, timeoutMs: 30_000, recordsPath });
    await server.stop();
    server = null;
    rows.push({ scenario, result, ...(await check(phase, recordsPath)) });
    const r = rows.at(-1)!;
    log(`  ${r.result.ok2xx}/${r.result.scheduled} 2xx, p50 ${r.result.latency.p50.toFixed(1)} p99 ${r.result.latency.p99.toFixed(1)} max ${r.result.latency.max.toFixed(0)} ms; in db ${r.inDb}, unrouted ${r.unrouted}; answered by ${JSON.stringify(r.by)}, fell back ${r.fellBack}`);
  }

  const base = rows[0]!;
  const out: string[] = ["", `Switchyard classifier outage drill — ${new Date().toISOString()}`];
  out.push(...machineDescription().map((l) => l.replace("at start", "at end")));
  out.push(`Server: next start (production build), PostgreSQL ${(await postgresVersion()) ?? "?"}; ${LEADS} leads per scenario at an evenly spaced ${RATE}/s from a separate process; LLM over the Chat Completions API, 4 s timeout, one retry, breaker opens after 5 consecutive failures for 60 s, at most 8 calls in flight`);
  out.push("");
  out.push("scenario   2xx         5xx  other  in db  unrouted  p50 ms  p99 ms  max ms  p99 ÷ offline  answered by                       fell back");
  let bad = 0;
  for (const r of rows) {
    const s5 = Object.entries(r.result.statuses).filter(([k]) => k.startsWith("5")).reduce((a, [, v]) => a + v, 0);
    const other = r.result.scheduled - r.result.ok2xx - s5;
    if (s5 > 0 || r.missing2xx > 0 || r.unrouted > 0 || r.result.ok2xx !== r.result.scheduled) bad++;
    const by = Object.entries(r.by).map(([k, v]) => `${k} ${v}`).join(", ");
    out.push(`${r.scenario.padEnd(10)} ${`${r.result.ok2xx}/${r.result.scheduled}`.padEnd(11)} ${String(s5).padStart(3)}  ${String(other).padStart(5)}  ${String(r.inDb).padStart(5)}  ${String(r.unrouted).padStart(8)}  ${r.result.latency.p50.toFixed(1).padStart(6)}  ${r.result.latency.p99.toFixed(1).padStart(6)}  ${r.result.latency.max.toFixed(0).padStart(6)}  ${(r.result.latency.p99 / base.result.latency.p99).toFixed(2).padStart(13)}  ${by.padEnd(33)} ${r.fellBack}`);
  }
  out.push("");
  out.push(`Every lead stored and routed with zero 5xx in every scenario: ${bad === 0 ? "PASS" : `FAIL (${bad} scenario(s))`}`);
  out.push("(p99 ÷ offline: the outage's cost over the offline classifier alone; the slowest leads of 'hanging' are the few that waited for the timeout before the breaker opened.)");
  out.push("");
  process.stdout.write(`${out.join("\n")}\n`);
  return bad === 0 ? 0 : 1;
}

async function check(phase: string, recordsPath: string) {
  await sleep(500);
  const records = readRecords(recordsPath);
  const okIds = acknowledgedLeadIds(records);
  const handle = database!.open();
  try {
    const like = `api:${benchKeyPrefix(runId, phase)}%`;
    const leads = await handle.db.selectFrom("leads").select(["id", "status", "classifier"]).where("idempotency_key", "like", like).execute();
    const ids = new Set(leads.map((l) => l.id));
    const by: Record<string, number> = {};
    for (const l of leads) by[l.classifier ?? "none"] = (by[l.classifier ?? "none"] ?? 0) + 1;
    const fell = await handle.db
      .selectFrom("lead_events as e")
      .innerJoin("leads as l", "l.id", "e.lead_id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("l.idempotency_key", "like", like)
      .where("e.type", "=", "classified")
      .where((eb) => eb(eb.ref("e.data", "->>").key("fellBack" as never), "=", "true"))
      .executeTakeFirstOrThrow();
    return {
      inDb: leads.length,
      missing2xx: okIds.filter((id) => !ids.has(id)).length,
      unrouted: leads.filter((l) => l.status === "new").length,
      by,
      fellBack: Number(fell.n),
    };
  } finally {
    await handle.close();
  }
}

await runBench({ name: "Drill", main, scratch: () => ({ server, database }), release: async () => { if (provider.listening) await stopListening(); }, tmp, serverLog, log });
