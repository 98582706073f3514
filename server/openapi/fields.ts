/**
 * Reads the OpenAPI document's JSON Schemas back into what a person scans: one row per field with its type,
 * whether it is required, its constraints and its description. The API reference page renders these rows; they
 * are derived from the document (not from zod directly) so the page shows exactly what /api/v1/openapi.json says.
 */
import "server-only";
import type { JsonSchema, OpenApiDocument, Reference } from "./document";

export interface FieldRow {
  /** Dotted path, unique within one table (used as a React key). */
  key: string;
  /** The field's name as shown ("contact", "email", "tags[]", "option 1"). */
  name: string;
  depth: number;
  type: TypeLabel;
  required: boolean;
  constraints: string[];
  description?: string;
  /** An "option n" row: one alternative of a union field, not a field itself. */
  variant?: boolean;
}

/** A type as text, with the component it refers to (when it is one) so the page can link it. */
export type TypeLabel = Array<{ text: string; ref?: string }>;

const SAFE_INT = Number.MAX_SAFE_INTEGER;
const MAX_DEPTH = 6;

function isRef(value: unknown): value is Reference {
  return typeof value === "object" && value !== null && typeof (value as Reference).$ref === "string";
}

/** The component name a `#/components/schemas/<name>` reference points at. */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf("/") + 1);
}

/** Follows a local JSON pointer (`#/components/...`) in the document; throws for one that does not resolve. */
export function resolvePointer(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith("#/")) throw new Error(`Only local references are supported: ${ref}`);
  let node: unknown = document;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null || !Object.prototype.hasOwnProperty.call(node, key)) {
      throw new Error(`Unresolvable reference: ${ref}`);
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The object itself, or what its `$ref` points at. */
export function deref<T>(document: OpenApiDocument, value: T | Reference): T {
  return isRef(value) ? (resolvePointer(document, value.$ref) as T) : value;
}

/** The alternatives of a schema: its anyOf/oneOf branches, flattened (nested unions are one list). */
function branches(schema: JsonSchema): JsonSchema[] {
  const list = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (!list) return [schema];
  return list.flatMap((b) => (isRef(b) ? [b as JsonSchema] : branches(b)));
}

function isNull(schema: JsonSchema): boolean {
  return schema.type === "null";
}

/** Type label of one schema: `string (uuid)`, `integer | string`, `LeadInput`, `map<string, string[]>`… */
export function typeLabel(schema: JsonSchema): TypeLabel {
  if (isRef(schema)) return [{ text: refName(schema.$ref), ref: refName(schema.$ref) }];
  if (schema.anyOf || schema.oneOf) {
    const parts = branches(schema).map(typeLabel);
    return parts.flatMap((p, i) => (i === 0 ? p : [{ text: " | " }, ...p]));
  }
  if (schema.const !== undefined) return [{ text: JSON.stringify(schema.const) }];
  if (Array.isArray(schema.enum)) return [{ text: typeof schema.enum[0] === "string" ? "string (enum)" : "enum" }];
  if (Array.isArray(schema.type)) return (schema.type as string[]).flatMap((t, i) => [...(i ? [{ text: " | " }] : []), ...typeLabel({ ...schema, type: t })]);
  switch (schema.type) {
    case "array": {
      const items = typeLabel((schema.items as JsonSchema | undefined) ?? {});
      return items.length > 1 ? [{ text: "(" }, ...items, { text: ")[]" }] : [...items, { text: "[]" }];
    }
    case "object": {
      const extra = schema.additionalProperties;
      if (!schema.properties && extra && typeof extra === "object") {
        const value = Object.keys(extra).length ? typeLabel(extra as JsonSchema) : [{ text: "any" }];
        return [{ text: "map<string, " }, ...value, { text: ">" }];
      }
      return [{ text: "object" }];
    }
    case "string":
      return [{ text: schema.format ? `string (${String(schema.format)})` : "string" }];
    case undefined:
      return [{ text: "any" }];
    default:
      return [{ text: String(schema.type) }];
  }
}

const fmt = (n: number) => n.toLocaleString("en-US");

/** Constraints of one (non-union) schema as short phrases: "≤ 200 chars", "0 – 10,000,000", "one of …". */
function ownConstraints(schema: JsonSchema): string[] {
  const out: string[] = [];
  const { minLength, maxLength, minimum, maximum, exclusiveMinimum, exclusiveMaximum, minItems, maxItems } = schema as Record<string, number | undefined>;
  if (minLength !== undefined && maxLength !== undefined) out.push(`${fmt(minLength)}–${fmt(maxLength)} chars`);
  else if (maxLength !== undefined) out.push(`≤ ${fmt(maxLength)} chars`);
  else if (minLength !== undefined) out.push(`≥ ${fmt(minLength)} chars`);
  const lo = minimum !== undefined && minimum > -SAFE_INT ? `≥ ${fmt(minimum)}` : exclusiveMinimum !== undefined ? `> ${fmt(exclusiveMinimum)}` : undefined;
  const hi = maximum !== undefined && maximum < SAFE_INT ? `≤ ${fmt(maximum)}` : exclusiveMaximum !== undefined ? `< ${fmt(exclusiveMaximum)}` : undefined;
  if (lo && hi) out.push(`${lo}, ${hi}`);
  else if (lo ?? hi) out.push((lo ?? hi)!);
  if (minItems !== undefined && maxItems !== undefined) out.push(`${fmt(minItems)}–${fmt(maxItems)} items`);
  else if (maxItems !== undefined) out.push(`≤ ${fmt(maxItems)} items`);
  else if (minItems !== undefined) out.push(`≥ ${fmt(minItems)} items`);
  if (Array.isArray(schema.enum)) out.push(`one of ${schema.enum.map((v) => String(v)).join(", ")}`);
  // A format says more than zod's long regex for it.
  if (typeof schema.pattern === "string" && !schema.format) out.push(`pattern ${schema.pattern}`);
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
  const names = schema.propertyNames as JsonSchema | undefined;
  if (names) {
    const keyRules = ownConstraints(names);
    if (keyRules.length) out.push(`keys: ${keyRules.join(", ")}`);
  }
  if (schema.type === "array" && schema.items && !isRef(schema.items)) {
    for (const c of ownConstraints(schema.items as JsonSchema)) out.push(`each: ${c}`);
  }
  if (schema.type === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object" && !schema.properties) {
    for (const c of constraints(schema.additionalProperties as JsonSchema)) out.push(`values: ${c}`);
  }
  return out;
}

/** Constraints of a schema; for a union, each branch's own, prefixed with its type when there are several. */
export function constraints(schema: JsonSchema): string[] {
  if (isRef(schema)) return [];
  if (!schema.anyOf && !schema.oneOf) return ownConstraints(schema);
  const alternatives = branches(schema).filter((b) => !isNull(b) && !isRef(b));
  if (alternatives.length === 1) return ownConstraints(alternatives[0]!);
  return alternatives.flatMap((b) => ownConstraints(b).map((c) => `${typeLabel(b).map((p) => p.text).join("")}: ${c}`));
}

/** The object shape of a schema to expand below its row: the schema, its array items, or its non-null branches. */
function expandable(schema: JsonSchema): JsonSchema[] {
  if (isRef(schema)) return [];
  if (schema.anyOf || schema.oneOf) return branches(schema).filter((b) => !isRef(b) && !isNull(b) && expandable(b).length > 0);
  if (schema.type === "array" && schema.items && !isRef(schema.items)) return expandable(schema.items as JsonSchema);
  if (schema.properties) return [schema];
  const extra = schema.additionalProperties;
  if (extra && typeof extra === "object" && !isRef(extra) && (extra as JsonSchema).properties) return [extra as JsonSchema];
  return [];
}

/**
 * Flattens an object schema into rows, depth-first in the schema's own property order. Nested objects are
 * expanded below their field; fields that are another component (`$ref`) are not (their type links to it); union
 * fields with several object alternatives get one "option n" row per alternative.
 */
export function schemaFields(document: OpenApiDocument, schema: JsonSchema | Reference): FieldRow[] {
  const rows: FieldRow[] = [];
  const root = deref<JsonSchema>(document, schema);
  const walk = (object: JsonSchema, prefix: string, depth: number) => {
    if (depth > MAX_DEPTH) return;
    const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((object.required ?? []) as string[]);
    for (const [name, child] of Object.entries(properties)) {
      const key = prefix ? `${prefix}.${name}` : name;
      rows.push({
        key, name, depth, type: typeLabel(child), required: required.has(name), constraints: constraints(child),
        description: child.description as string | undefined,
      });
      nested(child, key, depth + 1);
    }
  };
  const nested = (child: JsonSchema, key: string, depth: number) => {
    const shapes = expandable(child);
    if (shapes.length === 1) walk(shapes[0]!, key, depth);
    else {
      shapes.forEach((shape, i) => {
        const optionKey = `${key}#${i + 1}`;
        rows.push({ key: optionKey, name: `option ${i + 1}`, depth, type: [{ text: "object" }], required: false, constraints: [], description: shape.description as string | undefined, variant: true });
        walk(shape, optionKey, depth + 1);
      });
    }
  };
  if (root.properties) walk(root, "", 0);
  else nested(root, "", 0);
  return rows;
}

/** True when the schema refuses fields it does not list (additionalProperties: false). */
export function isClosed(document: OpenApiDocument, schema: JsonSchema | Reference): boolean {
  return deref<JsonSchema>(document, schema).additionalProperties === false;
}
