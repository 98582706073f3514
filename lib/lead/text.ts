/**
 * Unicode hygiene shared by the lead normalisers.
 *
 * Form fields arrive with copy-paste debris: zero-width spaces, byte-order marks, bidi controls, soft hyphens,
 * non-breaking and ideographic spaces. These helpers remove what is invisible and meaningless while keeping
 * what carries meaning (combining marks, emoji sequences, ZWJ/ZWNJ inside Indic, Arabic-script or emoji text).
 */

/** Always-invisible format characters that never carry meaning in a name, email or company field. */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

/** Unicode spaces (NBSP, en/em spaces, narrow NBSP, ideographic space, ...) that should read as a plain space. */
const UNICODE_SPACE = /[\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/gu;

/** C0/C1 control characters other than tab and newline (matching them is the point of this regex). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu;

function isJoinerKept(prev: string | undefined, next: string | undefined): boolean {
  if (prev === undefined || next === undefined) return false;
  const p = prev.codePointAt(0) ?? 0;
  const n = next.codePointAt(0) ?? 0;
  return p > 0x7f && n > 0x7f && !/\s/u.test(prev) && !/\s/u.test(next);
}

/**
 * Removes invisible format characters (see module doc). ZWNJ (U+200C) and ZWJ (U+200D) shape Persian, Indic and
 * emoji text, so they survive between two non-ASCII, non-space characters; next to ASCII, whitespace or at
 * either end they are debris and are removed. Does not trim.
 */
export function stripInvisible(input: string): string {
  let out = input.replace(INVISIBLE, "");
  if (out.includes("\u200C") || out.includes("\u200D")) {
    const chars = Array.from(out);
    out = chars
      .filter((ch, i) => (ch !== "\u200C" && ch !== "\u200D") || isJoinerKept(chars[i - 1], chars[i + 1]))
      .join("");
  }
  return out;
}

/**
 * Cleans a single-line field (name, company, title): controls and Unicode spaces turned into plain spaces,
 * invisible characters removed, whitespace collapsed, trimmed, then NFC (last, so that removing a zero-width
 * character between a letter and its combining mark still composes). Returns "" for nothing left. Idempotent.
 */
export function cleanLine(input: string): string {
  return stripInvisible(input.replace(CONTROL, " ").replace(UNICODE_SPACE, " "))
    .replace(/\s+/gu, " ")
    .trim()
    .normalize("NFC");
}

/**
 * Cleans free text (message, use case): CRLF/CR to LF, other controls removed, Unicode spaces to plain spaces,
 * invisible characters removed, trailing spaces per line and runs of 3+ blank lines squeezed, trimmed, NFC.
 * Idempotent.
 */
export function cleanText(input: string): string {
  return stripInvisible(input.replace(/\r\n?/gu, "\n").replace(CONTROL, "").replace(UNICODE_SPACE, " "))
    .replace(/[ \t]+\n/gu, "\n")
    .replace(/\n{3,}/gu, "\n\n")
    .trim()
    .normalize("NFC");
}

/** Letters that do not decompose under NFKD but have an obvious ASCII fold for matching keys. */
const EXTRA_FOLDS: Record<string, string> = {
  ß: "ss", ẞ: "ss", æ: "ae", Æ: "ae", œ: "oe", Œ: "oe", ø: "o", Ø: "o", đ: "d", Đ: "d", ł: "l", Ł: "l",
  ı: "i", ħ: "h", Ħ: "h", þ: "th", Þ: "th", ð: "d", Ð: "d",
};
const EXTRA_FOLD_RE = /[ßẞæÆœŒøØđĐłŁıħĦþÞðÐ]/gu;

/**
 * A matching key for human text: NFKD, Latin/Greek/Cyrillic combining diacritics (U+0300–U+036F) dropped,
 * a few non-decomposing letters folded (ß→ss, ø→o, ł→l...), lowercased, NFC, invisible characters removed.
 * Marks of other scripts (Devanagari vowel signs, Hebrew points...) are kept because they are letters there.
 * Not for display. Idempotent.
 */
export function foldKey(input: string): string {
  return stripInvisible(input)
    .normalize("NFKD")
    .replace(/[\u0300-\u036F]/gu, "")
    .replace(EXTRA_FOLD_RE, (ch) => EXTRA_FOLDS[ch] ?? ch)
    .toLowerCase()
    .normalize("NFC");
}

/**
 * Turns an unknown form value into trimmed text, or null when empty. Numbers and booleans are stringified
 * (CSV and JSON senders disagree about types); objects and arrays are not text and give null.
 */
export function toText(value: unknown): string | null {
  if (typeof value === "string") {
    const s = cleanLine(value);
    return s === "" ? null : s;
  }
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : null;
  if (typeof value === "boolean") return String(value);
  return null;
}

/** Like {@link toText} but for multi-line free text (keeps line breaks). */
export function toFreeText(value: unknown): string | null {
  if (typeof value !== "string") return toText(value);
  const s = cleanText(value);
  return s === "" ? null : s;
}

/** Length of a string in UTF-8 bytes (no TextEncoder needed; lib/ has no DOM types). */
export function utf8Length(input: string): number {
  let bytes = 0;
  for (const ch of input) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}
