/**
 * Type detection from a sample of rows: what each column holds (email, url/domain, phone, country, date or
 * date-time with its format, number, money, boolean, categorical, id, text), with sample values for the mapping
 * screen. Heuristics, checked in this order, each on the column's non-empty sample values:
 *
 *   empty        no value at all
 *   boolean      every value reads as yes/no, true/false, 1/0 (at most two distinct spellings)
 *   date(time)   ≥ 95% parse with one detected format (see detectDateFormat; DD/MM vs MM/DD from the sample)
 *   email        ≥ 90% look like addresses
 *   url          ≥ 90% look like URLs or domain names
 *   number       ≥ 95% parse as numbers (dot decimal, else comma decimal); unique integers under an id-like
 *                header are an id; a currency symbol or a money-like header makes it money
 *   money        ≥ 95% parse as amounts with a currency symbol or code
 *   phone        ≥ 90% are 7–15 digits with phone punctuation, and half of them have "+" or separators
 *   country      ≥ 80% resolve to a country (names in many languages, ISO codes)
 *   id           every value unique and token-like (no spaces, 4+ characters), with a digit in each or an
 *                id-like header ("... id", "number", "key", "code")
 *   categorical  few distinct values (≤ 30 and at most half the values; in a sample under 20 values, short
 *                labels of at most four words)
 *   text         anything else
 */
import { toCountryCode } from "../lead/country";
import { detectDateFormat } from "./dates";
import { type DecimalSeparator, isBooleanText, parseMoney, parseNumber } from "./values";

export const DETECTED_TYPES = [
  "empty", "boolean", "date", "datetime", "email", "url", "phone", "country", "number", "money", "id", "categorical", "text",
] as const;
export type DetectedType = (typeof DETECTED_TYPES)[number];

export interface DetectedColumn {
  index: number;
  name: string;
  type: DetectedType;
  /** Date columns: the detected format (luxon tokens, or "iso"). */
  format?: string;
  /** Date columns: day and month order could not be told from the sample. */
  ambiguous?: boolean;
  /** Date columns: the other reading when ambiguous. */
  alternativeFormat?: string;
  /** Number and money columns: the decimal separator. */
  decimal?: DecimalSeparator;
  /** Non-empty values in the sample. */
  nonEmpty: number;
  /** Distinct non-empty values in the sample. */
  distinct: number;
  /** Every non-empty sample value is different. */
  unique: boolean;
  /** Up to 5 distinct sample values, in order of appearance. */
  samples: string[];
  /** All distinct values with counts (most frequent first) when there are at most 30: for value maps. */
  values?: Array<{ value: string; count: number }>;
}

export interface DetectOptions {
  /** Values read as empty (default: the mapping's default null values). */
  nullValues?: readonly string[];
  /** Zone used to validate dates (any zone gives the same verdicts). */
  zone?: string;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}$/;
const URL_LIKE = /^(?:https?:\/\/)?(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}(?::\d+)?(?:[/?#]\S*)?$/i;
const PHONE = /^\+?[\d\s().\-/]{7,24}$/;
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9_\-:.]{3,}$/;
const ID_HEADER = /(^|[^a-z])(id|ids|uuid|key|number|no|nr|num|code|ref|reference)($|[^a-z])/i;
const MONEY_HEADER = /amount|value|revenue|price|cost|deal|arr|mrr|budget|spend|pipeline/i;
const CURRENCY = /[$€£¥₹₩₽₺₦₱฿]|\b[A-Z]{3}\b/;
const MAX_VALUES = 30;

function share(values: readonly string[], test: (v: string) => boolean): number {
  if (values.length === 0) return 0;
  let n = 0;
  for (const v of values) if (test(v)) n++;
  return n / values.length;
}

/** Detects one column's type from its sample cells (see the module doc). */
export function detectColumn(name: string, index: number, cells: readonly string[], options: DetectOptions = {}): DetectedColumn {
  const nulls = new Set((options.nullValues ?? ["", "null", "NULL", "n/a", "N/A", "#N/A", "-", "--"]).map((v) => v.trim()));
  const values: string[] = [];
  for (const c of cells) {
    const v = c.trim();
    if (!nulls.has(v)) values.push(v);
  }
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const distinct = counts.size;
  const base: DetectedColumn = {
    index,
    name,
    type: "text",
    nonEmpty: values.length,
    distinct,
    unique: values.length > 0 && distinct === values.length,
    samples: [...counts.keys()].slice(0, 5),
    ...(distinct > 0 && distinct <= MAX_VALUES
      ? { values: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([value, count]) => ({ value, count })) }
      : {}),
  };
  if (values.length === 0) return { ...base, type: "empty" };

  const lowered = new Set(values.map((v) => v.toLowerCase()));
  if (lowered.size <= 2 && values.every(isBooleanText)) return { ...base, type: "boolean" };

  const date = detectDateFormat(values, options.zone ?? "UTC");
  if (date) {
    return {
      ...base,
      type: date.hasTime ? "datetime" : "date",
      format: date.format,
      ...(date.ambiguous ? { ambiguous: true, alternativeFormat: date.alternative } : {}),
    };
  }

  if (share(values, (v) => EMAIL.test(v)) >= 0.9) return { ...base, type: "email" };
  const numericDot = share(values, (v) => parseNumber(v, ".") !== null);
  // A bare domain must be lowercase ("acme.com"): "02.Medium" or "Mr.Smith" are not websites.
  const urlLike = (v: string) => URL_LIKE.test(v) && parseNumber(v, ".") === null && (/^(https?:\/\/|www\.)/i.test(v) || v === v.toLowerCase());
  if (share(values, urlLike) >= 0.9) return { ...base, type: "url" };

  const numericComma = numericDot >= 0.95 ? 0 : share(values, (v) => parseNumber(v, ",") !== null);
  if (numericDot >= 0.95 || numericComma >= 0.95) {
    const decimal: DecimalSeparator = numericDot >= 0.95 ? "." : ",";
    const integers = values.every((v) => /^\d+$/.test(v));
    if (integers && base.unique && ID_HEADER.test(name)) return { ...base, type: "id" };
    if (MONEY_HEADER.test(name)) return { ...base, type: "money", decimal };
    return { ...base, type: "number", decimal };
  }
  const moneyDot = share(values, (v) => parseMoney(v, ".") !== null);
  const moneyComma = moneyDot >= 0.95 ? 0 : share(values, (v) => parseMoney(v, ",") !== null);
  if ((moneyDot >= 0.95 || moneyComma >= 0.95) && share(values, (v) => CURRENCY.test(v)) >= 0.5) {
    return { ...base, type: "money", decimal: moneyDot >= 0.95 ? "." : "," };
  }

  const phoneLike = (v: string) => {
    if (!PHONE.test(v)) return false;
    const digits = v.replace(/\D/g, "").length;
    return digits >= 7 && digits <= 15;
  };
  if (share(values, phoneLike) >= 0.9 && share(values, (v) => /^\+|[\s().\-/]/.test(v)) >= 0.5) return { ...base, type: "phone" };

  if (share(values, (v) => toCountryCode(v) !== null) >= 0.8) return { ...base, type: "country" };

  // Ids are codes: a digit in every value (hashes, uuids, "1C1I7A6R") or an id-like header; "Acme" is a name.
  if (base.unique && values.length >= 2 && values.every((v) => TOKEN.test(v)) && (ID_HEADER.test(name) || values.every((v) => /\d/.test(v)))) {
    return { ...base, type: "id" };
  }

  // Few distinct values; in a small sample, few short values (a label, not prose).
  const short = values.every((v) => v.length <= 40 && v.split(/\s+/).length <= 4);
  if (distinct <= MAX_VALUES && (distinct <= Math.max(2, values.length / 2) || (values.length < 20 && short))) return { ...base, type: "categorical" };
  return base;
}

/**
 * Detects every column of a sample: `rows` are data rows (cells in header order; short rows read as empty
 * cells). The sample is typically the first 1,000 rows of the file.
 */
export function detectColumns(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, options: DetectOptions = {}): DetectedColumn[] {
  return headers.map((name, index) => detectColumn(name, index, rows.map((r) => r[index] ?? ""), options));
}

/**
 * Guesses the delimiter from the header line (outside quotes): the most frequent of `,` `;` tab `|`; `,` when
 * none occurs.
 */
export function detectDelimiter(headerLine: string): "," | ";" | "\t" | "|" {
  const counts = { ",": 0, ";": 0, "\t": 0, "|": 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  let best: keyof typeof counts = ",";
  for (const k of Object.keys(counts) as Array<keyof typeof counts>) if (counts[k] > counts[best]) best = k;
  return best;
}
