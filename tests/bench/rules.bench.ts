/**
 * Decision-table benchmark: the reference routing table (26 rules, 8 inputs, FIRST) over the 10,000 reference
 * leads, ours (generated code, untraced and traced; plus the interpreter fallback) side by side with
 * json-rules-engine 7 and @gorules/zen-engine 0.54 on the same table and leads.
 *
 * Before timing, every engine's answer (rule, route, SLA) is cross-checked against the expected values in the CSV
 * for all 10,000 leads. Timing: one warm-up round, then several rounds, median reported; results feed a checksum
 * so nothing is optimised away. The slower peers run fewer evaluations per round and are reported as leads/s
 * (extrapolated) — the table says how many evaluations each round actually ran.
 *
 * Run: npm run bench:rules
 */

import { readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { ZenEngine } from "@gorules/zen-engine";
import { jsonRulesEngine } from "./lib/json-rules-engine";
import {
  compile,
  type DecisionTable,
  evaluate,
  evaluateTraced,
  type Facts,
  parseDecisionTable,
  parseUnaryTest,
  type UnaryTest,
} from "../../lib/decision-table";

const fixtures = fileURLToPath(new URL("../fixtures/reference/", import.meta.url));
const OURS_EVALUATIONS = 1_000_000;
const TRACED_EVALUATIONS = 1_000_000;
const INTERPRETER_EVALUATIONS = 1_000_000;
const PEER_EVALUATIONS = 20_000;
const ROUNDS = 7;
const PEER_ROUNDS = 3;
const ZEN_BATCH = 1_000;

// ---------------------------------------------------------------------------------------------------------------
// Data

const table: DecisionTable = parseDecisionTable(JSON.parse(readFileSync(`${fixtures}reference-routing-table.json`, "utf8")));

interface Lead {
  facts: Facts;
  rule: string;
  route: string;
  sla: number;
}

function loadLeads(): Lead[] {
  const [header, ...lines] = readFileSync(`${fixtures}reference-leads-10k.csv`, "utf8").trim().split(/\r?\n/u);
  const names = (header as string).split(",");
  const types = new Map(table.inputs.map((i) => [i.field, i.type]));
  return lines.map((line) => {
    const cells = line.split(",");
    const row = new Map(names.map((n, i) => [n, cells[i] ?? ""]));
    const facts: Facts = {};
    for (const [field, type] of types) {
      const raw = row.get(field) ?? "";
      facts[field] = raw === "" ? null : type === "number" ? Number(raw) : type === "boolean" ? raw === "true" : raw;
    }
    return { facts, rule: row.get("expected_rule") ?? "", route: row.get("expected_route") ?? "", sla: Number(row.get("expected_sla_minutes")) };
  });
}

const leads = loadLeads();
const facts = leads.map((l) => l.facts);

// ---------------------------------------------------------------------------------------------------------------
// The same table for the peers, translated from the parsed cells.

function cellsOf(rule: DecisionTable["rules"][number]): Array<{ field: string; test: UnaryTest }> {
  return table.inputs.flatMap((input) => {
    const parsed = parseUnaryTest(rule.when[input.field] ?? "-", input.type);
    if (!parsed.ok) throw new Error(`rule ${rule.id}: ${parsed.error.message}`);
    return parsed.test.kind === "any" ? [] : [{ field: input.field, test: parsed.test }];
  });
}

function zenCell(test: UnaryTest): string {
  const lit = (l: Extract<UnaryTest, { kind: "compare" }>["value"]): string => (l.type === "string" ? JSON.stringify(l.value) : String(l.value));
  switch (test.kind) {
    case "compare":
      return test.op === "=" ? lit(test.value) : `${test.op} ${lit(test.value)}`;
    case "range":
      return `${test.lowInclusive ? "[" : "("}${lit(test.low)}..${lit(test.high)}${test.highInclusive ? "]" : ")"}`;
    case "anyOf":
      return test.tests.map(zenCell).join(", ");
    default:
      throw new Error(`no zen translation for a ${test.kind} cell`);
  }
}

/** A GoRules JDM graph: input → decision table (hitPolicy "first") → output; optionally in loop mode over `leads`. */
function zenContent(loop: boolean): object {
  const inputs = table.inputs.map((input, i) => ({ id: `in${i}`, name: input.field, field: input.field }));
  const outputs = [...table.outputs.map((o, i) => ({ id: `out${i}`, name: o.name, field: o.name })), { id: "outRule", name: "rule", field: "rule_id" }];
  const rules = table.rules.map((rule) => {
    const row: Record<string, string> = { _id: rule.id };
    inputs.forEach((col) => (row[col.id] = ""));
    for (const { field, test } of cellsOf(rule)) row[`in${table.inputs.findIndex((i) => i.field === field)}`] = zenCell(test);
    table.outputs.forEach((o, i) => (row[`out${i}`] = JSON.stringify(rule.then[o.name] ?? null)));
    row.outRule = JSON.stringify(rule.id);
    return row;
  });
  return {
    nodes: [
      { id: "request", type: "inputNode", name: "Request", position: { x: 0, y: 0 } },
      {
        id: "table",
        type: "decisionTableNode",
        name: table.name,
        position: { x: 200, y: 0 },
        content: { hitPolicy: "first", passThrough: false, ...(loop ? { executionMode: "loop", inputField: "leads", outputPath: "results" } : {}), inputs, outputs, rules },
      },
      { id: "response", type: "outputNode", name: "Response", position: { x: 400, y: 0 } },
    ],
    edges: [
      { id: "e1", sourceId: "request", targetId: "table", type: "edge" },
      { id: "e2", sourceId: "table", targetId: "response", type: "edge" },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Timing helpers

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

let checksum = 0;

/** Runs `round` (which performs `count` evaluations) warm-up + `rounds` times; returns median leads/s. */
async function measure(count: number, rounds: number, round: () => number | Promise<number>): Promise<number> {
  checksum += await round();
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    checksum += await round();
    rates.push(count / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

function slaOf(outputs: unknown): number {
  return (outputs as { sla_minutes: number }).sla_minutes;
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const compiled = compile(table);
  const interpreted = compile(table, { mode: "interpreter" });
  if (compiled.mode !== "codegen") throw new Error("expected generated code in Node");
  const jre = jsonRulesEngine(table);
  const zen = new ZenEngine();
  const zenDecision = zen.createDecision(zenContent(false));
  const zenLoop = zen.createDecision(zenContent(true));

  // Cross-check all 10,000 leads before timing.
  const mismatches: string[] = [];
  const expect = (engine: string, i: number, rule: unknown, route: unknown, sla: unknown): void => {
    const lead = leads[i] as Lead;
    if (rule !== lead.rule || route !== lead.route || sla !== lead.sla) {
      mismatches.push(`${engine} lead ${i + 1}: got ${String(rule)}/${String(route)}/${String(sla)}, expected ${lead.rule}/${lead.route}/${lead.sla}`);
    }
  };
  for (let i = 0; i < leads.length; i++) {
    const f = facts[i] as Facts;
    const a = evaluate(compiled, f);
    expect("ours", i, a.ruleIds[0], (a.outputs as Record<string, unknown>).route, slaOf(a.outputs));
    const t = evaluateTraced(compiled, f);
    expect("ours traced", i, t.ruleIds[0], (t.outputs as Record<string, unknown>).route, slaOf(t.outputs));
    const b = evaluate(interpreted, f);
    expect("ours interpreter", i, b.ruleIds[0], (b.outputs as Record<string, unknown>).route, slaOf(b.outputs));
    const { events } = await jre.run(f);
    const ev = events[0];
    expect("json-rules-engine", i, ev?.type, ev?.params?.route, ev?.params?.sla_minutes);
    const z = (await zenDecision.evaluate(f)).result as Record<string, unknown>;
    expect("zen", i, z.rule_id, z.route, z.sla_minutes);
  }
  for (let start = 0; start < facts.length; start += ZEN_BATCH) {
    const out = ((await zenLoop.evaluate({ leads: facts.slice(start, start + ZEN_BATCH) })).result as { results: Array<Record<string, unknown>> }).results;
    out.forEach((z, k) => expect("zen loop", start + k, z.rule_id, z.route, z.sla_minutes));
  }
  if (mismatches.length > 0) {
    console.error(`Cross-check failed (${mismatches.length}):\n${mismatches.slice(0, 20).join("\n")}`);
    process.exit(1);
  }

  const n = facts.length;
  const passes = (count: number): number => Math.round(count / n);
  const untraced = await measure(OURS_EVALUATIONS, ROUNDS, () => {
    let s = 0;
    for (let p = passes(OURS_EVALUATIONS); p > 0; p--) for (let i = 0; i < n; i++) s += slaOf(evaluate(compiled, facts[i] as Facts).outputs);
    return s;
  });
  const traced = await measure(TRACED_EVALUATIONS, ROUNDS, () => {
    let s = 0;
    for (let p = passes(TRACED_EVALUATIONS); p > 0; p--) for (let i = 0; i < n; i++) s += evaluateTraced(compiled, facts[i] as Facts).rules.length;
    return s;
  });
  const interpreter = await measure(INTERPRETER_EVALUATIONS, ROUNDS, () => {
    let s = 0;
    for (let p = passes(INTERPRETER_EVALUATIONS); p > 0; p--) for (let i = 0; i < n; i++) s += slaOf(evaluate(interpreted, facts[i] as Facts).outputs);
    return s;
  });
  const jreRate = await measure(PEER_EVALUATIONS, PEER_ROUNDS, async () => {
    let s = 0;
    for (let i = 0; i < PEER_EVALUATIONS; i++) s += (await jre.run(facts[i % n] as Facts)).events.length;
    return s;
  });
  const zenSequential = await measure(PEER_EVALUATIONS, PEER_ROUNDS, async () => {
    let s = 0;
    for (let i = 0; i < PEER_EVALUATIONS; i++) s += slaOf((await zenDecision.evaluate(facts[i % n] as Facts)).result);
    return s;
  });
  const zenConcurrent = await measure(PEER_EVALUATIONS, PEER_ROUNDS, async () => {
    let s = 0;
    for (let b = 0; b < PEER_EVALUATIONS; b += ZEN_BATCH) {
      const batch = await Promise.all(Array.from({ length: ZEN_BATCH }, (_, k) => zenDecision.evaluate(facts[(b + k) % n] as Facts)));
      for (const r of batch) s += slaOf(r.result);
    }
    return s;
  });
  const zenBatches = Array.from({ length: Math.ceil(n / ZEN_BATCH) }, (_, b) => ({ leads: facts.slice(b * ZEN_BATCH, (b + 1) * ZEN_BATCH) }));
  const zenLoopRate = await measure(PEER_EVALUATIONS * 5, PEER_ROUNDS, async () => {
    let s = 0;
    for (let b = 0; b < (PEER_EVALUATIONS * 5) / ZEN_BATCH; b++) {
      const out = (await zenLoop.evaluate(zenBatches[b % zenBatches.length])).result as { results: unknown[] };
      for (const r of out.results) s += slaOf(r);
    }
    return s;
  });
  zen.dispose();

  const zenBest = Math.max(zenSequential, zenConcurrent, zenLoopRate);
  const fmt = (x: number): string => Math.round(x).toLocaleString("en-US");
  const ratio = (x: number): string => (x >= 100 ? `${fmt(x)}×` : `${x.toFixed(1)}×`);
  const rows: Array<[string, string, number]> = [
    ["ours: evaluate (generated code, untraced)", `${fmt(OURS_EVALUATIONS)} × ${ROUNDS}`, untraced],
    ["ours: evaluateTraced (generated code)", `${fmt(TRACED_EVALUATIONS)} × ${ROUNDS}`, traced],
    ["ours: evaluate (interpreter fallback)", `${fmt(INTERPRETER_EVALUATIONS)} × ${ROUNDS}`, interpreter],
    ["json-rules-engine 7 (await engine.run per lead)", `${fmt(PEER_EVALUATIONS)} × ${PEER_ROUNDS}*`, jreRate],
    ["zen-engine 0.54 (await decision.evaluate per lead)", `${fmt(PEER_EVALUATIONS)} × ${PEER_ROUNDS}*`, zenSequential],
    [`zen-engine 0.54 (evaluate, ${ZEN_BATCH} in flight)`, `${fmt(PEER_EVALUATIONS)} × ${PEER_ROUNDS}*`, zenConcurrent],
    [`zen-engine 0.54 (loop mode, ${ZEN_BATCH} leads/call)`, `${fmt(PEER_EVALUATIONS * 5)} × ${PEER_ROUNDS}*`, zenLoopRate],
  ];
  const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(14, ...rows.map((r) => r[1].length)), 14, 12, 12];
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(w[i] as number) : c.padStart(w[i] as number))).join(" | ")} |`;
  const rule = `|${w.map((x) => "-".repeat(x + 2)).join("|")}|`;

  console.log(`Decision-table benchmark — reference table "${table.name}" (${table.rules.length} rules, ${table.inputs.length} inputs, ${table.hitPolicy}), ${fmt(n)} reference leads cycled`);
  console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; median of ${ROUNDS} rounds (peers ${PEER_ROUNDS}) after a warm-up round`);
  console.log(`Cross-check: all ${fmt(n)} leads give the expected rule, route and SLA in every engine and mode (ours, traced, interpreter, json-rules-engine, zen, zen loop).`);
  console.log("");
  console.log(line(["engine", "evals/round", "leads/s", "untraced ÷", "traced ÷"]));
  console.log(rule);
  for (const [name, evals, rate] of rows) console.log(line([name, evals, fmt(rate), ratio(untraced / rate), ratio(traced / rate)]));
  console.log("");
  console.log(`* peers run ${fmt(PEER_EVALUATIONS)} (zen loop: ${fmt(PEER_EVALUATIONS * 5)}) evaluations per round; their leads/s is extrapolated from that.`);
  console.log(`  Ratios against zen below use its fastest mode (${fmt(zenBest)} leads/s).`);
  console.log("");
  const target = (label: string, ok: boolean, detail: string): void => console.log(`${ok ? "PASS" : "MISS"}  ${label.padEnd(44)} ${detail}`);
  target("untraced ≥ 10,000,000 leads/s", untraced >= 10_000_000, fmt(untraced));
  target("traced ≥ 1,000,000 leads/s", traced >= 1_000_000, fmt(traced));
  target("untraced ≥ 1,000× json-rules-engine", untraced / jreRate >= 1_000, ratio(untraced / jreRate));
  target("untraced ≥ 100× zen-engine (fastest mode)", untraced / zenBest >= 100, ratio(untraced / zenBest));
  console.log(`\n(checksum ${checksum})`);
}

await main();
