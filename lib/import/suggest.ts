/**
 * Suggested mapping: pairs target fields with source columns by header name (against each target's synonyms) and
 * detected type (a date target only takes a date column, an amount only a number...). Each column fills at most one
 * target and each target takes at most one column, best score first. The mapping screen starts from the result;
 * nothing is imported before a person confirms it.
 */
import { type DetectedColumn, type DetectedType } from "./detect";
import { DEFAULT_NULL_VALUES, type FieldMapping, type ImportMapping } from "./mapping.schema";
import { type ImportKind, type TargetField, type TargetType, targetsFor } from "./targets";

/** "firstName", "First-Name", "first_name " → "first name". */
export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** How well a header names a target: 1 for a synonym, less when a synonym's words are only part of the header. */
export function headerScore(header: string, target: TargetField): number {
  const h = normalizeHeader(header);
  if (h === "") return 0;
  const words = h.split(" ");
  let best = 0;
  for (const synonym of target.synonyms) {
    if (h === synonym || h === synonym.replace(/ /g, "")) return 1;
    const sw = synonym.split(" ");
    if (sw.every((w) => words.includes(w))) best = Math.max(best, 0.45 + 0.45 * (sw.length / words.length));
  }
  return best;
}

const COMPAT: Record<TargetType, Partial<Record<DetectedType, number>>> = {
  id: { id: 1, number: 0.6, text: 0.4, categorical: 0.1, email: 0.3 },
  text: { text: 1, categorical: 1, id: 0.4, email: 0.5, url: 0.5, phone: 0.5, country: 0.6, number: 0.3, boolean: 0.2 },
  email: { email: 1, text: 0.3, categorical: 0.3, id: 0.3 },
  url: { url: 1, text: 0.4, categorical: 0.3 },
  phone: { phone: 1, number: 0.4, text: 0.4, id: 0.3 },
  country: { country: 1, categorical: 0.7, text: 0.5 },
  datetime: { date: 1, datetime: 1 },
  number: { number: 1, money: 0.8 },
  integer: { number: 1 },
  employees: { number: 1, categorical: 0.7, text: 0.6 },
  money: { money: 1, number: 0.9 },
  boolean: { boolean: 1, categorical: 0.5 },
  enum: { categorical: 1, boolean: 0.9, text: 0.4 },
  list: { text: 1, categorical: 1 },
  rep: { email: 0.9, text: 0.9, categorical: 1, id: 0.8 },
  team: { categorical: 1, text: 0.8 },
  route: { categorical: 1, text: 0.6 },
};

/** Fit of a detected column type for a target type, 0–1. */
export function typeScore(target: TargetType, detected: DetectedType): number {
  return COMPAT[target][detected] ?? 0;
}

/** A column with no name match still fills these targets by its type alone (an "E-Mail Adresse" column...). */
const BY_TYPE: Partial<Record<DetectedType, string>> = { email: "email", phone: "phone", url: "website", country: "country" };

export interface Suggestion {
  mapping: ImportMapping;
  /** Target key → score (0–1) of the chosen column. */
  scores: Record<string, number>;
  /** Leads without any date column: received times must be synthesized (or a column chosen). */
  needsReceivedAt: boolean;
}

/**
 * Suggests a mapping for `kind` from detected columns (see the module doc). Date targets get the column's
 * detected format, number targets its decimal separator.
 */
export function suggestMapping(kind: ImportKind, columns: readonly DetectedColumn[]): Suggestion {
  const targets = targetsFor(kind);
  const candidates: Array<{ target: TargetField; column: DetectedColumn; score: number }> = [];
  for (const target of targets) {
    for (const column of columns) {
      if (column.type === "empty") continue;
      const fit = typeScore(target.type, column.type);
      if (fit === 0) continue;
      let name = headerScore(column.name, target);
      if (name === 0 && BY_TYPE[column.type] === target.key) name = 0.7;
      // The external id should be unique: a repeated "id" column is a foreign key, not this row's id.
      const uniqueness = target.key === "external_id" && !column.unique ? 0.5 : 1;
      const score = name * fit * uniqueness;
      if (score >= 0.6) candidates.push({ target, column, score });
    }
  }
  candidates.sort((a, b) => b.score - a.score || a.column.index - b.column.index);
  const fields: Record<string, FieldMapping> = {};
  const scores: Record<string, number> = {};
  const usedColumns = new Set<number>();
  for (const c of candidates) {
    if (fields[c.target.key] !== undefined || usedColumns.has(c.column.index)) continue;
    usedColumns.add(c.column.index);
    const field: FieldMapping = { column: c.column.name };
    if (c.target.type === "datetime" && c.column.format !== undefined) field.format = c.column.format;
    if (c.column.decimal === ",") field.decimal = ",";
    fields[c.target.key] = field;
    scores[c.target.key] = Math.round(c.score * 100) / 100;
  }
  const needsReceivedAt = kind === "leads" && fields.received_at === undefined;
  const mapping: ImportMapping = {
    version: 1,
    kind,
    fields,
    options: { mode: "insert", nullValues: [...DEFAULT_NULL_VALUES], decideRoute: true, unknownOwner: "error" },
  };
  return { mapping, scores, needsReceivedAt };
}
