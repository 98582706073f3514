/**
 * The import mapping: which source column (or constant) fills each target field, how its cells are read, and the
 * options of the whole import. Stored on import_jobs.mapping, written by the mapping screen, and committed as JSON
 * for the reference datasets (docs/import-mappings/). Format documented in docs/import.md.
 */
import { z } from "zod";
import { ImportKind, RepRole, targetField, targetsFor, type ImportKind as Kind } from "./targets";

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/** How one target field is filled. Give `column` or `constant` (not both). */
export const FieldMapping = z.strictObject({
  /** Source column header, exactly as in the file. */
  column: z.string().min(1).max(300).optional(),
  /** A fixed value for every row (instead of a column). */
  constant: Scalar.optional(),
  /** Used when the cell is empty (or a null value). */
  default: Scalar.optional(),
  /** Dates: a luxon format ("dd/MM/yyyy HH:mm") or "iso"; default: YYYY-MM-DD[ HH:mm:ss] only. */
  format: z.string().min(1).max(64).optional(),
  /** Value map, applied before parsing: source value → target value (null = treat as empty). Case-insensitive. */
  values: z.record(z.string(), z.union([Scalar, z.null()])).optional(),
  /** Extra cell values that mean "empty" for this field (added to the import's nullValues). */
  nullValues: z.array(z.string()).max(100).optional(),
  /** Numbers and money: multiply (e.g. 1000000 for "revenue in millions"). */
  multiply: z.number().positive().finite().optional(),
  /** Numbers and money: the decimal separator of the file ("," for 1.234,56). */
  decimal: z.enum([".", ","]).optional(),
  /** Lists: the separator (default any of ; | ,). */
  separator: z.string().min(1).max(5).optional(),
  /** Email targets: build first.last@<emailDomain> from the cell when it holds a name, not an address. */
  emailDomain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, { error: "an email domain such as reps.example.com" }).optional(),
  /** Rep targets: what to do when no rep has this email or name (default: the import's unknownOwner option). */
  ifUnknown: z.enum(["error", "create", "ignore"]).optional(),
  /** Rep targets with ifUnknown "create": the new rep's role and team (created when missing). */
  createAs: z.strictObject({ role: RepRole.optional(), team: z.string().min(1).max(120).optional() }).optional(),
});
export type FieldMapping = z.infer<typeof FieldMapping>;

export const SynthesizeReceivedAt = z.strictObject({
  /** First day (YYYY-MM-DD, in the import's time zone). */
  from: z.iso.date({ error: "a date YYYY-MM-DD" }),
  /** Last day, inclusive. */
  to: z.iso.date({ error: "a date YYYY-MM-DD" }),
  /** Only for rows whose received-at cell is empty (the column is mapped); default: every row. */
  onlyWhenMissing: z.boolean().default(false),
  /** The file lists the newest lead first (reverse the spread). */
  newestFirst: z.boolean().default(false),
});
export type SynthesizeReceivedAt = z.infer<typeof SynthesizeReceivedAt>;

/** Values read as empty in every column unless the mapping says otherwise. */
export const DEFAULT_NULL_VALUES = ["", "null", "NULL", "Null", "n/a", "N/A", "#N/A", "none", "None", "-", "--", "nan", "NaN"] as const;

export const ImportOptions = z.strictObject({
  /** insert: new leads (existing external ids are skipped). update: append outcomes to leads imported before. */
  mode: z.enum(["insert", "update"]).default("insert"),
  /** IANA zone for naive timestamps; default the workspace's. */
  timeZone: z.string().min(1).max(64).optional(),
  /** Column delimiter; default detected from the header line. */
  delimiter: z.enum([",", ";", "\t", "|"]).optional(),
  /** Cell values that mean "empty" in every column. */
  nullValues: z.array(z.string()).max(100).default([...DEFAULT_NULL_VALUES]),
  /** Default date format for date fields without their own `format`. */
  dateFormat: z.string().min(1).max(64).optional(),
  /** Files without timestamps: spread received times over a date range, deterministically (marked synthetic). */
  synthesizeReceivedAt: SynthesizeReceivedAt.optional(),
  /** Amounts are in this currency (must be the workspace's); default the workspace's. */
  currency: z.string().regex(/^[A-Z]{3}$/, { error: "an ISO 4217 code such as USD" }).optional(),
  /** Decide route paths with the published decision table when route_path is not mapped (default true). */
  decideRoute: z.boolean().default(true),
  /** Owners (and account owners) that match no rep: a row error, a new rep, or no owner. */
  unknownOwner: z.enum(["error", "create", "ignore"]).default("error"),
});
export type ImportOptions = z.infer<typeof ImportOptions>;

export const ImportMapping = z.strictObject({
  version: z.literal(1).default(1),
  kind: ImportKind,
  /** Target field key (see targets.ts) → how to fill it. Unmapped targets stay empty. */
  fields: z.record(z.string(), FieldMapping),
  options: ImportOptions.prefault({}),
});
export type ImportMapping = z.infer<typeof ImportMapping>;
export type ImportMappingInput = z.input<typeof ImportMapping>;

/** A problem with a mapping; `path` is dotted ("fields.received_at.column", "options.timeZone"). */
export interface MappingIssue {
  path: string;
  message: string;
}

export interface CheckMappingOptions {
  /** The file's header; when given, mapped columns must be in it. */
  headers?: readonly string[];
  /** Valid IANA zone test (lib/calendar isValidTimeZone); skipped when absent. */
  isValidTimeZone?: (zone: string) => boolean;
}

/**
 * Checks a parsed mapping against its kind and (optionally) the file header: unknown targets, fields with neither
 * or both of column/constant, columns not in the file, required targets missing (received_at may be replaced by
 * synthesized times; update mode needs only external_id), synthesized ranges that end before they start, and
 * options that only apply to leads. Returns every issue (empty = usable).
 */
export function checkMapping(mapping: ImportMapping, options: CheckMappingOptions = {}): MappingIssue[] {
  const issues: MappingIssue[] = [];
  const kind: Kind = mapping.kind;
  const headers = options.headers ? new Set(options.headers) : null;
  for (const [key, field] of Object.entries(mapping.fields)) {
    const target = targetField(kind, key);
    if (!target) {
      issues.push({ path: `fields.${key}`, message: `"${key}" is not a ${kind} field.` });
      continue;
    }
    if (field.column === undefined && field.constant === undefined) {
      issues.push({ path: `fields.${key}`, message: `${target.label}: choose a column or give a constant.` });
    }
    if (field.column !== undefined && field.constant !== undefined) {
      issues.push({ path: `fields.${key}`, message: `${target.label}: give a column or a constant, not both.` });
    }
    if (field.column !== undefined && headers && !headers.has(field.column)) {
      issues.push({ path: `fields.${key}.column`, message: `${target.label}: the file has no column "${field.column}".` });
    }
    if (field.emailDomain !== undefined && target.type !== "email") {
      issues.push({ path: `fields.${key}.emailDomain`, message: `${target.label}: emailDomain applies to email fields only.` });
    }
    if ((field.ifUnknown !== undefined || field.createAs !== undefined) && target.type !== "rep") {
      issues.push({ path: `fields.${key}.ifUnknown`, message: `${target.label}: ifUnknown/createAs apply to rep fields only.` });
    }
  }
  const update = mapping.options.mode === "update";
  if (update && kind !== "leads") issues.push({ path: "options.mode", message: "The outcomes update applies to lead imports only." });
  if (mapping.options.synthesizeReceivedAt && kind !== "leads") {
    issues.push({ path: "options.synthesizeReceivedAt", message: "Synthesized received times apply to lead imports only." });
  }
  const synth = mapping.options.synthesizeReceivedAt;
  if (synth && synth.to < synth.from) issues.push({ path: "options.synthesizeReceivedAt.to", message: "The range ends before it starts." });
  if (synth?.onlyWhenMissing && mapping.fields.received_at === undefined) {
    issues.push({ path: "options.synthesizeReceivedAt.onlyWhenMissing", message: "Only-when-missing needs a received-at column." });
  }
  if (update) {
    if (mapping.fields.external_id === undefined) issues.push({ path: "fields.external_id", message: "The outcomes update finds leads by External ID: map it." });
  } else {
    for (const target of targetsFor(kind)) {
      if (!target.required || mapping.fields[target.key] !== undefined) continue;
      if (target.key === "received_at" && synth && !synth.onlyWhenMissing) continue;
      issues.push({
        path: `fields.${target.key}`,
        message: target.key === "received_at"
          ? "Received at is required: map a date column or synthesize received times for a file without timestamps."
          : `${target.label} is required.`,
      });
    }
  }
  if (mapping.options.timeZone !== undefined && options.isValidTimeZone && !options.isValidTimeZone(mapping.options.timeZone)) {
    issues.push({ path: "options.timeZone", message: `"${mapping.options.timeZone}" is not an IANA time zone.` });
  }
  return issues;
}
