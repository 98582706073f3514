/**
 * Company size ("employees") as typed into forms and CRM exports: "1-10", "51–200", "1,000+", "5000", "5k",
 * "10K+", "<10", "less than 50", "500 or more", "1 000", "Just me", 250.
 *
 * Contract: a closed range gives its midpoint (rounded down: "51-200" → 125), an open range gives its lower
 * bound ("1,000+" → 1000; "<10" is read as 1–9 → 5), a single number gives itself. The midpoint keeps ranges in
 * the band they mean ("201-500" → 350 → "200-999"); the lower bound of an open range is the only figure that
 * is known to be true. `min`/`max` keep the range itself for display.
 */

import { z } from "zod";

export const EMPLOYEE_BANDS = ["1-9", "10-49", "50-199", "200-999", "1000+"] as const;
export const EmployeeBand = z.enum(EMPLOYEE_BANDS);
export type EmployeeBand = z.infer<typeof EmployeeBand>;

/** A parsed company size. */
export interface EmployeeCount {
  /** The number used for scoring and banding (see module doc). */
  count: number;
  /** Lower bound of the range as given. */
  min: number;
  /** Upper bound of the range as given, null when open-ended. */
  max: number | null;
  band: EmployeeBand;
}

/** The size band of a head count (values below 10, including 0 and negatives, are "1-9"). */
export function employeeBand(count: number): EmployeeBand {
  if (count >= 1000) return "1000+";
  if (count >= 200) return "200-999";
  if (count >= 50) return "50-199";
  if (count >= 10) return "10-49";
  return "1-9";
}

/** Reads "1,000", "1.000", "1 000", "1000", "5k", "1.5k", "2m" as a whole number; null otherwise. */
function readNumber(token: string): number | null {
  const m = /^(\d+(?:[.,]\d+)?)\s*([km])?$/u.exec(token);
  if (m?.[1] === undefined) {
    // Thousands separators: groups of exactly three digits after the first group.
    const grouped = /^\d{1,3}(?:[,.\s\u00A0\u202F']\d{3})+$/u.exec(token);
    return grouped === null ? null : Number(token.replace(/\D/gu, ""));
  }
  const digits = m[1];
  const unit = m[2];
  if (unit === undefined) {
    // "1,000" or "1.000" is a thousands separator (employees are whole); "1,5" or "2.5" is not a head count.
    if (/^\d{1,3}[.,]\d{3}$/u.test(digits)) return Number(digits.replace(/[.,]/u, ""));
    return /^\d+$/u.test(digits) ? Number(digits) : null;
  }
  const value = Number(digits.replace(",", ".")) * (unit === "k" ? 1_000 : 1_000_000);
  return Number.isFinite(value) ? Math.round(value) : null;
}

const SOLO = /^(?:just me|only me|me|myself|solo|self[- ]?employed|freelancer?|sole trader|sole proprietor|one|1 person)$/u;

function build(min: number, max: number | null): EmployeeCount | null {
  if (!Number.isFinite(min) || min < 0 || (max !== null && (!Number.isFinite(max) || max < min || max === 0))) {
    return null; // a head count of 0 is "unknown" in CRM exports, not a company
  }
  const lower = Math.max(1, min);
  const count = max === null ? lower : Math.floor((lower + Math.max(lower, max)) / 2);
  return { count, min: lower, max: max === null ? null : Math.max(lower, max), band: employeeBand(count) };
}

/**
 * Parses a company-size value (see module doc) into a count, the range and a size band. Returns null for
 * values that are not a size ("Enterprise", "n/a", "", negative numbers). Never throws.
 */
export function parseEmployees(raw: unknown): EmployeeCount | null {
  if (typeof raw === "number") return Number.isFinite(raw) && raw >= 0 ? build(Math.floor(raw), Math.floor(raw)) : null;
  if (typeof raw !== "string") return null;
  let s = raw
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\b(?:employees?|people|staff|persons?|mitarbeiter(?:innen)?|empleados|employés|fte|ftes|emp)\b\.?/gu, "")
    .replace(/[\u2010-\u2015\u2212]/gu, "-")
    .trim();
  if (s === "") return null;
  if (SOLO.test(s)) return build(1, 1);
  s = s.replace(/\s+/gu, " ");
  let m = /^(?:>=|>|≥|more than|over|above|at least)\s*(.+)$/u.exec(s);
  if (m?.[1] !== undefined) {
    const n = readNumber(m[1].trim());
    return n === null ? null : build(s.startsWith(">") && !s.startsWith(">=") ? n + 1 : n, null);
  }
  m = /^(.+?)\s*(?:\+|or more|and (?:above|more|up)|plus)$/u.exec(s);
  if (m?.[1] !== undefined) {
    const n = readNumber(m[1].trim());
    return n === null ? null : build(n, null);
  }
  m = /^(?:<=|<|≤|less than|fewer than|under|below|up to)\s*(.+)$/u.exec(s);
  if (m?.[1] !== undefined) {
    const n = readNumber(m[1].trim());
    if (n === null) return null;
    const inclusive = s.startsWith("<=") || s.startsWith("≤") || s.startsWith("up to");
    return build(1, inclusive ? n : n - 1);
  }
  m = /^(.+?)\s*(?:-|to|–|~|bis|a)\s*(.+)$/u.exec(s);
  if (m?.[1] !== undefined && m[2] !== undefined) {
    const lo = readNumber(m[1].trim());
    const hi = readNumber(m[2].trim());
    if (lo !== null && hi !== null) return build(lo, hi);
  }
  const n = readNumber(s);
  return n === null ? null : build(n, n);
}
