/**
 * The facts the default scoring model reads, and how to assemble them from a normalised lead plus the
 * enrichment and classification steps.
 */

import { z } from "zod";
import { type NormalizedLead } from "../lead/lead.schema";

/** Facts for the default scoring config. All optional: a missing fact contributes nothing. */
export const ScoringFacts = z.object({
  employees: z.number().nullish(),
  employeeBand: z.string().nullish(),
  seniority: z.string().nullish(),
  productInterest: z.string().nullish(),
  emailType: z.string().nullish(),
  country: z.string().nullish(),
  routingRegion: z.string().nullish(),
  isJunk: z.boolean().nullish(),
  /** From enrichment (account match). */
  existingCustomer: z.boolean().nullish(),
  /** From the classifier (free text only). */
  intentCategory: z.string().nullish(),
  urgency: z.string().nullish(),
  timeline: z.string().nullish(),
});
export type ScoringFacts = z.infer<typeof ScoringFacts>;

/** What enrichment and classification add; enrichment's head count wins over the form's when given. */
export interface ScoringFactExtras {
  existingCustomer?: boolean | null;
  employees?: number | null;
  intentCategory?: string | null;
  urgency?: string | null;
  timeline?: string | null;
}

/** Assembles scoring facts from a normalised lead and the enrichment/classification extras. */
export function leadScoringFacts(lead: NormalizedLead, extras: ScoringFactExtras = {}): ScoringFacts {
  return {
    employees: extras.employees ?? lead.employees,
    employeeBand: lead.employeeBand,
    seniority: lead.seniority,
    productInterest: lead.productInterest,
    emailType: lead.emailType,
    country: lead.country,
    routingRegion: lead.routingRegion,
    isJunk: lead.junk.isJunk,
    existingCustomer: extras.existingCustomer ?? null,
    intentCategory: extras.intentCategory ?? null,
    urgency: extras.urgency ?? null,
    timeline: extras.timeline ?? null,
  };
}
