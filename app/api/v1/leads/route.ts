import { LeadInput } from "@/lib/ingest/lead-input";
import { getDb } from "@/server/db";
import { parseJson, readBody, requireMediaType } from "@/server/http/body";
import { HttpError, withProblems } from "@/server/http/problem";
import { ingestLead } from "@/server/services/ingest/ingest-lead.service";
import { authenticateApiKey, ingestDeps, publicUrl, rateLimit } from "@/server/services/ingest/inbound";
import { ingestResponse } from "@/server/services/ingest/responses";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/leads — a documented JSON lead, authenticated with a workspace API key. 201 with the routing result,
 * 200 for a replay of the same event id (Idempotency-Key header or eventId), problem details otherwise.
 */
export const POST = withProblems("POST /api/v1/leads", async (req: Request) => {
  const db = await getDb();
  const now = new Date();
  const auth = await authenticateApiKey(db, req.headers.get("authorization"), now);
  await rateLimit(`key:${auth.keyId}`, auth.rateLimitPerMinute);
  requireMediaType(req, ["application/json"]);
  const body = await readBody(req);
  const raw = parseJson(body.toString("utf8"));
  const input = LeadInput.parse(raw);
  const idempotencyKey = req.headers.get("idempotency-key") ?? input.eventId ?? null;
  if (idempotencyKey !== null && (idempotencyKey.length === 0 || idempotencyKey.length > 200)) {
    throw new HttpError(400, "Bad request", "The idempotency key must be 1–200 characters.", { "idempotency-key": ["must be 1–200 characters"] });
  }
  const result = await ingestLead(ingestDeps(db), { workspaceId: auth.workspaceId, sourceId: null, idempotencyKey, input, raw });
  return ingestResponse(result, new URL(publicUrl(req)).origin);
});
