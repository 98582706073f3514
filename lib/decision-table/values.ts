/**
 * Reading raw lead facts as column values. Both evaluators (generated code and interpreter), the trace and the
 * static analysis use these functions, so "what a cell sees" has one definition.
 *
 * Contract (per column type; "missing" = undefined, null or ""; a missing fact reads as null, never as a non-match):
 * - string:   strings as-is ("" is missing); finite numbers, bigints and booleans as their text; anything else is
 *             invalid → null.
 * - number:   finite numbers; numeric text ("1200", " 3.5 ", "1e3") → number; NaN/±Infinity, other text → invalid.
 * - boolean:  true/false; the text "true"/"false" (any case, trimmed) → boolean; anything else → invalid.
 * - string[]: arrays of strings (numbers become text; missing elements are dropped); a single string → [string];
 *             an empty set is missing (null).
 * - date:     a calendar day, held as the integer day number since 1970-01-01 (UTC). A valid Date → its UTC day;
 *             text starting with YYYY-MM-DD → that day as written (any time part is ignored). Anything else → invalid.
 * "Invalid" values read as null too; the trace lists them so a wrong-typed fact is visible, not silent.
 */

import { type InputType } from "./schema";

/** A fact as a cell sees it. Dates are day numbers. */
export type ColumnValue = string | number | boolean | readonly string[] | null;

const MS_PER_DAY = 86_400_000;
const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/u;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})/u;

/** Reads a string-column fact. */
export function normalizeString(v: unknown): string | null {
  if (typeof v === "string") return v === "" ? null : v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : null;
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  return null;
}

/** Reads a number-column fact. */
export function normalizeNumber(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string") {
    const t = v.trim();
    if (!NUMERIC_TEXT.test(t)) return null;
    const n = Number(t);
    return Number.isFinite(n) ? n : null;
  }
  if (typeof v === "bigint") {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : null;
  }
  return null;
}

/** Reads a boolean-column fact. */
export function normalizeBoolean(v: unknown): boolean | null {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    const t = v.trim().toLowerCase();
    if (t === "true") return true;
    if (t === "false") return false;
  }
  return null;
}

/** Reads a string-set fact. Returns the array itself when it is already clean (no copy on the hot path). */
export function normalizeStringSet(v: unknown): readonly string[] | null {
  if (typeof v === "string") return v === "" ? null : [v];
  if (!Array.isArray(v)) return null;
  let clean = true;
  for (const x of v) {
    if (typeof x !== "string" || x === "") {
      clean = false;
      break;
    }
  }
  if (clean) return v.length === 0 ? null : (v as string[]);
  const out: string[] = [];
  for (const x of v) {
    const s = normalizeString(x);
    if (s !== null) out.push(s);
  }
  return out.length === 0 ? null : out;
}

/** The day number of a calendar date, or null when y-m-d is not a real date. */
export function dayNumber(year: number, month: number, day: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return Math.round(ms / MS_PER_DAY);
}

/** Day number of text starting with YYYY-MM-DD, or null. */
export function dayNumberFromIso(text: string): number | null {
  const m = ISO_DAY.exec(text);
  if (m === null) return null;
  return dayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** YYYY-MM-DD of a day number. */
export function isoFromDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Reads a date-column fact as a day number. */
export function normalizeDate(v: unknown): number | null {
  if (typeof v === "string") return dayNumberFromIso(v.trim());
  if (v instanceof Date) {
    const t = v.getTime();
    return Number.isFinite(t) ? Math.floor(t / MS_PER_DAY) : null;
  }
  return null;
}

/** The reader for a column type. */
export function normalizerFor(type: InputType): (v: unknown) => ColumnValue {
  switch (type) {
    case "string":
      return normalizeString;
    case "number":
      return normalizeNumber;
    case "boolean":
      return normalizeBoolean;
    case "string[]":
      return normalizeStringSet;
    case "date":
      return normalizeDate;
  }
}

/** True when a raw fact counts as missing (undefined, null, "" or an empty array). */
export function isMissing(v: unknown): boolean {
  return v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
}

/** A column value for people and JSON: dates as YYYY-MM-DD, everything else unchanged. */
export function displayValue(type: InputType, v: ColumnValue): unknown {
  return type === "date" && typeof v === "number" ? isoFromDayNumber(v) : v;
}

/** A value as it would be written in a cell: 'text', 42, true, date("2026-01-31"), null, ['a', 'b']. */
export function formatValue(type: InputType, v: ColumnValue): string {
  if (v === null) return "null";
  if (type === "date" && typeof v === "number") return `date("${isoFromDayNumber(v)}")`;
  if (typeof v === "string") return quote(v);
  if (Array.isArray(v)) return `[${v.map((x: string) => quote(x)).join(", ")}]`;
  return String(v);
}

/** A string in single quotes with ' and \ escaped (the cell syntax). */
export function quote(s: string): string {
  return `'${s.replace(/[\\']/gu, (c) => `\\${c}`)}'`;
}
