/**
 * Reading request bodies safely: a size cap enforced while streaming (413 before the whole body is read), a content
 * type check (415), and JSON parsing with a depth limit and no prototype pollution (400).
 */
import "server-only";
import { HttpError } from "./problem";

export const MAX_BODY_BYTES = 1024 * 1024; // 1 MiB
export const MAX_JSON_DEPTH = 20;

/** The raw body as bytes, refusing more than `limit` bytes (by Content-Length or while reading). */
export async function readBody(req: Request, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw new HttpError(413, "Payload too large", `The body is ${declared} bytes; the limit is ${limit}.`);
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new HttpError(413, "Payload too large", `The body exceeds the limit of ${limit} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** The media type of the request, lowercased, without parameters. */
export function mediaType(req: Request): string {
  return (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

export function requireMediaType(req: Request, allowed: readonly string[]): string {
  const type = mediaType(req);
  if (!allowed.includes(type)) {
    throw new HttpError(415, "Unsupported media type", `Send ${allowed.join(" or ")}; got ${type || "no Content-Type"}.`, {
      "content-type": [`must be ${allowed.join(" or ")}`],
    });
  }
  return type;
}

/**
 * Parses JSON text: 400 with the parser's message when malformed; 400 when nested deeper than MAX_JSON_DEPTH; keys
 * named __proto__, constructor or prototype are refused (they have no meaning in a lead and are a classic attack).
 */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, "Malformed JSON", `The body is not valid JSON: ${error instanceof Error ? error.message : "parse error"}.`, { "": ["malformed JSON"] });
  }
  checkShape(value, 0, "");
  return value;
}

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function checkShape(value: unknown, depth: number, path: string): void {
  if (value === null || typeof value !== "object") return;
  if (depth >= MAX_JSON_DEPTH) throw new HttpError(400, "Too deeply nested", `JSON nested deeper than ${MAX_JSON_DEPTH} levels is refused.`, { [path]: [`nested deeper than ${MAX_JSON_DEPTH} levels`] });
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkShape(v, depth + 1, path ? `${path}.${i}` : String(i)));
    return;
  }
  for (const key of Object.keys(value)) {
    const p = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) throw new HttpError(400, "Forbidden key", `The key "${key}" is not allowed.`, { [p]: ["key not allowed"] });
    checkShape((value as Record<string, unknown>)[key], depth + 1, p);
  }
}
