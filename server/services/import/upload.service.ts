/**
 * Receiving an upload: the request body (multipart/form-data with a `file` part, or a raw text/csv body) is
 * streamed to DATA_DIR/imports/<job id>.csv with a size cap enforced while streaming — the file is never held in
 * memory — then checked (text, a header row), its rows counted, and a pending job created for the mapping step.
 */
import "server-only";
import { createWriteStream } from "node:fs";
import { mkdir, rename, unlink } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import path from "node:path";
import { ImportKind } from "@/lib/import";
import type { FieldErrors } from "../../errors";
import { insertJob } from "../../repositories/import.repository";
import type { ImportDeps } from "./context";
import { countRows, CsvFileError, looksBinary } from "./csv-file";
import { boundaryOf, MultipartError, readMultipart, type FileSink } from "./multipart";
import { jobFilePath } from "./run-import.service";

export const DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
export const CSV_MEDIA_TYPES = ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel", "text/tab-separated-values"] as const;

/** An upload refused, with the HTTP status the route handler answers. */
export class UploadError extends Error {
  constructor(readonly status: 400 | 413 | 415, message: string, readonly fields: FieldErrors = {}) {
    super(message);
    this.name = "UploadError";
  }
}

/** The upload limit: IMPORT_MAX_UPLOAD_MB (megabytes) when set to a positive number, else 200 MB. */
export function maxUploadBytes(): number {
  const mb = Number(process.env.IMPORT_MAX_UPLOAD_MB);
  return Number.isFinite(mb) && mb > 0 ? Math.floor(mb * 1024 * 1024) : DEFAULT_MAX_UPLOAD_BYTES;
}

export interface UploadInput {
  workspaceId: string;
  userId: string | null;
  /** The request's Content-Type header. */
  contentType: string;
  contentLength: number | null;
  body: ReadableStream<Uint8Array> | null;
  /** From the query string (?kind=leads&filename=x.csv); multipart fields `kind` and the file's name also work. */
  kind: string | null;
  filename: string | null;
  maxBytes?: number;
}

export interface UploadedJob {
  id: string;
  kind: ImportKind;
  filename: string;
  bytes: number;
  totalRows: number;
}

function fileSink(target: string, limit: number, counter: { bytes: number }): FileSink & { close(): void } {
  const out = createWriteStream(target, { flags: "wx" });
  let failed: Error | null = null;
  out.on("error", (e) => {
    failed = e;
  });
  return {
    async write(chunk) {
      if (failed) throw failed;
      counter.bytes += chunk.length;
      if (counter.bytes > limit) throw new UploadError(413, `The file is larger than the limit of ${Math.round(limit / 1048576)} MB.`, { file: ["too large"] });
      if (!out.write(chunk)) await once(out, "drain");
    },
    async end() {
      if (failed) throw failed;
      out.end();
      await once(out, "finish");
    },
    close() {
      out.destroy();
    },
  };
}

function cleanFilename(name: string | null): string {
  const base = [...((name ?? "").split(/[\\/]/).pop() ?? "")].filter((c) => c.charCodeAt(0) >= 32).join("").trim();
  return (base || "upload.csv").slice(0, 200);
}

/** Streams the upload to disk, validates it and creates the pending job (see the module doc). */
export async function receiveUpload(deps: ImportDeps, input: UploadInput): Promise<UploadedJob> {
  const limit = input.maxBytes ?? maxUploadBytes();
  const mediaType = input.contentType.split(";")[0]!.trim().toLowerCase();
  const multipart = mediaType === "multipart/form-data";
  if (!multipart && !(CSV_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
    throw new UploadError(415, `Send the CSV as multipart/form-data (field "file") or as a text/csv body; got ${mediaType || "no Content-Type"}.`, { "content-type": ["must be multipart/form-data or text/csv"] });
  }
  if (input.contentLength !== null && input.contentLength > limit + (multipart ? 64 * 1024 : 0)) {
    throw new UploadError(413, `The file is larger than the limit of ${Math.round(limit / 1048576)} MB.`, { file: ["too large"] });
  }
  if (!input.body) throw new UploadError(400, "The request has no body.", { file: ["required"] });

  const id = randomUUID();
  const final = jobFilePath(deps.dataDir, id);
  const partial = `${final}.part`;
  await mkdir(path.dirname(final), { recursive: true });
  const counter = { bytes: 0 };
  let kindText = input.kind;
  let filename = input.filename;
  let sink: ReturnType<typeof fileSink> | null = null;
  try {
    if (multipart) {
      const boundary = boundaryOf(input.contentType);
      if (!boundary) throw new UploadError(400, "The multipart Content-Type has no boundary.", { "content-type": ["no boundary"] });
      const { fields, file } = await readMultipart(input.body, boundary, {
        fileField: "file",
        openFile: async (part) => {
          filename ??= part.filename;
          sink = fileSink(partial, limit, counter);
          return sink;
        },
      });
      kindText ??= fields.kind ?? null;
      filename = fields.filename ?? filename;
      if (!file) throw new UploadError(400, 'Attach the CSV in the form field "file".', { file: ["required"] });
    } else {
      sink = fileSink(partial, limit, counter);
      const reader = input.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        try {
          await sink.write(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        } catch (error) {
          await reader.cancel().catch(() => undefined);
          throw error;
        }
      }
      await sink.end();
    }
    const kind = ImportKind.safeParse(kindText);
    if (!kind.success) throw new UploadError(400, "Say what the file holds: kind=leads, accounts or reps.", { kind: ["must be leads, accounts or reps"] });
    if (counter.bytes === 0) throw new UploadError(400, "The file is empty.", { file: ["empty"] });
    if (await looksBinary(partial)) {
      throw new UploadError(415, "This is not a text CSV file (it has binary content; an Excel workbook? Save it as CSV first).", { file: ["not a CSV text file"] });
    }
    let totalRows: number;
    try {
      totalRows = (await countRows(partial)).rows;
    } catch (error) {
      if (error instanceof CsvFileError) throw new UploadError(400, error.message, { file: [error.message] });
      throw error;
    }
    await rename(partial, final);
    const name = cleanFilename(filename);
    await insertJob(deps.db, {
      id, workspace_id: input.workspaceId, kind: kind.data, filename: name, status: "pending", mapping: JSON.stringify({}), errors: JSON.stringify([]),
      total_rows: totalRows, created_by: input.userId, created_at: deps.now(),
    });
    return { id, kind: kind.data, filename: name, bytes: counter.bytes, totalRows };
  } catch (error) {
    (sink as ReturnType<typeof fileSink> | null)?.close();
    await unlink(partial).catch(() => undefined);
    await unlink(final).catch(() => undefined);
    if (error instanceof MultipartError) throw new UploadError(400, error.message, { body: [error.message] });
    throw error;
  }
}
