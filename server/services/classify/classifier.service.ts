/**
 * Which classifiers a workspace's leads go through, and the offline model's life cycle.
 *
 * - The offline model (lib/classify) is the embedded default: trained at first use from the shipped labelled set
 *   plus the workspace's own labels, stored in `classifier_models` (one active per workspace), loaded once per
 *   process and reloaded when the workspace's config_version moves (activating a model writes its id into the
 *   workspace settings, which bumps it).
 * - When an LLM is configured (Settings, or the environment), it answers first and the offline model is its
 *   fallback; the keyword classifier is the last resort of classifyText.
 */
import "server-only";
import { sql, type Kysely } from "kysely";
import { json } from "@/db";
import type { Database } from "@/db/types";
import { evaluateClassifierAsync, type EvaluationReport } from "@/lib/classify/evaluate";
import { classifyOffline, offlineClassifierFor } from "@/lib/classify/offline";
import { readClassificationSettings, type ClassificationSettings } from "@/lib/classify/taxonomy";
import { ClassifierModel, mergeTrainingExamples, trainTextClassifierAsync, type TextClassifier, type TrainingExample } from "@/lib/classify/text-classifier";
import { DEFAULT_TRAINING_SET } from "@/lib/classify/training-set";
import { decryptSecret } from "../../auth/crypto";
import { log } from "../../log";
import type { LeadClassifier } from "../ingest/classify";
import { createLlmClassifier, LlmConfig, llmConfigFromEnv, type LlmClassifier } from "./llm";

export const OFFLINE_KIND = "offline";

// ------------------------------------------------------------------------------------------------ training data

export interface LabelCounts {
  shipped: number;
  review: number;
  rejection: number;
  import: number;
  manual: number;
}

/**
 * The workspace's own labelled texts: review-queue corrections and junk marks, manual labels, imported leads whose
 * file named their category, and leads reps rejected as spam. Labels outside the taxonomy are dropped (the taxonomy may have changed since).
 */
export async function workspaceLabels(db: Kysely<Database>, workspaceId: string, taxonomy: readonly string[]): Promise<{ examples: TrainingExample[]; counts: Omit<LabelCounts, "shipped"> }> {
  const [labels, imported, spamRejections] = await Promise.all([
    db.selectFrom("classification_labels").select(["text", "label", "source"]).where("workspace_id", "=", workspaceId).orderBy("created_at").execute(),
    // Imported history whose file named the category (an explicit label, not a classifier's guess).
    db.selectFrom("leads").select(["message", "category"]).where("workspace_id", "=", workspaceId).where("classifier", "=", "import")
      .where("message", "is not", null).where("category", "is not", null).orderBy("received_at", "desc").limit(50_000).execute(),
    db
      .selectFrom("lead_events as e")
      .innerJoin("leads as l", "l.id", "e.lead_id")
      .select("l.message")
      .where("e.workspace_id", "=", workspaceId)
      .where("e.type", "=", "rejected")
      .where("e.reason_code", "=", "spam")
      .where("l.message", "is not", null)
      .execute(),
  ]);
  const counts = { review: 0, rejection: 0, import: 0, manual: 0 };
  const examples: TrainingExample[] = [];
  for (const l of labels) {
    if (!taxonomy.includes(l.label) || l.text.trim().length === 0) continue;
    examples.push({ text: l.text, label: l.label });
    if (l.source in counts) counts[l.source as keyof typeof counts]++;
  }
  for (const l of imported) {
    if (!l.message?.trim() || !l.category || !taxonomy.includes(l.category)) continue;
    examples.push({ text: l.message, label: l.category });
    counts.import++;
  }
  if (taxonomy.includes("spam")) {
    for (const r of spamRejections) {
      if (!r.message?.trim()) continue;
      examples.push({ text: r.message, label: "spam" });
      counts.rejection++;
    }
  }
  return { examples, counts };
}

export interface TrainedModel {
  modelId: string;
  trainedAt: Date;
  trainingSize: number;
  counts: LabelCounts;
  evaluation: EvaluationReport | null;
  trainMs: number;
}

/**
 * Trains a model on the shipped set (its categories that are in the taxonomy) plus the workspace's labels (which win
 * over a shipped text that reads the same, at double weight), evaluates it by stratified 5-fold cross-validation
 * when asked, stores it and makes it the active one.
 */
export async function trainOfflineModel(
  db: Kysely<Database>,
  workspaceId: string,
  options: { evaluate?: boolean; actorUserId?: string | null; now?: Date; shippedOnly?: boolean } = {},
): Promise<TrainedModel> {
  const ws = await db.selectFrom("workspaces").select("settings").where("id", "=", workspaceId).executeTakeFirstOrThrow();
  const settings = readClassificationSettings((ws.settings as Record<string, unknown>).classification);
  const taxonomy = settings.taxonomy.map((c) => c.key);
  const shipped = DEFAULT_TRAINING_SET.filter((e) => taxonomy.includes(e.label)).map((e) => ({ text: e.text, label: e.label }));
  const own = options.shippedOnly ? { examples: [], counts: { review: 0, rejection: 0, import: 0, manual: 0 } } : await workspaceLabels(db, workspaceId, taxonomy);
  const examples = mergeTrainingExamples(shipped, own.examples);
  const now = options.now ?? new Date();
  const labelsPresent = new Set(examples.map((e) => e.label));
  if (labelsPresent.size < 2) {
    throw new Error(`Training needs labelled texts for at least two categories of the taxonomy; found ${labelsPresent.size}. Label leads in the review queue or import labels first.`);
  }
  const started = performance.now();
  const model = own.examples.length === 0 ? await shippedModel(examples) : await trainTextClassifierAsync(examples, { seed: `${workspaceId}:${now.toISOString()}` }, yieldToEventLoop);
  const trainMs = performance.now() - started;
  const evaluation = options.evaluate ? await evaluateClassifierAsync(examples, { folds: 5, targetTriageRate: 0.2 }, yieldToEventLoop) : null;
  const counts: LabelCounts = { shipped: shipped.length, ...own.counts };
  const metrics = {
    counts,
    trainMs: Math.round(trainMs),
    classes: model.classes,
    ...(evaluation ? { evaluation: { ...evaluation, predictions: undefined } } : {}),
  };
  const modelId = await db.transaction().execute(async (trx) => {
    await trx.updateTable("classifier_models").set({ active: false }).where("workspace_id", "=", workspaceId).where("kind", "=", OFFLINE_KIND).where("active", "=", true).execute();
    const row = await trx
      .insertInto("classifier_models")
      .values({ workspace_id: workspaceId, kind: OFFLINE_KIND, trained_at: now, training_size: examples.length, model: json(model), metrics: json(metrics), active: true })
      .returning("id")
      .executeTakeFirstOrThrow();
    // Point the workspace at it: this bumps config_version, so every process reloads the model.
    await trx
      .updateTable("workspaces")
      .set({ settings: sql`jsonb_set(settings, '{classifierModelId}', to_jsonb(${row.id}::text))` })
      .where("id", "=", workspaceId)
      .execute();
    if (options.actorUserId !== undefined) {
      await trx.insertInto("audit_log").values({
        workspace_id: workspaceId, actor_user_id: options.actorUserId ?? null, action: "classifier.trained", entity_type: "classifier_model", entity_id: row.id,
        summary: `Trained the offline classifier on ${examples.length} labelled texts (${own.examples.length} of the workspace's own)${evaluation ? `: 5-fold accuracy ${(evaluation.accuracy * 100).toFixed(1)}%` : ""}`,
      }).execute();
    }
    return row.id;
  });
  return { modelId, trainedAt: now, trainingSize: examples.length, counts, evaluation, trainMs };
}

/**
 * Training on the shipped set alone is deterministic (fixed seed), so a process trains it once per taxonomy and
 * every workspace without labels of its own shares the result.
 */
/**
 * Per-process state, kept on globalThis: Next bundles the instrumentation hook and the route handlers separately,
 * and each bundle would otherwise get its own copy of this module — training the model twice and loading it twice.
 */
interface ClassifierState {
  shippedModels: Map<string, Promise<ClassifierModel>>;
  loadedModels: Map<string, { modelId: string; classifier: TextClassifier }>;
  training: Map<string, Promise<void>>;
  llmClassifiers: Map<string, GatedLlmClassifier>;
  warned: Set<string>;
}
const shared = ((globalThis as { __switchyardClassifiers?: ClassifierState }).__switchyardClassifiers ??= {
  shippedModels: new Map(),
  loadedModels: new Map(),
  training: new Map(),
  llmClassifiers: new Map(),
  warned: new Set(),
});
const shippedModels = shared.shippedModels;
function shippedModel(examples: TrainingExample[]): Promise<ClassifierModel> {
  const key = [...new Set(examples.map((e) => e.label))].sort().join(",");
  let model = shippedModels.get(key);
  if (!model) {
    model = trainTextClassifierAsync(examples, { seed: "switchyard-shipped" }, yieldToEventLoop);
    model.catch(() => shippedModels.delete(key));
    shippedModels.set(key, model);
  }
  return model;
}

/**
 * Training runs on the server's event loop in slices (a few milliseconds each), so requests keep being served
 * while a model trains or is evaluated — slower to finish, never a frozen server.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

// ------------------------------------------------------------------------------------------------ loading

const loadedModels = shared.loadedModels;
const training = shared.training;

function startTraining(db: Kysely<Database>, workspaceId: string): Promise<void> {
  let pending = training.get(workspaceId);
  if (!pending) {
    pending = (async () => {
      const started = performance.now();
      // First use: the shipped set alone (shared by every workspace of the process); the workspace's own labels
      // join when ops retrain.
      const trained = await trainOfflineModel(db, workspaceId, { evaluate: false, actorUserId: null, shippedOnly: true });
      log.info("trained the offline classifier (first use)", { workspaceId, examples: trained.trainingSize, ms: Math.round(performance.now() - started) });
    })().finally(() => training.delete(workspaceId));
    training.set(workspaceId, pending);
  }
  return pending;
}

/**
 * The workspace's offline classifier if it has one (loading it on first use in this process), else null — and
 * training starts in the background: a lead never waits for training; until the model exists the keyword rules
 * answer and the trace says why.
 */
export async function readyOfflineClassifier(db: Kysely<Database>, workspaceId: string, hintModelId?: unknown): Promise<{ modelId: string; classifier: TextClassifier } | null> {
  const hit = loadedModels.get(workspaceId);
  if (hit && typeof hintModelId === "string" && hit.modelId === hintModelId) return hit;
  if (training.has(workspaceId)) return null;
  const active = await db.selectFrom("classifier_models").select("id").where("workspace_id", "=", workspaceId).where("kind", "=", OFFLINE_KIND).where("active", "=", true).executeTakeFirst();
  if (!active) {
    startTraining(db, workspaceId).catch((error: unknown) => warnOnce(`train:${workspaceId}`, "training the offline classifier failed; the keyword rules answer", error));
    return null;
  }
  return load(db, workspaceId, active.id);
}

async function load(db: Kysely<Database>, workspaceId: string, modelId: string): Promise<{ modelId: string; classifier: TextClassifier }> {
  const cached = loadedModels.get(workspaceId);
  if (cached?.modelId === modelId) return cached;
  const row = await db.selectFrom("classifier_models").select(["id", "model"]).where("id", "=", modelId).executeTakeFirstOrThrow();
  const loaded = { modelId: row.id, classifier: offlineClassifierFor(ClassifierModel.parse(row.model)) };
  loadedModels.set(workspaceId, loaded);
  return loaded;
}

/** The workspace's active offline classifier, training one first (and waiting for it) if it has none. */
export async function activeOfflineClassifier(
  db: Kysely<Database>,
  workspaceId: string,
  /** The workspace settings' classifierModelId: when it names the loaded model, no query is needed. */
  hintModelId?: unknown,
): Promise<{ modelId: string; classifier: TextClassifier }> {
  const hit = loadedModels.get(workspaceId);
  if (hit && typeof hintModelId === "string" && hit.modelId === hintModelId) return hit;
  const active = await db.selectFrom("classifier_models").select("id").where("workspace_id", "=", workspaceId).where("kind", "=", OFFLINE_KIND).where("active", "=", true).executeTakeFirst();
  if (!active) {
    await startTraining(db, workspaceId);
    return activeOfflineClassifier(db, workspaceId);
  }
  return load(db, workspaceId, active.id);
}

/** Makes sure every workspace has an offline model (server start: the first lead then does not pay for training). */
export async function ensureOfflineModels(db: Kysely<Database>): Promise<void> {
  const workspaces = await db.selectFrom("workspaces").select("id").execute();
  for (const w of workspaces) await activeOfflineClassifier(db, w.id);
}

/** Stands in for the offline model while it trains at first start: fails at once, so the trace says why. */
const OFFLINE_NOT_READY: LeadClassifier = {
  name: "offline",
  async classify() {
    throw new Error("the offline model is still being trained (first start)");
  },
};

export function offlineLeadClassifier(model: { modelId: string; classifier: TextClassifier }): LeadClassifier {
  return {
    name: "offline",
    async classify(text, { taxonomy }) {
      return classifyOffline(model.classifier, text, taxonomy);
    },
  };
}

// ------------------------------------------------------------------------------------------------ the chain

/** The LLM configuration in effect: Settings when enabled there (key from Settings or the environment), else the environment. */
export function effectiveLlmConfig(settings: ClassificationSettings, storedKey: string | null, env: Record<string, string | undefined> = process.env): LlmConfig | null {
  let fromEnv: LlmConfig | null = null;
  try {
    fromEnv = llmConfigFromEnv(env);
  } catch (error) {
    warnOnce(`env:${error instanceof Error ? error.message : String(error)}`, "the LLM configuration in the environment is invalid; the offline classifier answers", error);
  }
  if (!settings.llm.enabled) return fromEnv;
  // OPENAI_API_KEY goes to OpenAI only, never to a third-party server configured in Settings.
  const apiKey = settings.llm.provider === "openai" ? storedKey ?? env.OPENAI_API_KEY?.trim() : storedKey;
  const parsed = LlmConfig.safeParse({
    provider: settings.llm.provider,
    baseURL: settings.llm.provider === "openai_compatible" ? settings.llm.baseURL || undefined : undefined,
    apiKey: apiKey || (settings.llm.provider === "openai_compatible" ? "not-needed" : undefined),
    model: settings.llm.model,
    api: settings.llm.api,
    timeoutMs: settings.llm.timeoutMs,
  });
  if (!parsed.success) {
    warnOnce(`settings:${parsed.error.message}`, "the LLM configured in Settings is incomplete; the offline classifier answers", parsed.error);
    return null;
  }
  return parsed.data;
}

/** The LLM configuration in effect for a workspace's settings blob (its stored key decrypted), or null when none is. */
export function llmConfigFromSettings(raw: Record<string, unknown>, classification: ClassificationSettings = readClassificationSettings(raw.classification)): LlmConfig | null {
  const storedKey = typeof raw.llmApiKeyEncrypted === "string" ? decryptSecret(raw.llmApiKeyEncrypted) : null;
  return effectiveLlmConfig(classification, storedKey);
}

/** The LLM configuration in effect for a workspace (Settings, or the environment), or null when none is. */
export async function workspaceLlmConfig(db: Kysely<Database>, workspaceId: string): Promise<LlmConfig | null> {
  const ws = await db.selectFrom("workspaces").select("settings").where("id", "=", workspaceId).executeTakeFirst();
  return llmConfigFromSettings((ws?.settings ?? {}) as Record<string, unknown>);
}

const warned = shared.warned;
function warnOnce(key: string, message: string, error: unknown): void {
  if (warned.has(key)) return;
  warned.add(key);
  log.warn(message, { error: error instanceof Error ? error.message : String(error) });
}

/**
 * At most this many LLM calls in flight per process. Beyond it a lead skips the LLM and the offline model answers
 * at once: when a provider hangs, only these few leads wait for the timeout before the breaker opens, instead of
 * every lead that arrives meanwhile (a count-based breaker learns nothing until the first calls time out).
 */
export const LLM_MAX_IN_FLIGHT = 8;

export class LlmBusyError extends Error {
  constructor(inFlight: number) {
    super(`skipped: ${inFlight} LLM calls already in flight`);
    this.name = "LlmBusyError";
  }
}

export interface GatedLlmClassifier extends LlmClassifier {
  inFlight(): number;
  skipped(): number;
}

function gated(inner: LlmClassifier, maxInFlight: number): GatedLlmClassifier {
  let inFlight = 0;
  let skipped = 0;
  const enter = () => {
    if (inFlight >= maxInFlight) {
      skipped++;
      throw new LlmBusyError(inFlight);
    }
    inFlight++;
  };
  return {
    name: inner.name,
    model: inner.model,
    api: inner.api,
    get lastUsage() { return inner.lastUsage; },
    state: () => inner.state(),
    inFlight: () => inFlight,
    skipped: () => skipped,
    async classify(text, options) {
      enter();
      try { return await inner.classify(text, options); } finally { inFlight--; }
    },
    async classifyWithUsage(text, options) {
      enter();
      try { return await inner.classifyWithUsage(text, options); } finally { inFlight--; }
    },
  };
}

/** One LLM classifier per distinct configuration per process, so its breaker and cache outlive a single lead. */
const llmClassifiers = shared.llmClassifiers;

export function llmClassifierFor(config: LlmConfig, maxInFlight = LLM_MAX_IN_FLIGHT): GatedLlmClassifier {
  const key = JSON.stringify(config);
  let c = llmClassifiers.get(key);
  if (!c) {
    if (llmClassifiers.size > 20) llmClassifiers.clear();
    c = gated(createLlmClassifier(config), maxInFlight);
    llmClassifiers.set(key, c);
  }
  return c;
}

/**
 * The LLM classifier for a workspace's settings, resolved once per loaded routing context (the context is rebuilt
 * when the settings change; the environment does not change while the process runs), not once per lead.
 */
const llmForSettings = new WeakMap<object, GatedLlmClassifier | null>();

function llmFor(settings: { classification: ClassificationSettings; raw: Record<string, unknown> }): GatedLlmClassifier | null {
  let llm = llmForSettings.get(settings);
  if (llm === undefined) {
    const config = llmConfigFromSettings(settings.raw, settings.classification);
    llm = config ? llmClassifierFor(config) : null;
    llmForSettings.set(settings, llm);
  }
  return llm;
}

/**
 * The classifiers a workspace's lead goes through, in order: the LLM when configured, then its offline model.
 * `settings` is the routing context's (classification settings already parsed, the stored blob beside them).
 */
export async function classifierChain(
  db: Kysely<Database>,
  workspaceId: string,
  settings: { classification: ClassificationSettings; raw: Record<string, unknown> },
): Promise<LeadClassifier[]> {
  const chain: LeadClassifier[] = [];
  const llm = llmFor(settings);
  if (llm) chain.push(llm);
  const offline = await readyOfflineClassifier(db, workspaceId, settings.raw.classifierModelId);
  chain.push(offline ? offlineLeadClassifier(offline) : OFFLINE_NOT_READY);
  return chain;
}
