/**
 * The messages Switchyard sends to outbound webhooks (CRMs, task tools), signed the Standard Webhooks way. The
 * OpenAPI document's `webhooks` section is generated from these schemas, and the delivery tests parse every message
 * a receiver gets with them.
 */
import { z } from "zod";

export const OUTBOUND_EVENTS = ["lead.assigned", "lead.reassigned", "sla.reminder", "sla.breached"] as const;
export type OutboundEvent = (typeof OUTBOUND_EVENTS)[number];

const Iso = z.iso.datetime({ offset: true });

export const OutboundWebhookMessage = z.object({
  type: z.enum(OUTBOUND_EVENTS).describe("lead.assigned / lead.reassigned: set the owner and create the first-touch task. sla.reminder / sla.breached: the owner's SLA is running out / has passed."),
  timestamp: Iso.describe("When Switchyard sent it (a retry sends it again with the same webhook-id)."),
  data: z.object({
    leadId: z.uuid(),
    title: z.string().describe("A one-line summary, as the bell shows it."),
    text: z.string(),
    link: z.url().describe("The lead's page in Switchyard, with its routing trace."),
    routePath: z.string().nullable().optional(),
    priorityTier: z.string().nullable().optional(),
    owner: z.object({ id: z.uuid(), name: z.string().optional(), email: z.email().optional() }).optional().describe("lead.*: the new owner (set it in the CRM)."),
    task: z.object({ id: z.uuid(), title: z.string(), dueAt: Iso.nullable() }).optional().describe("lead.*: the owner's first-touch task and its SLA due time (create it in the task tool)."),
    contact: z.object({ firstName: z.string().nullable(), lastName: z.string().nullable(), email: z.string().nullable(), company: z.string().nullable() }).nullable().optional(),
    ownerRepId: z.uuid().optional().describe("sla.*: the owner whose SLA it is."),
    dueAt: Iso.optional().describe("sla.*: the SLA due time."),
    step: z.record(z.string(), z.unknown()).optional().describe("sla.*: the escalation step that fired (its kind and settings)."),
  }),
}).describe("One message to an outbound webhook: its type, when it was sent, and what the receiver needs to act on it.");
export type OutboundWebhookMessage = z.infer<typeof OutboundWebhookMessage>;
