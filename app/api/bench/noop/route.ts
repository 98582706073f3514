/**
 * A bare route handler for the ingestion benchmark (`npm run bench:ingest`): answers 200 JSON without touching the
 * request body or the database, so the benchmark can measure the framework's own cost per request and report
 * ingestion as a ratio to it. It exists only when the server runs with SWITCHYARD_BENCH_ROUTES=1; otherwise 404.
 */
export const dynamic = "force-dynamic";

function noop(): Response {
  if (process.env.SWITCHYARD_BENCH_ROUTES !== "1") {
    return new Response(JSON.stringify({ type: "about:blank", title: "Not found", status: 404, detail: "Not found." }), {
      status: 404,
      headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
    });
  }
  return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
}

export const GET = noop;
export const POST = noop;
