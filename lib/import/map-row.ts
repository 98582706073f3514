/**
 * The row mapper: one CSV record (cells in header order) → a mapped row of the import's kind, or the list of
 * field-level errors that make it unusable. Pure; build it once per import with `createRowMapper` (it resolves
 * column indexes, value maps and date formats up front) and call it per row (a few tens of microseconds).
 *
 * Errors are for values that cannot be read (a date that is not a date, an amount that is not a number, an enum
 * value outside its list, a required field that is empty, a time in the future). Contact data that lib/lead
 * normalises (email, phone, country) never fails a row on its own: it is kept as given, as live ingestion does.
 */
import { normalizeCompanyName } from "../lead/company";
import { countryRegion, parseRoutingRegion, toCountryCode } from "../lead/country";
import { domainFromUrl } from "../lead/domain";
import { parseEmail } from "../lead/email";
import { parseEmployees } from "../lead/employees";
import { normalizeLead } from "../lead/normalize-lead";
import { compileDateFormat, parseAutoDate } from "./dates";
import { type FieldMapping, type ImportMapping, type SynthesizeReceivedAt } from "./mapping.schema";
import { synthesizeReceivedAt } from "./synthesize";
import { type RepRole, type TargetField, targetsFor } from "./targets";
import { emailFromName, parseBoolean, parseList, parseMoney, parseNumber, toCode } from "./values";

/** A field-level problem with one row. `row` 1 is the first data row after the header. */
export interface RowError {
  row: number;
  /** The source column, or null for a constant, a synthesized value or a whole-row problem. */
  column: string | null;
  /** The target field key ("" for a whole-row problem). */
  field: string;
  message: string;
}

export interface MapperContext {
  /** The file's header, in column order. */
  headers: readonly string[];
  /** Zone for naive timestamps (the mapping's option, else the workspace's). */
  timeZone: string;
  /** The workspace currency; amounts in another named currency are refused. */
  currency: string;
  /** Times after `now` are refused (history cannot be in the future). */
  now: Date;
  /** For idempotency keys of rows without an external id. */
  jobId: string;
  /** Data rows in the file, for spreading synthesized received times (null: spread by hash alone). */
  totalRows: number | null;
  /** Known route path keys; a mapped route outside them is a row error. */
  routeKeys?: ReadonlySet<string>;
}

export interface MappedOutcomes {
  assignedAt: Date | null;
  firstTouchAt: Date | null;
  decision: "accepted" | "rejected" | null;
  decisionAt: Date | null;
  rejectReason: string | null;
  meetingBookedAt: Date | null;
  opportunityAmount: number | null;
  opportunityAt: Date | null;
  closedOutcome: "won" | "lost" | null;
  closedAt: Date | null;
}

export interface MappedLead {
  kind: "leads";
  row: number;
  externalId: string | null;
  /** `import:<externalId>`, or `import:<job id>:<row>` without an external id. */
  idempotencyKey: string;
  /** Null only in the outcomes update (the lead already has one). */
  receivedAt: Date | null;
  receivedAtSynthetic: boolean;
  email: string | null;
  emailDomain: string | null;
  emailType: "business" | "free" | "disposable" | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  title: string | null;
  seniority: string | null;
  company: string | null;
  companyNameKey: string | null;
  companyDomain: string | null;
  /** ISO alpha-2. */
  country: string | null;
  /** Routing region (NA, EMEA, APAC, LATAM). */
  region: string | null;
  message: string | null;
  personKey: string | null;
  inquiryKey: string | null;
  /** Channel code ("direct_traffic"); null when not mapped. */
  channel: string | null;
  productInterest: string | null;
  category: string | null;
  employees: number | null;
  industry: string | null;
  existingCustomer: boolean | null;
  routePath: string | null;
  /** Rep references (email or name) as in the file; resolved by the caller. */
  owner: string | null;
  firstOwner: string | null;
  outcomes: MappedOutcomes;
}

export interface MappedAccount {
  kind: "accounts";
  row: number;
  externalId: string | null;
  name: string;
  nameKey: string;
  domain: string | null;
  owner: string | null;
  /** Null when not mapped (an update keeps the stored status; an insert uses "prospect"). */
  customerStatus: "prospect" | "customer" | "former_customer" | "partner" | null;
  employees: number | null;
  industry: string | null;
  country: string | null;
  region: string | null;
  annualRevenue: number | null;
  /** Which target fields the mapping fills (an update writes only these). */
  mapped: ReadonlySet<string>;
}

export interface MappedRep {
  kind: "reps";
  row: number;
  email: string;
  name: string;
  team: string | null;
  role: RepRole | null;
  title: string | null;
  territories: string[] | null;
  products: string[] | null;
  segments: string[] | null;
  weight: number | null;
  maxOpenLeads: number | null;
  maxLeadsPerDay: number | null;
  active: boolean | null;
  mapped: ReadonlySet<string>;
}

export type MappedRow = MappedLead | MappedAccount | MappedRep;

export type MapResult<T extends MappedRow = MappedRow> =
  | { ok: true; row: number; value: T }
  | { ok: false; row: number; errors: RowError[] };

export type RowMapper<T extends MappedRow = MappedRow> = (cells: readonly string[], row: number) => MapResult<T>;

type Value = string | number | boolean | Date | string[] | null;

interface CompiledField {
  key: string;
  target: TargetField;
  column: string | null;
  index: number;
  read: (cells: readonly string[]) => Value | { error: string };
}

/** Largest amount numeric(14,2) holds. */
const MAX_AMOUNT = 999_999_999_999;
const MAX_INT = 2_147_483_647;
const MAX_TEXT = 50_000;

function isError(v: Value | { error: string }): v is { error: string } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function compileField(key: string, target: TargetField, fm: FieldMapping, mapping: ImportMapping, ctx: MapperContext): CompiledField {
  const index = fm.column === undefined ? -1 : ctx.headers.indexOf(fm.column);
  if (fm.column !== undefined && index < 0) throw new Error(`The file has no column "${fm.column}".`);
  const nulls = new Set([...mapping.options.nullValues, ...(fm.nullValues ?? [])].map((v) => v.trim()));
  const valueMap = fm.values ? new Map(Object.entries(fm.values).map(([k, v]) => [k.trim().toLowerCase(), v])) : null;
  const exactMap = fm.values ? new Map(Object.entries(fm.values)) : null;
  const format = fm.format ?? mapping.options.dateFormat;
  const dateParser = target.type === "datetime" && format !== undefined && format !== "auto" ? compileDateFormat(format) : null;
  const zone = ctx.timeZone;
  const decimal = fm.decimal ?? ".";
  const multiply = fm.multiply ?? 1;
  const now = ctx.now.getTime();

  const parse = (raw: string | number | boolean): Value | { error: string } => {
    const text = typeof raw === "string" ? raw : String(raw);
    switch (target.type) {
      case "id":
      case "text":
      case "phone":
      case "country":
      case "url":
      case "rep":
      case "team":
        if (text.length > MAX_TEXT) return { error: `is longer than ${MAX_TEXT} characters` };
        return text;
      case "route":
        if (ctx.routeKeys && !ctx.routeKeys.has(text)) return { error: `"${text}" is not a route path of this workspace` };
        return text;
      case "email": {
        if (fm.emailDomain !== undefined && !text.includes("@")) {
          const built = emailFromName(text, fm.emailDomain);
          return built ?? { error: `"${text}" gives no email` };
        }
        return text;
      }
      case "datetime": {
        if (typeof raw !== "string") return { error: `${JSON.stringify(raw)} is not a date` };
        const ms = dateParser ? dateParser.parse(text, zone) : parseAutoDate(text, zone);
        if (ms === null) {
          return { error: dateParser ? `"${text}" is not a date in the format ${dateParser.format}` : `"${text}" is not a YYYY-MM-DD[ HH:mm:ss] date (set a format)` };
        }
        if (ms > now) return { error: `${new Date(ms).toISOString()} is in the future` };
        return new Date(ms);
      }
      case "number":
      case "integer": {
        const n = typeof raw === "number" ? raw : typeof raw === "boolean" ? null : parseNumber(text, decimal);
        if (n === null) return { error: `"${text}" is not a number` };
        const scaled = n * multiply;
        if (target.type === "integer") {
          if (!Number.isInteger(scaled) || scaled < 0 || scaled > MAX_INT) return { error: `"${text}" is not a whole number from 0 to ${MAX_INT}` };
        } else if (scaled < 0 || scaled > 1e9) {
          return { error: `"${text}" is out of range` };
        }
        return scaled;
      }
      case "employees": {
        const e = parseEmployees(typeof raw === "number" ? raw : text);
        if (e === null) return { error: `"${text}" is not a head count or range` };
        return Math.min(e.count, MAX_INT);
      }
      case "money": {
        const m = typeof raw === "number" ? { amount: raw, currency: null } : typeof raw === "boolean" ? null : parseMoney(text, decimal);
        if (m === null) return { error: `"${text}" is not an amount` };
        if (m.currency !== null && m.currency !== ctx.currency) {
          return { error: `"${text}" is in ${m.currency}; amounts must be in the workspace currency ${ctx.currency}` };
        }
        const amount = Math.round(m.amount * multiply * 100) / 100;
        if (Math.abs(amount) > MAX_AMOUNT) return { error: `${amount} is too large` };
        return amount;
      }
      case "boolean": {
        const b = typeof raw === "boolean" ? raw : parseBoolean(text);
        return b === null ? { error: `"${text}" is not yes/no, true/false or 1/0` } : b;
      }
      case "enum": {
        const lower = text.trim().toLowerCase();
        const allowed = target.values ?? [];
        if (allowed.includes(lower)) return lower;
        const alias = target.aliases?.[lower];
        if (alias !== undefined) return alias;
        return { error: `"${text}" is not one of ${allowed.join(", ")} (add it to the field's value map)` };
      }
      case "list":
        return parseList(text, fm.separator);
    }
  };

  const read = (cells: readonly string[]): Value | { error: string } => {
    let v: string | number | boolean | null;
    if (index >= 0) {
      const cell = (cells[index] ?? "").trim();
      v = nulls.has(cell) ? null : cell;
    } else {
      v = fm.constant ?? null;
    }
    if (v !== null && valueMap) {
      const key = String(v);
      if (exactMap!.has(key)) v = exactMap!.get(key)!;
      else if (valueMap.has(key.trim().toLowerCase())) v = valueMap.get(key.trim().toLowerCase())!;
      if (typeof v === "string" && nulls.has(v.trim())) v = null;
    }
    if (v === null && fm.default !== undefined) v = fm.default;
    return v === null ? null : parse(v);
  };

  return { key, target, column: fm.column ?? null, index, read };
}

/**
 * Builds the mapper for a parsed, checked mapping (see checkMapping). Throws when a mapped column is not in
 * `ctx.headers` or a date format is empty: the mapping, not a row, is wrong.
 */
export function createRowMapper(mapping: ImportMapping, ctx: MapperContext): RowMapper {
  const targets = targetsFor(mapping.kind);
  const fields: CompiledField[] = [];
  for (const target of targets) {
    const fm = mapping.fields[target.key];
    if (fm) fields.push(compileField(target.key, target, fm, mapping, ctx));
  }
  const mappedKeys: ReadonlySet<string> = new Set(fields.map((f) => f.key));
  const update = mapping.options.mode === "update";
  const synth = mapping.options.synthesizeReceivedAt;

  return (cells, row) => {
    const errors: RowError[] = [];
    const values = new Map<string, Value>();
    for (const f of fields) {
      const v = f.read(cells);
      if (isError(v)) errors.push({ row, column: f.column, field: f.key, message: `${f.target.label}: ${v.error}` });
      else values.set(f.key, v);
    }
    const get = (key: string): Value => values.get(key) ?? null;
    const str = (key: string): string | null => {
      const v = get(key);
      return typeof v === "string" && v !== "" ? v : null;
    };
    const num = (key: string): number | null => {
      const v = get(key);
      return typeof v === "number" ? v : null;
    };
    const date = (key: string): Date | null => {
      const v = get(key);
      return v instanceof Date ? v : null;
    };
    const bool = (key: string): boolean | null => {
      const v = get(key);
      return typeof v === "boolean" ? v : null;
    };
    const list = (key: string): string[] | null => {
      const v = get(key);
      return Array.isArray(v) ? v : null;
    };
    const requireValue = (key: string): void => {
      if (values.has(key) && get(key) === null && !errors.some((e) => e.field === key)) {
        const f = fields.find((x) => x.key === key)!;
        errors.push({ row, column: f.column, field: key, message: `${f.target.label} is required but empty` });
      }
    };
    const columnOf = (key: string): string | null => fields.find((x) => x.key === key)?.column ?? null;

    if (mapping.kind === "leads") {
      const externalId = str("external_id");
      if (update) {
        if (externalId === null && !errors.some((e) => e.field === "external_id")) {
          errors.push({ row, column: columnOf("external_id"), field: "external_id", message: "External ID is required to find the lead to update" });
        }
      }
      let receivedAt: Date | null = date("received_at");
      let receivedAtSynthetic = false;
      if (!update && synth && (!synth.onlyWhenMissing || (receivedAt === null && !errors.some((e) => e.field === "received_at")))) {
        receivedAt = synthesized(synth, row, ctx, externalId);
        receivedAtSynthetic = true;
        if (receivedAt.getTime() > ctx.now.getTime()) {
          errors.push({ row, column: null, field: "received_at", message: `Received at: the synthesized time ${receivedAt.toISOString()} is in the future (end the range before today)` });
        }
      }
      if (!update && receivedAt === null && !errors.some((e) => e.field === "received_at")) {
        errors.push({ row, column: columnOf("received_at"), field: "received_at", message: "Received at is required but empty" });
      }
      if (errors.length) return { ok: false, row, errors };
      const normalized = normalizeLead({
        email: str("email"), firstName: str("first_name"), lastName: str("last_name"), name: str("full_name"),
        company: str("company"), website: str("website"), phone: str("phone"), country: str("country"), region: str("region"),
        title: str("title"), employees: num("employees"), productInterest: str("product_interest"), message: str("message"),
      });
      const channel = str("channel");
      const category = str("category");
      const rejectReason = str("reject_reason");
      const lead: MappedLead = {
        kind: "leads",
        row,
        externalId,
        idempotencyKey: externalId !== null ? `import:${externalId}` : `import:${ctx.jobId}:${row}`,
        receivedAt,
        receivedAtSynthetic,
        email: normalized.email ?? normalized.emailOriginal,
        emailDomain: normalized.emailDomain,
        emailType: normalized.emailType,
        firstName: normalized.firstName,
        lastName: normalized.lastName,
        phone: normalized.phone?.e164 ?? normalized.phoneRaw,
        title: normalized.title,
        seniority: normalized.seniority,
        company: normalized.company,
        companyNameKey: normalized.companyNormalized,
        companyDomain: normalized.companyDomain,
        country: normalized.country,
        region: normalized.routingRegion,
        message: normalized.message,
        personKey: normalized.dedupe.personKey,
        inquiryKey: normalized.dedupe.inquiryKey,
        channel: channel === null ? null : toCode(channel) || null,
        productInterest: normalized.productInterest?.toLowerCase() ?? null,
        category: category === null ? null : toCode(category) || null,
        employees: normalized.employees,
        industry: str("industry"),
        existingCustomer: bool("existing_customer"),
        routePath: str("route_path"),
        owner: str("owner"),
        firstOwner: str("first_owner"),
        outcomes: {
          assignedAt: date("assigned_at"),
          firstTouchAt: date("first_touch_at"),
          decision: str("decision") as MappedOutcomes["decision"],
          decisionAt: date("decision_at"),
          rejectReason: rejectReason === null ? null : toCode(rejectReason) || null,
          meetingBookedAt: date("meeting_booked_at"),
          opportunityAmount: num("opportunity_amount"),
          opportunityAt: date("opportunity_at"),
          closedOutcome: str("closed_outcome") as MappedOutcomes["closedOutcome"],
          closedAt: date("closed_at"),
        },
      };
      return { ok: true, row, value: lead };
    }

    if (mapping.kind === "accounts") {
      requireValue("name");
      if (errors.length) return { ok: false, row, errors };
      const name = str("name")!;
      const domainText = str("domain") ?? str("website");
      const domain = domainText === null ? null : domainFromUrl(domainText);
      if (domainText !== null && domain === null) {
        const key = str("domain") !== null ? "domain" : "website";
        return { ok: false, row, errors: [{ row, column: columnOf(key), field: key, message: `"${domainText}" has no usable domain` }] };
      }
      const countryText = str("country");
      const country = countryText === null ? null : toCountryCode(countryText) ?? toCountryCode(countryText, { fuzzy: true });
      const regionText = str("region");
      const account: MappedAccount = {
        kind: "accounts",
        row,
        externalId: str("external_id"),
        name,
        nameKey: normalizeCompanyName(name),
        domain,
        owner: str("owner"),
        customerStatus: str("customer_status") as MappedAccount["customerStatus"],
        employees: num("employees"),
        industry: str("industry"),
        country,
        region: (regionText === null ? null : parseRoutingRegion(regionText) ?? regionText) ?? countryRegion(country),
        annualRevenue: num("annual_revenue"),
        mapped: mappedKeys,
      };
      return { ok: true, row, value: account };
    }

    requireValue("email");
    requireValue("name");
    const emailText = str("email");
    let email: string | null = null;
    if (emailText !== null) {
      const parsed = parseEmail(emailText);
      if (parsed.ok) email = parsed.email.address;
      else errors.push({ row, column: columnOf("email"), field: "email", message: `Email: ${parsed.message}` });
    }
    const weight = num("weight");
    if (weight !== null && weight > 1000) errors.push({ row, column: columnOf("weight"), field: "weight", message: `Weight: ${weight} is above 1000` });
    if (errors.length || email === null) return { ok: false, row, errors };
    const territories = list("territories");
    const rep: MappedRep = {
      kind: "reps",
      row,
      email,
      name: str("name")!,
      team: str("team"),
      role: str("role") as RepRole | null,
      title: str("title"),
      territories: territories === null ? null : territories.map((t) => toCountryCode(t) ?? parseRoutingRegion(t) ?? t.toUpperCase()),
      products: list("products")?.map((p) => p.toLowerCase()) ?? null,
      segments: list("segments")?.map((s) => toCode(s).replace(/_/g, "-")) ?? null,
      weight,
      maxOpenLeads: num("max_open_leads"),
      maxLeadsPerDay: num("max_leads_per_day"),
      active: bool("active"),
      mapped: mappedKeys,
    };
    return { ok: true, row, value: rep };
  };
}

function synthesized(range: SynthesizeReceivedAt, row: number, ctx: MapperContext, externalId: string | null): Date {
  return synthesizeReceivedAt({ row, totalRows: ctx.totalRows, key: externalId ?? `row:${row}`, range, zone: ctx.timeZone });
}
