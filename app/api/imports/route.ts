/**
 * POST /api/imports — upload a CSV for import (admin and ops). multipart/form-data with a `file` part (and a `kind`
 * field), or a raw text/csv body with ?kind=leads|accounts|reps&filename=… . The body is streamed to disk, never
 * buffered; the limit is IMPORT_MAX_UPLOAD_MB (default 200 MB). Answers 201 with the pending job; errors are
 * problem details (401, 403, 400/413/415 with field errors).
 */
import { canEdit } from "@/lib/auth/permissions";
import { currentUser } from "@/server/auth/auth";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { problem, problemFromError } from "@/server/http/problem";
import { receiveUpload, UploadError } from "@/server/services/import/upload.service";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  try {
    const user = await currentUser();
    if (!user) return problem(401, "Sign in to upload an import.");
    if (!canEdit(user.role, "settings")) return problem(403, `The ${user.role} role cannot import data.`);
    const url = new URL(req.url);
    const length = Number(req.headers.get("content-length"));
    const job = await receiveUpload(
      { db: await getDb(), now: () => new Date(), dataDir: env().dataDir },
      {
        workspaceId: user.workspaceId,
        userId: user.id,
        contentType: req.headers.get("content-type") ?? "",
        contentLength: Number.isFinite(length) && req.headers.has("content-length") ? length : null,
        body: req.body,
        kind: url.searchParams.get("kind"),
        filename: url.searchParams.get("filename") ?? req.headers.get("x-filename"),
      },
    );
    return Response.json({ job }, { status: 201, headers: { "cache-control": "no-store", location: `/settings/import?job=${job.id}` } });
  } catch (error) {
    if (error instanceof UploadError) return problem(error.status, error.message, { errors: error.fields });
    return problemFromError(error, "import upload");
  }
}
