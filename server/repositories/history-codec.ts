/**
 * The encoding of one day of what-if history (simulation_history_days.data, migration 0006): every replayable lead
 * of the day in arrival order, column by column.
 *
 *   u32 header length · header (JSON: lead count, string dictionaries, fact columns) · padding to 8 ·
 *   f64 received, release, human business minutes, SLA due, pipeline · 16-byte ids · u8 flags, decision ·
 *   index columns (route, source, first rep, account, then one per fact key), each 1, 2 or 4 bytes wide by the size
 *   of its dictionary, 0 meaning "none".
 *
 * A fact column's dictionary holds the distinct JSON texts of that key's values in the day, parsed once when read
 * (so leads share their fact values, as the ai_fields arrays were shared before). Null numbers are NaN.
 *
 * Why hand-written: a year of history is a million leads; a general serializer (JSON, MessagePack, protobuf)
 * materialises an object per lead and per value while decoding, which is exactly the cost this format removes —
 * these columns are read through typed-array views over the stored bytes, and only the fact values a simulation
 * asks for become objects. Little-endian, as typed arrays are on every platform Node runs on here.
 *
 * Not marked "server-only": the simulation's draft thread (server/services/routing/simulation.worker.ts) decodes
 * days too, outside the Next.js server's module conditions. It holds no secrets and touches no database.
 */
import { uuidAt } from "@/lib/simulate/lead-id";

export const HISTORY_FORMAT = 1;

/** One lead as the day's row is built from it (server/repositories/simulation.repository.ts buildHistoryDays). */
export interface HistoryRecord {
  id: string;
  receivedAt: number;
  junk: boolean;
  junkDoubt: boolean;
  accountId: string | null;
  route: string | null;
  review: boolean;
  releaseAt: number | null;
  firstRepId: string | null;
  humanBusinessMinutes: number | null;
  touched: boolean;
  slaDueAt: number | null;
  routedToSales: boolean;
  decision: "accepted" | "rejected" | null;
  meeting: boolean;
  pipeline: number;
  sourceId: string | null;
  facts: Record<string, unknown>;
}

const F64 = ["receivedAt", "releaseAt", "humanBusinessMinutes", "slaDueAt", "pipeline"] as const;
const STRINGS = ["route", "source", "rep", "account"] as const;
type StringColumn = (typeof STRINGS)[number];

export const FLAG = { junk: 1, junkDoubt: 2, review: 4, routedToSales: 8, meeting: 16, touched: 32 } as const;

interface Header {
  n: number;
  strings: Record<StringColumn, string[]>;
  /** Fact key → its distinct values' JSON texts (index i + 1 in the column). */
  facts: Array<{ key: string; values: string[] }>;
}

/** A decoded day: typed-array views over the stored bytes, and dictionaries. */
export interface HistoryDay {
  n: number;
  receivedAt: Float64Array;
  releaseAt: Float64Array;
  humanBusinessMinutes: Float64Array;
  slaDueAt: Float64Array;
  pipeline: Float64Array;
  ids: Uint8Array;
  flags: Uint8Array;
  decision: Uint8Array;
  strings: Record<StringColumn, { dict: string[]; column: IndexColumn }>;
  facts: Map<string, { values: string[]; column: IndexColumn }>;
}

export type IndexColumn = Uint8Array | Uint16Array | Uint32Array;

const widthFor = (distinct: number) => (distinct < 0xff ? 1 : distinct < 0xffff ? 2 : 4);
const align = (offset: number, to: number) => Math.ceil(offset / to) * to;

class Dict {
  /** Distinct values in first-seen order (index + 1 in the column): JSON texts, or the strings themselves when !json. */
  readonly values: string[] = [];
  /** Primitives by themselves (a Map tells 5 from "5"), objects by their JSON text behind a NUL. */
  private readonly index = new Map<unknown, number>();
  readonly column: number[];
  constructor(
    n: number,
    private readonly json: boolean,
  ) {
    this.column = new Array<number>(n).fill(0);
  }
  set(i: number, value: unknown): void {
    const isObject = typeof value === "object" && value !== null;
    const key = isObject ? `\u0000${JSON.stringify(value)}` : value;
    let k = this.index.get(key);
    if (k === undefined) {
      this.values.push(!this.json ? String(value) : isObject ? (key as string).slice(1) : JSON.stringify(value));
      k = this.values.length;
      this.index.set(key, k);
    }
    this.column[i] = k;
  }
}

function writeUuid(out: Uint8Array, at: number, id: string): void {
  const hex = id.replace(/-/g, "");
  if (hex.length !== 32) throw new Error(`not a uuid: ${id}`);
  for (let k = 0; k < 16; k++) out[at + k] = parseInt(hex.slice(2 * k, 2 * k + 2), 16);
}

export { uuidAt };

/** Encodes a day's leads, given in arrival order. */
export function encodeHistoryDay(records: readonly HistoryRecord[]): Uint8Array {
  const n = records.length;
  const strings: Record<StringColumn, Dict> = { route: new Dict(n, false), source: new Dict(n, false), rep: new Dict(n, false), account: new Dict(n, false) };
  const facts = new Map<string, Dict>();
  const flags = new Uint8Array(n);
  const decision = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    if (r.route !== null) strings.route.set(i, r.route);
    if (r.sourceId !== null) strings.source.set(i, r.sourceId);
    if (r.firstRepId !== null) strings.rep.set(i, r.firstRepId);
    if (r.accountId !== null) strings.account.set(i, r.accountId);
    flags[i] = (r.junk ? FLAG.junk : 0) | (r.junkDoubt ? FLAG.junkDoubt : 0) | (r.review ? FLAG.review : 0) | (r.routedToSales ? FLAG.routedToSales : 0) |
      (r.meeting ? FLAG.meeting : 0) | (r.touched ? FLAG.touched : 0);
    decision[i] = r.decision === "accepted" ? 1 : r.decision === "rejected" ? 2 : 0;
    for (const key in r.facts) {
      const v = r.facts[key];
      if (v === null || v === undefined) continue;
      let d = facts.get(key);
      if (!d) facts.set(key, (d = new Dict(n, true)));
      d.set(i, v);
    }
  }
  const header: Header = {
    n,
    strings: { route: strings.route.values, source: strings.source.values, rep: strings.rep.values, account: strings.account.values },
    facts: [...facts].map(([key, d]) => ({ key, values: d.values })),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  const indexColumns = [...STRINGS.map((s) => strings[s]), ...facts.values()];
  let size = align(4 + headerBytes.length, 8) + F64.length * 8 * n + 16 * n + 2 * n;
  for (const d of indexColumns) {
    const w = widthFor(d.values.length);
    size = align(size, w) + w * n;
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerBytes.length, true);
  out.set(headerBytes, 4);
  let at = align(4 + headerBytes.length, 8);
  for (const name of F64) {
    const col = new Float64Array(out.buffer, at, n);
    for (let i = 0; i < n; i++) {
      const v = records[i]![name];
      col[i] = v === null ? NaN : v;
    }
    at += 8 * n;
  }
  for (let i = 0; i < n; i++) writeUuid(out, at + 16 * i, records[i]!.id);
  at += 16 * n;
  out.set(flags, at);
  at += n;
  out.set(decision, at);
  at += n;
  for (const d of indexColumns) {
    const w = widthFor(d.values.length);
    at = align(at, w);
    const col = w === 1 ? new Uint8Array(out.buffer, at, n) : w === 2 ? new Uint16Array(out.buffer, at, n) : new Uint32Array(out.buffer, at, n);
    for (let i = 0; i < n; i++) col[i] = d.column[i]!;
    at += w * n;
  }
  return out;
}

/** Reads a stored day. The columns are views over `data` (copied once when it is not 8-byte aligned). */
export function decodeHistoryDay(data: Uint8Array): HistoryDay {
  let bytes = data;
  if (bytes.byteOffset % 8 !== 0) bytes = new Uint8Array(data);
  const buffer = bytes.buffer;
  const base = bytes.byteOffset;
  const headerLength = new DataView(buffer, base, 4).getUint32(0, true);
  const header = JSON.parse(Buffer.from(buffer, base + 4, headerLength).toString("utf8")) as Header;
  const n = header.n;
  let at = base + align(4 + headerLength, 8);
  const f64 = () => {
    const col = new Float64Array(buffer, at, n);
    at += 8 * n;
    return col;
  };
  const receivedAt = f64();
  const releaseAt = f64();
  const humanBusinessMinutes = f64();
  const slaDueAt = f64();
  const pipeline = f64();
  const ids = new Uint8Array(buffer, at, 16 * n);
  at += 16 * n;
  const flags = new Uint8Array(buffer, at, n);
  at += n;
  const decision = new Uint8Array(buffer, at, n);
  at += n;
  const index = (distinct: number): IndexColumn => {
    const w = widthFor(distinct);
    at = base + align(at - base, w);
    const col = w === 1 ? new Uint8Array(buffer, at, n) : w === 2 ? new Uint16Array(buffer, at, n) : new Uint32Array(buffer, at, n);
    at += w * n;
    return col;
  };
  const strings = {} as HistoryDay["strings"];
  for (const s of STRINGS) strings[s] = { dict: header.strings[s], column: index(header.strings[s].length) };
  const facts = new Map<string, { values: string[]; column: IndexColumn }>();
  for (const f of header.facts) facts.set(f.key, { values: f.values, column: index(f.values.length) });
  if (at - base > bytes.byteLength) throw new Error("history day: truncated data");
  return { n, receivedAt, releaseAt, humanBusinessMinutes, slaDueAt, pipeline, ids, flags, decision, strings, facts };
}
