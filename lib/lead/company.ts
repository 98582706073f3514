/**
 * Company names: normalisation for matching, and a fast fuzzy similarity used to match a lead's company to an
 * account name when no domain matches.
 *
 * Similarity = mean of (a) the Sørensen–Dice coefficient over character trigrams and (b) Jaro–Winkler, both on
 * the normalised names with their tokens sorted (so word order does not matter: "Bank of America" ~ "America
 * Bank"). Dice punishes different words ("Oracle" vs "Orange" ≈ 0.6 overall) while Jaro–Winkler forgives typos
 * ("Microsft" vs "Microsoft" ≈ 0.9). Written here rather than pulled from a string-similarity package because
 * matching one lead against thousands of accounts wants precomputed trigram profiles (see
 * {@link prepareCompanyName}), which those packages do not expose.
 *
 * Guidance for callers: ≥ 0.92 is the same name up to typos/order; 0.8–0.92 is a likely match worth a human
 * glance; below 0.75 treat as different.
 */

import { foldKey } from "./text";

/**
 * Legal-form suffixes removed from the end of a name (matched as whole token sequences after punctuation is
 * removed, longest first). Dotted forms ("S.A.", "B.V.", "s.r.o.") are joined before matching.
 */
const LEGAL_SUFFIXES: readonly string[] = [
  "gmbh co kg", "gmbh and co kg", "ag co kg", "sp z oo", "s de rl de cv", "sa de cv", "s de rl", "pty ltd",
  "pte ltd", "pvt ltd", "private limited", "co ltd", "sdn bhd", "kabushiki kaisha", "public limited company",
  "limited liability company", "llc", "l l c", "inc", "incorporated", "ltd", "limited", "plc", "corp",
  "corporation", "co", "company", "llp", "lp", "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "ug", "ev", "se", "sa",
  "sas", "sasu", "sarl", "eurl", "sca", "srl", "spa", "sl", "slu", "bv", "nv", "vof", "cv", "ab", "asa", "as",
  "aps", "oy", "oyj", "kk", "pte", "pty", "pvt", "bhd", "tbk", "ooo", "oao", "zao", "pao", "ltda", "eireli",
  "me", "epp", "sro", "spol sro", "kft", "zrt", "nyrt", "doo", "dd", "ad", "ead", "eood", "sp", "spzoo",
  "gk", "yk", "lda", "ulc", "pc", "pllc", "sc", "ltda me", "sab de cv", "sapi de cv", "sab", "株", "주",
  "ооо", "оао", "зао", "пао", "ао", "ип", "aktiengesellschaft", "gesellschaft mit beschrankter haftung",
  "kommanditgesellschaft", "societe anonyme", "sociedad anonima", "societa per azioni", "naamloze vennootschap",
  "besloten vennootschap", "aktiebolag", "aktieselskab", "osakeyhtio", "sociedade anonima",
];

/** Legal forms that come first in some countries ("PT Telkom", "OOO Yandex"). */
const LEGAL_PREFIXES: ReadonlySet<string> = new Set([
  "pt", "cv", "ooo", "oao", "zao", "pao", "ооо", "оао", "зао", "пао", "ип", "株", "주",
]);

/**
 * CJK legal forms, removed as affixes of the first/last token (these scripts use no spaces). "(株)" and "(주)"
 * become the tokens "株"/"주" once punctuation is removed and are handled as prefixes/suffixes above.
 */
const CJK_LEGAL = ["股份有限公司", "有限责任公司", "有限公司", "株式会社", "有限会社", "合同会社", "주식회사", "유한회사"];

/** Strips one CJK legal form from the end of the last token or the start of the first; null if none. */
function stripCjkLegal(tokens: readonly string[]): string[] | null {
  const last = tokens[tokens.length - 1] ?? "";
  const first = tokens[0] ?? "";
  for (const form of CJK_LEGAL) {
    if (last.length > form.length && last.endsWith(form)) return [...tokens.slice(0, -1), last.slice(0, -form.length)];
    if (first.length > form.length && first.startsWith(form)) return [first.slice(form.length), ...tokens.slice(1)];
    if (tokens.length > 1 && last === form) return tokens.slice(0, -1);
    if (tokens.length > 1 && first === form) return tokens.slice(1);
  }
  return null;
}

/** Words that carry no identity in a company name. */
const STOP_WORDS: ReadonlySet<string> = new Set(["the", "and", "of", "und", "et", "y", "e", "der", "die", "das", "le", "la", "les", "el"]);

const SUFFIX_TOKENS: readonly (readonly string[])[] = [...new Set(LEGAL_SUFFIXES)]
  .map((s) => s.split(" "))
  .sort((a, b) => b.length - a.length);

function endsWithTokens(tokens: readonly string[], suffix: readonly string[]): boolean {
  if (suffix.length >= tokens.length) return false; // never strip the whole name ("AG" stays "ag")
  for (let i = 1; i <= suffix.length; i++) {
    if (tokens[tokens.length - i] !== suffix[suffix.length - i]) return false;
  }
  return true;
}

/**
 * Normalises a company name for matching (not for display): folds case and Latin diacritics, "&"/"+" → "and",
 * drops a trailing TLD of domain-like names ("Booking.com" → "booking"), joins dotted abbreviations
 * ("S.A." → "sa"), removes punctuation, CJK legal forms (株式会社, 有限公司...), leading "the" and legal-form
 * prefixes/suffixes (Inc, LLC, Ltd, GmbH, S.A., B.V., AG, Pty Ltd, plc, Corp, OOO, PT... repeatedly:
 * "Acme Holdings Co., Ltd." → "acme holdings"). Never empties a name that is only a legal form. Idempotent.
 */
export function normalizeCompanyName(name: string): string {
  const s = foldKey(name)
    .normalize("NFKC")
    .replace(/[&+]/gu, " and ")
    .replace(/\b([\p{L}\p{N}-]{2,})\.(?:com|net|org|io|ai|co|app|dev|tech|inc)\b/gu, "$1")
    .replace(/(?:^|(?<=[\s,(]))((?:\p{L}\.){2,})/gu, (m) => m.replace(/\./gu, ""))
    .replace(/['’`´]/gu, "")
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, " ")
    .trim();
  let tokens = s === "" ? [] : s.split(" ");
  let changed = true;
  while (changed) {
    changed = false;
    for (const suffix of SUFFIX_TOKENS) {
      if (endsWithTokens(tokens, suffix)) {
        tokens = tokens.slice(0, tokens.length - suffix.length);
        changed = true;
        break;
      }
    }
    if (tokens.length > 1 && (tokens[0] === "the" || LEGAL_PREFIXES.has(tokens[0] ?? ""))) {
      tokens = tokens.slice(1);
      changed = true;
    }
    const cjk = stripCjkLegal(tokens);
    if (cjk !== null) {
      tokens = cjk;
      changed = true;
    }
    // A trailing "and" left by "Smith & Co" ("smith and"); inside the loop, since what it uncovers may be a legal
    // form in turn ("The 0 Dd& Inc." → "0 dd and" → "0 dd" → "0"), or a second pass would strip it.
    if (tokens.length > 1 && tokens[tokens.length - 1] === "and") {
      tokens = tokens.slice(0, -1);
      changed = true;
    }
  }
  return tokens.join(" ");
}

/** A company name prepared for repeated comparison: normalised, tokens sorted, trigram profile built. */
export interface PreparedCompanyName {
  /** Output of {@link normalizeCompanyName}. */
  normalized: string;
  /** Sorted identity tokens (stop words removed), joined by one space. */
  sorted: string;
  /** Trigram → count over the sorted form. */
  trigrams: ReadonlyMap<string, number>;
  /** Total trigram count. */
  trigramCount: number;
}

function trigramProfile(s: string): Map<string, number> {
  const padded = `  ${s} `;
  const grams = new Map<string, number>();
  const chars = Array.from(padded);
  for (let i = 0; i + 3 <= chars.length; i++) {
    const g = `${chars[i]}${chars[i + 1]}${chars[i + 2]}`;
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return grams;
}

/** Normalises and indexes a company name once, for many {@link similarityOfPrepared} calls. */
export function prepareCompanyName(name: string): PreparedCompanyName {
  const normalized = normalizeCompanyName(name);
  const tokens = normalized.split(" ").filter((t) => t !== "");
  const identity = tokens.filter((t) => !STOP_WORDS.has(t));
  const sorted = (identity.length > 0 ? identity : tokens).sort().join(" ");
  const trigrams = trigramProfile(sorted);
  let trigramCount = 0;
  for (const n of trigrams.values()) trigramCount += n;
  return { normalized, sorted, trigrams, trigramCount: sorted === "" ? 0 : trigramCount };
}

/** Jaro–Winkler similarity of two strings (prefix scale 0.1, prefix up to 4), by UTF-16 code units. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const aMatched = new Uint8Array(la);
  const bMatched = new Uint8Array(lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(lb - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] === 0 && a.charCodeAt(i) === b.charCodeAt(j)) {
        aMatched[i] = 1;
        bMatched[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (aMatched[i] === 0) continue;
    while (bMatched[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Similarity in [0, 1] of two prepared names (see module doc). 1 for equal normalised names. */
export function similarityOfPrepared(a: PreparedCompanyName, b: PreparedCompanyName): number {
  if (a.sorted === "" || b.sorted === "") return 0;
  if (a.sorted === b.sorted) return 1;
  let shared = 0;
  const [small, large] = a.trigrams.size <= b.trigrams.size ? [a.trigrams, b.trigrams] : [b.trigrams, a.trigrams];
  for (const [gram, n] of small) {
    const other = large.get(gram);
    if (other !== undefined) shared += Math.min(n, other);
  }
  const dice = (2 * shared) / (a.trigramCount + b.trigramCount);
  const jw = jaroWinkler(a.sorted.replace(/ /gu, ""), b.sorted.replace(/ /gu, ""));
  return Math.min(1, Math.max(0, (dice + jw) / 2));
}

/**
 * Fuzzy similarity in [0, 1] of two company names after {@link normalizeCompanyName}: 1 when they normalise
 * equally ("ACME, Inc." vs "Acme LLC"), 0 when either is empty. Symmetric. ~5 µs per pair; for one-to-many
 * matching prepare the account names once with {@link prepareCompanyName} (~0.3 µs per prepared pair).
 */
export function companyNameSimilarity(a: string, b: string): number {
  return similarityOfPrepared(prepareCompanyName(a), prepareCompanyName(b));
}
