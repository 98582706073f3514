/**
 * Evaluates the offline text classifier on a labelled CSV (or, without --file, on the shipped labelled set of the
 * default taxonomy) and prints accuracy, macro-F1, per-class precision/recall, the confusion matrix, the
 * reliability (calibration) table and the triage curve with the recommended confidence threshold.
 *
 *   npm run eval:classifier -- --file x.csv --text "Short description,Description" --label "Assignment group"
 *                              [--folds 5 | --holdout 0.2] [--target-triage 0.2] [--limit N] [--json out.json]
 *                              [--seed S] [--calibration-folds 5] [--epochs 15]
 *
 * --llm evaluates the LLM configured in the environment (OPENAI_API_KEY / OPENAI_BASE_URL, SWITCHYARD_LLM_MODEL,
 * SWITCHYARD_LLM_API) on the same examples instead — every example is held out, nothing is trained — with the same
 * figures plus failures, tokens, cost and latency; [--concurrency 4] calls at once; --limit keeps it affordable.
 *
 * Several --text columns are joined with a newline. Rows with an empty label are skipped. The CSV may start with a
 * byte-order mark. After the evaluation one model is trained on all examples to report training time, model JSON
 * size and per-call latency (median of repeated calls over up to 2,000 of the texts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parse } from "csv-parse/sync";
import { classifyByKeywords } from "../lib/classify/keyword";
import { evaluateClassifier, type EvaluationReport } from "../lib/classify/evaluate";
import { loadTextClassifier, trainTextClassifier, type TrainingExample, type TrainOptions } from "../lib/classify/text-classifier";
import { DEFAULT_TRAINING_SET } from "../lib/classify/training-set";
import { DEFAULT_CATEGORIES } from "../lib/ingest/lead-input";

const { values: args } = parseArgs({
  options: {
    file: { type: "string" },
    text: { type: "string" },
    label: { type: "string" },
    folds: { type: "string" },
    holdout: { type: "string" },
    "target-triage": { type: "string" },
    limit: { type: "string" },
    json: { type: "string" },
    seed: { type: "string" },
    "calibration-folds": { type: "string" },
    epochs: { type: "string" },
    llm: { type: "boolean" },
    concurrency: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  allowPositionals: false,
});

function fail(message: string): never {
  console.error(`eval:classifier: ${message}`);
  process.exit(2);
}

function num(name: string, value: string | undefined, check: (n: number) => boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) fail(`--${name} ${value} is not valid`);
  return n;
}

if (args.help) {
  console.log(readFileSync(new URL(import.meta.url), "utf8").split("*/")[0]!.replace(/^\/\*\*?|^ \* ?/gm, ""));
  process.exit(0);
}

const folds = num("folds", args.folds, (n) => Number.isInteger(n) && n >= 2);
const holdout = num("holdout", args.holdout, (n) => n > 0 && n < 1);
if (folds !== undefined && holdout !== undefined) fail("use either --folds or --holdout");
const target = num("target-triage", args["target-triage"], (n) => n >= 0 && n <= 1) ?? 0.2;
const limit = num("limit", args.limit, (n) => Number.isInteger(n) && n > 0);
const train: TrainOptions = {
  calibrationFolds: num("calibration-folds", args["calibration-folds"], (n) => Number.isInteger(n) && (n === 0 || n >= 2)),
  epochs: num("epochs", args.epochs, (n) => Number.isInteger(n) && n >= 1),
};

function loadCsv(file: string, textColumns: string[], labelColumn: string): TrainingExample[] {
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(readFileSync(file), { bom: true, columns: true, skip_empty_lines: true, relax_column_count: true }) as Array<Record<string, string>>;
  } catch (error) {
    fail(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const header = rows[0] ? Object.keys(rows[0]) : [];
  for (const c of [...textColumns, labelColumn]) if (!header.includes(c)) fail(`column “${c}” not in ${file} (columns: ${header.join(", ")})`);
  return rows
    .map((r) => ({ text: textColumns.map((c) => r[c] ?? "").filter((v) => v.trim()).join("\n"), label: (r[labelColumn] ?? "").trim() }))
    .filter((e) => e.label.length > 0);
}

let examples: TrainingExample[];
let source: string;
if (args.file) {
  if (!args.text || !args.label) fail("--file needs --text <column[,column…]> and --label <column>");
  examples = loadCsv(args.file, args.text.split(",").map((c) => c.trim()).filter(Boolean), args.label);
  source = args.file;
} else {
  examples = DEFAULT_TRAINING_SET.map((e) => ({ ...e }));
  source = "shipped labelled set (default taxonomy)";
}
if (limit !== undefined) examples = examples.slice(0, limit);
if (examples.length < 10) fail(`only ${examples.length} labelled rows`);

const pct = (v: number | null, digits = 1): string => (v === null ? "—" : `${(v * 100).toFixed(digits)}%`);
const pad = (s: string, n: number): string => (s.length >= n ? s.slice(0, n) : s + " ".repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : " ".repeat(n - s.length) + s);

function table(headers: string[], rows: string[][], align: Array<"l" | "r">): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (align[i] === "r" ? lpad(c, widths[i]!) : pad(c, widths[i]!))).join("  ");
  return [line(headers), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const classCount = new Map<string, number>();
for (const e of examples) classCount.set(e.label, (classCount.get(e.label) ?? 0) + 1);
console.log(`${args.llm ? "LLM" : "Offline"} classifier evaluation — ${source}`);
console.log(`${examples.length} examples, ${classCount.size} classes; ${args.llm ? "every example held out (an LLM is not trained here)" : holdout !== undefined ? `stratified hold-out ${pct(holdout, 0)}` : `stratified ${folds ?? 5}-fold cross-validation`}`);

if (args.llm) {
  await evaluateConfiguredLlm();
  process.exit(0);
}

const started = performance.now();
const report: EvaluationReport = evaluateClassifier(examples, {
  folds,
  holdout,
  seed: args.seed,
  targetTriageRate: target,
  train,
  onFold: (p) => console.error(`  fold ${p.fold}/${p.folds} done (train ${p.trainSize}, test ${p.testSize}) — ${((performance.now() - started) / 1000).toFixed(1)} s`),
});
const evalSeconds = (performance.now() - started) / 1000;

console.log(`\nAccuracy ${pct(report.accuracy)}   macro-F1 ${pct(report.macroF1)}   on ${report.n} held-out predictions`);
console.log(`ECE ${report.ece.toFixed(3)} calibrated (uncalibrated ${report.uncalibrated.ece.toFixed(3)}); temperature per model: ${report.temperatures.map((t) => t.toFixed(2)).join(", ")}`);
if (!args.file) {
  const kw = examples.filter((e) => classifyByKeywords(e.text, DEFAULT_CATEGORIES).category === e.label).length / examples.length;
  console.log(`Keyword classifier (no training) on the same examples: accuracy ${pct(kw)}`);
}

const byClass = [...report.perClass].sort((a, b) => b.support - a.support || (a.label < b.label ? -1 : 1));
const shown = byClass.slice(0, 30);
console.log(`\nPer class${byClass.length > shown.length ? ` (the ${shown.length} largest of ${byClass.length}; all in --json)` : ""}`);
console.log(table(["class", "support", "predicted", "precision", "recall", "F1"], shown.map((c) => [c.label, String(c.support), String(c.predicted), pct(c.precision), pct(c.recall), pct(c.f1)]), ["l", "r", "r", "r", "r", "r"]));

if (report.classes.length <= 12) {
  console.log("\nConfusion matrix (rows = true, columns = predicted)");
  const short = report.classes.map((c) => c.slice(0, 8));
  console.log(table(["", ...short], report.classes.map((c, i) => [c, ...report.confusion[i]!.map(String)]), ["l", ...short.map(() => "r" as const)]));
} else {
  const pairs: Array<[string, string, number]> = [];
  report.confusion.forEach((row, i) => row.forEach((v, j) => i !== j && v > 0 && pairs.push([report.classes[i]!, report.classes[j]!, v])));
  pairs.sort((a, b) => b[2] - a[2]);
  console.log(`\nMost frequent confusions (${report.classes.length} classes; full matrix in --json)`);
  console.log(table(["true", "predicted", "count"], pairs.slice(0, 15).map(([a, b, v]) => [a, b, String(v)]), ["l", "l", "r"]));
}

console.log("\nReliability (calibrated confidence)");
console.log(table(
  ["confidence", "count", "mean conf.", "accuracy", "ECE part"],
  report.reliability.map((b) => [`${b.from.toFixed(1)}–${b.to.toFixed(1)}`, String(b.count), pct(b.meanConfidence), pct(b.accuracy), b.ece.toFixed(4)]),
  ["l", "r", "r", "r", "r"],
));

console.log("\nTriage curve (leads below the threshold go to the review queue)");
console.log(table(
  ["threshold", "triage rate", "kept", "accuracy of kept", ""],
  report.triageCurve.map((p) => [p.threshold.toFixed(2), pct(p.triageRate), String(p.kept), pct(p.accuracy), p === report.recommended ? "← recommended" : ""]),
  ["r", "r", "r", "r", "l"],
));
console.log(report.recommended
  ? `Recommended threshold for triage ≤ ${pct(target, 0)}: ${report.recommended.threshold.toFixed(2)} → triage ${pct(report.recommended.triageRate)}, accuracy of the rest ${pct(report.recommended.accuracy)}`
  : `No threshold keeps triage ≤ ${pct(target, 0)}.`);

// One model on everything: training time, size, latency.
const t0 = performance.now();
const model = trainTextClassifier(examples, train);
const trainMs = performance.now() - t0;
const json = JSON.stringify(model);
const classifier = loadTextClassifier(model);
const sample = examples.slice(0, 2000).map((e) => e.text);
for (const text of sample) classifier.classify(text);
const latencies: number[] = [];
for (let round = 0; round < 5; round++) {
  for (const text of sample) {
    const a = performance.now();
    classifier.classify(text);
    latencies.push((performance.now() - a) * 1000);
  }
}
latencies.sort((a, b) => a - b);
const quantile = (q: number) => latencies[Math.floor(q * (latencies.length - 1))]!;
console.log(`\nFull model: trained on ${examples.length} in ${(trainMs / 1000).toFixed(2)} s (incl. ${model.calibration.folds}-fold calibration), ${model.bucketDeltas.length} features, JSON ${(json.length / 1024).toFixed(0)} KiB`);
console.log(`Calibration (out-of-fold): ECE ${model.calibration.eceBefore?.toFixed(3) ?? "—"} → ${model.calibration.eceAfter?.toFixed(3) ?? "—"}, temperature ${model.calibration.temperature.toFixed(3)}`);
console.log(`Latency per classify(): median ${quantile(0.5).toFixed(0)} µs, p90 ${quantile(0.9).toFixed(0)} µs, p99 ${quantile(0.99).toFixed(0)} µs (${latencies.length} calls)`);
console.log(`Evaluation took ${evalSeconds.toFixed(1)} s`);

if (args.json) {
  const { predictions, ...figures } = report;
  writeFileSync(args.json, JSON.stringify({
    source,
    ...figures,
    predictions,
    fullModel: {
      trainSeconds: trainMs / 1000,
      features: model.bucketDeltas.length,
      jsonBytes: json.length,
      calibration: model.calibration,
      latencyMicros: { median: quantile(0.5), p90: quantile(0.9), p99: quantile(0.99) },
    },
    evaluationSeconds: evalSeconds,
  }, null, 2));
  console.log(`Wrote ${args.json}`);
}

/** --llm: the configured LLM on every example, reported with the same figures. */
async function evaluateConfiguredLlm(): Promise<void> {
  const { createLlmClassifier, llmConfigFromEnv } = await import("../server/services/classify/llm");
  const { evaluateLlm } = await import("../server/services/classify/evaluate-llm");
  const config = llmConfigFromEnv();
  if (!config) fail("--llm needs OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (an OpenAI-compatible server) in the environment");
  const concurrency = num("concurrency", args.concurrency, (n) => Number.isInteger(n) && n >= 1 && n <= 64) ?? 4;
  // The breaker would turn a bad stretch into a run of instant failures; an evaluation wants every answer.
  const classifier = createLlmClassifier({ ...config, breaker: { failureThreshold: 1000, cooldownMs: 0 } });
  const taxonomy = [...classCount.keys()].sort();
  console.log(`Model ${config.model} via the ${config.api === "responses" ? "Responses" : "Chat Completions"} API${config.baseURL ? ` at ${config.baseURL}` : ""}, ${concurrency} calls at once`);
  const t0 = performance.now();
  const r = await evaluateLlm(classifier, examples, {
    taxonomy,
    concurrency,
    targetTriageRate: target,
    onProgress: (done, total) => { if (done % 50 === 0 || done === total) console.error(`  ${done}/${total} — ${((performance.now() - t0) / 1000).toFixed(1)} s`); },
  });
  console.log(`\nAccuracy ${pct(r.accuracy)}   macro-F1 ${pct(r.macroF1)}   on ${r.n} predictions; ${r.failures} failed calls${r.failures ? ` (${Object.entries(r.failureReasons).map(([k, v]) => `${k} ${v}`).join(", ")})` : ""}`);
  console.log(`ECE ${r.ece.toFixed(3)}; tokens ${r.usage.inputTokens} in / ${r.usage.outputTokens} out; cost ${r.usage.costUsd === null ? "unknown for this model" : `$${r.usage.costUsd.toFixed(4)}`}; latency p50 ${r.usage.p50Ms?.toFixed(0) ?? "—"} ms, p95 ${r.usage.p95Ms?.toFixed(0) ?? "—"} ms`);
  const byClass = [...r.perClass].sort((a, b) => b.support - a.support || (a.label < b.label ? -1 : 1)).slice(0, 30);
  console.log("\nPer class");
  console.log(table(["class", "support", "predicted", "precision", "recall", "F1"], byClass.map((c) => [c.label, String(c.support), String(c.predicted), pct(c.precision), pct(c.recall), pct(c.f1)]), ["l", "r", "r", "r", "r", "r"]));
  console.log("\nReliability (the model's stated confidence)");
  console.log(table(["confidence", "count", "mean conf.", "accuracy"], r.reliability.filter((b) => b.count > 0).map((b) => [`${b.from.toFixed(1)}–${b.to.toFixed(1)}`, String(b.count), pct(b.meanConfidence), pct(b.accuracy)]), ["l", "r", "r", "r"]));
  console.log("\nTriage curve");
  console.log(table(["threshold", "triage rate", "kept", "accuracy of kept", ""], r.triageCurve.map((p) => [p.threshold.toFixed(2), pct(p.triageRate), String(p.kept), pct(p.accuracy), p === r.recommended ? "← recommended" : ""]), ["r", "r", "r", "r", "l"]));
  if (args.json) {
    writeFileSync(args.json, JSON.stringify({ source, model: config.model, api: config.api, ...r }, null, 2));
    console.log(`Wrote ${args.json}`);
  }
}
