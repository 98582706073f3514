/**
 * Lead shapes for the ingestion pipeline and the CSV import: the loose raw fields a sender may post, and the
 * normalised facts {@link normalizeLead} derives from them.
 */

import { z } from "zod";
import { RoutingRegion } from "./country";
import { EmployeeBand } from "./employees";
import { JunkAssessment } from "./junk";
import { Seniority } from "./seniority";

/** A raw form or CSV value: senders disagree about types, so numbers and booleans are accepted too. */
const RawValue = z.union([z.string(), z.number(), z.boolean()]).nullish();

/**
 * Raw lead fields, all optional. Unknown keys are kept (loose object) so a sender's extra fields survive to the
 * stored payload. `normalizeLead` also reads the snake_case spelling of each field (`first_name`, `utm_source`...).
 */
export const RawLeadFields = z.looseObject({
  email: RawValue,
  firstName: RawValue,
  lastName: RawValue,
  /** Full name, when the form has one field. */
  name: RawValue,
  company: RawValue,
  website: RawValue,
  phone: RawValue,
  /** Country as a code, English, native or alias name. */
  country: RawValue,
  /** State/province, or a sales region ("EMEA") when the form asks for one. */
  region: RawValue,
  title: RawValue,
  /** "1-10", "51-200", "1,000+", 5000... */
  employees: RawValue,
  productInterest: RawValue,
  message: RawValue,
  useCase: RawValue,
  utmSource: RawValue,
  utmMedium: RawValue,
  utmCampaign: RawValue,
  utmTerm: RawValue,
  utmContent: RawValue,
});
export type RawLeadFields = z.infer<typeof RawLeadFields>;

export const IssueSeverity = z.enum(["error", "warning", "info"]);
export type IssueSeverity = z.infer<typeof IssueSeverity>;

/** A field-level finding of normalisation: an error (value unusable), warning (doubtful) or info (changed). */
export const LeadIssue = z.object({
  field: z.string(),
  code: z.string(),
  message: z.string(),
  severity: IssueSeverity,
});
export type LeadIssue = z.infer<typeof LeadIssue>;

export const EmailType = z.enum(["business", "free", "disposable"]);
export type EmailType = z.infer<typeof EmailType>;

export const NormalizedPhoneFacts = z.object({
  e164: z.string(),
  country: z.string().nullable(),
  extension: z.string().nullable(),
  valid: z.boolean(),
  type: z.string().nullable(),
});

const Text = z.string().min(1).nullable();

/** Normalised lead facts. Every field is present; unknown values are null. */
export const NormalizedLead = z.object({
  /** Normalised address: cleaned, lowercased local part and domain. Null when missing or invalid. */
  email: Text,
  /** The address as given (cleaned of invisible characters, local-part case kept); kept even when invalid. */
  emailOriginal: Text,
  emailDomain: Text,
  emailType: EmailType.nullable(),
  firstName: Text,
  lastName: Text,
  /** "First Last", or the single name field as given. */
  fullName: Text,
  /** Company name as given (cleaned). */
  company: Text,
  /** Company name normalised for matching (see normalizeCompanyName). */
  companyNormalized: Text,
  /** Registrable domain of the company: business email first, then website. */
  companyDomain: Text,
  /** Registrable domain of the website field, whatever it is. */
  websiteDomain: Text,
  phoneRaw: Text,
  phone: NormalizedPhoneFacts.nullable(),
  /** ISO 3166-1 alpha-2. */
  country: Text,
  /** Routing region of the country, else of the region field. */
  routingRegion: RoutingRegion.nullable(),
  /** Region/state text as given. */
  region: Text,
  title: Text,
  seniority: Seniority.nullable(),
  /** Head count used for scoring: midpoint of a closed range, lower bound of an open one. */
  employees: z.number().int().positive().nullable(),
  employeeBand: EmployeeBand.nullable(),
  productInterest: Text,
  message: Text,
  useCase: Text,
  utm: z.object({ source: Text, medium: Text, campaign: Text, term: Text, content: Text }),
  junk: JunkAssessment,
  dedupe: z.object({
    personKey: Text,
    personKeyKind: z.enum(["email", "phone", "name_company"]).nullable(),
    inquiryKey: Text,
  }),
  issues: z.array(LeadIssue),
});
export type NormalizedLead = z.infer<typeof NormalizedLead>;
