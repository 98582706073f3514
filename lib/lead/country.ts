/**
 * Country names and codes → ISO 3166-1 alpha-2, and country → routing region.
 *
 * The name map is generated at module load (~15 ms, ~4k names) rather than hand-written: the country list is
 * `getCountries()` of libphonenumber-js (245 regions incl. XK, AC, TA) plus the seven ISO codes that have no
 * telephone plan (AQ, BV, GS, HM, PN, TF, UM); names come from `Intl.DisplayNames` — English (standard and
 * short style), the country's own main language (via `Intl.Locale("und-XX").maximize()`, giving
 * "Deutschland", "Brasil", "日本", "Россия"...), and a few widely used languages so a French or Spanish form
 * still resolves ("Allemagne", "Estados Unidos"). A small alias table adds names ICU does not produce
 * ("USA", "Holland", "Ivory Coast", "Czech Republic", ISO long forms...) and common alpha-3 codes.
 * Earlier sources win on collisions: English, then aliases, then native, then other languages.
 */

import { getCountries } from "libphonenumber-js/max";
import { z } from "zod";
import { jaroWinkler } from "./company";
import { foldKey } from "./text";

/** Routing regions used by the default territories. */
export const ROUTING_REGIONS = ["NA", "LATAM", "EMEA", "APAC"] as const;
export const RoutingRegion = z.enum(ROUTING_REGIONS);
export type RoutingRegion = z.infer<typeof RoutingRegion>;

/** ISO codes without a telephone numbering plan, so missing from libphonenumber's list. */
const NO_PHONE_PLAN = ["AQ", "BV", "GS", "HM", "PN", "TF", "UM"];

/** Every ISO 3166-1 alpha-2 code (plus XK Kosovo, AC Ascension, TA Tristan da Cunha), sorted. */
export const COUNTRY_CODES: readonly string[] = [...new Set<string>([...getCountries(), ...NO_PHONE_PLAN])].sort();
const CODE_SET: ReadonlySet<string> = new Set(COUNTRY_CODES);

/** Names that ICU does not produce but people type. Keys are folded like lookups (see `key`). */
const ALIASES: Record<string, string> = {
  usa: "US", "u s a": "US", us: "US", "u s": "US", america: "US", "united states of america": "US",
  "the united states": "US", "the us": "US", "the usa": "US", "estados unidos de america": "US",
  uk: "GB", "u k": "GB", "great britain": "GB", britain: "GB", england: "GB", scotland: "GB", wales: "GB",
  "northern ireland": "GB", "united kingdom of great britain and northern ireland": "GB", "the uk": "GB",
  deutschland: "DE", "federal republic of germany": "DE", brasil: "BR", espana: "ES", holland: "NL",
  "the netherlands": "NL", "netherlands the": "NL", "south korea": "KR", "korea south": "KR",
  "republic of korea": "KR", "korea republic of": "KR", korea: "KR", "north korea": "KP",
  "korea democratic peoples republic of": "KP", czechia: "CZ", "czech republic": "CZ", turkey: "TR",
  turkiye: "TR", "ivory coast": "CI", "cote divoire": "CI", "russian federation": "RU", russia: "RU",
  "viet nam": "VN", vietnam: "VN", "iran islamic republic of": "IR", "taiwan province of china": "TW",
  "republic of china": "TW", "peoples republic of china": "CN", prc: "CN", "mainland china": "CN",
  "bolivia plurinational state of": "BO", "venezuela bolivarian republic of": "VE",
  "tanzania united republic of": "TZ", "moldova republic of": "MD", "lao peoples democratic republic": "LA",
  laos: "LA", "syrian arab republic": "SY", macedonia: "MK", "republic of north macedonia": "MK",
  burma: "MM", swaziland: "SZ", "cape verde": "CV", "east timor": "TL", vatican: "VA", "holy see": "VA",
  "hong kong": "HK", macau: "MO", macao: "MO", palestine: "PS", "state of palestine": "PS",
  "dr congo": "CD", drc: "CD", "democratic republic of the congo": "CD", "congo democratic republic of the": "CD",
  "congo kinshasa": "CD", "republic of the congo": "CG", "congo brazzaville": "CG", congo: "CG",
  uae: "AE", emirates: "AE", ksa: "SA", "saudi": "SA", "bosnia": "BA", "bosnia and herzegovina": "BA",
  "trinidad": "TT", "st kitts": "KN", "saint kitts and nevis": "KN", "saint lucia": "LC",
  "saint vincent and the grenadines": "VC", "micronesia federated states of": "FM", "the gambia": "GM",
  "the bahamas": "BS", "falkland islands malvinas": "FK", "reunion": "RE", "curacao": "CW",
  "sao tome and principe": "ST", "us virgin islands": "VI", "virgin islands us": "VI",
  "virgin islands british": "VG", "aland islands": "AX", "kyrgyzstan": "KG", "kirghizia": "KG",
  "brunei darussalam": "BN", "libyan arab jamahiriya": "LY", "timor leste": "TL",
};

/** Common ISO 3166-1 alpha-3 codes (the long tail of alpha-3 codes is rarely typed into lead forms). */
const ALPHA3: Record<string, string> = {
  USA: "US", CAN: "CA", MEX: "MX", BRA: "BR", ARG: "AR", CHL: "CL", COL: "CO", PER: "PE", URY: "UY",
  VEN: "VE", ECU: "EC", GBR: "GB", IRL: "IE", DEU: "DE", FRA: "FR", ESP: "ES", PRT: "PT", ITA: "IT",
  NLD: "NL", BEL: "BE", LUX: "LU", CHE: "CH", AUT: "AT", SWE: "SE", NOR: "NO", DNK: "DK", FIN: "FI",
  ISL: "IS", POL: "PL", CZE: "CZ", SVK: "SK", HUN: "HU", ROU: "RO", BGR: "BG", GRC: "GR", HRV: "HR",
  SVN: "SI", SRB: "RS", EST: "EE", LVA: "LV", LTU: "LT", UKR: "UA", RUS: "RU", TUR: "TR", ISR: "IL",
  ARE: "AE", SAU: "SA", QAT: "QA", KWT: "KW", EGY: "EG", MAR: "MA", NGA: "NG", KEN: "KE", ZAF: "ZA",
  IND: "IN", PAK: "PK", BGD: "BD", LKA: "LK", CHN: "CN", HKG: "HK", TWN: "TW", JPN: "JP", KOR: "KR",
  SGP: "SG", MYS: "MY", IDN: "ID", THA: "TH", VNM: "VN", PHL: "PH", AUS: "AU", NZL: "NZ", CYP: "CY",
  MLT: "MT",
};

/** Extra display languages so non-English forms resolve; the country's own language is added per code. */
const EXTRA_LANGUAGES = ["de", "fr", "es", "pt", "it", "nl", "pl", "sv", "tr", "ru", "zh", "ja", "ko", "ar"];

/** Folds a country name into a lookup key: diacritics, case, punctuation, "&"→"and", "st"→"saint". */
function key(input: string): string {
  return foldKey(input)
    .replace(/&/gu, " and ")
    .replace(/[’'`´]/gu, "")
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, " ")
    .trim()
    .replace(/^st /u, "saint ");
}

function buildNameMap(): Map<string, string> {
  const map = new Map<string, string>();
  const add = (name: string | undefined, code: string): void => {
    if (name === undefined || name === code) return;
    const k = key(name);
    if (k !== "" && !map.has(k)) map.set(k, code);
    // "Myanmar (Burma)" → also "Myanmar"; "Hong Kong SAR China" → also "Hong Kong".
    const short = key(name.replace(/\s*\(.*\)\s*$/u, "").replace(/\s+SAR\s+China$/u, ""));
    if (short !== "" && !map.has(short)) map.set(short, code);
  };
  const english = new Intl.DisplayNames(["en"], { type: "region" });
  const englishShort = new Intl.DisplayNames(["en"], { type: "region", style: "short" });
  for (const code of COUNTRY_CODES) add(english.of(code), code);
  for (const code of COUNTRY_CODES) add(englishShort.of(code), code);
  for (const [alias, code] of Object.entries(ALIASES)) if (!map.has(key(alias))) map.set(key(alias), code);
  const byLanguage = new Map<string, Intl.DisplayNames>();
  const namesIn = (language: string): Intl.DisplayNames => {
    let names = byLanguage.get(language);
    if (names === undefined) {
      names = new Intl.DisplayNames([language], { type: "region", fallback: "none" });
      byLanguage.set(language, names);
    }
    return names;
  };
  for (const code of COUNTRY_CODES) {
    const language = new Intl.Locale(`und-${code}`).maximize().language;
    add(namesIn(language).of(code), code);
  }
  for (const language of EXTRA_LANGUAGES) {
    for (const code of COUNTRY_CODES) add(namesIn(language).of(code), code);
  }
  return map;
}

const NAME_TO_CODE: ReadonlyMap<string, string> = buildNameMap();
const ENGLISH_NAMES = new Intl.DisplayNames(["en"], { type: "region" });

export interface CountryLookupOptions {
  /**
   * Also accept a misspelt name ("Philipines", "Austrailia") when exactly one known name is within
   * Jaro–Winkler 0.93 and no other country comes within 0.03 of it. Off by default; names of 6+ letters only.
   */
  fuzzy?: boolean;
}

const FUZZY_MIN = 0.93;
const FUZZY_MARGIN = 0.03;

function fuzzyLookup(k: string): string | null {
  if (k.length < 6) return null;
  let best: { code: string; score: number } | null = null;
  let runnerUp = 0;
  for (const [name, code] of NAME_TO_CODE) {
    if (Math.abs(name.length - k.length) > 3) continue;
    const s = jaroWinkler(k, name);
    if (best === null || s > best.score) {
      if (best !== null && best.code !== code) runnerUp = Math.max(runnerUp, best.score);
      best = { code, score: s };
    } else if (code !== best.code) {
      runnerUp = Math.max(runnerUp, s);
    }
  }
  return best !== null && best.score >= FUZZY_MIN && best.score - runnerUp >= FUZZY_MARGIN ? best.code : null;
}

/**
 * Resolves a country given as an ISO alpha-2 code ("de", "GB"), a common alpha-3 code ("DEU", "USA"), an English
 * name ("Germany"), a native or other-language name ("Deutschland", "Allemagne"), or an alias ("U.S.", "UK",
 * "Holland", "Ivory Coast"), to the uppercase ISO 3166-1 alpha-2 code. Two-letter input is always read as a
 * code ("CA" is Canada, not California). Returns null when unknown (see `options.fuzzy` for misspellings).
 * Never throws. Idempotent on its output.
 */
export function toCountryCode(input: string | null | undefined, options: CountryLookupOptions = {}): string | null {
  if (typeof input !== "string") return null;
  const trimmed = input.normalize("NFKC").trim().replace(/\.$/u, "");
  if (trimmed === "") return null;
  if (/^[a-z]{2}$/iu.test(trimmed)) {
    const upper = trimmed.toUpperCase();
    if (upper === "UK") return "GB";
    return CODE_SET.has(upper) ? upper : null;
  }
  if (/^[a-z]{3}$/iu.test(trimmed)) {
    const code = ALPHA3[trimmed.toUpperCase()];
    if (code !== undefined) return code;
  }
  const k = key(trimmed);
  const exact = NAME_TO_CODE.get(k);
  if (exact !== undefined) return exact;
  return options.fuzzy === true ? fuzzyLookup(k) : null;
}

/** English display name of an alpha-2 code ("DE" → "Germany"), or null for an unknown code. */
export function countryName(code: string): string | null {
  const upper = code.toUpperCase();
  if (!CODE_SET.has(upper)) return null;
  return ENGLISH_NAMES.of(upper) ?? null;
}

/**
 * Country → routing region. A business choice, written down here:
 * - NA: United States and its territories (PR, VI, GU, AS, MP, UM), Canada, Bermuda, Saint Pierre & Miquelon.
 *   US territories follow the US sales territory even when they lie in the Caribbean or the Pacific.
 * - LATAM: Mexico, Central and South America, the Caribbean (incl. European overseas territories there:
 *   GP, MQ, BL, MF, AW, CW, SX, BQ, ...), Falklands and South Georgia.
 * - APAC: East, South-East and South Asia (incl. Afghanistan, Pakistan, Bangladesh), Oceania and the Pacific
 *   islands, Antarctica and the Indian Ocean territories administered from Australia.
 * - EMEA: Europe (incl. Greenland, Svalbard, Faroes), Russia, Turkey, the Caucasus, Central Asia, the Middle
 *   East, Africa and the African and South Atlantic islands (Saint Helena, Ascension, Tristan da Cunha, Réunion,
 *   Mayotte, BV, TF, IO).
 */
const REGION_COUNTRIES: Record<RoutingRegion, readonly string[]> = {
  NA: ["US", "CA", "PR", "VI", "GU", "AS", "MP", "UM", "BM", "PM"],
  LATAM: [
    "MX", "GT", "BZ", "SV", "HN", "NI", "CR", "PA", "CO", "VE", "EC", "PE", "BO", "CL", "AR", "UY", "PY", "BR",
    "GY", "SR", "GF", "CU", "DO", "HT", "JM", "BS", "BB", "TT", "AG", "DM", "GD", "KN", "LC", "VC", "AI", "MS",
    "VG", "KY", "TC", "AW", "CW", "SX", "BQ", "GP", "MQ", "BL", "MF", "FK", "GS",
  ],
  APAC: [
    "CN", "HK", "MO", "TW", "JP", "KR", "KP", "MN", "SG", "MY", "ID", "TH", "VN", "PH", "KH", "LA", "MM", "BN",
    "TL", "IN", "PK", "BD", "LK", "NP", "BT", "MV", "AF", "AU", "NZ", "PG", "FJ", "SB", "VU", "NC", "PF", "WS",
    "TO", "KI", "TV", "NR", "FM", "MH", "PW", "CK", "NU", "TK", "WF", "NF", "CX", "CC", "HM", "PN", "AQ",
  ],
  EMEA: [
    "GB", "IE", "DE", "FR", "ES", "PT", "IT", "NL", "BE", "LU", "CH", "AT", "LI", "MC", "SM", "VA", "AD", "MT",
    "DK", "SE", "NO", "FI", "IS", "FO", "GL", "SJ", "AX", "EE", "LV", "LT", "PL", "CZ", "SK", "HU", "RO", "BG",
    "GR", "CY", "SI", "HR", "BA", "RS", "ME", "MK", "AL", "XK", "MD", "UA", "BY", "RU", "TR", "GE", "AM", "AZ",
    "KZ", "UZ", "TM", "KG", "TJ", "GI", "GG", "JE", "IM", "IL", "PS", "JO", "LB", "SY", "IQ", "IR", "SA", "AE",
    "QA", "KW", "BH", "OM", "YE", "EG", "LY", "TN", "DZ", "MA", "EH", "SD", "SS", "ET", "ER", "DJ", "SO", "KE",
    "UG", "TZ", "RW", "BI", "CD", "CG", "GA", "GQ", "CM", "CF", "TD", "NE", "NG", "BJ", "TG", "GH", "CI", "BF",
    "ML", "SN", "GM", "GW", "GN", "SL", "LR", "MR", "CV", "ST", "AO", "ZM", "ZW", "MW", "MZ", "MG", "MU", "SC",
    "KM", "RE", "YT", "ZA", "NA", "BW", "LS", "SZ", "SH", "AC", "TA", "BV", "TF", "IO",
  ],
};

const COUNTRY_TO_REGION: ReadonlyMap<string, RoutingRegion> = new Map(
  ROUTING_REGIONS.flatMap((region) => REGION_COUNTRIES[region].map((code) => [code, region] as const)),
);

/** The routing region of an alpha-2 code (case-insensitive), or null for an unknown code. */
export function countryRegion(code: string | null | undefined): RoutingRegion | null {
  if (typeof code !== "string") return null;
  return COUNTRY_TO_REGION.get(code.toUpperCase()) ?? null;
}

const REGION_ALIASES: Record<string, RoutingRegion> = {
  na: "NA", "north america": "NA", amer: "NA", "us and canada": "NA", latam: "LATAM", "latin america": "LATAM",
  "south america": "LATAM", "central america": "LATAM", "latin america and caribbean": "LATAM", lac: "LATAM",
  caribbean: "LATAM", emea: "EMEA", europe: "EMEA", eu: "EMEA", "middle east": "EMEA", africa: "EMEA",
  mea: "EMEA", "europe middle east and africa": "EMEA", apac: "APAC", "asia pacific": "APAC", asia: "APAC",
  apj: "APAC", anz: "APAC", oceania: "APAC", "asia and pacific": "APAC", "asia pacific region": "APAC",
  "apac region": "APAC", "emea region": "EMEA", "americas": "NA",
};

/**
 * Reads a routing region typed as text ("EMEA", "Asia Pacific", "LatAm", "North America") — for forms that
 * ask for a region instead of a country. Returns null for anything else (a state or province is not a region).
 */
export function parseRoutingRegion(input: string | null | undefined): RoutingRegion | null {
  if (typeof input !== "string") return null;
  return REGION_ALIASES[key(input)] ?? null;
}
