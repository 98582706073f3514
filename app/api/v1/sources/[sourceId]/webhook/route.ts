import { LeadInput } from "@/lib/ingest/lead-input";
import { applyMapping, DEFAULT_MAPPINGS, SourceMapping } from "@/lib/ingest/mapping";
import { fieldErrorsFromIssues } from "@/server/errors";
import { getDb } from "@/server/db";
import { parseJson, readBody, requireMediaType } from "@/server/http/body";
import { HttpError, withProblems } from "@/server/http/problem";
import { ingestLead } from "@/server/services/ingest/ingest-lead.service";
import { ingestDeps, loadSource, publicUrl, rateLimit, SourceSettings, verifySource } from "@/server/services/ingest/inbound";
import { ingestResponse } from "@/server/services/ingest/responses";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/sources/{sourceId}/webhook — a configured source (generic JSON, HTML form, HubSpot, Typeform,
 * Standard Webhooks). Verified by the source's signature scheme over the raw body, mapped to a lead by the source's
 * field mapping, then ingested exactly like POST /api/v1/leads.
 */
export const POST = withProblems("POST /api/v1/sources/webhook", async (req: Request, { params }: { params: Promise<{ sourceId: string }> }) => {
  const { sourceId } = await params;
  const db = await getDb();
  const now = new Date();
  const source = await loadSource(db, sourceId);
  const settings = SourceSettings.parse(source.settings ?? {});
  const type = requireMediaType(req, source.kind === "form" ? ["application/x-www-form-urlencoded"] : ["application/json"]);
  const body = await readBody(req);
  await verifySource(db, source, req, body, now);
  // Only verified deliveries spend the source's budget: unsigned floods must not lock the real sender out.
  await rateLimit(`source:${source.id}`, settings.rateLimitPerMinute);

  const text = body.toString("utf8");
  const payload: unknown = type === "application/x-www-form-urlencoded" ? formToObject(text) : parseJson(text);
  const headers = Object.fromEntries([...req.headers.entries()].map(([k, v]) => [k.toLowerCase(), v]));
  const configured = SourceMapping.safeParse(source.field_mapping ?? {});
  if (!configured.success) throw new HttpError(500, "Source misconfigured", "This source's field mapping is invalid; fix it in Settings.");
  const mapping = Object.keys(configured.data).length ? configured.data : DEFAULT_MAPPINGS[source.kind] ?? {};
  const candidate = Object.keys(mapping).length ? applyMapping(mapping, payload, headers).lead : unwrap(payload);
  if (settings.channel && candidate && typeof candidate === "object" && !("source" in candidate)) (candidate as Record<string, unknown>).source = settings.channel;

  const parsed = LeadInput.safeParse(candidate);
  if (!parsed.success) {
    throw new HttpError(400, "Bad request", "The payload does not map to a valid lead with this source's field mapping.", fieldErrorsFromIssues(parsed.error.issues));
  }
  const idempotencyKey = (source.kind === "standard_webhooks" ? req.headers.get("webhook-id") : null) ?? req.headers.get("idempotency-key") ?? parsed.data.eventId ?? null;
  const result = await ingestLead(ingestDeps(db), { workspaceId: source.workspace_id, sourceId: source.id, idempotencyKey, input: parsed.data, raw: payload });
  await db.updateTable("sources").set({ last_received_at: now }).where("id", "=", source.id).execute();
  return ingestResponse(result, new URL(publicUrl(req)).origin);
});

/** Form bodies: repeated keys keep the last value; keys are limited like JSON (no __proto__ tricks). */
function formToObject(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of new URLSearchParams(text)) {
    if (k === "__proto__" || k === "constructor" || k === "prototype") throw new HttpError(400, "Forbidden key", `The field "${k}" is not allowed.`, { [k]: ["field not allowed"] });
    out[k] = v;
  }
  return { ...out };
}

/** Standard Webhooks senders often wrap the payload as { type, data }. */
function unwrap(payload: unknown): unknown {
  if (payload && typeof payload === "object" && "data" in payload && "type" in payload && typeof (payload as { data: unknown }).data === "object") {
    return (payload as { data: unknown }).data;
  }
  return payload;
}
