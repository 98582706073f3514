import { createHash } from "node:crypto";
import { openApiJson } from "@/server/openapi/document";

export const dynamic = "force-dynamic";

let etag: string | undefined;

/**
 * GET /api/v1/openapi.json — the inbound API's OpenAPI 3.1 document, generated from the zod schemas the handlers
 * parse with. Public (it documents the contract, not data), cacheable for five minutes, with a strong ETag so
 * tools revalidate cheaply, and readable cross-origin so editors and client generators can load it.
 */
export function GET(req: Request): Response {
  const body = openApiJson();
  etag ??= `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
  const headers = {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "public, max-age=300, stale-while-revalidate=600",
    etag,
    "access-control-allow-origin": "*",
  };
  const match = req.headers.get("if-none-match");
  if (match && match.split(",").some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers });
}
