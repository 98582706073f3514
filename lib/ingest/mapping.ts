/**
 * Field mapping for webhook sources: how a sender's payload becomes Switchyard's documented lead. A mapping is a
 * record of target path (in LeadInput, e.g. "contact.email") → source expression:
 *
 *   "email"                                  a top-level field
 *   "properties.email.value"                 a nested field
 *   "answers[0].text"                        an array element
 *   "form_response.answers[field.ref=email].email"   the first array element whose `field.ref` is "email"
 *   "$header.webhook-id"                     a request header (lowercase name)
 *   "'web'"                                  a constant (single or double quotes)
 *   ["first_name", "' '", "last_name"]       several expressions joined (missing parts skipped)
 *
 * Unmapped targets stay absent; the result is then validated by the LeadInput schema, so a mapping can never
 * smuggle in what the API would refuse.
 */
import { z } from "zod";

const FORBIDDEN_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

export const SourceMapping = z.record(
  z
    .string()
    .regex(/^[a-zA-Z][\w.]*$/, { error: "a target is a dotted path in the lead, e.g. contact.email" })
    .refine((t) => !t.split(".").some((seg) => FORBIDDEN_SEGMENTS.has(seg)), { error: "__proto__, constructor and prototype are not allowed in a target" }),
  z.union([z.string().min(1).max(300), z.array(z.string().min(1).max(300)).min(1).max(10)]),
);
export type SourceMapping = z.infer<typeof SourceMapping>;

type Segment = { kind: "key"; key: string } | { kind: "index"; index: number } | { kind: "filter"; path: string[]; value: string };

/** Parses "a.b[0].c[x.y=z]" into segments; null when malformed. */
export function parsePath(expr: string): Segment[] | null {
  const segments: Segment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[([^=\]]+)=([^\]]*)\]|(\.)/g;
  let consumed = 0;
  for (const m of expr.matchAll(re)) {
    if (m.index !== consumed) return null;
    consumed += m[0].length;
    if (m[1] !== undefined) segments.push({ kind: "key", key: m[1] });
    else if (m[2] !== undefined) segments.push({ kind: "index", index: Number(m[2]) });
    else if (m[3] !== undefined) segments.push({ kind: "filter", path: m[3].split("."), value: m[4] ?? "" });
  }
  return consumed === expr.length && segments.length > 0 ? segments : null;
}

function step(value: unknown, seg: Segment): unknown {
  if (value === null || value === undefined) return undefined;
  if (seg.kind === "key") {
    return typeof value === "object" && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, seg.key)
      ? (value as Record<string, unknown>)[seg.key]
      : undefined;
  }
  if (!Array.isArray(value)) return undefined;
  if (seg.kind === "index") return value[seg.index];
  return value.find((el) => String(seg.path.reduce<unknown>((v, k) => step(v, { kind: "key", key: k }), el)) === seg.value);
}

/** Reads one expression from the payload (and headers). */
export function readExpression(expr: string, payload: unknown, headers: Readonly<Record<string, string>>): unknown {
  const trimmed = expr.trim();
  const quoted = /^'(.*)'$/s.exec(trimmed) ?? /^"(.*)"$/s.exec(trimmed);
  if (quoted) return quoted[1];
  if (trimmed.startsWith("$header.")) return headers[trimmed.slice(8).toLowerCase()];
  const path = parsePath(trimmed);
  if (!path) return undefined;
  return path.reduce<unknown>((v, seg) => step(v, seg), payload);
}

/** Writes a dotted path into plain own properties only; prototype-related segments are refused, never followed. */
function assign(target: Record<string, unknown>, path: string, value: unknown): boolean {
  const keys = path.split(".");
  if (keys.some((k) => FORBIDDEN_SEGMENTS.has(k))) return false;
  let node = target;
  for (const k of keys.slice(0, -1)) {
    const next = Object.hasOwn(node, k) ? node[k] : undefined;
    if (typeof next !== "object" || next === null || Array.isArray(next)) {
      Object.defineProperty(node, k, { value: {}, enumerable: true, writable: true, configurable: true });
    }
    node = node[k] as Record<string, unknown>;
  }
  Object.defineProperty(node, keys[keys.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
  return true;
}

/**
 * Applies a mapping. Values are kept as found (numbers, booleans) except joined expressions, which become text.
 * Returns the candidate lead (to validate with LeadInput) and the expressions that could not be parsed.
 */
export function applyMapping(
  mapping: SourceMapping,
  payload: unknown,
  headers: Readonly<Record<string, string>> = {},
): { lead: Record<string, unknown>; invalid: string[] } {
  const lead: Record<string, unknown> = {};
  const invalid: string[] = [];
  for (const [target, source] of Object.entries(mapping)) {
    const exprs = Array.isArray(source) ? source : [source];
    for (const e of exprs) {
      const t = e.trim();
      if (!/^'.*'$|^".*"$/s.test(t) && !t.startsWith("$header.") && !parsePath(t)) invalid.push(`${target}: ${e}`);
    }
    let value: unknown;
    if (Array.isArray(source)) {
      const parts = source.map((e) => readExpression(e, payload, headers)).filter((v) => v !== undefined && v !== null && v !== "");
      const text = parts.map(String).join("").trim();
      value = text === "" ? undefined : text;
    } else {
      value = readExpression(source, payload, headers);
    }
    if (value === undefined || value === null || value === "") continue;
    if (!assign(lead, target, value)) invalid.push(`${target}: target not allowed`);
  }
  return { lead, invalid };
}

/** Default mappings by source kind, used when a source has none configured. */
export const DEFAULT_MAPPINGS: Record<string, SourceMapping> = {
  // Standard Webhooks senders post our documented lead, optionally wrapped as { type, data }.
  standard_webhooks: {},
  json: {},
  form: {
    "contact.email": "email",
    "contact.firstName": "first_name",
    "contact.lastName": "last_name",
    "contact.name": "name",
    "contact.phone": "phone",
    "contact.title": "title",
    "company.name": "company",
    "company.website": "website",
    "company.employees": "employees",
    country: "country",
    productInterest: "product",
    message: "message",
    source: "source",
    "utm.source": "utm_source",
    "utm.medium": "utm_medium",
    "utm.campaign": "utm_campaign",
  },
  typeform: {
    eventId: "event_id",
    submittedAt: "form_response.submitted_at",
    "contact.email": "form_response.answers[field.ref=email].email",
    "contact.firstName": "form_response.answers[field.ref=first_name].text",
    "contact.lastName": "form_response.answers[field.ref=last_name].text",
    "company.name": "form_response.answers[field.ref=company].text",
    message: "form_response.answers[field.ref=message].text",
    source: "'web'",
  },
  hubspot: {
    eventId: "eventId",
    "contact.email": "properties.email.value",
    "contact.firstName": "properties.firstname.value",
    "contact.lastName": "properties.lastname.value",
    "contact.phone": "properties.phone.value",
    "contact.title": "properties.jobtitle.value",
    "company.name": "properties.company.value",
    "company.website": "properties.website.value",
    country: "properties.country.value",
    message: "properties.message.value",
  },
};
