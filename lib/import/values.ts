/**
 * Cell parsers for numbers, money, booleans and lists. Pure and forgiving about how spreadsheets write numbers,
 * strict about ambiguity: "1,234" is one thousand two hundred thirty-four with a dot decimal, and 1.234 with a
 * comma decimal; a value that fits neither reading is refused rather than guessed.
 */

/** "." (1,234.56) or "," (1.234,56). */
export type DecimalSeparator = "." | ",";

const SPACES = /[\s\u00a0\u2009\u202f']/g;
const DOT_GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const COMMA_GROUPED = /^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$/;
const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a number written with `decimal` as the decimal separator: thousands groups (`,` or `.`, spaces, `'`) are
 * removed; scientific notation is accepted; accounting negatives "(1,234)" too. Null when it is not a number.
 */
export function parseNumber(text: string, decimal: DecimalSeparator = "."): number | null {
  let s = text.trim();
  if (s === "") return null;
  let negative = false;
  if (s.startsWith("(") && s.endsWith(")")) {
    negative = true;
    s = s.slice(1, -1);
  }
  s = s.replace(SPACES, "");
  if (decimal === ".") {
    if (DOT_GROUPED.test(s)) s = s.replace(/,/g, "");
  } else {
    if (COMMA_GROUPED.test(s)) s = s.replace(/\./g, "");
    s = s.replace(",", ".");
  }
  if (!PLAIN.test(s)) return null;
  const n = Number(s);
  if (!Number.isFinite(n)) return null;
  return negative ? -n : n;
}

const SYMBOLS: ReadonlyArray<readonly [string, string | null]> = [
  ["R$", "BRL"], ["US$", "USD"], ["A$", "AUD"], ["C$", "CAD"], ["NZ$", "NZD"], ["HK$", "HKD"], ["S$", "SGD"],
  ["€", "EUR"], ["£", "GBP"], ["₹", "INR"], ["¥", "JPY"], ["₩", "KRW"], ["₽", "RUB"], ["₺", "TRY"], ["₦", "NGN"],
  ["₱", "PHP"], ["฿", "THB"], ["zł", "PLN"], ["kr", null], ["$", null],
];

export interface Money {
  amount: number;
  /** ISO 4217 code when the cell names one ("EUR 1,200", "€1.200", "R$ 50"); null for a bare "$" or none. */
  currency: string | null;
}

/**
 * Parses a money cell: an amount with an optional currency symbol or ISO code before or after it
 * ("$1,234.50", "1.234,50 €", "EUR 99", "R$ 1.500,00"). `$` alone names no currency (it is used by many).
 */
export function parseMoney(text: string, decimal: DecimalSeparator = "."): Money | null {
  let s = text.trim();
  if (s === "") return null;
  let currency: string | null = null;
  const code = /^([A-Z]{3})\s*(.+)$/.exec(s) ?? /^(.+?)\s*([A-Z]{3})$/.exec(s);
  if (code) {
    const [a, b] = [code[1]!, code[2]!];
    if (/^[A-Z]{3}$/.test(a)) {
      currency = a;
      s = b;
    } else {
      currency = b;
      s = a;
    }
  }
  for (const [symbol, iso] of SYMBOLS) {
    const at = s.indexOf(symbol);
    if (at === 0 || (at > 0 && at === s.length - symbol.length)) {
      s = (at === 0 ? s.slice(symbol.length) : s.slice(0, at)).trim();
      if (iso !== null && currency === null) currency = iso;
      break;
    }
  }
  if (s.startsWith("-") && /^-\s/.test(s)) s = `-${s.slice(1).trim()}`;
  const amount = parseNumber(s, decimal);
  return amount === null ? null : { amount, currency };
}

const TRUE = new Set(["true", "t", "yes", "y", "1", "on", "checked", "x", "✓", "ja", "oui", "si", "sí", "sim"]);
const FALSE = new Set(["false", "f", "no", "n", "0", "off", "unchecked", "nein", "non", "não", "nao"]);

/** Yes/No, Y/N, true/false, 1/0, on/off (case-insensitive; a few languages) → boolean; anything else null. */
export function parseBoolean(text: string): boolean | null {
  const s = text.trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return null;
}

/** True when the text reads as a boolean (see parseBoolean). */
export function isBooleanText(text: string): boolean {
  return parseBoolean(text) !== null;
}

/** Splits a list cell on `;`, `|` or `,` (or `separator`), trimming and dropping empty items. */
export function parseList(text: string, separator?: string): string[] {
  const parts = separator ? text.split(separator) : text.split(/[;|,]/);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/** "Direct Traffic" → "direct_traffic": the form channels and other codes are stored in. */
export function toCode(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** "Anna Snelling" → "anna.snelling@domain": an email for people exported without one. Null for an empty name. */
export function emailFromName(name: string, domain: string): string | null {
  const local = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ".")
    .replace(/^\.+|\.+$/g, "");
  return local === "" ? null : `${local}@${domain.toLowerCase()}`;
}

/**
 * A stable 32-bit FNV-1a hash of a string, as a fraction in [0, 1). Used to spread synthetic times
 * deterministically (the same row always lands on the same instant, across runs and resumes).
 */
export function hashFraction(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x1_0000_0000;
}
