/**
 * The facts a lead is routed on. Live ingestion stores them on the lead (`leads.facts`) exactly as the decision table
 * saw them, so simulation can replay history with the facts each lead had when it arrived; the CSV import writes the
 * same shape for imported history. The catalog below is what the table editor offers as input columns.
 */
import { z } from "zod";

/** Where a fact came from. AI-derived facts never overwrite an explicit form answer or a CRM owner. */
export const FACT_SOURCES = ["form", "enrichment", "ai", "score", "system"] as const;
export type FactSource = (typeof FACT_SOURCES)[number];

export const LeadFacts = z.object({
  /** Intent category from the classifier (or an explicit form answer). */
  category: z.string().nullish(),
  /** Classifier confidence in [0, 1]; null when the category was an explicit answer. */
  confidence: z.number().min(0).max(1).nullish(),
  /** Which classifier produced category/confidence ("form" when explicit). */
  classifier: z.string().nullish(),
  urgency: z.enum(["high", "normal", "low"]).nullish(),
  /** Stated timeline in days, if the text gave one. */
  timeline_days: z.number().nullish(),
  is_existing_customer: z.boolean().nullish(),
  employees: z.number().nullish(),
  region: z.string().nullish(),
  country: z.string().nullish(),
  lead_source: z.string().nullish(),
  product_interest: z.string().nullish(),
  seniority: z.string().nullish(),
  business_email: z.boolean().nullish(),
  industry: z.string().nullish(),
  priority_tier: z.string().nullish(),
  score: z.number().nullish(),
  /** The junk heuristics were in doubt (such a lead goes to review); recorded so history replays the same way. */
  junk_suspect: z.boolean().nullish(),
  /** Which facts were derived by AI (so guards and the trace can say so). */
  ai_fields: z.array(z.string()).optional(),
});
export type LeadFacts = z.infer<typeof LeadFacts>;

export interface FactField {
  field: keyof LeadFacts & string;
  label: string;
  type: "string" | "number" | "boolean";
  source: FactSource;
  /** Known values, for the editor's autocomplete (observed values are added from the data). */
  values?: readonly string[];
}

/** The facts a decision table can bind input columns to. */
export const FACT_FIELDS: readonly FactField[] = [
  { field: "category", label: "Intent (AI)", type: "string", source: "ai" },
  { field: "confidence", label: "AI confidence", type: "number", source: "ai" },
  { field: "urgency", label: "Urgency (AI)", type: "string", source: "ai", values: ["high", "normal", "low"] },
  { field: "timeline_days", label: "Stated timeline (days, AI)", type: "number", source: "ai" },
  { field: "is_existing_customer", label: "Existing customer", type: "boolean", source: "enrichment" },
  { field: "employees", label: "Employees", type: "number", source: "enrichment" },
  { field: "industry", label: "Industry", type: "string", source: "enrichment" },
  { field: "region", label: "Region", type: "string", source: "form", values: ["NA", "EMEA", "APAC", "LATAM"] },
  { field: "country", label: "Country (ISO)", type: "string", source: "form" },
  { field: "lead_source", label: "Source", type: "string", source: "form" },
  { field: "product_interest", label: "Product interest", type: "string", source: "form" },
  { field: "seniority", label: "Seniority", type: "string", source: "form", values: ["c_level", "vp", "director", "manager", "individual"] },
  { field: "business_email", label: "Business email", type: "boolean", source: "form" },
  { field: "priority_tier", label: "Priority tier", type: "string", source: "score", values: ["P1", "P2", "P3", "P4"] },
  { field: "score", label: "Score", type: "number", source: "score" },
];
