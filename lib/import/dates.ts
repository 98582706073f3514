/**
 * Dates in CSV cells: format strings (luxon tokens), a fast parser for the formats exports actually use, and
 * format detection from a sample.
 *
 * Time zones: a value with an offset ("Z", "+02:00") is read at that offset; a naive value ("2018-02-26 19:58:54",
 * "2017-10-20") is wall-clock time in the zone the caller passes (the import's time zone, by default the
 * workspace's). A date without a time is midnight in that zone. Non-existent local times (a DST gap) move forward,
 * as luxon does.
 *
 * Why not `DateTime.fromFormat` for everything: it costs ~28 µs a call against ~9 µs for a regex plus
 * `DateTime.fromObject`, and an import of a million rows with five date columns parses five million cells. Formats
 * with tokens the fast path does not know still go through luxon's `fromFormat`.
 */
import { DateTime } from "luxon";

/** "iso" reads ISO 8601 (luxon fromISO); anything else is a luxon format string such as "dd/MM/yyyy HH:mm". */
export type DateFormat = string;

export const ISO_FORMAT = "iso";

export interface CompiledDateFormat {
  format: DateFormat;
  /** Whether the format has a time of day. */
  hasTime: boolean;
  /** Epoch milliseconds, or null when the text does not match or is not a real date. */
  parse(text: string, zone: string): number | null;
}

const TOKEN = /y+|M+|d+|H+|h+|m+|s+|S+|a+|'[^']*'|./g;
const TIME_TOKENS = new Set(["HH", "H", "hh", "h", "mm", "ss", "SSS", "a"]);
const FAST_TOKENS = new Set(["yyyy", "MM", "M", "dd", "d", "HH", "H", "hh", "h", "mm", "ss", "SSS", "a"]);

type Slot = "year" | "month" | "day" | "hour" | "hour12" | "minute" | "second" | "fraction" | "meridiem";

const SLOT: Record<string, { slot: Slot; re: string }> = {
  yyyy: { slot: "year", re: "(\\d{4})" },
  MM: { slot: "month", re: "(\\d{1,2})" },
  M: { slot: "month", re: "(\\d{1,2})" },
  dd: { slot: "day", re: "(\\d{1,2})" },
  d: { slot: "day", re: "(\\d{1,2})" },
  HH: { slot: "hour", re: "(\\d{1,2})" },
  H: { slot: "hour", re: "(\\d{1,2})" },
  hh: { slot: "hour12", re: "(\\d{1,2})" },
  h: { slot: "hour12", re: "(\\d{1,2})" },
  mm: { slot: "minute", re: "(\\d{2})" },
  ss: { slot: "second", re: "(\\d{2})" },
  SSS: { slot: "fraction", re: "(\\d{1,9})" },
  a: { slot: "meridiem", re: "([AaPp][Mm])" },
};

const OFFSET_RE = "(?:\\s*(Z|z|UTC|GMT|[+-]\\d{2}(?::?\\d{2})?))?";

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function offsetMinutes(text: string): number {
  if (text === "Z" || text === "z" || text === "UTC" || text === "GMT") return 0;
  const sign = text.startsWith("-") ? -1 : 1;
  const digits = text.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes);
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** Fields → epoch ms in `zone` (or at `offset` minutes when given); null for impossible dates. */
function toEpoch(f: Fields, zone: string, offset: number | null): number | null {
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > daysInMonth(f.year, f.month)) return null;
  if (f.hour > 23 || f.minute > 59 || f.second > 59) return null;
  if (offset !== null || zone === "UTC") {
    return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.millisecond) - (offset ?? 0) * 60_000;
  }
  const dt = DateTime.fromObject(f, { zone });
  return dt.isValid ? dt.toMillis() : null;
}

const compiledCache = new Map<string, CompiledDateFormat>();

/**
 * Compiles a format. The fast path accepts, leniently: 1–2 digit months, days and hours; `T` or a space between
 * date and time; a missing time, seconds or fraction (midnight / :00); a trailing offset ("Z", "+0200").
 * Throws on an empty format.
 */
export function compileDateFormat(format: DateFormat): CompiledDateFormat {
  const cached = compiledCache.get(format);
  if (cached) return cached;
  if (format.trim() === "") throw new Error("A date format cannot be empty.");
  let compiled: CompiledDateFormat;
  if (format === ISO_FORMAT) {
    compiled = {
      format,
      hasTime: true,
      parse(text, zone) {
        const dt = DateTime.fromISO(text.trim(), { zone });
        return dt.isValid ? dt.toMillis() : null;
      },
    };
  } else {
    const tokens: string[] = format.match(TOKEN) ?? [];
    const hasTime = tokens.some((t) => TIME_TOKENS.has(t));
    const fast = tokens.every((t) => FAST_TOKENS.has(t) || /^[^A-Za-z]$/.test(t) || t.startsWith("'")) && tokens.includes("yyyy");
    compiled = fast ? compileFast(format, tokens, hasTime) : compileLuxon(format, hasTime);
  }
  compiledCache.set(format, compiled);
  return compiled;
}

function compileLuxon(format: string, hasTime: boolean): CompiledDateFormat {
  return {
    format,
    hasTime,
    parse(text, zone) {
      const dt = DateTime.fromFormat(text.trim(), format, { zone });
      return dt.isValid ? dt.toMillis() : null;
    },
  };
}

function compileFast(format: string, tokens: string[], hasTime: boolean): CompiledDateFormat {
  const slots: Slot[] = [];
  let date = "";
  let time = "";
  let inTime = false;
  let optionalDepth = 0;
  for (const [i, token] of tokens.entries()) {
    const spec = SLOT[token];
    const isTimeStart = !inTime && (TIME_TOKENS.has(token) || ((token === " " || token === "T" || token === "'T'") && TIME_TOKENS.has(tokens[i + 1] ?? "")));
    if (isTimeStart) inTime = true;
    let piece: string;
    if (spec) {
      slots.push(spec.slot);
      piece = spec.re;
    } else if (token === " " || token === "T" || token === "'T'") {
      piece = inTime && isTimeStart ? "[ T]+" : token === " " ? "\\s+" : "T";
    } else if (token.startsWith("'")) {
      piece = escapeRe(token.slice(1, -1));
    } else {
      piece = escapeRe(token);
    }
    if (!inTime) {
      date += piece;
      continue;
    }
    // Seconds, fractions and the meridiem's space are optional: "14:05" matches HH:mm:ss.
    const next = tokens[i + 1];
    if ((token === ":" && next === "ss") || ((token === "." || token === ",") && next === "SSS")) {
      time += `(?:${piece}`;
      optionalDepth++;
    } else if ((token === "ss" || token === "SSS") && optionalDepth > 0) {
      time += `${piece})?`;
      optionalDepth--;
    } else if (token === " " && next === "a") {
      time += "\\s*";
    } else {
      time += piece;
    }
  }
  time += ")?".repeat(optionalDepth);
  const re = new RegExp(`^${date}${hasTime ? `(?:${time})?` : ""}${OFFSET_RE}$`);
  const offsetGroup = slots.length + 1;
  return {
    format,
    hasTime,
    parse(text, zone) {
      const m = re.exec(text.trim());
      if (!m) return null;
      const f: Fields = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
      let meridiem: string | null = null;
      let hour12: number | null = null;
      for (let s = 0; s < slots.length; s++) {
        const v = m[s + 1];
        if (v === undefined) continue;
        switch (slots[s]) {
          case "year": f.year = Number(v); break;
          case "month": f.month = Number(v); break;
          case "day": f.day = Number(v); break;
          case "hour": f.hour = Number(v); break;
          case "hour12": hour12 = Number(v); break;
          case "minute": f.minute = Number(v); break;
          case "second": f.second = Number(v); break;
          case "fraction": f.millisecond = Math.floor(Number(`0.${v}`) * 1000); break;
          case "meridiem": meridiem = v.toLowerCase(); break;
        }
      }
      if (hour12 !== null) {
        if (hour12 < 1 || hour12 > 12) return null;
        f.hour = meridiem === "pm" ? (hour12 % 12) + 12 : hour12 % 12;
      }
      const off = m[offsetGroup];
      return toEpoch(f, zone, off === undefined ? null : offsetMinutes(off));
    },
  };
}

const AUTO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses a date without a known format: ISO-like `YYYY-MM-DD[ HH:mm[:ss[.SSS]]][offset]` (space or T) only.
 * Day/month orders need a format (see detectDateFormat). Returns epoch ms or null.
 */
export function parseAutoDate(text: string, zone: string): number | null {
  const m = AUTO.exec(text.trim());
  if (!m) return null;
  const f: Fields = {
    year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0), millisecond: m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0,
  };
  return toEpoch(f, zone, m[8] === undefined ? null : offsetMinutes(m[8]));
}

/** Parses a cell with a format ("auto" or undefined: parseAutoDate) in `zone`; epoch ms or null. */
export function parseDateCell(text: string, format: DateFormat | undefined, zone: string): number | null {
  if (format === undefined || format === "auto") return parseAutoDate(text, zone);
  return compileDateFormat(format).parse(text, zone);
}

// ------------------------------------------------------------------------------------------------ detection

export interface DetectedDateFormat {
  format: DateFormat;
  hasTime: boolean;
  /** Day and month could be either way round in every sampled value (no part above 12): the format is a guess. */
  ambiguous: boolean;
  /** The other reading, when ambiguous. */
  alternative?: DateFormat;
  /** Share of non-empty sample values the format parses. */
  matchRate: number;
}

const ISO_LIKE = /^\d{4}-\d{1,2}-\d{1,2}(?:([ T])\d{1,2}:\d{2}(:\d{2}(?:[.,]\d+)?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const YMD_SLASH = /^\d{4}([/.])\d{1,2}\1\d{1,2}(?:[ T]+\d{1,2}:\d{2}(:\d{2})?)?$/;
const DMY = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(:\d{2})?(\s*[AaPp][Mm])?)?$/;

/**
 * Detects the date format of a column from sample values (non-empty ones). Recognises ISO 8601, `YYYY-MM-DD`,
 * `YYYY-MM-DD HH:mm[:ss]`, `YYYY/MM/DD`, and `DD/MM/YYYY` vs `MM/DD/YYYY` (also with `.` or `-`, with an optional
 * 24-hour or AM/PM time). The day/month order comes from the sample: a first part above 12 means day first, a
 * second part above 12 month first; when neither occurs the result is day first and flagged `ambiguous`.
 * Returns null unless at least 95% of the values parse with one format (one bad value is tolerated in a sample of
 * ten or more, so a single typo in a small file does not hide its date column).
 */
export function detectDateFormat(values: readonly string[], zone = "UTC"): DetectedDateFormat | null {
  const vs = values.map((v) => v.trim()).filter((v) => v !== "");
  if (vs.length === 0) return null;
  const candidates: Array<{ format: string; hasTime: boolean; ambiguous: boolean; alternative?: string }> = [];

  const iso = vs.filter((v) => ISO_LIKE.test(v));
  if (iso.length > 0) {
    const withT = iso.some((v) => /\dT\d/.test(v));
    const withOffset = iso.some((v) => /(Z|z|[+-]\d{2}(:?\d{2})?)$/.test(v) && /\d[ T]\d/.test(v));
    const withTime = iso.some((v) => /\d[ T]\d{1,2}:\d{2}/.test(v));
    const withSeconds = iso.some((v) => /\d:\d{2}:\d{2}/.test(v));
    const withFraction = iso.some((v) => /:\d{2}[.,]\d+/.test(v));
    if (withT || withOffset) candidates.push({ format: ISO_FORMAT, hasTime: true, ambiguous: false });
    else if (withTime) candidates.push({ format: `yyyy-MM-dd HH:mm${withSeconds ? ":ss" : ""}${withFraction ? ".SSS" : ""}`, hasTime: true, ambiguous: false });
    else candidates.push({ format: "yyyy-MM-dd", hasTime: false, ambiguous: false });
  }

  const ymd = vs.filter((v) => YMD_SLASH.test(v));
  if (ymd.length > 0) {
    const sep = YMD_SLASH.exec(ymd[0]!)![1]!;
    const withTime = ymd.some((v) => /\d[ T]+\d{1,2}:\d{2}/.test(v));
    candidates.push({ format: `yyyy${sep}MM${sep}dd${withTime ? " HH:mm:ss" : ""}`, hasTime: withTime, ambiguous: false });
  }

  const dmy = vs.map((v) => DMY.exec(v)).filter((m): m is RegExpExecArray => m !== null);
  if (dmy.length > 0) {
    const sep = dmy[0]![2]!;
    let firstOver12 = false;
    let secondOver12 = false;
    let withTime = false;
    let withSeconds = false;
    let meridiem = false;
    for (const m of dmy) {
      if (Number(m[1]) > 12) firstOver12 = true;
      if (Number(m[3]) > 12) secondOver12 = true;
      if (m[5] !== undefined) withTime = true;
      if (m[7] !== undefined) withSeconds = true;
      if (m[8] !== undefined) meridiem = true;
    }
    if (!(firstOver12 && secondOver12)) {
      const time = !withTime ? "" : meridiem ? ` h:mm${withSeconds ? ":ss" : ""} a` : ` HH:mm${withSeconds ? ":ss" : ""}`;
      const dayFirst = `dd${sep}MM${sep}yyyy${time}`;
      const monthFirst = `MM${sep}dd${sep}yyyy${time}`;
      const ambiguous = !firstOver12 && !secondOver12;
      candidates.push({
        format: secondOver12 ? monthFirst : dayFirst,
        hasTime: withTime,
        ambiguous,
        ...(ambiguous ? { alternative: monthFirst } : {}),
      });
    }
  }

  let best: DetectedDateFormat | null = null;
  for (const c of candidates) {
    const compiled = compileDateFormat(c.format);
    let ok = 0;
    for (const v of vs) if (compiled.parse(v, zone) !== null) ok++;
    const matchRate = ok / vs.length;
    const allowedFailures = Math.max(vs.length >= 10 ? 1 : 0, Math.floor(vs.length * 0.05));
    if (vs.length - ok <= allowedFailures && (best === null || matchRate > best.matchRate)) best = { ...c, matchRate };
  }
  return best;
}
