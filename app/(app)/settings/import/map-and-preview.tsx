"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { formatCount } from "@/lib/format";
import { ImportMapping, type FieldMapping, type ImportMappingInput } from "@/lib/import/mapping.schema";
import { REP_ROLES } from "@/lib/import/targets";
import { useTRPC } from "../../../_trpc/client";
import { ErrorState, TableSkeleton } from "../../../_components/states";
import { errorLines, KIND_LABELS, Stepper, TYPE_LABELS, type Analysis, type Column, type JobView, type PreviewResult, type Target } from "./shared";
import styles from "./import.module.css";

type Fields = Record<string, FieldMapping>;
type Options = NonNullable<ImportMappingInput["options"]>;

interface Synth {
  on: boolean;
  from: string;
  to: string;
  onlyWhenMissing: boolean;
  newestFirst: boolean;
}

const DATE_FORMATS = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "iso", "dd/MM/yyyy", "MM/dd/yyyy", "dd/MM/yyyy HH:mm", "MM/dd/yyyy h:mm a", "dd.MM.yyyy"];
const GROUPS: Array<[Target["group"], string]> = [
  ["identity", "Identity"], ["contact", "Contact"], ["company", "Company"], ["routing", "Routing facts"], ["outcome", "Owner and outcomes"], ["profile", "Profile"],
];

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Mapping (with detected types and samples) and preview of an uploaded file; then start. */
export function MapAndPreview({ job }: { job: JobView }) {
  const trpc = useTRPC();
  const analysis = useQuery({ ...trpc.import.analyze.queryOptions({ id: job.id }), staleTime: Infinity });
  if (analysis.isPending) {
    return (
      <>
        <Stepper current={1} />
        <div className="card"><div className="card-head"><div><h2>Reading {job.filename}…</h2><p>Detecting column types from the first 1,000 rows.</p></div></div><TableSkeleton rows={8} cols={3} /></div>
      </>
    );
  }
  if (analysis.isError) return <ErrorState title="The file could not be analysed" error={analysis.error} onRetry={() => analysis.refetch()} />;
  return <Editor job={job} analysis={analysis.data} />;
}

function Editor({ job, analysis }: { job: JobView; analysis: Analysis }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const initial = (job.mapping ?? analysis.suggestion) as ImportMappingInput;
  const [fields, setFields] = useState<Fields>(initial.fields);
  const [options, setOptions] = useState<Options>(initial.options ?? {});
  const [synth, setSynth] = useState<Synth>(() => {
    const s = initial.options?.synthesizeReceivedAt;
    const now = Date.now();
    return {
      on: s !== undefined || (analysis.needsReceivedAt && job.kind === "leads"),
      from: s?.from ?? isoDay(new Date(now - 90 * 86_400_000)),
      to: s?.to ?? isoDay(new Date(now - 86_400_000)),
      onlyWhenMissing: s?.onlyWhenMissing ?? false,
      newestFirst: s?.newestFirst ?? false,
    };
  });
  const [step, setStep] = useState<"map" | "preview">("map");
  const [jsonText, setJsonText] = useState<string | null>(null);
  const [jsonError, setJsonError] = useState<string | null>(null);

  const kind = job.kind;
  const leads = kind === "leads";
  const update = options.mode === "update";
  const mapping: ImportMappingInput = useMemo(() => ({
    version: 1,
    kind,
    fields,
    options: { ...options, synthesizeReceivedAt: leads && !update && synth.on ? { from: synth.from, to: synth.to, onlyWhenMissing: synth.onlyWhenMissing, newestFirst: synth.newestFirst } : undefined },
  }), [kind, fields, options, synth, leads, update]);

  const preview = useMutation(trpc.import.preview.mutationOptions({ onSuccess: () => setStep("preview") }));
  const start = useMutation(trpc.import.start.mutationOptions({
    onSuccess: (data) => {
      queryClient.setQueryData(trpc.import.get.queryKey({ id: job.id }), data);
      void queryClient.invalidateQueries({ queryKey: trpc.import.list.queryKey() });
    },
  }));

  const setField = (key: string, next: FieldMapping | null) => {
    setFields((prev) => {
      const copy = { ...prev };
      if (next === null) delete copy[key];
      else copy[key] = next;
      return copy;
    });
    preview.reset();
  };

  const byName = new Map(analysis.columns.map((c) => [c.name, c]));
  const mappedCount = Object.keys(fields).length;

  if (step === "preview" && preview.data) {
    return (
      <>
        <Stepper current={2} />
        <PreviewTable result={preview.data} targets={analysis.targets} totalRows={job.totalRows} />
        {start.isError ? <div className="error-box" role="alert" style={{ marginTop: 12 }}>{errorLines(start.error).map((l) => <div key={l}>{l}</div>)}</div> : null}
        <div className={styles.actions} style={{ borderTop: 0, paddingRight: 0 }}>
          <button className="btn" type="button" onClick={() => setStep("map")}>← Back to mapping</button>
          <button className="btn btn-primary" type="button" disabled={start.isPending} onClick={() => start.mutate({ id: job.id, mapping })}>
            {start.isPending ? "Starting…" : `Start import of ${formatCount(job.totalRows)} rows`}
          </button>
        </div>
      </>
    );
  }

  return (
    <>
      <Stepper current={1} />
      <div className="stack">
        <section className="card" aria-labelledby="map-title">
          <div className="card-head">
            <div>
              <h2 id="map-title">Map the columns of {job.filename}</h2>
              <p>
                {KIND_LABELS[kind]} · {formatCount(job.totalRows)} rows · {analysis.headers.length} columns · delimiter “{analysis.delimiter === "\t" ? "tab" : analysis.delimiter}” ·
                {" "}suggested from header names and the types detected in the first {formatCount(analysis.sampleRows)} rows. {mappedCount} fields mapped.
              </p>
            </div>
          </div>
          <div className="table-wrap">
            <table className={`data ${styles.mapTable}`}>
              <thead>
                <tr>
                  <th scope="col" style={{ width: "26%" }}>Switchyard field</th>
                  <th scope="col" style={{ width: "40%" }}>Source column</th>
                  <th scope="col">Detected in the file</th>
                </tr>
              </thead>
              <tbody>
                {GROUPS.map(([group, title]) => {
                  const targets = analysis.targets.filter((t) => t.group === group);
                  if (targets.length === 0) return null;
                  return [
                    <tr key={`g-${group}`} className={styles.groupRow}><th colSpan={3} scope="colgroup">{title}</th></tr>,
                    ...targets.map((t) => (
                      <FieldRow key={t.key} target={t} field={fields[t.key]} columns={analysis.columns} byName={byName} kind={kind}
                        required={Boolean(t.required) && !(update && t.key !== "external_id") && !(t.key === "received_at" && synth.on && !synth.onlyWhenMissing && leads)}
                        onChange={(next) => setField(t.key, next)} />
                    )),
                  ];
                })}
              </tbody>
            </table>
          </div>
        </section>

        <section className="card" aria-labelledby="options-title">
          <div className="card-head"><div><h2 id="options-title">Options</h2><p>How times, empty values and unknown owners are read.</p></div></div>
          <div className={`card-body ${styles.options}`}>
            {leads ? (
              <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
                <legend style={{ fontWeight: 600, fontSize: 13, color: "var(--text-2)", marginBottom: 6 }}>Mode</legend>
                <label className={styles.check}><input type="radio" name="mode" checked={!update} onChange={() => setOptions({ ...options, mode: "insert" })} /> <span>New leads <span className="muted small">(rows whose external id was imported before are skipped)</span></span></label>
                <label className={styles.check}><input type="radio" name="mode" checked={update} onChange={() => setOptions({ ...options, mode: "update" })} /> <span>Update outcomes <span className="muted small">of leads imported before, found by external id</span></span></label>
              </fieldset>
            ) : null}
            <div className="field">
              <label htmlFor="opt-tz">Time zone of naive timestamps</label>
              <input id="opt-tz" type="text" placeholder={`${analysis.workspace.timeZone} (workspace)`} value={options.timeZone ?? ""} onChange={(e) => setOptions({ ...options, timeZone: e.target.value.trim() || undefined })} />
              <span className="muted small">Values with an offset (Z, +02:00) keep it.</span>
            </div>
            <div className="field">
              <label htmlFor="opt-owner">Owners that match no rep</label>
              <select id="opt-owner" value={options.unknownOwner ?? "error"} onChange={(e) => setOptions({ ...options, unknownOwner: e.target.value as Options["unknownOwner"] })}>
                <option value="error">Row error (import the reps first)</option>
                <option value="create">Create the rep</option>
                <option value="ignore">Import without an owner</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="opt-nulls">Values that mean “empty”</label>
              <input id="opt-nulls" type="text" value={(options.nullValues ?? []).filter((v) => v !== "").join(", ")}
                onChange={(e) => setOptions({ ...options, nullValues: ["", ...e.target.value.split(",").map((v) => v.trim()).filter(Boolean)] })} />
              <span className="muted small">Comma-separated, e.g. Select, N/A, unknown.</span>
            </div>
            {leads && !update ? (
              <div className="field">
                <label className={styles.check}>
                  <input type="checkbox" checked={options.decideRoute ?? true} onChange={(e) => setOptions({ ...options, decideRoute: e.target.checked })} />
                  <span>Decide route paths with the published decision table <span className="muted small">(when no route column is mapped)</span></span>
                </label>
              </div>
            ) : null}
            {leads && !update ? (
              <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
                <legend style={{ fontWeight: 600, fontSize: 13, color: "var(--text-2)", marginBottom: 6 }}>Received times</legend>
                <label className={styles.check}>
                  <input type="checkbox" checked={synth.on} onChange={(e) => setSynth({ ...synth, on: e.target.checked })} />
                  <span>Synthesize received times <span className="muted small">(files without timestamps; spread over the range, deterministically, and marked synthetic on each lead)</span></span>
                </label>
                {synth.on ? (
                  <div className={styles.inline}>
                    <label htmlFor="synth-from">From</label>
                    <input id="synth-from" type="date" value={synth.from} onChange={(e) => setSynth({ ...synth, from: e.target.value })} />
                    <label htmlFor="synth-to">To</label>
                    <input id="synth-to" type="date" value={synth.to} onChange={(e) => setSynth({ ...synth, to: e.target.value })} />
                    <span />
                    <label className={styles.check}><input type="checkbox" checked={synth.onlyWhenMissing} onChange={(e) => setSynth({ ...synth, onlyWhenMissing: e.target.checked })} /> Only where the received column is empty</label>
                    <span />
                    <label className={styles.check}><input type="checkbox" checked={synth.newestFirst} onChange={(e) => setSynth({ ...synth, newestFirst: e.target.checked })} /> The file lists the newest lead first</label>
                  </div>
                ) : null}
              </fieldset>
            ) : null}
          </div>
          <details className="card-body" style={{ borderTop: "1px solid var(--border)" }}
            onToggle={(e) => { if ((e.target as HTMLDetailsElement).open) setJsonText(JSON.stringify(mapping, null, 2)); }}>
            <summary style={{ cursor: "pointer", fontWeight: 600 }}>Mapping as JSON (load one from docs/import-mappings, or save this one)</summary>
            <div className="stack" style={{ gap: 8, marginTop: 10 }}>
              <label htmlFor="mapping-json" className="sr-only">Mapping JSON</label>
              <textarea id="mapping-json" className={styles.json} value={jsonText ?? ""} onChange={(e) => setJsonText(e.target.value)} spellCheck={false} />
              {jsonError ? <div className="field-error" role="alert">{jsonError}</div> : null}
              <div className="row">
                <button className="btn" type="button" onClick={() => {
                  try {
                    const parsed = ImportMapping.safeParse(JSON.parse(jsonText ?? ""));
                    if (!parsed.success) {
                      setJsonError(parsed.error.issues.map((i) => `${i.path.join(".") || "mapping"}: ${i.message}`).join("; "));
                      return;
                    }
                    if (parsed.data.kind !== kind) {
                      setJsonError(`This mapping is for ${parsed.data.kind}; the file was uploaded as ${kind}.`);
                      return;
                    }
                    const { synthesizeReceivedAt: s, ...rest } = parsed.data.options;
                    setFields(parsed.data.fields);
                    setOptions(rest);
                    setSynth(s ? { on: true, ...s } : { ...synth, on: false });
                    setJsonError(null);
                    preview.reset();
                  } catch (error) {
                    setJsonError(`Not JSON: ${error instanceof Error ? error.message : String(error)}`);
                  }
                }}>Apply JSON</button>
              </div>
            </div>
          </details>
        </section>

        {preview.isError ? (
          <div className="error-box" role="alert">
            <strong>The mapping needs attention.</strong>
            <ul style={{ margin: "6px 0 0", paddingLeft: 18 }}>{errorLines(preview.error).map((l) => <li key={l}>{l}</li>)}</ul>
          </div>
        ) : null}
        <div className={styles.actions} style={{ borderTop: 0, paddingRight: 0 }}>
          <span className="muted small">The preview maps, resolves owners and decides routes for the first 20 rows, writing nothing.</span>
          <button className="btn btn-primary" type="button" disabled={preview.isPending} onClick={() => preview.mutate({ id: job.id, mapping })}>
            {preview.isPending ? "Previewing…" : "Preview 20 rows →"}
          </button>
        </div>
      </div>
    </>
  );
}

function sourceValue(field: FieldMapping | undefined): string {
  if (!field) return "";
  if (field.column !== undefined) return `col:${field.column}`;
  return "const";
}

function autoValue(target: Target, value: string): string | null {
  const lower = value.trim().toLowerCase();
  if (target.values?.includes(lower)) return lower;
  return target.aliases?.[lower] ?? null;
}

function FieldRow({ target, field, columns, byName, kind, required, onChange }: {
  target: Target;
  field: FieldMapping | undefined;
  columns: readonly Column[];
  byName: Map<string, Column>;
  kind: string;
  required: boolean;
  onChange: (next: FieldMapping | null) => void;
}) {
  const id = `src-${target.key}`;
  const column = field?.column !== undefined ? byName.get(field.column) : undefined;
  const patch = (p: Partial<FieldMapping>) => {
    const next = { ...field, ...p } as FieldMapping;
    for (const k of Object.keys(next) as Array<keyof FieldMapping>) if (next[k] === undefined) delete next[k];
    onChange(next);
  };
  return (
    <tr>
      <td className={styles.target}>
        <label htmlFor={id}>
          <strong>{target.label}{required ? <span className={styles.req} aria-hidden>*</span> : null}</strong>
        </label>
        {target.description ? <div className={styles.desc}>{target.description}</div> : null}
      </td>
      <td>
        <select
          id={id}
          aria-required={required || undefined}
          value={sourceValue(field)}
          onChange={(e) => {
            const v = e.target.value;
            if (v === "") return onChange(null);
            if (v === "const") return onChange({ constant: target.values?.[0] ?? "" });
            const name = v.slice(4);
            const c = byName.get(name);
            const next: FieldMapping = { column: name };
            if (target.type === "datetime" && c?.format) next.format = c.format;
            if (c?.decimal === ",") next.decimal = ",";
            if (field?.ifUnknown) next.ifUnknown = field.ifUnknown;
            if (field?.createAs) next.createAs = field.createAs;
            onChange(next);
          }}
        >
          <option value="">— Not mapped —</option>
          <option value="const">A fixed value for every row…</option>
          <optgroup label="Columns">
            {columns.map((c) => <option key={c.index} value={`col:${c.name}`}>{c.name} ({TYPE_LABELS[c.type] ?? c.type})</option>)}
          </optgroup>
        </select>
        {field && field.column === undefined ? (
          <div className={styles.inline}>
            <label htmlFor={`const-${target.key}`}>Value</label>
            {target.type === "enum" ? (
              <select id={`const-${target.key}`} value={String(field.constant ?? "")} onChange={(e) => patch({ constant: e.target.value })}>
                {target.values?.map((v) => <option key={v} value={v}>{v}</option>)}
              </select>
            ) : (
              <input id={`const-${target.key}`} type="text" value={String(field.constant ?? "")} onChange={(e) => patch({ constant: e.target.value })} />
            )}
          </div>
        ) : null}
        {field?.column !== undefined && target.type === "datetime" ? (
          <div className={styles.inline}>
            <label htmlFor={`fmt-${target.key}`}>Format</label>
            <input id={`fmt-${target.key}`} type="text" list="import-date-formats" placeholder="yyyy-MM-dd HH:mm:ss" value={field.format ?? ""} onChange={(e) => patch({ format: e.target.value.trim() || undefined })} />
            <datalist id="import-date-formats">{DATE_FORMATS.map((f) => <option key={f} value={f} />)}</datalist>
          </div>
        ) : null}
        {field?.column !== undefined && target.type === "enum" && column?.values ? (
          <div className={styles.valueMap} role="group" aria-label={`${target.label}: value map`}>
            {column.values.slice(0, 12).map(({ value }) => {
              const mapped = field.values && value in field.values ? field.values[value] : undefined;
              const auto = autoValue(target, value);
              const selectId = `vm-${target.key}-${value}`;
              return [
                <label key={`l-${value}`} htmlFor={selectId} className={styles.sample} title={value}>{value}</label>,
                <span key={`a-${value}`} aria-hidden>→</span>,
                <select key={`s-${value}`} id={selectId} value={mapped === undefined ? "" : mapped === null ? "__null" : String(mapped)}
                  onChange={(e) => {
                    const values = { ...field.values };
                    if (e.target.value === "") delete values[value];
                    else values[value] = e.target.value === "__null" ? null : e.target.value;
                    patch({ values: Object.keys(values).length ? values : undefined });
                  }}>
                  <option value="">{auto ? `auto: ${auto}` : "⚠ not allowed"}</option>
                  {target.values?.map((v) => <option key={v} value={v}>{v}</option>)}
                  <option value="__null">(leave empty)</option>
                </select>,
              ];
            })}
          </div>
        ) : null}
        {field && target.type === "rep" ? (
          <div className={styles.inline}>
            <label htmlFor={`unk-${target.key}`}>If unknown</label>
            <select id={`unk-${target.key}`} value={field.ifUnknown ?? ""} onChange={(e) => patch({ ifUnknown: (e.target.value || undefined) as FieldMapping["ifUnknown"] })}>
              <option value="">As in the options</option>
              <option value="error">Row error</option>
              <option value="create">Create the rep</option>
              <option value="ignore">No owner</option>
            </select>
            {field.ifUnknown === "create" ? (
              <>
                <label htmlFor={`role-${target.key}`}>New rep role</label>
                <select id={`role-${target.key}`} value={field.createAs?.role ?? ""} onChange={(e) => patch({ createAs: { ...field.createAs, role: (e.target.value || undefined) as (typeof REP_ROLES)[number] | undefined } })}>
                  <option value="">{target.key === "first_owner" ? "sdr (default)" : "ae (default)"}</option>
                  {REP_ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                </select>
                <label htmlFor={`team-${target.key}`}>New rep team</label>
                <input id={`team-${target.key}`} type="text" placeholder="Imported reps" value={field.createAs?.team ?? ""} onChange={(e) => patch({ createAs: { ...field.createAs, team: e.target.value || undefined } })} />
              </>
            ) : null}
          </div>
        ) : null}
        {field?.column !== undefined && target.type === "email" && kind === "reps" ? (
          <div className={styles.inline}>
            <label htmlFor={`dom-${target.key}`}>From names at</label>
            <input id={`dom-${target.key}`} type="text" placeholder="reps.example.com" value={field.emailDomain ?? ""} onChange={(e) => patch({ emailDomain: e.target.value.trim() || undefined })} />
          </div>
        ) : null}
        {field?.column !== undefined && (target.type === "money" || target.type === "number") ? (
          <div className={styles.inline}>
            <label htmlFor={`mul-${target.key}`}>Multiply by</label>
            <input id={`mul-${target.key}`} type="text" inputMode="decimal" placeholder="1" value={field.multiply ?? ""} onChange={(e) => {
              const n = Number(e.target.value);
              patch({ multiply: e.target.value.trim() && Number.isFinite(n) && n > 0 ? n : undefined });
            }} />
          </div>
        ) : null}
      </td>
      <td>
        {column ? (
          <div>
            <span className="badge">{TYPE_LABELS[column.type] ?? column.type}{column.format ? ` · ${column.format}` : ""}</span>
            {column.ambiguous ? (
              <div className="small" style={{ color: "var(--warn)", marginTop: 4 }}>
                Day and month could be either way round.{" "}
                {column.alternativeFormat ? <button type="button" className="btn btn-ghost small" style={{ color: "var(--brand)", minHeight: 0, padding: 0 }} onClick={() => patch({ format: column.alternativeFormat })}>Use {column.alternativeFormat}</button> : null}
              </div>
            ) : null}
            <div className={styles.samples}>{column.samples.slice(0, 3).map((s) => <span key={s} className={styles.sample} title={s}>{s}</span>)}</div>
            <div className="muted small" style={{ marginTop: 2 }}>{formatCount(column.nonEmpty)} filled · {formatCount(column.distinct)} distinct</div>
          </div>
        ) : field ? <span className="muted small">Fixed value</span> : <span className="muted small">—</span>}
      </td>
    </tr>
  );
}

function PreviewTable({ result, targets, totalRows }: { result: PreviewResult; targets: readonly Target[]; totalRows: number | null }) {
  const label = new Map(targets.map((t) => [t.key, t.label]));
  const keys = result.keys.slice(0, 7);
  const bad = result.rows.filter((r) => !r.ok).length;
  return (
    <section className="card" aria-labelledby="preview-title">
      <div className="card-head">
        <div>
          <h2 id="preview-title">Preview of the first {result.rows.length} rows</h2>
          <p>
            {result.rows.length - bad} ready, {bad} with errors. Rows with errors are skipped and listed in the job; they never stop the import of the {formatCount(totalRows)} rows.
          </p>
        </div>
        {bad ? <span className="badge badge-bad">{bad} with errors</span> : <span className="badge badge-good">All ready</span>}
      </div>
      {result.rows.length === 0 ? (
        <div className="empty"><h2>The file has no data rows</h2><p>Only a header was found.</p></div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col" className="num">Row</th>
                <th scope="col">Result</th>
                {keys.map((k) => <th key={k} scope="col">{label.get(k) ?? k}</th>)}
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.row} className={r.ok ? undefined : styles.rowBad}>
                  <td className="num">{r.row}</td>
                  <td style={{ minWidth: 240 }}>
                    {r.ok && r.outcome ? (
                      <>
                        <span className={`badge ${r.outcome.action === "skip" ? "" : "badge-good"}`}>{r.outcome.action === "insert" ? "New" : r.outcome.action === "update" ? "Update" : "Nothing new"}</span>
                        {r.outcome.status ? <span className="badge" style={{ marginLeft: 4 }}>{r.outcome.status}</span> : null}
                        {r.outcome.route ? <span className="badge" style={{ marginLeft: 4 }}>{r.outcome.route}{r.outcome.ruleId ? ` · ${r.outcome.ruleId}` : ""}</span> : null}
                        {r.outcome.owner ? <div className="small" style={{ marginTop: 4 }}>Owner: {r.outcome.owner}</div> : null}
                        {r.outcome.events?.length ? <div className={styles.events}>{r.outcome.events.join(" → ")}</div> : null}
                        {r.outcome.creates?.length ? <div className="small" style={{ color: "var(--warn)" }}>Creates {r.outcome.creates.join(", ")}</div> : null}
                        {r.outcome.note ? <div className={styles.events}>{r.outcome.note}</div> : null}
                      </>
                    ) : (
                      <>
                        <span className="badge badge-bad">Error</span>
                        <ul className={styles.rowErrors}>{r.errors.map((e, i) => <li key={i}>{e.column ? <strong>{e.column}: </strong> : null}{e.message}</li>)}</ul>
                      </>
                    )}
                  </td>
                  {keys.map((k) => <td key={k} className={styles.cell} title={r.values[k] ?? ""}>{r.values[k] ?? <span className="muted">—</span>}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
