"use client";

/**
 * "Why was this lead routed here": the pipeline steps of a lead, rendered from its event log — what each step saw
 * and decided. Works for live-routed leads (full detail) and imported or seeded history (whatever was recorded).
 */
import { classifierLabel, formatMinutes, formatPercent, humanize } from "@/lib/format";
import type { RouterOutputs } from "../../../_trpc/types";
import { formatFullDateTime } from "../../../_components/dates";

type LeadEvent = RouterOutputs["leads"]["byId"]["events"][number];
type Data = Record<string, unknown>;

const asData = (e: LeadEvent | undefined): Data => (e?.data as Data | undefined) ?? {};
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function show(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) return v.map(show).join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function Step({ n, title, status, children, ms }: { n: number; title: string; status?: "ok" | "warn" | "bad"; children: React.ReactNode; ms?: number | null }) {
  return (
    <li className={`trace-step trace-${status ?? "ok"}`}>
      <div className="trace-head">
        <span className="trace-n" aria-hidden>{n}</span>
        <h3>{title}</h3>
        {ms != null ? <span className="muted small">{ms < 1 ? "<1" : Math.round(ms)} ms</span> : null}
      </div>
      <div className="trace-body">{children}</div>
    </li>
  );
}

function KeyValues({ rows }: { rows: Array<[string, React.ReactNode]> }) {
  return (
    <dl className="facts">
      {rows.map(([k, v]) => (
        <Row key={k} k={k} v={v} />
      ))}
    </dl>
  );
}

function Row({ k, v }: { k: string; v: React.ReactNode }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </>
  );
}

export function DecisionTrace({ events }: { events: LeadEvent[] }) {
  const first = (type: string) => events.find((e) => e.type === type);
  const all = (type: string) => events.filter((e) => e.type === type);
  const received = first("received");
  const validated = first("validated");
  const junk = first("junk_flagged");
  const duplicate = first("duplicate_linked");
  const enriched = first("enriched");
  const classified = first("classified");
  const scored = first("scored");
  const decided = first("decided");
  const review = all("queued_for_review");
  const assigned = first("assigned");
  const failures = all("step_failed");
  let n = 0;

  const input = asData(received).input as Data | undefined;
  const normalized = asData(validated).normalized as Data | undefined;
  const issues = (asData(validated).issues as Array<{ field: string; message: string; severity?: string }> | undefined) ?? [];

  return (
    <ol className="trace" aria-label="Decision trace">
      {received ? (
        <Step n={++n} title="Received">
          <p className="muted small" style={{ marginTop: 0 }}>
            {formatFullDateTime(received.occurred_at)} via {humanize(str(asData(received).channel) ?? "web")}
            {str(asData(received).idempotencyKey) ? <> · event id <code>{str(asData(received).idempotencyKey)}</code></> : null}
          </p>
          {input ? <InputSummary input={input} /> : <p className="muted small">Imported or generated history: the original submission was not an API call.</p>}
        </Step>
      ) : null}

      {validated ? (
        <Step n={++n} title="Validated and normalised" status={issues.some((i) => i.severity === "error") ? "warn" : "ok"} ms={validated.duration_ms}>
          {normalized ? (
            <KeyValues rows={[
              ["Email", <>{show(normalized.email)} {str(normalized.emailType) ? <span className="badge">{humanize(str(normalized.emailType))}</span> : null}</>],
              ["Company / domain", `${show(normalized.company)} · ${show(normalized.companyDomain)}`],
              ["Country / region", `${show(normalized.country)} · ${show(normalized.region)}`],
              ["Title / seniority", `${show(normalized.title)} · ${humanize(str(normalized.seniority))}`],
              ["Employees", show(normalized.employees)],
              ["Phone", show(normalized.phone)],
            ]} />
          ) : null}
          {issues.length ? (
            <ul className="small" style={{ margin: "8px 0 0", paddingLeft: 18 }}>
              {issues.map((i, k) => <li key={k}><strong>{i.field}</strong>: {i.message}</li>)}
            </ul>
          ) : <p className="muted small" style={{ margin: "6px 0 0" }}>No issues.</p>}
        </Step>
      ) : null}

      {junk ? (
        <Step n={++n} title={`Junk check: ${str(asData(junk).level) ?? junk.reason_code ?? "flagged"}`} status="warn">
          <p className="small" style={{ margin: 0 }}>Score {show(asData(junk).score)} / 100.</p>
          <ul className="small" style={{ margin: "6px 0 0", paddingLeft: 18 }}>
            {((asData(junk).reasons as Array<{ text: string; field: string }> | undefined) ?? []).map((r, k) => <li key={k}>{r.text} <span className="muted">({r.field})</span></li>)}
            {str(asData(junk).reason) ? <li>{str(asData(junk).reason)}</li> : null}
          </ul>
        </Step>
      ) : null}

      {duplicate ? (
        <Step n={++n} title="Duplicate: merged, not re-routed" status="warn">
          <p className="small" style={{ margin: 0 }}>{str(asData(duplicate).reason)}</p>
          {str(asData(duplicate).duplicateOf) ? <p className="small"><a href={`/leads/${str(asData(duplicate).duplicateOf)}`}>Open the original inquiry →</a></p> : null}
        </Step>
      ) : null}

      {enriched ? (
        <Step n={++n} title="Account match" status={str(asData(enriched).match) === "none" ? "warn" : "ok"} ms={enriched.duration_ms}>
          <p className="small" style={{ margin: 0 }}>{str(asData(enriched).reason) ?? (str(asData(enriched).account) ? `Matched ${str(asData(enriched).account)} by ${str(asData(enriched).match)}.` : "No account matched.")}</p>
          {asData(enriched).customer ? <p className="small" style={{ margin: "4px 0 0" }}><span className="badge badge-good">Existing customer</span></p> : null}
          {asData(enriched).provider ? <ProviderLine p={asData(enriched).provider as Data} /> : null}
        </Step>
      ) : null}

      {classified ? <ClassificationStep n={++n} e={classified} /> : null}

      {scored ? (
        <Step n={++n} title={`Score: ${show(asData(scored).points)} points → ${show(asData(scored).tier)}`} ms={scored.duration_ms}>
          <Contributions data={asData(scored)} />
        </Step>
      ) : null}

      {decided ? <DecisionStep n={++n} e={decided} /> : null}

      {review.map((r) => (
        <Step key={r.id} n={++n} title={`Sent to the review queue: ${humanize(r.reason_code)}`} status="warn">
          <p className="small" style={{ margin: 0 }}>{str(asData(r).reason)}</p>
        </Step>
      ))}

      {assigned ? <AssignmentStep n={++n} e={assigned} /> : null}

      {failures.map((f) => (
        <Step key={f.id} n={++n} title={`Step failed: ${humanize(str(asData(f).step))}`} status="bad">
          <p className="small" style={{ margin: 0 }}>{str(asData(f).error)}{asData(f).continued ? " — routing continued without it." : ""}</p>
        </Step>
      ))}
    </ol>
  );
}

function InputSummary({ input }: { input: Data }) {
  const contact = (input.contact as Data | undefined) ?? {};
  const company = (input.company as Data | undefined) ?? {};
  return (
    <KeyValues rows={[
      ["Contact", [str(contact.firstName), str(contact.lastName), str(contact.name)].filter(Boolean).join(" ") || "—"],
      ["Email / phone", `${show(contact.email)} · ${show(contact.phone)}`],
      ["Company", `${show(company.name)}${company.employees != null ? ` · ${show(company.employees)} employees` : ""}`],
      ["Country", show(input.country)],
      ["Product interest", show(input.productInterest)],
      ...(input.answers ? [["Form answers", show(input.answers)] as [string, string]] : []),
    ]} />
  );
}

function ProviderLine({ p }: { p: Data }) {
  return (
    <p className="small muted" style={{ margin: "4px 0 0" }}>
      Enrichment provider: {p.ok ? `answered in ${Math.round(num(p.ms) ?? 0)} ms${p.data ? ` (${show(p.data)})` : ""}` : `failed — ${show(p.error)}; routed without it`}
    </p>
  );
}

function ClassificationStep({ n, e }: { n: number; e: LeadEvent }) {
  const d = asData(e);
  const confidence = num(d.confidence);
  const explicit = str(d.explicitCategory);
  const attempts = Array.isArray(d.attempts) ? (d.attempts as Array<{ classifier: string; ok: boolean; error: string | null }>) : [];
  const usage = d.usage as { latencyMs: number; inputTokens: number | null; outputTokens: number | null; costUsd: number | null; cached: boolean; attempts: number } | null | undefined;
  return (
    <Step n={n} title={`Classified: ${humanize(explicit ?? str(d.category))}`} status={d.fellBack ? "warn" : "ok"} ms={e.duration_ms}>
      <KeyValues rows={[
        ["Category", <>{humanize(str(d.category))}{confidence != null ? <span className="muted"> · {formatPercent(confidence, 0)} confidence</span> : null}</>],
        ...(explicit ? [["Form answer", <><strong>{humanize(explicit)}</strong> <span className="muted">— explicit answers win over AI</span></>] as [string, React.ReactNode]] : []),
        ["Urgency", <>{humanize(str(d.urgency))}{str(d.urgencyPhrase) ? <span className="muted"> (“{str(d.urgencyPhrase)}”)</span> : null}</>],
        ["Stated timeline", num(d.timelineDays) != null ? `${num(d.timelineDays)} days` : "—"],
        ["Classifier", <>{classifierLabel(str(d.classifier))}{d.fellBack ? <span className="badge badge-warn" style={{ marginLeft: 6 }}>fallback</span> : null}</>],
        ...(attempts.length > 1 ? [["Tried", <>{attempts.map((a, k) => <span key={k}>{k > 0 ? " → " : ""}{classifierLabel(a.classifier)}{a.ok ? " answered" : <span className="muted"> failed ({a.error})</span>}</span>)}</>] as [string, React.ReactNode]] : []),
        ...(usage ? [["Model call", <>{Math.round(usage.latencyMs)} ms{usage.cached ? " · cached answer" : ` · ${usage.inputTokens ?? "?"} in / ${usage.outputTokens ?? "?"} out tokens`}{usage.costUsd != null ? ` · $${usage.costUsd.toFixed(5)}` : ""}{usage.attempts > 1 ? ` · ${usage.attempts} attempts` : ""}</>] as [string, React.ReactNode]] : []),
      ]} />
      {str(d.briefing) ? <p className="small" style={{ margin: "8px 0 0", background: "var(--surface-2)", padding: "8px 10px", borderRadius: 6 }}>{str(d.briefing)}</p> : null}
    </Step>
  );
}

function Contributions({ data }: { data: Data }) {
  const rows = (data.contributions as Array<{ label: string; value?: unknown; points: number; kind?: string }> | undefined) ?? [];
  if (!rows.length) return <p className="muted small" style={{ margin: 0 }}>No contributions recorded.</p>;
  return (
    <table className="data" style={{ fontSize: 12.5 }}>
      <thead><tr><th scope="col">Because</th><th scope="col">Value</th><th scope="col" className="num">Points</th></tr></thead>
      <tbody>
        {rows.map((c, k) => (
          <tr key={k}>
            <td>{c.label}</td>
            <td className="muted">{show(c.value)}</td>
            <td className="num" style={{ color: c.points < 0 ? "var(--bad)" : undefined }}>{c.points > 0 ? `+${c.points}` : c.points}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DecisionStep({ n, e }: { n: number; e: LeadEvent }) {
  const d = asData(e);
  const trace = (d.trace as Array<{ ruleId: string; matched: boolean; failed?: { field: string; cell: string; value: unknown } }> | undefined) ?? [];
  const fired = str(d.ruleId);
  const before = fired ? trace.slice(0, trace.findIndex((t) => t.ruleId === fired)) : trace;
  const guard = d.guard as { threshold: number; confidence: number; aiTested: string[] } | undefined;
  return (
    <Step n={n} title={fired ? `Rule ${fired} fired → ${show(d.route)}` : `No rule decided${str(d.route) ? ` → ${str(d.route)}` : ""}`} status={fired ? "ok" : "warn"} ms={e.duration_ms}>
      <p className="small muted" style={{ marginTop: 0 }}>
        {num(d.tableVersion) != null ? `Published table v${num(d.tableVersion)}` : "Published table"} · first matching rule wins.
        {str(d.reason) ? ` ${str(d.reason)}` : ""}
      </p>
      {before.length ? (
        <details>
          <summary className="small">Why the {before.length} earlier rule{before.length === 1 ? "" : "s"} did not match</summary>
          <ul className="small" style={{ margin: "6px 0 0", paddingLeft: 18 }}>
            {before.map((t) => (
              <li key={t.ruleId}>
                <code>{t.ruleId}</code>:{" "}
                {t.failed ? <>{humanize(t.failed.field)} was <strong>{show(t.failed.value)}</strong>, needed <code>{t.failed.cell}</code></> : "did not match"}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {guard ? (
        <p className="small" style={{ margin: "6px 0 0" }}>
          <span className="badge badge-warn">Guard</span> AI confidence {formatPercent(guard.confidence, 0)} is below this route&apos;s {formatPercent(guard.threshold, 0)} for {guard.aiTested.join(", ")}.
        </p>
      ) : null}
    </Step>
  );
}

function AssignmentStep({ n, e }: { n: number; e: LeadEvent }) {
  const d = asData(e);
  const candidates = (d.candidates as Array<{ repId: string; name?: string; share?: number; target?: number; deficit?: number }> | undefined) ?? [];
  const skipped = (d.skipped as Array<{ repId: string; reason: string }> | undefined) ?? [];
  const steps = (d.steps as Array<{ text: string; outcome: string }> | undefined) ?? [];
  const byReason = new Map<string, number>();
  for (const s of skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
  return (
    <Step n={n} title={`Assigned to ${e.rep_name ?? "a rep"}`}>
      <p className="small" style={{ margin: 0 }}>{str(d.reason)?.split(" — ")[0] ?? "—"}</p>
      {steps.length > 1 ? (
        <ol className="small" style={{ margin: "6px 0 0", paddingLeft: 18 }}>
          {steps.map((s, k) => <li key={k}>{s.text}</li>)}
        </ol>
      ) : null}
      {candidates.length ? <p className="small muted" style={{ margin: "6px 0 0" }}>{candidates.length} eligible rep{candidates.length === 1 ? "" : "s"} compared by weighted share.</p> : null}
      {byReason.size ? (
        <p className="small muted" style={{ margin: "4px 0 0" }}>
          Skipped: {[...byReason].map(([r, c]) => `${humanize(r)} ${c}`).join(", ")}
        </p>
      ) : null}
      <p className="small" style={{ margin: "6px 0 0" }}>
        SLA: {num(d.slaMinutes) ? `${formatMinutes(num(d.slaMinutes))} of business time` : "none"}
        {str(d.slaDueAt) ? <> · first touch due <strong>{formatFullDateTime(str(d.slaDueAt))}</strong></> : null}
      </p>
    </Step>
  );
}
