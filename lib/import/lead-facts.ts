/**
 * The routing facts of an imported lead (LeadFacts, stored on leads.facts as live ingestion stores them) and the
 * route its workspace's published decision table gives it. The same lib/ code live routing uses: the offline
 * keyword classifier for free text, the points model for score and tier, the compiled decision table.
 *
 * An explicit category from the file is a form answer (classifier "import", no confidence); without one, a message
 * is classified offline ("keywords") and the AI-derived fields are listed in ai_fields, as live ingestion does.
 */
import { classifyByKeywords } from "../classify/keyword";
import { type CompiledTable, evaluate, findOutputByRole, firstOutputs } from "../decision-table";
import { type LeadFacts } from "../routing/facts";
import { type CompiledScoring } from "../scoring/score";
import { type MappedLead } from "./map-row";

/** What the account match (by company domain, then by normalised name) contributed. */
export interface AccountFacts {
  accountId: string;
  customer: boolean;
  employees: number | null;
  industry: string | null;
  region: string | null;
  country: string | null;
}

/** Routing facts for an imported lead (see the module doc). */
export function importedLeadFacts(lead: MappedLead, account: AccountFacts | null, scoring: CompiledScoring): LeadFacts {
  const explicit = lead.category;
  const classified = explicit === null && lead.message !== null ? classifyByKeywords(lead.message) : null;
  const facts: LeadFacts = {
    category: explicit ?? classified?.category ?? null,
    confidence: classified?.confidence ?? null,
    classifier: explicit !== null ? "import" : classified?.classifier ?? null,
    urgency: classified?.urgency ?? null,
    timeline_days: classified?.timelineDays ?? null,
    is_existing_customer: lead.existingCustomer ?? account?.customer ?? false,
    employees: lead.employees ?? account?.employees ?? null,
    industry: lead.industry ?? account?.industry ?? null,
    region: lead.region ?? account?.region ?? null,
    country: lead.country ?? account?.country ?? null,
    lead_source: lead.channel,
    product_interest: lead.productInterest,
    seniority: lead.seniority,
    business_email: lead.emailType === null ? null : lead.emailType === "business",
    ai_fields: classified ? ["category", "confidence", "urgency", "timeline_days"] : [],
  };
  const scored = scoring.score({
    employees: facts.employees, seniority: facts.seniority, productInterest: facts.product_interest, emailType: lead.emailType,
    routingRegion: facts.region, country: facts.country, existingCustomer: facts.is_existing_customer, intentCategory: facts.category,
    urgency: facts.urgency, timeline: facts.timeline_days != null ? String(facts.timeline_days) : null, isJunk: false,
  });
  facts.score = scored.points;
  facts.priority_tier = scored.tier;
  return facts;
}

export interface PublishedTable {
  versionId: string;
  compiled: CompiledTable;
}

/**
 * The route the published table gives these facts: the output with role "route" (else the output named "route")
 * of the first result, and the first rule that produced it. Null route when no rule matched, the hit policy
 * failed, or there is no table.
 */
export function decideImportedRoute(table: PublishedTable | null, facts: LeadFacts): { route: string | null; ruleId: string | null } {
  if (table === null) return { route: null, ruleId: null };
  const result = evaluate(table.compiled, facts as Record<string, unknown>);
  if (result.error || !result.matched) return { route: null, ruleId: null };
  const outputs = firstOutputs(result);
  const name = findOutputByRole(table.compiled.table, "route")?.name ?? "route";
  const route = outputs?.[name];
  return { route: typeof route === "string" ? route : null, ruleId: result.ruleIds[0] ?? null };
}
