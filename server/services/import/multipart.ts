/**
 * A streaming multipart/form-data reader for uploads: text fields are collected (small), the file part is handed
 * to a sink chunk by chunk with backpressure, so a 200 MB upload never sits in memory. Written here because
 * `Request.formData()` buffers the whole body and no streaming parser is among the project's dependencies
 * (Next bundles busboy only for its own use).
 *
 * Grammar handled (RFC 7578): `--boundary CRLF headers CRLF CRLF body CRLF --boundary ... --boundary--`. Part
 * headers: Content-Disposition (name, filename, filename*) and Content-Type. A preamble and an epilogue are ignored.
 */
import "server-only";

export interface FilePart {
  field: string;
  filename: string | null;
  contentType: string | null;
}

export interface FileSink {
  write(chunk: Buffer): Promise<void>;
  end(): Promise<void>;
}

export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MultipartError";
  }
}

/** The boundary parameter of a multipart Content-Type, or null. */
export function boundaryOf(contentType: string): string | null {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function parseHeaders(block: string): { field: string | null; filename: string | null; contentType: string | null } {
  let field: string | null = null;
  let filename: string | null = null;
  let contentType: string | null = null;
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-disposition") {
      field = /;\s*name="([^"]*)"/i.exec(value)?.[1] ?? /;\s*name=([^;\s]+)/i.exec(value)?.[1] ?? null;
      const star = /;\s*filename\*=(?:UTF-8|utf-8)''([^;]+)/.exec(value)?.[1];
      filename = star !== undefined ? decodeURIComponent(star) : /;\s*filename="([^"]*)"/i.exec(value)?.[1] ?? /;\s*filename=([^;\s]+)/i.exec(value)?.[1] ?? null;
    } else if (name === "content-type") {
      contentType = value;
    }
  }
  return { field, filename, contentType };
}

export interface MultipartOptions {
  /** The file part to accept (others are refused). */
  fileField: string;
  /** Opens the sink for the file part. */
  openFile(part: FilePart): Promise<FileSink>;
  /** Max bytes of one text field. */
  maxFieldBytes?: number;
}

/**
 * Reads a multipart body. Returns the text fields and whether a file was received. Throws MultipartError for a
 * malformed body, a second file, or an oversized field; errors thrown by the sink propagate.
 */
export async function readMultipart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  options: MultipartOptions,
): Promise<{ fields: Record<string, string>; file: FilePart | null }> {
  const maxField = options.maxFieldBytes ?? 64 * 1024;
  const opening = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const fields: Record<string, string> = {};
  let file: FilePart | null = null;
  let buf: Buffer = Buffer.alloc(0);
  type State = "preamble" | "headers" | "body" | "done";
  let state: State = "preamble" as State;
  let current: { part: FilePart | null; field: string | null; sink: FileSink | null; text: Buffer[]; size: number } | null = null;
  const reader = body.getReader();

  const emit = async (data: Buffer): Promise<void> => {
    if (!current || data.length === 0) return;
    if (current.sink) {
      await current.sink.write(data);
      return;
    }
    current.size += data.length;
    if (current.size > maxField) throw new MultipartError(`The form field "${current.field}" is larger than ${maxField} bytes.`);
    current.text.push(data);
  };
  const closePart = async (): Promise<void> => {
    if (!current) return;
    if (current.sink) await current.sink.end();
    else if (current.field !== null) fields[current.field] = Buffer.concat(current.text).toString("utf8");
    current = null;
  };

  const step = async (final: boolean): Promise<void> => {
    for (;;) {
      if (state === "preamble") {
        const at = buf.indexOf(opening);
        if (at < 0) {
          if (final) throw new MultipartError("The multipart body has no boundary.");
          buf = buf.subarray(Math.max(0, buf.length - opening.length));
          return;
        }
        const after = at + opening.length;
        if (buf.length < after + 2) return;
        if (buf.subarray(after, after + 2).toString() === "--") {
          state = "done";
          return;
        }
        buf = buf.subarray(after + 2); // CRLF
        state = "headers";
      } else if (state === "headers") {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) {
          if (buf.length > 16 * 1024) throw new MultipartError("A part's headers are too large.");
          if (final) throw new MultipartError("The multipart body ended inside a part's headers.");
          return;
        }
        const h = parseHeaders(buf.subarray(0, end).toString("utf8"));
        buf = buf.subarray(end + 4);
        if (h.filename !== null) {
          if (h.field !== options.fileField) throw new MultipartError(`Send the file in the form field "${options.fileField}".`);
          if (file) throw new MultipartError("Send one file per upload.");
          file = { field: h.field, filename: h.filename, contentType: h.contentType };
          current = { part: file, field: h.field, sink: await options.openFile(file), text: [], size: 0 };
        } else {
          current = { part: null, field: h.field, sink: null, text: [], size: 0 };
        }
        state = "body";
      } else if (state === "body") {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          // Keep enough to recognise a delimiter split across chunks.
          const safe = buf.length - delimiter.length;
          if (safe > 0) {
            await emit(buf.subarray(0, safe));
            buf = buf.subarray(safe);
          }
          if (final) throw new MultipartError("The multipart body ended inside a part.");
          return;
        }
        const after = at + delimiter.length;
        if (buf.length < after + 2) {
          if (final) throw new MultipartError("The multipart body ended inside a boundary.");
          return;
        }
        await emit(buf.subarray(0, at));
        await closePart();
        const tail = buf.subarray(after, after + 2).toString();
        if (tail === "--") {
          state = "done";
          return;
        }
        buf = buf.subarray(after + 2);
        state = "headers";
      } else {
        return;
      }
    }
  };

  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buf = buf.length ? Buffer.concat([buf, value]) : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      await step(false);
      if (state === "done") break;
    }
    if (state !== "done") await step(true);
    if (state !== "done") throw new MultipartError("The multipart body is incomplete.");
  } finally {
    if (state !== "done") await reader.cancel().catch(() => undefined);
  }
  return { fields, file };
}
