/**
 * The JSON the inbound API answers with, shared by the lead, webhook and outcome-event endpoints. These zod schemas
 * are the documented response shapes: the OpenAPI document (/api/v1/openapi.json) is generated from them, and the
 * integration tests parse real responses with them.
 */
import "server-only";
import { z } from "zod";
import type { LeadStatus as DbLeadStatus } from "@/db/types";
import type { OutcomeResult as ServiceOutcomeResult } from "../outcomes.service";
import type { IngestResult } from "./ingest-lead.service";

/** Every status a lead can have (the database's `LeadStatus`, checked at compile time below). */
export const LEAD_STATUSES = [
  "new", "assigned", "queued", "in_review", "accepted", "working", "rejected", "junk", "duplicate", "won", "lost", "disqualified", "closed",
] as const;
export const LeadStatus = z.enum(LEAD_STATUSES);
export type LeadStatus = z.infer<typeof LeadStatus>;

export const IngestResponse = z
  .object({
    leadId: z.uuid().describe("Switchyard's id for the lead."),
    status: LeadStatus.describe(
      "At ingestion: assigned, queued, in_review, junk or duplicate. A replay reports the lead's current status (e.g. accepted or won once outcomes arrived).",
    ),
    routePath: z.string().nullable().describe("The route path decided at ingestion (metrics count the lead under it)."),
    owner: z
      .object({
        id: z.uuid().describe("The rep's id."),
        name: z.string(),
        email: z.string().describe("The rep's email (use it as repEmail in outcome events)."),
      })
      .nullable()
      .describe("The rep the lead was assigned to; null when it waits in a queue."),
    queue: z.string().nullable().describe("When no rep owns it: the queue it waits in (review, nurture, junk…)."),
    slaDueAt: z.iso.datetime().nullable().describe("When the first touch is due (business hours of the owner's team); null without an SLA."),
    duplicateOf: z.uuid().nullable().describe("For a duplicate: the open lead it was merged into (not routed again)."),
    reviewReason: z.string().nullable().describe("Why it went to the review queue, when it did."),
    traceUrl: z.url().describe("The lead's decision trace in the app (sign-in required)."),
  })
  .describe("The routing result for one lead: where it went, to whom, by when, and where to read why.");
export type IngestResponse = z.infer<typeof IngestResponse>;

export const OutcomeResult = z
  .object({
    leadId: z.uuid(),
    eventId: z.number().int().positive().describe("The outcome event's id in the lead's event log."),
    replayed: z.boolean().describe("True when this eventId was recorded before: nothing new was written (answered 200)."),
    status: LeadStatus.describe("The lead's status after the event."),
    ownerRepId: z.uuid().nullable().describe("The lead's owner after the event."),
    reroutedTo: z
      .union([
        z.object({ repId: z.uuid(), name: z.string() }).describe("The next eligible rep by the route's strategy."),
        z.object({ queue: z.string() }).describe("No other eligible rep: the queue the lead now waits in."),
      ])
      .nullable()
      .describe("Set when a wrong-owner rejection re-routed the lead (to a rep, or to the review queue)."),
  })
  .describe("The outcome event as recorded (201), or as recorded earlier (200, replayed).");
export type OutcomeResult = z.infer<typeof OutcomeResult>;

// The schemas above document types other modules own; these fail the typecheck when either side drifts.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statusesMatch: Same<LeadStatus, DbLeadStatus> = true;
const outcomeMatches: Same<OutcomeResult, ServiceOutcomeResult> = true;
void statusesMatch;
void outcomeMatches;

export function ingestResponse(result: IngestResult, origin: string): Response {
  const body: IngestResponse = {
    leadId: result.leadId,
    status: result.status,
    routePath: result.routePath,
    owner: result.owner,
    queue: result.queue,
    slaDueAt: result.slaDueAt?.toISOString() ?? null,
    duplicateOf: result.duplicateOf,
    reviewReason: result.reviewReason,
    traceUrl: `${origin}/leads/${result.leadId}`,
  };
  return Response.json(body, {
    status: result.replayed ? 200 : 201,
    headers: { location: `${origin}/api/v1/leads/${result.leadId}`, "cache-control": "no-store", ...(result.replayed ? { "idempotent-replayed": "true" } : {}) },
  });
}
