/** The JSON the inbound API answers with, shared by the lead and webhook endpoints (and documented in OpenAPI). */
import "server-only";
import { z } from "zod";
import type { IngestResult } from "./ingest-lead.service";

export const IngestResponse = z.object({
  leadId: z.uuid(),
  status: z.string().describe("assigned, queued, in_review, junk or duplicate"),
  routePath: z.string().nullable().describe("The route path decided at ingestion (metrics count the lead under it)."),
  owner: z.object({ id: z.uuid(), name: z.string(), email: z.string() }).nullable(),
  queue: z.string().nullable().describe("When no rep owns it: the queue it waits in (review, nurture, junk…)."),
  slaDueAt: z.string().nullable().describe("When the first touch is due (business hours of the owner's team)."),
  duplicateOf: z.uuid().nullable(),
  reviewReason: z.string().nullable(),
  traceUrl: z.string().describe("The lead's decision trace in the app."),
});
export type IngestResponse = z.infer<typeof IngestResponse>;

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
