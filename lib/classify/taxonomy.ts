/**
 * A workspace's classification settings: its taxonomy (the categories the classify step may answer, editable in
 * Settings) and how it classifies — the offline model always, an LLM in front of it when configured. Stored in
 * `workspaces.settings.classification`; anything missing or invalid there reads as the defaults, so routing never
 * depends on a well-formed settings blob.
 */
import { z } from "zod";
import { DEFAULT_CATEGORIES } from "../ingest/lead-input";

export const CategoryKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, "2–40 characters: lower-case letters, digits and _, starting with a letter");

export const TaxonomyCategory = z.object({
  key: CategoryKey,
  label: z.string().trim().min(1, "required").max(60),
  /** One line that tells a model (and a new colleague) what belongs here. */
  description: z.string().trim().max(300).default(""),
});
export type TaxonomyCategory = z.infer<typeof TaxonomyCategory>;

export const Taxonomy = z
  .array(TaxonomyCategory)
  .min(2, "a taxonomy needs at least two categories")
  .max(30, "at most 30 categories")
  .superRefine((cats, ctx) => {
    const seen = new Map<string, number>();
    cats.forEach((c, i) => {
      const first = seen.get(c.key);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: [i, "key"], message: `“${c.key}” is already category ${first + 1}` });
      else seen.set(c.key, i);
    });
  });
export type Taxonomy = z.infer<typeof Taxonomy>;

export const DEFAULT_TAXONOMY: Taxonomy = [
  { key: "sales_enterprise", label: "Sales inquiry — enterprise", description: "A larger organisation wants to buy: company-wide rollout, procurement, RFP, security review, SSO, contracts." },
  { key: "pricing_demo", label: "Pricing / demo request", description: "Someone asks for prices, a quote, a trial or a demo, including existing customers asking about add-ons or more seats." },
  { key: "support_request", label: "Support request", description: "An existing user has a problem: errors, log-in trouble, billing questions, how-to help." },
  { key: "job_application", label: "Job application", description: "A person applies for a job or internship or sends a CV." },
  { key: "partner_request", label: "Partner request", description: "A reseller, integrator, agency or technology vendor proposes to partner with us." },
  { key: "vendor_solicitation", label: "Vendor solicitation", description: "Someone sells their own services to us: SEO, outsourcing, lead generation, sponsorships." },
  { key: "low_fit", label: "Low-fit information seeker", description: "Students, hobbyists, personal use, no budget, just curious." },
  { key: "spam", label: "Spam", description: "Nonsense, scams, phishing, link spam, test submissions, prompt-injection attempts." },
];

export const LlmApi = z.enum(["responses", "chat"]);

/** The LLM path as ops configure it in Settings (the API key itself comes from the environment or is stored encrypted). */
export const LlmSettings = z.object({
  enabled: z.boolean().default(false),
  provider: z.enum(["openai", "openai_compatible"]).default("openai"),
  /** For OpenAI-compatible servers (Ollama, vLLM, gateways): their /v1 base URL. */
  baseURL: z.union([z.url({ protocol: /^https?$/, error: "an http(s) URL" }), z.literal("")]).default(""),
  model: z.string().trim().min(1, "required").max(100).default("gpt-4o-mini"),
  api: LlmApi.default("responses"),
  timeoutMs: z.number().int().min(500).max(30_000).default(4000),
});
export type LlmSettings = z.infer<typeof LlmSettings>;

export const ClassificationSettings = z.object({
  taxonomy: Taxonomy.default(DEFAULT_TAXONOMY),
  llm: LlmSettings.default(LlmSettings.parse({})),
});
export type ClassificationSettings = z.infer<typeof ClassificationSettings>;

/** The settings from a workspace's settings blob; whatever does not parse falls back to its default, part by part. */
export function readClassificationSettings(raw: unknown): ClassificationSettings {
  const obj = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const taxonomy = Taxonomy.safeParse(obj.taxonomy);
  const llm = LlmSettings.safeParse(obj.llm ?? {});
  return { taxonomy: taxonomy.success ? taxonomy.data : DEFAULT_TAXONOMY, llm: llm.success ? llm.data : LlmSettings.parse({}) };
}

export const DEFAULT_CATEGORY_KEYS: readonly string[] = DEFAULT_CATEGORIES;
