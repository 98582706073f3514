/**
 * The inbound API's documented lead and outcome-event bodies. These zod schemas are the validation at the edge, the
 * TypeScript types, and the source of the OpenAPI document (/api/v1/openapi.json).
 */
import { z } from "zod";
import { isValidEmail } from "../lead/email";
import type { RawLeadFields } from "../lead/lead.schema";
import { REASSIGN_REASONS, REJECT_REASONS } from "../metrics/definitions";

const text = (max: number) => z.string().trim().max(max, { error: `at most ${max} characters` });
const optionalText = (max: number) =>
  text(max)
    .optional()
    .transform((v) => (v === "" ? undefined : v));

/** A form answer or custom field value. */
const Scalar = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);

export const LeadContact = z.strictObject({
  email: optionalText(254)
    .refine((v) => v === undefined || isValidEmail(v), { error: "is not a valid email address" })
    .describe("Work email. Either email or phone is required."),
  firstName: optionalText(100),
  lastName: optionalText(100),
  name: optionalText(200).describe("Full name, when the form has a single name field."),
  phone: optionalText(40).describe("Any format; normalised to E.164 using the country."),
  title: optionalText(200),
});

export const LeadCompany = z.strictObject({
  name: optionalText(200),
  website: optionalText(500),
  employees: z
    .union([z.number().int().min(0).max(10_000_000), text(40)])
    .optional()
    .describe('Head count, or a range as the form shows it ("51-200", "1,000+").'),
  industry: optionalText(100),
});

export const LeadUtm = z.strictObject({
  source: optionalText(200),
  medium: optionalText(200),
  campaign: optionalText(200),
  term: optionalText(200),
  content: optionalText(200),
});

export const LeadConsent = z.strictObject({
  marketing: z.boolean().optional(),
  processing: z.boolean().optional(),
});

export const LeadHints = z.strictObject({
  ownerEmail: z.email({ error: "must be an email address" }).max(254).optional().describe("Explicit owner (a rep's email). Wins over routing."),
  accountDomain: optionalText(253).describe("The sender's CRM already knows the account: its domain."),
});

/** Intent categories an explicit form answer may carry (the default taxonomy). */
export const DEFAULT_CATEGORIES = [
  "sales_enterprise", "pricing_demo", "support_request", "job_application", "partner_request",
  "vendor_solicitation", "low_fit", "spam",
] as const;

export const LeadInput = z
  .strictObject({
    eventId: z
      .union([z.string(), z.number().int()])
      .transform((v) => String(v).trim())
      .pipe(z.string().min(1, { error: "is empty" }).max(200, { error: "at most 200 characters" }))
      .optional()
      .describe("The sender's id for this submission; retries with the same id return the original lead. The Idempotency-Key header does the same."),
    submittedAt: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time with a time zone" }).optional()
      .describe("When the person submitted the form; defaults to when Switchyard received it."),
    source: optionalText(64).describe('Channel, e.g. "web", "paid_ads", "event", "referral", "partner".'),
    contact: LeadContact,
    company: LeadCompany.optional(),
    country: optionalText(100).describe("ISO code, English or native name."),
    region: optionalText(100).describe("State/province, or a sales region such as EMEA."),
    productInterest: optionalText(100),
    message: optionalText(10_000).describe("Free text. Only this and useCase are read by the AI classifier."),
    useCase: optionalText(5_000),
    utm: LeadUtm.optional(),
    consent: LeadConsent.optional(),
    answers: z
      .record(z.string().max(100), Scalar)
      .refine((r) => Object.keys(r).length <= 100, { error: "at most 100 answers" })
      .optional()
      .describe('Explicit form answers. "category" (one of the taxonomy) is an explicit intent the AI never overrides.'),
    hints: LeadHints.optional(),
  })
  .superRefine((lead, ctx) => {
    if (!lead.contact.email && !lead.contact.phone) {
      ctx.addIssue({ code: "custom", path: ["contact", "email"], message: "either contact.email or contact.phone is required" });
    }
  });
export type LeadInput = z.infer<typeof LeadInput>;

/** The API body's fields in the shape lib/lead's normaliser reads. */
export function rawLeadFields(input: LeadInput): RawLeadFields {
  return {
    email: input.contact.email,
    firstName: input.contact.firstName,
    lastName: input.contact.lastName,
    name: input.contact.name,
    phone: input.contact.phone,
    title: input.contact.title,
    company: input.company?.name,
    website: input.company?.website,
    employees: input.company?.employees,
    country: input.country,
    region: input.region,
    productInterest: input.productInterest,
    message: input.message,
    useCase: input.useCase,
    utmSource: input.utm?.source,
    utmMedium: input.utm?.medium,
    utmCampaign: input.utm?.campaign,
    utmTerm: input.utm?.term,
    utmContent: input.utm?.content,
  };
}

// ------------------------------------------------------------------------------------------------ outcome events

export const OUTCOME_TYPES = [
  "first_touch", "accepted", "rejected", "reassigned", "meeting_booked", "opportunity_created", "closed_won", "closed_lost",
] as const;
export type OutcomeType = (typeof OUTCOME_TYPES)[number];

/** Reject reasons a rep or a CRM may give (lib/metrics owns the list; the wrong-owner ones count as wrong assignment). */
export const REJECT_REASON_CODES: readonly string[] = REJECT_REASONS;
/** Reassignment reasons a caller may give; `rejected_reroute` is written only by Switchyard itself. */
export const REASSIGN_REASON_CODES: readonly string[] = REASSIGN_REASONS.filter((r) => r !== "rejected_reroute");

export const OutcomeEventInput = z
  .strictObject({
    eventId: optionalText(200).describe("The sender's id; the same id twice records the event once."),
    type: z.enum(OUTCOME_TYPES, { error: `must be one of ${OUTCOME_TYPES.join(", ")}` }),
    occurredAt: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time with a time zone" }).optional()
      .describe("When it happened; defaults to now. Events are applied in occurred-at order."),
    repEmail: z.email({ error: "must be an email address" }).max(254).optional()
      .describe("Who did it (first_touch, accepted, rejected…); defaults to the lead's owner. For reassigned: the new owner."),
    reasonCode: z.string().max(64).optional().describe("Required for rejected and reassigned."),
    comment: optionalText(2000).describe('Required when the reason is "other".'),
    amount: z.number().positive({ error: "must be greater than 0" }).max(1e12).optional().describe("opportunity_created: the amount."),
    currency: z.string().regex(/^[A-Z]{3}$/, { error: "must be a 3-letter ISO currency code" }).optional(),
  })
  .superRefine((e, ctx) => {
    if (e.type === "rejected") {
      if (!e.reasonCode) ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "a reject reason is required" });
      else if (!REJECT_REASON_CODES.includes(e.reasonCode)) {
        ctx.addIssue({ code: "custom", path: ["reasonCode"], message: `must be one of ${REJECT_REASON_CODES.join(", ")}` });
      }
    }
    if (e.type === "reassigned") {
      if (!e.reasonCode) ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "a reassignment reason is required" });
      else if (!REASSIGN_REASON_CODES.includes(e.reasonCode)) {
        ctx.addIssue({ code: "custom", path: ["reasonCode"], message: `must be one of ${REASSIGN_REASON_CODES.join(", ")}` });
      }
      if (!e.repEmail) ctx.addIssue({ code: "custom", path: ["repEmail"], message: "the new owner's email is required" });
    }
    if (e.reasonCode === "other" && !e.comment) ctx.addIssue({ code: "custom", path: ["comment"], message: "say why when the reason is other" });
    if (e.type === "opportunity_created" && e.amount === undefined) ctx.addIssue({ code: "custom", path: ["amount"], message: "an opportunity needs an amount" });
    if (e.type !== "opportunity_created" && e.type !== "closed_won" && e.amount !== undefined) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: `${e.type} does not take an amount` });
    }
  });
export type OutcomeEventInput = z.infer<typeof OutcomeEventInput>;
