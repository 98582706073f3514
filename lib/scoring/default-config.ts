/**
 * The default B2B demand scoring model. A starting point each workspace edits; every number here is a business
 * judgement, written down so that it can be argued with:
 *
 * - Fit (capped at 50): company size (1000+ → 20, 200–999 → 15, 50–199 → 10, 10–49 → 5), seniority from title
 *   (C-level 20, VP 16, Director 12, Manager 6), business email +10 / free mail −5, a country in a region sales
 *   serves directly (NA, EMEA, APAC; LATAM is served through partners by default) +5, an existing customer +10.
 * - Intent (capped at 50): a named product interest +10; the classifier's intent category — buying (demo,
 *   pricing, quote, purchase, enterprise sales) +25, evaluating (trial, technical or product question,
 *   integration) +15, researching (content download, webinar) +3, partnership +5, low fit −10, support/billing
 *   −15 (not a sales lead), job applications, vendor solicitations and spam −30; urgency high +15 / medium +7
 *   ("normal" and "low" add nothing); a timeline within the quarter +5.
 * - Penalties (uncapped): disposable email −30, junk −50.
 * - Total bounded to 0–100. Tiers: P1 ≥ 70, P2 ≥ 45, P3 ≥ 20, P4 below.
 *
 * Fact names are those of `ScoringFacts` (facts.ts). Intent categories cover both taxonomies in this
 * project — the reference routing table's intents (demo_request, pricing, trial, content_download, support,
 * partnership) and the classifier's categories (sales_enterprise, pricing_demo, support_request,
 * partner_request, vendor_solicitation, job_application, low_fit, spam) — plus common synonyms.
 */

import { ScoringConfig } from "./scoring.schema";

export const DEFAULT_SCORING_CONFIG: ScoringConfig = ScoringConfig.parse({
  version: "default-b2b-1",
  groups: [
    { id: "fit", label: "Fit", max: 50 },
    { id: "intent", label: "Intent", max: 50 },
    { id: "penalty", label: "Penalties" },
  ],
  bounds: { min: 0, max: 100 },
  tiers: [
    { tier: "P1", min: 70, label: "Act now" },
    { tier: "P2", min: 45, label: "Today" },
    { tier: "P3", min: 20, label: "This week" },
    { tier: "P4", min: 0, label: "Nurture" },
  ],
  rules: [
    { id: "size-1000", label: "1000+ employees", field: "employees", test: { op: "range", min: 1000 }, points: 20, group: "fit" },
    { id: "size-200", label: "200–999 employees", field: "employees", test: { op: "range", min: 200, max: 999 }, points: 15, group: "fit" },
    { id: "size-50", label: "50–199 employees", field: "employees", test: { op: "range", min: 50, max: 199 }, points: 10, group: "fit" },
    { id: "size-10", label: "10–49 employees", field: "employees", test: { op: "range", min: 10, max: 49 }, points: 5, group: "fit" },
    { id: "seniority-c", label: "C-level / founder", field: "seniority", test: { op: "equals", value: "c_level" }, points: 20, group: "fit" },
    { id: "seniority-vp", label: "Vice president", field: "seniority", test: { op: "equals", value: "vp" }, points: 16, group: "fit" },
    { id: "seniority-director", label: "Director / head of", field: "seniority", test: { op: "equals", value: "director" }, points: 12, group: "fit" },
    { id: "seniority-manager", label: "Manager", field: "seniority", test: { op: "equals", value: "manager" }, points: 6, group: "fit" },
    { id: "email-business", label: "Business email", field: "emailType", test: { op: "equals", value: "business" }, points: 10, group: "fit" },
    { id: "email-free", label: "Free-mail address", field: "emailType", test: { op: "equals", value: "free" }, points: -5, group: "fit" },
    { id: "region-served", label: "Country in a directly served region", field: "routingRegion", test: { op: "in", values: ["NA", "EMEA", "APAC"] }, points: 5, group: "fit" },
    { id: "existing-customer", label: "Existing customer", field: "existingCustomer", test: { op: "equals", value: true }, points: 10, group: "fit" },
    { id: "product-interest", label: "Named a product", field: "productInterest", test: { op: "present" }, points: 10, group: "intent" },
    {
      id: "intent-buy",
      label: "Buying intent (demo, pricing, quote)",
      field: "intentCategory",
      test: {
        op: "in",
        values: ["demo_request", "demo", "pricing", "quote", "purchase", "sales", "sales_inquiry", "contact_sales", "sales_enterprise", "pricing_demo"],
      },
      points: 25,
      group: "intent",
    },
    {
      id: "intent-evaluate",
      label: "Evaluating (trial, product question)",
      field: "intentCategory",
      test: { op: "in", values: ["trial", "evaluation", "product_question", "technical_question", "integration"] },
      points: 15,
      group: "intent",
    },
    { id: "intent-research", label: "Researching (content download, webinar)", field: "intentCategory", test: { op: "in", values: ["content_download", "webinar", "newsletter"] }, points: 3, group: "intent" },
    { id: "intent-partner", label: "Partnership inquiry", field: "intentCategory", test: { op: "in", values: ["partnership", "partner", "reseller", "partner_request"] }, points: 5, group: "intent" },
    { id: "intent-support", label: "Support or billing request", field: "intentCategory", test: { op: "in", values: ["support", "billing", "customer_support", "support_request"] }, points: -15, group: "intent" },
    { id: "intent-low-fit", label: "Low fit (student, hobbyist, tiny budget)", field: "intentCategory", test: { op: "equals", value: "low_fit" }, points: -10, group: "intent" },
    {
      id: "intent-noise",
      label: "Job application, vendor pitch or spam",
      field: "intentCategory",
      test: { op: "in", values: ["job_application", "careers", "vendor_pitch", "vendor_solicitation", "solicitation", "spam"] },
      points: -30,
      group: "intent",
    },
    { id: "urgency-high", label: "High urgency", field: "urgency", test: { op: "equals", value: "high" }, points: 15, group: "intent" },
    { id: "urgency-medium", label: "Medium urgency", field: "urgency", test: { op: "equals", value: "medium" }, points: 7, group: "intent" },
    {
      id: "timeline-soon",
      label: "Buying within the quarter",
      field: "timeline",
      test: { op: "in", values: ["immediate", "now", "this_week", "this_month", "this_quarter"] },
      points: 5,
      group: "intent",
    },
    { id: "email-disposable", label: "Disposable email", field: "emailType", test: { op: "equals", value: "disposable" }, points: -30, group: "penalty" },
    { id: "junk", label: "Flagged as junk", field: "isJunk", test: { op: "equals", value: true }, points: -50, group: "penalty" },
  ],
});
