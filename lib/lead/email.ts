/**
 * Email syntax, normalisation and dedupe canonicalisation.
 *
 * What is accepted (a practical subset of RFC 5321/5322 plus RFC 6531 internationalised addresses):
 * - exactly one "@"; no whitespace; at most 254 characters overall;
 * - local part: a dot-atom (no leading, trailing or doubled dot) of RFC 5322 `atext`
 *   (`A–Z a–z 0–9 ! # $ % & ' * + / = ? ^ _ \` { | } ~ -`) or Unicode letters, marks and digits; at most 64
 *   UTF-8 bytes. Quoted local parts ("john doe"@x), comments and emoji are rejected: real form submissions
 *   never need them and they are a junk signal;
 * - domain: a host name with at least two labels (see {@link isValidHostname}); IDN labels are checked as
 *   Unicode (no punycode), `xn--` labels are accepted; IP literals (`[1.2.3.4]`) and single-label hosts are
 *   rejected.
 * Before checking, the input is cleaned: invisible characters dropped, `Name <addr>` and `mailto:` unwrapped,
 * NFKC applied (full-width `ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ` becomes ASCII), trailing dots of the domain removed.
 */

import { isValidHostname, mapHost } from "./domain";
import { cleanLine, utf8Length } from "./text";

/** Why an address was rejected. */
export type EmailProblem =
  | "empty"
  | "no_at"
  | "multiple_at"
  | "contains_space"
  | "local_empty"
  | "local_too_long"
  | "local_invalid"
  | "domain_invalid"
  | "too_long";

/** A syntactically valid, normalised address. */
export interface ParsedEmail {
  /** Lowercased local part + "@" + mapped domain: the stored, normalised address. */
  address: string;
  /** Local part as typed (case kept) + "@" + mapped domain: the address to show and to send to. */
  original: string;
  /** Local part as typed (case kept). Some mail systems are case-sensitive; this is what was given. */
  localOriginal: string;
  /** Lowercased local part. */
  local: string;
  /** Mapped (NFKC, lowercase, no trailing dot) domain. */
  domain: string;
}

export type EmailParseResult =
  | { ok: true; email: ParsedEmail }
  | { ok: false; problem: EmailProblem; message: string; original: string };

const LOCAL_PART = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;

const PROBLEM_TEXT: Record<EmailProblem, string> = {
  empty: "Email is empty.",
  no_at: "Email has no @.",
  multiple_at: "Email has more than one @ (quoted local parts are not accepted).",
  contains_space: "Email contains whitespace.",
  local_empty: "Email has nothing before the @.",
  local_too_long: "The part before the @ is longer than 64 bytes.",
  local_invalid: "The part before the @ has characters or dots that are not allowed.",
  domain_invalid: "The domain after the @ is not a valid host name.",
  too_long: "Email is longer than 254 characters.",
};

/** Cleans a raw email value: invisible characters, `Name <addr>`, `mailto:`, NFKC. Does not validate. */
function cleanEmailInput(raw: string): string {
  let s = cleanLine(raw);
  const angle = /<([^<>]*)>\s*$/u.exec(s);
  if (angle?.[1] !== undefined) s = angle[1].trim();
  if (/^mailto:/iu.test(s)) s = s.slice("mailto:".length).replace(/\?.*$/u, "");
  return s.normalize("NFKC");
}

/**
 * Parses and validates an email address (see module doc for what is accepted) and returns its normalised form
 * or the first problem found. Never throws.
 */
export function parseEmail(raw: string): EmailParseResult {
  const original = cleanEmailInput(raw);
  const fail = (problem: EmailProblem): EmailParseResult => ({
    ok: false,
    problem,
    message: PROBLEM_TEXT[problem],
    original,
  });
  if (original === "") return fail("empty");
  if (/\s/u.test(original)) return fail("contains_space");
  const at = original.indexOf("@");
  if (at === -1) return fail("no_at");
  if (original.indexOf("@", at + 1) !== -1) return fail("multiple_at");
  const localOriginal = original.slice(0, at);
  const domain = mapHost(original.slice(at + 1));
  if (localOriginal === "") return fail("local_empty");
  if (utf8Length(localOriginal) > 64) return fail("local_too_long");
  if (!LOCAL_PART.test(localOriginal)) return fail("local_invalid");
  if (!isValidHostname(domain)) return fail("domain_invalid");
  const local = localOriginal.toLowerCase();
  const address = `${local}@${domain}`;
  if (address.length > 254) return fail("too_long");
  return { ok: true, email: { address, original: `${localOriginal}@${domain}`, localOriginal, local, domain } };
}

/** True when {@link parseEmail} accepts the address. */
export function isValidEmail(raw: string): boolean {
  return parseEmail(raw).ok;
}

/**
 * The normalised address (trimmed, cleaned, lowercased local part and domain) or null when invalid.
 * The original casing is available from {@link parseEmail}. Idempotent.
 */
export function normalizeEmail(raw: string): string | null {
  const parsed = parseEmail(raw);
  return parsed.ok ? parsed.email.address : null;
}

/**
 * The mapped domain of an email (the part after the last "@") when it is a valid host name, even if the local
 * part is not valid — junk checks still want the domain of "@mailinator.com". Null otherwise. Never throws.
 */
export function emailDomain(raw: string): string | null {
  const s = cleanEmailInput(raw);
  const at = s.lastIndexOf("@");
  if (at === -1) return null;
  const domain = mapHost(s.slice(at + 1));
  return isValidHostname(domain) ? domain : null;
}

/** Google consumer domains: dots in the local part are ignored and googlemail.com is gmail.com. */
const GMAIL_DOMAINS = new Set(["gmail.com", "googlemail.com"]);

/**
 * The dedupe form of an address — never stored or shown, only compared:
 * - the normalised address (lowercased local part; see {@link normalizeEmail});
 * - a "+tag" sub-address (RFC 5233, and any dot left before it) removed for every domain: Gmail, Outlook/Microsoft 365, iCloud, Fastmail,
 *   Proton and Google Workspace all deliver `a+x@` to `a@`, and a company that does not cannot be told apart;
 * - for gmail.com/googlemail.com only, dots removed and the domain unified to gmail.com (Google Workspace
 *   custom domains do not ignore dots, so this is not applied elsewhere).
 * Null for invalid addresses.
 */
export function canonicalEmail(raw: string): string | null {
  const parsed = parseEmail(raw);
  if (!parsed.ok) return null;
  let { local, domain } = parsed.email;
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus).replace(/\.+$/u, "");
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replace(/\./gu, "");
    domain = "gmail.com";
    if (local === "") return null;
  }
  return `${local}@${domain}`;
}

/** Frequent misspellings of the largest mailbox domains, for a "did you mean" hint. */
const DOMAIN_TYPOS: Record<string, string> = {
  "gmial.com": "gmail.com", "gmai.com": "gmail.com", "gamil.com": "gmail.com", "gmal.com": "gmail.com",
  "gmail.co": "gmail.com", "gmail.con": "gmail.com", "gmail.cm": "gmail.com", "gmaill.com": "gmail.com",
  "gnail.com": "gmail.com", "gmail.om": "gmail.com", "gmail.comm": "gmail.com", "gmali.com": "gmail.com",
  "hotmial.com": "hotmail.com", "hotmai.com": "hotmail.com", "hotmail.co": "hotmail.com", "hotmail.con": "hotmail.com",
  "hotmil.com": "hotmail.com", "homail.com": "hotmail.com", "outlok.com": "outlook.com", "outlook.co": "outlook.com",
  "outlook.con": "outlook.com", "yahooo.com": "yahoo.com", "yaho.com": "yahoo.com", "yahoo.co": "yahoo.com",
  "yahoo.con": "yahoo.com", "yhoo.com": "yahoo.com", "iclod.com": "icloud.com", "icloud.co": "icloud.com",
  "icoud.com": "icloud.com",
};

/** A suggested correction for a commonly misspelt mailbox domain ("gmial.com" → "gmail.com"), or null. */
export function suggestEmailDomain(domain: string): string | null {
  return DOMAIN_TYPOS[mapHost(domain)] ?? null;
}
