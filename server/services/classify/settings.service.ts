/**
 * Settings → Classification: the taxonomy, the LLM configuration (its key stored encrypted, shown never), the
 * offline model and its evaluation, a test call, and what classification cost and how often it fell back —
 * measured from the leads' `classified` events.
 */
import "server-only";
import { sql, type Kysely } from "kysely";
import { json } from "@/db";
import type { Database } from "@/db/types";
import { EvaluationMetrics } from "@/lib/classify/metrics";
import { LlmSettings, readClassificationSettings, Taxonomy } from "@/lib/classify/taxonomy";
import { encryptSecret } from "../../auth/crypto";
import { ValidationError } from "../../errors";
import { routingContext } from "../ingest/routing-context";
import { classifierChain, llmClassifierFor, llmConfigFromSettings, OFFLINE_KIND, trainOfflineModel } from "./classifier.service";
import { classifyText } from "../ingest/classify";

interface Actor {
  userId: string;
  workspaceId: string;
}

async function settingsOf(db: Kysely<Database>, workspaceId: string): Promise<Record<string, unknown>> {
  const ws = await db.selectFrom("workspaces").select("settings").where("id", "=", workspaceId).executeTakeFirstOrThrow();
  return ws.settings as Record<string, unknown>;
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** Everything the Classification settings page shows. */
export async function classificationOverview(db: Kysely<Database>, workspaceId: string, now: Date) {
  const raw = await settingsOf(db, workspaceId);
  const settings = readClassificationSettings(raw.classification);
  const storedKey = typeof raw.llmApiKeyEncrypted === "string";
  const env = process.env;
  // The same configuration (key included) the pipeline builds, so the breaker state shown is the live one's.
  const effective = llmConfigFromSettings(raw, settings);
  const model = await db
    .selectFrom("classifier_models")
    .select(["id", "trained_at", "training_size", "metrics"])
    .where("workspace_id", "=", workspaceId)
    .where("kind", "=", OFFLINE_KIND)
    .where("active", "=", true)
    .executeTakeFirst();
  const metrics = (model?.metrics ?? {}) as { counts?: Record<string, number>; trainMs?: number; classes?: string[]; evaluation?: unknown };
  const evaluation = EvaluationMetrics.safeParse(metrics.evaluation);
  const labels = await db
    .selectFrom("classification_labels")
    .select(["source", (eb) => eb.fn.countAll<number>().as("n")])
    .where("workspace_id", "=", workspaceId)
    .groupBy("source")
    .execute();
  const ctx = await routingContext(db, workspaceId);
  const taxonomyInUse = categoriesUsedByTable(ctx.table?.definition.rules ?? []);
  return {
    taxonomy: settings.taxonomy,
    taxonomyInUse,
    llm: {
      settings: settings.llm,
      keyStored: storedKey,
      keyInEnvironment: Boolean(env.OPENAI_API_KEY?.trim()),
      environmentConfigured: Boolean(env.OPENAI_API_KEY?.trim() || env.OPENAI_BASE_URL?.trim()),
      effective: effective ? { provider: effective.provider, model: effective.model, api: effective.api, baseURL: effective.baseURL ?? null, timeoutMs: effective.timeoutMs, source: settings.llm.enabled ? "settings" : "environment" } : null,
      state: effective ? { ...llmClassifierFor(effective).state(), inFlight: llmClassifierFor(effective).inFlight(), skippedBusy: llmClassifierFor(effective).skipped() } : null,
    },
    model: model
      ? {
          id: model.id,
          trainedAt: model.trained_at,
          trainingSize: model.training_size,
          counts: metrics.counts ?? {},
          trainMs: metrics.trainMs ?? null,
          classes: metrics.classes ?? [],
          evaluation: evaluation.success ? evaluation.data : null,
        }
      : null,
    labels: Object.fromEntries(labels.map((l) => [l.source, l.n])),
    usage: await classificationUsage(db, workspaceId, now, 30),
  };
}

/** Categories the published table's rules test (removing one of them would strand those rules). */
function categoriesUsedByTable(rules: ReadonlyArray<{ id: string; when: Record<string, string> }>): Record<string, string[]> {
  const used: Record<string, string[]> = {};
  for (const r of rules) {
    const cell = r.when.category;
    if (!cell) continue;
    for (const m of cell.matchAll(/'([^']+)'|"([^"]+)"/g)) {
      const key = (m[1] ?? m[2])!;
      (used[key] ??= []).push(r.id);
    }
  }
  return used;
}

/** Per classifier over the last `days` days: leads, fallbacks, latency percentiles, tokens and estimated cost. */
export async function classificationUsage(db: Kysely<Database>, workspaceId: string, now: Date, days: number) {
  const since = new Date(now.getTime() - days * 86_400_000);
  const rows = await db
    .selectFrom("lead_events")
    .select([
      "duration_ms",
      sql<string | null>`data->>'classifier'`.as("classifier"),
      sql<boolean>`coalesce((data->>'fellBack')::boolean, false)`.as("fell_back"),
      sql<string | null>`data->'attempts'->0->>'classifier'`.as("first"),
      sql<number | null>`(data->'usage'->>'inputTokens')::int`.as("input_tokens"),
      sql<number | null>`(data->'usage'->>'outputTokens')::int`.as("output_tokens"),
      sql<number | null>`(data->'usage'->>'costUsd')::float8`.as("cost"),
      sql<boolean>`coalesce((data->'usage'->>'cached')::boolean, false)`.as("cached"),
      sql<number | null>`(data->'usage'->>'latencyMs')::float8`.as("llm_ms"),
    ])
    .where("workspace_id", "=", workspaceId)
    .where("type", "=", "classified")
    .where("occurred_at", ">=", since)
    .where("occurred_at", "<=", now)
    .execute();
  const by = new Map<string, { leads: number; ms: number[] }>();
  let fellBack = 0;
  const llm = { calls: 0, cached: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, costKnown: true, ms: [] as number[] };
  for (const r of rows) {
    const name = r.classifier ?? "unknown";
    const entry = by.get(name) ?? { leads: 0, ms: [] };
    entry.leads++;
    if (r.duration_ms != null) entry.ms.push(Number(r.duration_ms));
    by.set(name, entry);
    if (r.fell_back) fellBack++;
    if (r.llm_ms != null) {
      llm.calls++;
      if (r.cached) llm.cached++;
      llm.inputTokens += r.input_tokens ?? 0;
      llm.outputTokens += r.output_tokens ?? 0;
      if (r.cost == null && !r.cached) llm.costKnown = false;
      llm.costUsd += r.cost ?? 0;
      llm.ms.push(Number(r.llm_ms));
    }
  }
  const classifiers = [...by.entries()]
    .map(([classifier, e]) => {
      const sorted = e.ms.sort((a, b) => a - b);
      return { classifier, leads: e.leads, p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
    })
    .sort((a, b) => b.leads - a.leads);
  const llmSorted = llm.ms.sort((a, b) => a - b);
  return {
    days,
    leads: rows.length,
    fellBack,
    classifiers,
    llm: llm.calls
      ? { calls: llm.calls, cached: llm.cached, inputTokens: llm.inputTokens, outputTokens: llm.outputTokens, costUsd: llm.costKnown ? llm.costUsd : null, p50Ms: percentile(llmSorted, 0.5), p95Ms: percentile(llmSorted, 0.95) }
      : null,
  };
}

async function writeSettings(db: Kysely<Database>, actor: Actor, patch: (raw: Record<string, unknown>) => Record<string, unknown>, audit: { action: string; summary: string }) {
  await db.transaction().execute(async (trx) => {
    const ws = await trx.selectFrom("workspaces").select("settings").where("id", "=", actor.workspaceId).forUpdate().executeTakeFirstOrThrow();
    const next = patch(ws.settings as Record<string, unknown>);
    await trx.updateTable("workspaces").set({ settings: json(next) }).where("id", "=", actor.workspaceId).execute();
    await trx.insertInto("audit_log").values({ workspace_id: actor.workspaceId, actor_user_id: actor.userId, action: audit.action, entity_type: "workspace", entity_id: actor.workspaceId, summary: audit.summary }).execute();
  });
}

/**
 * Replaces the taxonomy. A category the published table still tests cannot be removed (field error naming the
 * rules); the offline model keeps answering only the categories it was trained on until it is retrained.
 */
export async function saveTaxonomy(db: Kysely<Database>, actor: Actor, input: unknown) {
  const taxonomy = Taxonomy.parse(input);
  const ctx = await routingContext(db, actor.workspaceId);
  const used = categoriesUsedByTable(ctx.table?.definition.rules ?? []);
  const keys = new Set(taxonomy.map((c) => c.key));
  const missing = Object.entries(used).filter(([k]) => !keys.has(k));
  if (missing.length) {
    throw new ValidationError("The published decision table still uses a category you removed.", {
      taxonomy: missing.map(([k, rules]) => `“${k}” is tested by rule${rules.length > 1 ? "s" : ""} ${rules.join(", ")} of the published table: change the table first`),
    });
  }
  await writeSettings(db, actor, (raw) => {
    const current = readClassificationSettings(raw.classification);
    return { ...raw, classification: { ...current, taxonomy } };
  }, { action: "classification.taxonomy_saved", summary: `Saved the taxonomy: ${taxonomy.map((c) => c.key).join(", ")}` });
  return { taxonomy };
}

export async function saveLlmSettings(db: Kysely<Database>, actor: Actor, input: { settings: unknown; apiKey?: string | null }) {
  const llm = LlmSettings.parse(input.settings);
  if (llm.enabled && llm.provider === "openai_compatible" && !llm.baseURL) {
    throw new ValidationError("An OpenAI-compatible server needs its base URL.", { "settings.baseURL": ["required for an OpenAI-compatible server"] });
  }
  const raw = await settingsOf(db, actor.workspaceId);
  const hasKey = typeof raw.llmApiKeyEncrypted === "string" || Boolean(process.env.OPENAI_API_KEY?.trim());
  const newKey = input.apiKey?.trim();
  if (llm.enabled && llm.provider === "openai" && !hasKey && !newKey && input.apiKey !== null) {
    throw new ValidationError("OpenAI needs an API key.", { apiKey: ["paste an API key, or set OPENAI_API_KEY on the server"] });
  }
  await writeSettings(db, actor, (current) => {
    const next: Record<string, unknown> = { ...current, classification: { ...readClassificationSettings(current.classification), llm } };
    if (newKey) next.llmApiKeyEncrypted = encryptSecret(newKey);
    if (input.apiKey === null) delete next.llmApiKeyEncrypted;
    return next;
  }, {
    action: "classification.llm_saved",
    summary: `${llm.enabled ? `LLM classification on: ${llm.provider} ${llm.model} (${llm.api} API)` : "LLM classification off: the offline model answers"}${newKey ? "; API key replaced" : input.apiKey === null ? "; stored API key removed" : ""}`,
  });
  return { ok: true };
}

/** Retrains the offline model from the shipped set and the workspace's labels, with a 5-fold evaluation. */
export async function retrainOfflineModel(db: Kysely<Database>, actor: Actor) {
  const trained = await trainOfflineModel(db, actor.workspaceId, { evaluate: true, actorUserId: actor.userId });
  return { modelId: trained.modelId, trainingSize: trained.trainingSize, accuracy: trained.evaluation?.accuracy ?? null, macroF1: trained.evaluation?.macroF1 ?? null };
}

/** Classifies a sample text through the workspace's chain, as a lead would be, and says who answered. */
export async function testClassification(db: Kysely<Database>, workspaceId: string, text: string) {
  const ctx = await routingContext(db, workspaceId);
  const chain = await classifierChain(db, workspaceId, ctx.settings);
  const taxonomy = ctx.settings.classification.taxonomy.map((c) => c.key);
  const outcome = await classifyText(chain, text, taxonomy, 12_000);
  return { classification: outcome.classification, attempts: outcome.attempts, usage: outcome.usage, ms: outcome.ms };
}
