import { getDb } from "@/server/db";
import { HttpError, withProblems } from "@/server/http/problem";
import { readResult } from "@/server/services/ingest/ingest-lead.service";
import { authenticateApiKey, publicUrl, rateLimit } from "@/server/services/ingest/inbound";
import { ingestResponse } from "@/server/services/ingest/responses";

export const dynamic = "force-dynamic";

/** GET /api/v1/leads/{id} — the lead's current routing result (the URL POST /api/v1/leads returns in Location). */
export const GET = withProblems("GET /api/v1/leads/{id}", async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const db = await getDb();
  const auth = await authenticateApiKey(db, req.headers.get("authorization"), new Date());
  await rateLimit(`key:${auth.keyId}`, auth.rateLimitPerMinute);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new HttpError(404, "Not found", "No such lead.");
  const lead = await db.selectFrom("leads").select("id").where("id", "=", id).where("workspace_id", "=", auth.workspaceId).executeTakeFirst();
  if (!lead) throw new HttpError(404, "Not found", "No such lead.");
  const res = ingestResponse({ ...(await readResult(db, id)), replayed: true }, new URL(publicUrl(req)).origin);
  return new Response(res.body, { status: 200, headers: { "content-type": "application/json", "cache-control": "no-store" } });
});
