import { OutcomeEventInput } from "@/lib/ingest/lead-input";
import { getDb } from "@/server/db";
import { parseJson, readBody, requireMediaType } from "@/server/http/body";
import { HttpError, withProblems } from "@/server/http/problem";
import { authenticateApiKey, rateLimit } from "@/server/services/ingest/inbound";
import { recordLeadOutcome } from "@/server/services/outcomes.service";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/leads/{id}/events — an outcome from the CRM or a sales tool: first_touch, accepted, rejected (reason),
 * reassigned (reason, new owner), meeting_booked, opportunity_created (amount), closed_won, closed_lost.
 * Idempotent by eventId (Idempotency-Key header works too): 201 recorded, 200 replayed.
 */
export const POST = withProblems("POST /api/v1/leads/{id}/events", async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const db = await getDb();
  const auth = await authenticateApiKey(db, req.headers.get("authorization"), new Date());
  await rateLimit(`key:${auth.keyId}`, auth.rateLimitPerMinute);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new HttpError(404, "Not found", "No such lead.");
  requireMediaType(req, ["application/json"]);
  const body = await readBody(req);
  const raw = parseJson(body.toString("utf8"));
  if (raw && typeof raw === "object" && !Array.isArray(raw) && req.headers.get("idempotency-key") && !("eventId" in raw)) {
    (raw as Record<string, unknown>).eventId = req.headers.get("idempotency-key");
  }
  const input = OutcomeEventInput.parse(raw);
  const result = await recordLeadOutcome({ db, now: () => new Date() }, auth.workspaceId, id, input);
  return Response.json(result, { status: result.replayed ? 200 : 201, headers: { "cache-control": "no-store" } });
});
