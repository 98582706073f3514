import { checkHealth } from "@/server/services/health.service";

export const dynamic = "force-dynamic";

/** GET /api/health — 200 when the database answers, 503 otherwise. No authentication; reveals no data. */
export async function GET() {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
